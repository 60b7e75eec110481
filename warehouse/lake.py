"""DuckLake as the warehouse backend: many writers, Parquet data files, a shared catalog.

Chosen by ``PANTAU_WAREHOUSE=ducklake:<catalog>`` (see :func:`core.settings.lake_config`); the
embedded DuckDB file stays the default. A connection to the lake is an in-memory DuckDB with the
lake attached as :data:`ALIAS` and made the default catalog, so pantau's SQL (``articles``,
``crawl_runs`` …) runs unchanged. The extensions come from pinned PyPI packages at the same version
as ``duckdb`` (``duckdb-extension-ducklake`` and, for the catalog database,
``duckdb-extension-sqlite-scanner`` or ``duckdb-extension-postgres-scanner``) and are LOADed from
the files they ship: nothing is downloaded at run time.

DuckLake has no indexes, primary keys, unique constraints or sequences. pantau's migrations
declare keys; :func:`lake_ddl` takes them out of the ``CREATE TABLE`` statements and records them
in ``schema_keys`` — on a lake, and on a DuckDB file too (where a key's ART index would be
rewritten at every commit: :mod:`warehouse.keyless`) — whose equivalent guarantees are:

- writes are keyed ``MERGE INTO`` statements (they run on both backends), so one writer never
  adds a second row for a key;
- writers on several machines split the key space: a load writes the rows of its own outlets
  (pages and articles are keyed by URL, crawl runs by run and outlet), so two loads of different
  outlets never write the same key; DuckLake's optimistic concurrency (a retried commit, or an
  error when two transactions delete from the same data file) settles the rest, and
  :func:`duplicate_keys` checks a lake against the recorded keys (tests,
  ``pantau migrate-warehouse``).
"""

from __future__ import annotations

import importlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb

from core.errors import PantauError
from core.settings import LakeConfig

log = logging.getLogger(__name__)

#: The name the lake is attached under (and made the default catalog).
ALIAS = "lake"
KEYS_TABLE = "schema_keys"

#: extension -> the PyPI package (module) that ships it for this duckdb version
EXTENSIONS = {
    "ducklake": "duckdb_extension_ducklake",
    "sqlite_scanner": "duckdb_extension_sqlite_scanner",
    "postgres_scanner": "duckdb_extension_postgres_scanner",
}
CATALOG_EXTENSION = {"sqlite": "sqlite_scanner", "postgres": "postgres_scanner", "duckdb": None}
#: Commits that lose a race retry this often before the conflict reaches pantau (DuckLake's
#: default is 10): two nightly loads of 20 outlets each commit about once per outlet.
RETRIES = 100


class LakeError(PantauError):
    """The DuckLake warehouse cannot be opened or used as asked."""


def extension_path(name: str) -> Path:
    """The extension file ``name`` from its pinned PyPI package, for this duckdb version."""
    module_name = EXTENSIONS[name]
    package = module_name.replace("_", "-")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        raise LakeError(f"the '{package}' package is not installed (DuckLake needs it); "
                        f"pip install {package}=={duckdb.__version__}") from None
    assert module.__file__ is not None
    path = (Path(module.__file__).parent / "extensions" / f"v{duckdb.__version__}"
            / f"{name}.duckdb_extension")
    if not path.exists():
        raise LakeError(f"{path}: no {name} extension for duckdb {duckdb.__version__}; install "
                        f"{package}=={duckdb.__version__} (it must match duckdb's version)")
    return path


def load_extensions(con: duckdb.DuckDBPyConnection, lake: LakeConfig) -> None:
    """LOAD ducklake and the catalog database's extension from their package files."""
    con.execute("SET autoinstall_known_extensions = false")
    for name in ("ducklake", CATALOG_EXTENSION[lake.kind]):
        if name:
            con.execute(f"LOAD '{extension_path(name)}'")


@dataclass(frozen=True)
class Snapshot:
    """An earlier state of the lake to read: a snapshot id, or the one current at a time."""

    version: int | None = None
    time: str | None = None

    @classmethod
    def parse(cls, text: str) -> Snapshot:
        """``42`` (a snapshot id) or an ISO date-time (``2026-11-20T02:00:00+07:00``)."""
        text = text.strip()
        if re.fullmatch(r"\d+", text):
            return cls(version=int(text))
        from datetime import datetime

        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise LakeError(f"--at {text!r}: give a snapshot id (e.g. 42) or an ISO date-time "
                            "(e.g. 2026-11-20T02:00:00+07:00); 'pantau sql' lists them with "
                            "\"SELECT * FROM lake.snapshots()\"") from None
        if moment.tzinfo is None:
            raise LakeError(f"--at {text!r}: give the time zone offset, e.g. {text}+07:00")
        return cls(time=moment.isoformat())


def catalog_exists(lake: LakeConfig) -> bool:
    """Whether the lake has been created: its catalog file is there, or (PostgreSQL) the
    database holds a DuckLake catalog."""
    kind, _, target = lake.catalog.partition(":")
    if kind != "postgres":
        return Path(target).exists()
    con = duckdb.connect(":memory:")
    try:
        attach(con, lake, read_only=True)
        return True
    except LakeError as exc:
        if "does not exist" in str(exc):
            return False
        raise
    finally:
        con.close()


def attach(con: duckdb.DuckDBPyConnection, lake: LakeConfig, read_only: bool = False,
           at: Snapshot | None = None) -> None:
    """Attach the lake to ``con`` as :data:`ALIAS` and make it the default catalog."""
    load_extensions(con, lake)
    kind, _, target = lake.catalog.partition(":")
    uri = f"ducklake:{target}" if kind == "duckdb" else f"ducklake:{lake.catalog}"
    if "://" not in lake.data_path and not read_only:
        Path(lake.data_path).mkdir(parents=True, exist_ok=True)
    if kind != "postgres" and not read_only:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite" and not read_only:
        _sqlite_wal(Path(target))
    options = [f"DATA_PATH {_literal(lake.data_path)}"]
    if read_only:
        options.append("READ_ONLY")
    if at is not None and at.version is not None:
        options.append(f"SNAPSHOT_VERSION {int(at.version)}")
    elif at is not None and at.time is not None:
        options.append(f"SNAPSHOT_TIME {_literal(at.time)}")
    try:
        con.execute(f"ATTACH {_literal(uri)} AS {ALIAS} ({', '.join(options)})")
    except duckdb.Error as exc:
        raise LakeError(f"cannot open the DuckLake {lake.catalog} (data {lake.data_path}): "
                        f"{str(exc).strip().splitlines()[0]}") from None
    con.execute(f"USE {ALIAS}")
    con.execute(f"SET ducklake_max_retry_count = {RETRIES}")


T = TypeVar("T")


def is_conflict(exc: BaseException) -> bool:
    """Whether a failed commit lost a race on a lake (DuckLake's own retries could not settle
    it, e.g. two loads deleting from the same data file, or a SQLite catalog busy with another
    commit): doing it again succeeds."""
    text = str(exc).lower()
    # a SQLite catalog answers a commit while another commits with "database is locked"
    return isinstance(exc, duckdb.TransactionException) and (
        "conflict" in text or "database is locked" in text)


def retry_conflicts(write: Callable[[], T], attempts: int = 8, wait: float = 0.2) -> T:
    """``write()`` (one whole transaction), again while it loses commit races on a lake.

    The transaction is rolled back before it is retried, and pantau's writes look before they
    write (loaded outlets are skipped, rows are merged by key), so a retry never doubles rows.
    """
    for attempt in range(1, attempts + 1):
        try:
            return write()
        except duckdb.TransactionException as exc:
            if not is_conflict(exc) or attempt == attempts:
                raise
            log.info("warehouse: commit conflicted with another writer (%s); retry %d of %d",
                     str(exc).splitlines()[0], attempt, attempts - 1)
            time.sleep(wait * attempt)
    raise AssertionError("unreachable")


def _sqlite_wal(path: Path, patience: float = 30.0) -> None:
    """Put a SQLite catalog in write-ahead-log mode (it stays so): readers then go on reading
    while a load commits, instead of waiting for SQLite's lock.

    Switching needs SQLite's exclusive lock, and SQLite answers "database is locked" at once,
    without its busy timeout, while another connection writes (e.g. a second writer opening a
    new lake migrates it): so the switch is tried again for up to ``patience`` seconds. A
    catalog already in WAL mode is left alone without taking any lock."""
    import sqlite3

    deadline = time.monotonic() + patience
    while not _sqlite_is_wal(path):
        con = sqlite3.connect(path, timeout=patience)
        try:
            con.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise LakeError(f"cannot put the SQLite catalog {path} in WAL mode: {exc} "
                                "(another process holds it: wait for it, or stop it)") from None
        finally:
            con.close()
        time.sleep(0.1)


def _sqlite_is_wal(path: Path) -> bool:
    """Whether the SQLite file's header says WAL mode (its read and write versions are 2)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(20)
    except FileNotFoundError:
        return False
    return header[:16] == b"SQLite format 3\x00" and header[18:20] == b"\x02\x02"


def is_lake(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``con`` works on a DuckLake (attached by :func:`attach`)."""
    row = con.execute("SELECT current_database()").fetchone()
    return bool(row and row[0] == ALIAS)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# -- keys: what DuckLake lacks, and its equivalent -------------------------------------------

_CREATE_TABLE = re.compile(r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s*\((.*)\)\s*$",
                           re.IGNORECASE | re.DOTALL)
_TABLE_KEY = re.compile(r"^\s*(PRIMARY\s+KEY|UNIQUE)\s*\(([^)]*)\)\s*$", re.IGNORECASE)
_COLUMN_KEY = re.compile(r"\s+(PRIMARY\s+KEY|UNIQUE)\b", re.IGNORECASE)
_UNSUPPORTED = re.compile(r"^\s*CREATE\s+(UNIQUE\s+)?INDEX\b|^\s*CREATE\s+SEQUENCE\b|"
                          r"\bCHECK\s*\(|\bREFERENCES\b|\bnextval\s*\(", re.IGNORECASE)


@dataclass(frozen=True)
class Key:
    table: str
    columns: tuple[str, ...]
    kind: str  # "primary key" | "unique"


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


def _split_top_level(body: str) -> list[str]:
    """The comma-separated items of a CREATE TABLE body (commas inside brackets kept)."""
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for char in body:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [item for item in items if item.strip()]


def lake_ddl(sql: str) -> tuple[str, list[Key]]:
    """A migration's SQL as pantau runs it (on a lake and on a DuckDB file), and the keys taken
    out of it.

    Primary keys and unique constraints (column or table level) are removed and returned;
    anything else DuckLake cannot hold (indexes, sequences, CHECK, foreign keys) is refused with
    the statement named, so a new migration gets an equivalent instead of failing on a lake.
    """
    statements, keys = [], []
    for statement in _strip_comments(sql).split(";"):
        if not statement.strip():
            continue
        if _UNSUPPORTED.search(statement):
            raise LakeError("a migration uses what DuckLake lacks (index, sequence, CHECK or "
                            f"foreign key): {' '.join(statement.split())[:120]} — give it an "
                            "equivalent in warehouse/lake.py")
        match = _CREATE_TABLE.match(statement.strip())
        if not match:
            statements.append(statement.strip())
            continue
        table, body = match.group(1), match.group(2)
        columns = []
        for item in _split_top_level(body):
            table_key = _TABLE_KEY.match(item)
            if table_key:
                names = tuple(c.strip() for c in table_key.group(2).split(","))
                keys.append(Key(table, names, _kind(table_key.group(1))))
                continue
            column_key = _COLUMN_KEY.search(item)
            if column_key:
                keys.append(Key(table, (item.split()[0],), _kind(column_key.group(1))))
                item = _COLUMN_KEY.sub("", item)
                if column_key.group(1).upper().startswith("PRIMARY") and \
                        "NOT NULL" not in item.upper():
                    item = item.rstrip() + " NOT NULL"  # a primary key is never NULL
            columns.append(item.strip())
        statements.append(f"CREATE TABLE {table} (\n    " + ",\n    ".join(columns) + "\n)")
    return ";\n".join(statements) + ";\n", keys


def _kind(word: str) -> str:
    return "primary key" if word.upper().startswith("PRIMARY") else "unique"


def record_keys(con: duckdb.DuckDBPyConnection, keys: list[Key]) -> None:
    """Remember the keys a migration declared (inside the migration's transaction)."""
    con.execute(f"CREATE TABLE IF NOT EXISTS {KEYS_TABLE} (table_name VARCHAR NOT NULL, "
                "columns VARCHAR[] NOT NULL, kind VARCHAR NOT NULL)")
    for key in keys:
        con.execute(f"INSERT INTO {KEYS_TABLE} VALUES (?, ?, ?)",
                    [key.table, list(key.columns), key.kind])


def declared_keys(con: duckdb.DuckDBPyConnection) -> list[Key]:
    exists = con.execute("SELECT count(*) FROM information_schema.tables "
                         "WHERE table_name = ? AND table_catalog = current_database()",
                         [KEYS_TABLE]).fetchone()
    if not exists or not exists[0]:
        return []
    return [Key(t, tuple(c), k) for t, c, k in
            con.execute(f"SELECT table_name, columns, kind FROM {KEYS_TABLE} ORDER BY ALL")
            .fetchall()]


def duplicate_keys(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """``{"table(columns)": rows beyond the first per key}`` for every recorded key that is
    violated; empty when the lake keeps all of them."""
    found = {}
    for key in declared_keys(con):
        cols = ", ".join(key.columns)
        row = con.execute(f"SELECT count(*) - count(DISTINCT ({cols})) FROM {key.table} "
                          f"WHERE {' AND '.join(c + ' IS NOT NULL' for c in key.columns)}"
                          ).fetchone()
        if row and row[0]:
            found[f"{key.table}({cols})"] = int(row[0])
    return found
