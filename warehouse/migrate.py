"""Schema migrations: the ordered ``migrations/NNNN_name.sql`` (or ``.py``) files next to this
module, each applied once inside a transaction and recorded in ``schema_migrations`` (see
:mod:`warehouse.db` for how opening a warehouse runs them)."""

from __future__ import annotations

import importlib.util
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from warehouse.errors import WarehouseError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_MIGRATION_RE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.(sql|py)$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path


def migrations() -> list[Migration]:
    """The known migrations, in order."""
    found = []
    for path in sorted([*MIGRATIONS_DIR.glob("*.sql"), *MIGRATIONS_DIR.glob("*.py")]):
        match = _MIGRATION_RE.match(path.name)
        if not match:
            raise WarehouseError(f"{path}: migration files must be named NNNN_name.sql "
                                 "(or NNNN_name.py)")
        found.append(Migration(int(match.group(1)), match.group(2), path))
    return found


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest applied migration, 0 for an empty database."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    """Versions recorded in ``schema_migrations`` (empty for a new database)."""
    if schema_version(con) == 0:
        return set()
    return {int(r[0]) for r in con.execute("SELECT version FROM schema_migrations").fetchall()}


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every known migration not yet recorded, in order; return how many were applied.

    Set-based rather than "everything above the highest", so a migration number that was
    reserved and lands later is still applied to warehouses that already have later ones.
    """
    known = migrations()
    latest = known[-1].version if known else 0
    current = schema_version(con)
    if current > latest:
        raise WarehouseError(
            f"this warehouse has schema version {current}, newer than this pantau knows "
            f"({latest}); upgrade pantau to open it"
        )
    done = applied_versions(con)
    applied = 0
    from warehouse import lake

    for migration in known:
        if migration.version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            if not applied_versions(con):
                lake.record_keys(con, [lake.Key("schema_migrations", ("version",),
                                                "primary key")])
            con.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL, "
                "name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
            )
            if migration.path.suffix == ".py":
                _python_migration(migration).apply(con)
            else:
                sql, keys = lake.lake_ddl(migration.path.read_text(encoding="utf-8"))
                lake.record_keys(con, keys)
                con.execute(sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                [migration.version, migration.name, datetime.now(UTC)],
            )
        except Exception:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")  # a failed commit has ended the transaction: nothing to roll back
        log.info("warehouse: applied migration %04d_%s", migration.version, migration.name)
        applied += 1
    return applied


def _python_migration(migration: Migration) -> Any:
    """The module of a ``NNNN_name.py`` migration (its ``apply(con)`` runs in the transaction)."""
    spec = importlib.util.spec_from_file_location(
        f"warehouse.migrations.m{migration.version:04d}_{migration.name}", migration.path)
    if spec is None or spec.loader is None:
        raise WarehouseError(f"{migration.path}: cannot load this migration")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not callable(getattr(module, "apply", None)):
        raise WarehouseError(f"{migration.path}: a Python migration defines apply(con)")
    return module
