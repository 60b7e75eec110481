"""Long work shows progress on a terminal: the crawl reports each outlet as it finishes."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tests.terminal import drain

pytestmark = pytest.mark.slow


def test_crawl_shows_per_outlet_progress_on_a_terminal(tmp_path: Path, fixture_web) -> None:
    sources = fixture_web.write_sources_yaml(tmp_path / "sources.yaml")
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pantau", "--db", str(tmp_path / "w.duckdb"), "--sources",
         str(sources), "--allow-private-hosts", "crawl", "--source", "iphedia", "--source",
         "detakpos"],
        stdout=subprocess.PIPE, stderr=follower, env={**os.environ, "COLUMNS": "120"},
    )
    os.close(follower)
    written = drain(leader)
    out, _ = proc.communicate(timeout=300)
    shown = written.decode("utf-8", "replace")
    assert proc.returncode == 0, shown
    for outlet in ("iphedia", "detakpos"):
        assert f"{outlet}: " in shown and " pages, " in shown, shown
    assert b"iphedia" in out  # the summary table stays on stdout
