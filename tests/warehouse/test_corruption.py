"""A damaged warehouse is told apart from a locked one (issue 14, item 5)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.config import Source
from tests.warehouse.staged import PARAS, SOURCE, article_html, page, stage
from tests.warehouse.test_concurrency import hold_writer
from warehouse.db import (
    WarehouseBusy,
    WarehouseCorrupt,
    connect_reader,
    connect_writer,
    locked_by_other_process,
)


def damaged_copy(tmp_path: Path, how: str) -> Path:
    db = tmp_path / "pantau.duckdb"
    con = connect_writer(db)
    con.execute("CREATE TABLE filler AS SELECT range AS i, repeat('x', 200) AS s "
                "FROM range(20000)")
    con.close()
    data = db.read_bytes()
    if how == "checksum":  # a block overwritten: "… in block at location …" (has "lock" in it)
        data = data[:12288] + b"\xff" * 8192 + data[20480:]
    elif how == "header":
        data = data[:8] + b"\0" * 4000 + data[4008:]
    else:
        data = data[:5000]
    db.write_bytes(data)
    return db


@pytest.mark.parametrize("how", ["checksum", "header", "truncated"])
@pytest.mark.parametrize("read_only", [False, True])
def test_a_damaged_warehouse_is_reported_as_damaged_at_once(tmp_path: Path, how: str,
                                                            read_only: bool) -> None:
    db = damaged_copy(tmp_path, how)
    started = time.monotonic()
    with pytest.raises(WarehouseCorrupt) as info:
        (connect_reader if read_only else connect_writer)(db, wait_seconds=5)
    assert time.monotonic() - started < 3  # no waiting for a lock nobody holds
    message = str(info.value)
    assert "damaged" in message and "locked" not in message
    assert "reprocess" in message and "staging" in message
    assert str(tmp_path / "pantau-rebuilt.duckdb") in message


def test_a_locked_warehouse_is_reported_as_locked(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    connect_writer(db).close()
    assert locked_by_other_process(db) is None
    holder = hold_writer(db, 4)
    try:
        assert locked_by_other_process(db) == holder.pid
        with pytest.raises(WarehouseBusy, match="locked by another process"):
            connect_reader(db, wait_seconds=0.5)
    finally:
        holder.wait(30)


def test_the_cli_says_damaged_not_locked(tmp_path: Path) -> None:
    db = damaged_copy(tmp_path, "checksum")
    env = {**os.environ, "PANTAU_LOCK_WAIT": "5"}
    result = subprocess.run([sys.executable, "-m", "pantau", "--db", str(db), "sql",
                             "SELECT 1"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("pantau: error:") and "damaged" in last and "reprocess" in last


def test_reprocess_rebuilds_a_fresh_warehouse_from_the_raw_archive(tmp_path: Path) -> None:
    """What the damage message tells the user to do, done."""
    from warehouse.loader import load_run
    from warehouse.reprocess import reprocess_archive

    staging = tmp_path / "staging"
    t = "2026-11-20T19:00:30+00:00"
    stage(staging, "r1", [
        page("https://contoh.id/berita/1", article_html("Banjir rendam Jakarta Timur", PARAS), t),
        page("https://contoh.id/berita/2", article_html("Dapur umum dibuka", PARAS[::-1]), t),
    ])
    db = tmp_path / "pantau.duckdb"
    con = connect_writer(db)
    load_run(con, staging, "r1", [SOURCE], workers=1)
    before = con.execute("SELECT url, title, text FROM articles ORDER BY url").fetchall()
    con.close()
    db.write_bytes(db.read_bytes()[:5000])  # damaged
    rebuilt = tmp_path / "pantau-rebuilt.duckdb"
    sources: list[Source] = [SOURCE]
    summary = reprocess_archive(lambda: connect_writer(rebuilt), staging, sources, workers=1)
    assert summary.articles_added == 2
    con = connect_reader(rebuilt)
    try:
        after = con.execute("SELECT url, title, text FROM articles ORDER BY url").fetchall()
        assert after == before
    finally:
        con.close()
