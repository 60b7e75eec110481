"""Batch files of loads killed mid-way (``<staging>/.load/``) are removed by the weekly cleanup
once stale; a running load's is left alone."""

from __future__ import annotations

import os
import time
from pathlib import Path

from core.settings import Settings
from pantau.maintenance import STALE_BATCH_SECONDS, cleanup_staging
from warehouse.batch import BatchFile
from warehouse.loader import LOAD_FOLDER


def test_stale_batches_go_running_ones_stay(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    killed = BatchFile(staging / LOAD_FOLDER)  # a load killed with kill -9 left this
    old = time.time() - STALE_BATCH_SECONDS - 60
    os.utime(killed.folder, (old, old))
    running = BatchFile(staging / LOAD_FOLDER)
    settings = Settings(db=tmp_path / "w.duckdb", sources=tmp_path / "s.yaml", staging=staging,
                        rules=tmp_path / "r.yaml", outbox=tmp_path / "o.jsonl")
    summary = cleanup_staging(settings)
    assert summary.removed_batches == 1
    assert not killed.folder.exists() and running.folder.exists()
    running.remove()
