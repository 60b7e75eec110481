"""Readers during a load: they wait with a clear message, never a lock traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from warehouse.db import connect_writer

HOLD = """
import sys, time
from warehouse.db import connect_writer
con = connect_writer(sys.argv[1])
con.execute("BEGIN TRANSACTION")
con.execute("UPDATE articles SET title = 'diubah' WHERE false")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("COMMIT")
con.close()
"""


def hold_writer(db: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def pantau_sql(db: Path, wait: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PANTAU_LOCK_WAIT": wait}
    return subprocess.run([sys.executable, "-m", "pantau", "--db", str(db), "sql",
                           "SELECT count(*) AS n FROM articles", "--format", "csv"],
                          capture_output=True, text=True, env=env, timeout=120)


def test_reader_waits_for_a_running_load(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    connect_writer(db).close()
    holder = hold_writer(db, 3)
    started = time.monotonic()
    result = pantau_sql(db, "60")
    holder.wait(30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["n", "0"]
    assert time.monotonic() - started >= 1.5
    assert "busy" in result.stderr and "Traceback" not in result.stderr


def test_reader_gives_up_with_a_clear_message(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    connect_writer(db).close()
    holder = hold_writer(db, 6)
    result = pantau_sql(db, "1")
    holder.wait(30)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "locked by another process" in result.stderr.splitlines()[-1]
