"""``pantau sql``: a read-only query with limits, its rows streamed in batches.

Limits (:class:`QueryLimits`, each a flag of ``pantau sql``):

- ``timeout``: seconds the query may run, fetching included; then it is interrupted
  (``duckdb.DuckDBPyConnection.interrupt``). The default stays below the load's wait for the
  warehouse (``PANTAU_LOCK_WAIT``, 30 s), so a ``pantau sql`` never makes a nightly load fail.
- ``memory_limit``: DuckDB's ``memory_limit`` for this connection (set before the configuration
  is locked, so the query cannot raise it).
- ``max_rows``: rows printed at most; rows are fetched in batches, never the whole result.

With ``snapshot`` the query runs on a private copy of the warehouse, made while holding the
read lock for just the copy: a long analysis then keeps no load waiting (it costs the disk space
and time of one copy).
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from core.errors import PantauError
from core.settings import lake_config
from warehouse.db import WarehouseError, connect_reader, corrupt_error, is_damage

log = logging.getLogger(__name__)

BATCH_ROWS = 1000
_MEMORY = re.compile(r"^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class QueryLimits:
    """What one ``pantau sql`` query may use; 0 (or None for memory) means no limit."""

    timeout: float = 20.0
    memory_limit: str | None = "2GB"
    max_rows: int = 10_000

    def __post_init__(self) -> None:
        if self.timeout < 0:
            raise ValueError("timeout must not be negative")
        if self.max_rows < 0:
            raise ValueError("max_rows must not be negative")
        if self.memory_limit is not None and not _MEMORY.match(self.memory_limit):
            raise PantauError(f"memory limit {self.memory_limit!r} is not a size like 500MB "
                              "or 2GB")


@dataclass
class QueryResult:
    """What :func:`stream_query` did: rows written, and whether ``max_rows`` cut the result."""

    columns: list[str]
    rows: int = 0
    truncated: bool = False


class QueryError(PantauError):
    """The query failed, was refused, or hit a limit."""


def _message(db: Path, exc: duckdb.Error, limits: QueryLimits, timed_out: bool) -> str:
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if is_damage(exc):  # a damaged block found while reading
        return str(corrupt_error(db, exc))
    if timed_out or isinstance(exc, duckdb.InterruptException):
        return (f"query stopped after {limits.timeout:g} s (--timeout; 0 for no limit, and "
                "--snapshot so a long query keeps no load waiting)")
    if isinstance(exc, duckdb.OutOfMemoryException) or "out of memory" in first.lower():
        return (f"query needs more memory than {limits.memory_limit} (--memory-limit): {first}")
    if "read-only" in first:
        return f"pantau sql is read-only: {first}"
    if "disabled by configuration" in first or "locked" in first:
        return f"pantau sql cannot reach files or change settings: {first}"
    return first


@contextmanager
def _snapshot(db: Path) -> Iterator[Path]:
    """A private copy of the warehouse (and its WAL), copied under the read lock."""
    with tempfile.TemporaryDirectory(prefix=".pantau-sql-snapshot-", dir=db.parent) as tmp:
        copy = Path(tmp) / db.name
        holder = connect_reader(db, sandbox=False)  # no writer can commit while we copy
        try:
            shutil.copyfile(db, copy)
            wal = db.with_name(db.name + ".wal")
            if wal.exists():
                shutil.copyfile(wal, copy.with_name(copy.name + ".wal"))
        finally:
            holder.close()
        yield copy


def stream_query(
    db: Path,
    query: str,
    write: Callable[[Sequence[str], list[tuple[Any, ...]]], None],
    limits: QueryLimits | None = None,
    snapshot: bool = False,
    at: str | None = None,
) -> QueryResult:
    """Run ``query`` read-only (sandboxed) and pass its rows to ``write(columns, batch)`` in
    batches of at most 1000, up to ``limits.max_rows`` rows. Raises :class:`QueryError`.

    ``at`` (a DuckLake only): read the lake as of that snapshot id or ISO date-time. A lake
    query always reads one snapshot and keeps no writer waiting, so ``snapshot`` copies
    nothing there."""
    limits = limits or QueryLimits()
    # no progress bar: DuckDB draws it on stdout, in the middle of the rows
    settings = {"enable_progress_bar": "false"}
    if limits.memory_limit:
        settings["memory_limit"] = limits.memory_limit
    copying = snapshot and lake_config(Path(db)) is None
    with contextlib_nullable(_snapshot(Path(db)) if copying else None) as copy:
        try:
            con = connect_reader(copy or Path(db), settings=settings, at=at)
        except WarehouseError as exc:
            raise QueryError(str(exc)) from None
        timed_out = threading.Event()

        def stop() -> None:
            timed_out.set()
            con.interrupt()

        timer = threading.Timer(limits.timeout, stop) if limits.timeout else None
        try:
            if timer:
                timer.daemon = True
                timer.start()
            try:
                cur = con.execute(query)
                if cur.description is None:
                    return QueryResult(columns=[])
                result = QueryResult(columns=[d[0] for d in cur.description])
                while True:
                    size = BATCH_ROWS
                    if limits.max_rows:
                        size = min(size, limits.max_rows - result.rows)
                        if size <= 0:
                            result.truncated = bool(cur.fetchmany(1))
                            break
                    batch = cur.fetchmany(size)
                    if not batch:
                        break
                    write(result.columns, batch)
                    result.rows += len(batch)
                return result
            except duckdb.Error as exc:
                raise QueryError(_message(Path(db), exc, limits, timed_out.is_set())) from None
        finally:
            if timer:
                timer.cancel()
            con.close()


@contextmanager
def contextlib_nullable(cm: Any) -> Iterator[Any]:
    """``with cm`` when given, else a context yielding None."""
    if cm is None:
        yield None
    else:
        with cm as value:
            yield value
