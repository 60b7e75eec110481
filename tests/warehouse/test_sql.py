"""`pantau sql` limits: timeout, memory, streamed rows with a cap; a long read keeps no load
from writing (issue 14, item 6)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from warehouse.db import connect_writer
from warehouse.sql import QueryError, QueryLimits, stream_query

pytestmark = pytest.mark.usefixtures("warehouse_backend")

CROSS_JOIN = "SELECT count(*) FROM range(100000000) a, range(100000000) b"


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    connect_writer(path).close()
    return path


def pantau_sql(db: Path, *args: str, wait: bool = True, env: dict[str, str] | None = None):
    cmd = [sys.executable, "-m", "pantau", "--db", str(db), "sql", *args]
    full_env = {**os.environ, **(env or {})}
    if not wait:
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=full_env)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=full_env)


def test_a_runaway_query_is_stopped_by_the_timeout(db: Path) -> None:
    started = time.monotonic()
    result = pantau_sql(db, CROSS_JOIN, "--timeout", "1")
    assert time.monotonic() - started < 20
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "stopped after 1 s (--timeout" in result.stderr


def test_the_timeout_also_covers_fetching(db: Path) -> None:
    seen: list[int] = []
    with pytest.raises(QueryError, match="stopped after 0.5 s"):
        stream_query(db, "SELECT a.range FROM range(1000000000) a", lambda c, b: seen.append(1)
                     or time.sleep(0.01), QueryLimits(timeout=0.5, max_rows=0))
    assert seen  # rows were coming when it stopped


def test_the_memory_limit_holds(db: Path) -> None:
    with pytest.raises(QueryError, match="--memory-limit"):
        stream_query(db, "SELECT list(range) FROM range(100000000)", lambda c, b: None,
                     QueryLimits(memory_limit="50MB", timeout=60))


def test_rows_are_capped_and_the_cap_is_said(db: Path) -> None:
    result = pantau_sql(db, "SELECT range AS n FROM range(50000)")  # a table, for a person
    assert result.returncode == 0 and "first 10000 rows" in result.stderr
    assert "--max-rows 0" in result.stderr
    result = pantau_sql(db, "SELECT range AS n FROM range(50000)", "--format", "csv")
    lines = result.stdout.splitlines()  # csv/json feed scripts: all rows, streamed
    assert result.returncode == 0 and lines[0] == "n" and len(lines) == 50_001
    assert "first" not in result.stderr
    result = pantau_sql(db, "SELECT range AS n FROM range(50000)", "--format", "csv",
                        "--max-rows", "10000")
    assert len(result.stdout.splitlines()) == 10_001 and "first 10000 rows" in result.stderr
    result = pantau_sql(db, "SELECT range AS n FROM range(25)", "--format", "json",
                        "--max-rows", "20")
    assert [r["n"] for r in json.loads(result.stdout)] == list(range(20))


def test_a_huge_result_streams_in_flat_memory(db: Path) -> None:
    """3 million rows pass through in batches: the Python objects alive at any moment are one
    batch, not the result (fetched whole, these rows are ~400 MB of tuples). Measured with
    tracemalloc in this process, which is deterministic; the child process's RSS depended on
    what earlier tests had done to the machine (67 MB alone, up to 450 MB in the full suite)."""
    import tracemalloc

    rows = batches = 0
    largest = 0

    def write(columns: object, batch: list[tuple[object, ...]]) -> None:
        nonlocal rows, batches, largest
        rows, batches, largest = rows + len(batch), batches + 1, max(largest, len(batch))

    query = "SELECT range AS n, range * 2 AS m FROM range(3000000)"
    tracemalloc.start()
    try:
        stream_query(db, query, write, QueryLimits(timeout=0, max_rows=0))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rows == 3_000_000 and largest <= 1000 and batches >= 3000
    assert peak < 50 * 1024 * 1024, f"peak {peak / 1048576:.0f} MB of Python objects"


def test_a_long_read_does_not_keep_the_load_from_writing(db: Path) -> None:
    reader = pantau_sql(db, CROSS_JOIN, "--timeout", "3", wait=False)
    time.sleep(1.5)  # the reader holds the warehouse now
    started = time.monotonic()
    writer = connect_writer(db, wait_seconds=30)  # what the nightly load does
    writer.close()
    assert time.monotonic() - started < 15
    reader.communicate(timeout=60)
    assert reader.returncode == 1


def test_a_snapshot_query_keeps_no_lock(db: Path) -> None:
    reader = pantau_sql(db, CROSS_JOIN, "--timeout", "30", "--snapshot", wait=False)
    time.sleep(2)
    started = time.monotonic()
    writer = connect_writer(db, wait_seconds=30)
    writer.close()
    assert time.monotonic() - started < 3  # no waiting for the 30 s query
    reader.kill()
    reader.communicate(timeout=30)
    assert not [p for p in db.parent.iterdir() if p.name.startswith(".pantau-sql-snapshot-")
                and reader.returncode == 0]


def test_an_error_quoting_damage_words_is_not_damage(db: Path) -> None:
    with pytest.raises(QueryError) as info:
        stream_query(db, "SELECT corrupt_checksum FROM articles", lambda c, b: None)
    assert "damaged" not in str(info.value) and "corrupt_checksum" in str(info.value)
