"""Opening the DuckDB warehouse: the single writer, read-only readers, and schema migrations.

With ``PANTAU_WAREHOUSE=ducklake:<catalog>`` the same functions open a DuckLake instead
(:mod:`warehouse.lake`): many writers, readers that never wait, snapshots to read back in time.

Migrations (:mod:`warehouse.migrate`) are the ordered ``migrations/NNNN_name.sql`` files (or
``NNNN_name.py``, whose ``apply(con)`` does what SQL cannot, e.g. 0013 rebuilding tables without
their keys). Each is applied once, inside a transaction, and recorded in ``schema_migrations``.
Opening an older warehouse upgrades it; a warehouse written by a newer pantau (a version this code
does not know) is refused.

Tables hold no PRIMARY KEY or UNIQUE constraint on either backend: the keys a migration declares
are taken out and recorded in ``schema_keys`` (:func:`warehouse.lake.lake_ddl`), because DuckDB
rewrites a key's index in full at every commit (see :mod:`warehouse.keyless`).
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import struct
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb

from core.errors import PantauError
from core.settings import LakeConfig, environment, lake_config
from warehouse import migrate as schema_migrations
from warehouse.errors import WarehouseError
from warehouse.lookups import LOOKUP_MAX
from warehouse.migrate import migrate

log = logging.getLogger(__name__)

def lock_wait_seconds() -> float:
    """How long to wait for a busy warehouse (env ``PANTAU_LOCK_WAIT``, seconds)."""
    return environment().lock_wait


def _wait(seconds: float | None) -> float:
    return lock_wait_seconds() if seconds is None else seconds


class WarehouseBusy(WarehouseError):
    """Another process holds the warehouse (a load, an alerts run, a reader): wait and retry."""


class WarehouseCorrupt(WarehouseError):
    """The warehouse file is damaged; rebuild it from the raw archive (``pantau reprocess``)."""


# DuckDB reports a lock and a damaged file with one exception type (IOException); which one it
# is comes from the operating system (is the file locked by another process?), not from the
# wording. These are the wordings of damage, used only once a lock has been ruled out.
_DAMAGE_MARKERS = ("not a valid duckdb database file", "corrupt", "checksum",
                   "could not read enough bytes", "serialization", "deserializ")
_DAMAGE_TYPES: tuple[type[Exception], ...] = (
    duckdb.SerializationException, duckdb.InternalException, duckdb.FatalException,
)


def locked_by_other_process(path: Path) -> int | None:
    """The id of another process holding a lock on ``path`` (DuckDB locks its file with
    ``fcntl``; a writer exclusively, readers shared), or None when nobody does.

    Asks the kernel (``F_GETLK``) without taking a lock.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        query = struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, query)
    except OSError:
        return None
    finally:
        os.close(fd)
    kind, _, _, _, pid = struct.unpack(_FLOCK, answer)
    return int(pid) if kind != fcntl.F_UNLCK and pid != os.getpid() else None


_FLOCK = "hhqqi4x"  # struct flock on Linux: l_type, l_whence, l_start, l_len, l_pid


def is_damage(exc: BaseException) -> bool:
    """Whether a DuckDB error (once a lock is ruled out) says the file is damaged."""
    if isinstance(exc, _DAMAGE_TYPES):
        return True
    text = str(exc).lower()
    # only I/O errors: other errors may quote the user's SQL ("checksum" as a column name)
    return isinstance(exc, duckdb.IOException) and any(m in text for m in _DAMAGE_MARKERS)


def corrupt_error(path: Path, exc: BaseException) -> WarehouseCorrupt:
    """The message for a damaged warehouse: what happened and how to rebuild it."""
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    rebuilt = path.with_name(path.stem + "-rebuilt" + path.suffix)
    return WarehouseCorrupt(
        f"{path}: the warehouse file is damaged ({detail}). The raw pages are safe in the "
        f"staging archive (<staging>/<run>/ and <staging>/archive/, default "
        f"{path.parent / 'staging'}): rebuild the articles into a fresh warehouse with "
        f"'pantau --db {rebuilt} reprocess', check it, then move the damaged file aside and "
        f"put the rebuilt one in its place (see docs/failure.md)"
    )


# How a warehouse file is opened:
# - night-sized id lists are looked up in the articles(id) index (warehouse.lookups);
# - a new file is written in the storage format of the pinned DuckDB, not the v1.0 format
#   DuckDB writes by default for older readers: in that one every checkpoint converts the whole
#   articles(id) index back to the old layout and rewrites it (a third of a second per
#   checkpoint at a million articles, growing with them). An existing file keeps its format
#   (docs/scale-out.md says how to copy it into the new one).
_FILE_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "index_scan_max_count": str(LOOKUP_MAX), "storage_compatibility_version": "latest"}


def _connect_waiting(
    path: Path, read_only: bool, wait_seconds: float
) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_seconds
    announced = False
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=_FILE_CONFIG)
        except duckdb.Error as exc:
            holder = locked_by_other_process(path) if path.exists() else None
            if holder is None:
                if is_damage(exc):
                    raise corrupt_error(path, exc) from None
                raise WarehouseError(f"{path}: cannot open the warehouse: {exc}") from None
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"{path}: the warehouse is locked by another process (pid {holder}: a load "
                    f"or alerts run?); waited {wait_seconds:.0f}s, try again when it has "
                    "finished (PANTAU_LOCK_WAIT sets the wait)"
                ) from None
            if not announced:
                log.warning("%s: warehouse is busy (pid %d holds it); waiting…", path, holder)
                announced = True
            time.sleep(0.5)


def connect_lake(lake: LakeConfig, read_only: bool,
                 at: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached as its default catalog."""
    from warehouse.lake import LakeError, Snapshot, attach

    snapshot = Snapshot.parse(at) if at else None
    for attempt in range(20):
        con = duckdb.connect(":memory:")
        try:
            attach(con, lake, read_only=read_only, at=snapshot)
            return con
        except LakeError as exc:
            con.close()
            # two processes creating a new lake's catalog at once: the second waits its turn
            busy = "database is locked" in str(exc) or "already exists" in str(exc)
            if not busy or attempt == 19:
                raise WarehouseError(str(exc)) from None
            time.sleep(0.2)
    raise AssertionError("unreachable")


def warehouse_exists(path: Path) -> bool:
    """Whether there is a warehouse to read: the DuckDB file, or the DuckLake's catalog."""
    lake = lake_config(Path(path))
    if lake is None:
        return Path(path).exists()
    from warehouse.lake import catalog_exists

    return catalog_exists(lake)


def connect_file(path: Path, read_only: bool,
                 wait_seconds: float | None = None) -> duckdb.DuckDBPyConnection:
    """The DuckDB warehouse file itself, whatever ``PANTAU_WAREHOUSE`` says (moving a file into
    a lake reads it), waiting for a busy one as the other connections do; not migrated."""
    return _connect_waiting(Path(path), read_only=read_only, wait_seconds=_wait(wait_seconds))


def connect_writer(
    path: Path, wait_seconds: float | None = None, maintenance: bool = False
) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the warehouse for writing and bring its schema up to date.

    DuckDB allows one writing process; a second one waits up to ``wait_seconds``. A DuckLake
    (``PANTAU_WAREHOUSE``) takes many writers at once: nobody waits. The connection's memory
    limit is ``PANTAU_WRITER_MEMORY`` (the nightly load and alerts), or with ``maintenance``
    ``PANTAU_MAINTENANCE_MEMORY`` (the weekly compaction, reprocessing); migrations always run
    under the latter.
    """
    path = Path(path)
    lake = lake_config(path)
    if lake is not None:
        con = connect_lake(lake, read_only=False)
        try:
            migrate_lake(con)
        except Exception:
            con.close()
            raise
        return con
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect_waiting(path, read_only=False, wait_seconds=_wait(wait_seconds))
    try:
        # a night's memory must not grow with the history DuckDB would otherwise cache: the
        # writer's joins spill to <db>.tmp/ beyond PANTAU_WRITER_MEMORY. Migrations and the
        # weekly maintenance read whole tables (migration 0013 copies them, held 3 GiB at 1M).
        settings = environment()
        con.execute("SET memory_limit = ?", [settings.maintenance_memory])
        migrate(con)
        if not maintenance:
            con.execute("SET memory_limit = ?", [settings.writer_memory])
    except Exception:
        con.close()
        raise
    return con


def migrate_lake(con: duckdb.DuckDBPyConnection, attempts: int = 20) -> int:
    """Migrate a lake; a writer that lost the race to migrate a new lake first (a conflicting
    commit) starts over and finds the migrations applied."""
    from warehouse.lake import is_conflict

    for attempt in range(attempts):
        try:
            return migrate(con)
        except (duckdb.TransactionException, duckdb.CatalogException) as exc:
            # the other writer's migration committed first: a conflicting commit, or (seen
            # by a statement of ours) "Column with name … already exists"
            raced = is_conflict(exc) or "already exists" in str(exc)
            if not raced or attempt == attempts - 1:
                raise
            log.info("warehouse: another writer migrated the lake at the same time; retrying")
            time.sleep(0.2)
    return 0


def connect_reader(
    path: Path,
    wait_seconds: float | None = None,
    sandbox: bool = True,
    settings: Mapping[str, str] | None = None,
    at: str | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only.

    With ``sandbox`` (the default) the connection also cannot touch anything outside the
    warehouse: no reading or writing of local files, no ATTACH, no loading of extensions, and
    the configuration is locked so a query cannot switch these back on. ``settings`` (e.g.
    ``{"memory_limit": "2GB"}``) are set before the configuration is locked. ``at`` (a DuckLake
    only) reads an earlier snapshot: its id, or an ISO date-time.
    """
    path = Path(path)
    lake = lake_config(path)
    if lake is None and at is not None:
        raise WarehouseError(
            f"{path}: reading an earlier snapshot (--at) needs a DuckLake warehouse "
            "(PANTAU_WAREHOUSE=ducklake:…, docs/scale-out.md); a DuckDB file has no snapshots"
        )
    if lake is not None:
        from warehouse.lake import catalog_exists

        if not catalog_exists(lake):
            raise WarehouseError(
                f"{lake.catalog}: no DuckLake warehouse here yet; run 'pantau run' (or "
                "'pantau load', or 'pantau migrate-warehouse') first"
            )
        con = connect_lake(lake, read_only=True, at=at)
    elif not path.exists():
        raise WarehouseError(
            f"{path}: no warehouse here yet; run 'pantau run' (or 'pantau load') first, "
            "or pass --db PATH"
        )
    else:
        con = _connect_waiting(path, read_only=True, wait_seconds=_wait(wait_seconds))
    current = schema_migrations.schema_version(con)
    latest = schema_migrations.migrations()[-1].version
    if current > latest:
        con.close()
        raise WarehouseError(
            f"{path}: warehouse schema version {current} is newer than this pantau ({latest}); "
            "upgrade pantau"
        )
    for key, value in (settings or {}).items():
        if not re.fullmatch(r"[a-z_]+", key):
            con.close()
            raise ValueError(f"not a DuckDB setting name: {key!r}")
        try:
            con.execute(f"SET {key} = ?", [value])
        except duckdb.Error as exc:
            con.close()
            raise WarehouseError(f"cannot set {key} to {value!r}: {exc}") from None
    if sandbox:
        _load_fts_quietly(con)
        if lake is not None and "://" not in lake.data_path:
            # the lake's own Parquet files stay readable; nothing else
            con.execute("SET allowed_directories = ?", [[lake.data_path]])
        con.execute("SET enable_external_access = false")
        con.execute("SET autoinstall_known_extensions = false")
        con.execute("SET autoload_known_extensions = false")
        con.execute("SET lock_configuration = true")
    return con


def _load_fts_quietly(con: duckdb.DuckDBPyConnection) -> None:
    """Load the full-text extension before the sandbox closes file access (search needs it)."""
    from warehouse.fts import load_fts

    try:
        load_fts(con)
    except (PantauError, duckdb.Error) as exc:
        log.warning("full-text search unavailable: %s", exc)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """``BEGIN`` … ``COMMIT``, rolled back on any error."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
