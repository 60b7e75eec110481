"""`pantau demo`: serves the fixture web, runs the pipeline, prints counts and queries to try."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from warehouse.db import connect_reader

pytestmark = pytest.mark.slow


def test_demo_builds_its_warehouse_where_told(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "pantau", "--db", str(db), "demo"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    for outlet in ("beritaturki", "iphedia", "detakpos"):
        line = next(ln for ln in out.splitlines() if ln.startswith(outlet))
        assert line.endswith(" ok"), line  # the health column
    assert "total" in out and "sql \"SELECT" in out
    assert db.exists() and (tmp_path / "outbox.jsonl").exists()
    con = connect_reader(db)
    per_source = dict(con.execute("SELECT source, count(*) FROM articles GROUP BY 1").fetchall())
    con.close()
    assert set(per_source) == {"beritaturki", "iphedia", "detakpos"}
    assert min(per_source.values()) >= 10
