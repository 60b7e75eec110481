"""kill -9 of a real loader process at any moment leaves the warehouse as before the run, and
loading again gives exactly what an uninterrupted load gives."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.warehouse.staged import PARAS, article_html, page, stage
from warehouse.db import connect_reader
from warehouse.lake import duplicate_keys

pytestmark = pytest.mark.slow

SOURCES = """\
sources:
  - name: contoh
    url: https://contoh.id/
    feeds: [https://contoh.id/rss]
"""
TABLES = {
    "articles": "*",
    "article_versions": "*",
    "pages": "*",
    "crawl_runs": "* EXCLUDE (loaded_at)",
    "sources": "* EXCLUDE (updated_at)",
}


def staged_run(staging: Path, run_id: str, first: int, count: int, day: int) -> None:
    t = f"2026-11-{day:02d}T19:00:30+00:00"
    stage(staging, run_id, [
        page(
            f"https://contoh.id/berita/{i}",
            article_html(f"Berita nomor {i}: banjir dan hujan", PARAS[i % 4:] + PARAS[: i % 4]
                         + [f"Catatan penutup nomor {i} untuk malam ke-{day}."]),
            t,
        )
        for i in range(first, first + count)
    ])


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = connect_reader(db)
    try:
        return {
            t: con.execute(f"SELECT {cols} FROM {t} ORDER BY ALL").fetchall()
            for t, cols in TABLES.items()
        }
    finally:
        con.close()


def no_key_repeated(db: Path) -> bool:
    con = connect_reader(db)
    try:
        return duplicate_keys(con) == {}
    finally:
        con.close()


def loader(
    db: Path, sources: Path, staging: Path, run_id: str, tmp: Path | None = None
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PANTAU_STAGING": str(staging)}
    if tmp is not None:
        env["TMPDIR"] = str(tmp)
    return subprocess.Popen(
        [sys.executable, "-m", "pantau", "--db", str(db), "--sources", str(sources), "load",
         "--run-id", run_id, "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def test_kill_minus_nine_mid_load(tmp_path: Path) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text(SOURCES, "utf-8")
    staging = tmp_path / "staging"
    staged_run(staging, "r0", 0, 20, 19)
    staged_run(staging, "r1", 10, 120, 20)  # 10 updated, 110 new articles

    base = tmp_path / "base.duckdb"
    assert loader(base, sources, staging, "r0").wait(120) == 0
    before = snapshot(base)

    reference = tmp_path / "reference.duckdb"
    shutil.copy(base, reference)
    started = time.monotonic()
    assert loader(reference, sources, staging, "r1").wait(300) == 0
    duration = time.monotonic() - started
    after = snapshot(reference)
    assert after != before
    assert no_key_repeated(reference)

    # Kill when the write transaction starts (the loader completes its batch file, streamed to
    # <staging>/.load/, just before BEGIN), when the commit writes the WAL, and at moments spread
    # over a whole load.
    moments: list[str | float] = ["batch", "wal", 0.2, 0.5, 0.8, 0.9, 0.97]
    kills: dict[str | float, dict[str, list[Any]]] = {}
    for moment in moments:
        db = tmp_path / f"kill-{moment}.duckdb"
        shutil.copy(base, db)
        tmp = tmp_path / f"tmp-{moment}"
        tmp.mkdir()
        proc = loader(db, sources, staging, "r1", tmp)
        wal = Path(str(db) + ".wal")
        waited = duration * moment if isinstance(moment, float) else 300
        deadline = time.monotonic() + waited
        while time.monotonic() < deadline and proc.poll() is None:
            if moment == "wal" and wal.exists():
                break
            if moment == "batch" and any(staging.glob(".load/pantau-load-*/batch.jsonl")):
                break
            time.sleep(0.002)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(30)
            state = snapshot(db)
            kills[moment] = state
            assert state in (before, after), f"kill at {moment}: a half-loaded warehouse"
        else:
            assert snapshot(db) == after
        assert loader(db, sources, staging, "r1").wait(300) == 0
        assert snapshot(db) == after, f"rerun after kill at {moment} differs"
        assert no_key_repeated(db), f"rerun after kill at {moment} repeated a key"
    assert "batch" in kills and kills["batch"] == before, "never killed inside the transaction"
    assert len(kills) >= 4
