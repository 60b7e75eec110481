"""One read-only warehouse connection shared by the requests of a burst, closed when idle.

Opening a reader costs more than most pages (the full-text extension is loaded on each open:
~50-150 ms), so requests share one sandboxed read-only connection, each through its own cursor.
DuckDB lets one process write the file only while nobody else has it open, so the connection
is closed once no request has used it for ``idle_seconds``: the nightly load waits for at most
that long after the last page (it waits ``PANTAU_LOCK_WAIT``, 30 s by default).

:meth:`ReaderPool.exclusive` closes the shared connection for work that needs one of its own
(a download written by DuckDB's COPY: the sandbox, set on the database, forbids files).
DuckDB shares one database instance among the connections a process opens to a file, so no
other reader can be opened in the process while the shared one is open.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.db import connect_reader

IDLE_SECONDS = 2.0


class ReaderPool:
    def __init__(self, db: Path, wait_seconds: float, idle_seconds: float = IDLE_SECONDS) -> None:
        self.db = db
        self.wait_seconds = wait_seconds
        self.idle_seconds = idle_seconds
        self._con: duckdb.DuckDBPyConnection | None = None
        self._in_flight = 0
        self._exclusive = 0
        self._last_used = 0.0
        self._cond = threading.Condition()
        self._reaper: threading.Thread | None = None
        self._stopped = False

    @contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the shared connection (opened when there is none)."""
        with self._cond:
            while self._exclusive:
                self._cond.wait()
            if self._con is None:
                self._con = connect_reader(self.db, wait_seconds=self.wait_seconds)
                self._start_reaper()
            self._in_flight += 1
            cursor = self._con.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
            with self._cond:
                self._in_flight -= 1
                self._last_used = time.monotonic()
                if self.idle_seconds <= 0 and not self._in_flight:
                    self._close_locked()  # no sharing: closed with the last request
                self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """No shared connection while the block runs (requests wait for it to end)."""
        with self._cond:
            self._exclusive += 1
            while self._in_flight:
                self._cond.wait()
            self._close_locked()
        try:
            yield
        finally:
            with self._cond:
                self._exclusive -= 1
                self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._stopped = True
            while self._in_flight:
                self._cond.wait()
            self._close_locked()
            self._cond.notify_all()

    def _close_locked(self) -> None:
        con, self._con = self._con, None
        if con is not None:
            con.close()

    def _start_reaper(self) -> None:
        if self._reaper is None or not self._reaper.is_alive():
            self._reaper = threading.Thread(target=self._reap, name="pantau-serve-reaper",
                                            daemon=True)
            self._reaper.start()

    def _reap(self) -> None:
        with self._cond:
            while self._con is not None and not self._stopped:
                idle = time.monotonic() - self._last_used
                if not self._in_flight and idle >= self.idle_seconds:
                    self._close_locked()
                    return
                self._cond.wait(timeout=max(0.1, self.idle_seconds - idle))
