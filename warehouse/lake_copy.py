"""Moving a DuckDB warehouse file into a DuckLake (``pantau migrate-warehouse``).

The file is brought up to the current schema first (it may come from an older pantau), then
every table of the lake's schema is copied in one transaction, column by column by name, and
checked: the same number of rows in each table, and no key of ``schema_keys`` repeated. The file
is only read; it stays as it was, so going back is pointing ``PANTAU_WAREHOUSE`` at it again.
The full-text index is not copied (a lake has none; search reads the text there).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from core.settings import LakeConfig
from warehouse.db import (
    WarehouseError,
    connect_file,
    connect_lake,
    migrate,
    migrate_lake,
    transaction,
)
from warehouse.lake import KEYS_TABLE, duplicate_keys

log = logging.getLogger(__name__)

SKIPPED = ("schema_migrations", KEYS_TABLE)  # the lake keeps its own
SOURCE = "pantau_file"


@dataclass
class CopyReport:
    """Rows copied per table, and the lake snapshot that holds them."""

    rows: dict[str, int] = field(default_factory=dict)
    snapshot: int | None = None

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def copy_into_lake(source: Path, lake: LakeConfig,
                   progress: Callable[[str, int], None] | None = None) -> CopyReport:
    """Copy the DuckDB warehouse ``source`` into the (empty) DuckLake ``lake``."""
    source = Path(source)
    if not source.exists():
        raise WarehouseError(f"{source}: no DuckDB warehouse file here to move into the lake")
    upgrade = connect_file(source, read_only=False)
    try:
        migrate(upgrade)  # the lake gets the current schema: so must the file
    finally:
        upgrade.close()
    con = connect_lake(lake, read_only=False)
    try:
        migrate_lake(con)
        con.execute(f"ATTACH '{_quote(str(source))}' AS {SOURCE} (READ_ONLY)")
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = "
            "current_database() AND table_schema = 'main' AND table_type = 'BASE TABLE' "
            "ORDER BY table_name").fetchall() if t not in SKIPPED]
        busy = [t for t in tables if _count(con, t)]
        if busy:
            raise WarehouseError(
                f"the lake {lake.catalog} already holds rows ({', '.join(busy)}); "
                "migrate-warehouse fills an empty lake only (give PANTAU_WAREHOUSE a new "
                "catalog, or keep loading into this one)")
        report = CopyReport()
        with transaction(con):
            for table in tables:
                columns = [c for (c,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_catalog = "
                    f"'{SOURCE}' AND table_schema = 'main' AND table_name = ? "
                    "ORDER BY ordinal_position", [table]).fetchall()]
                if not columns:
                    continue
                names = ", ".join(f'"{c}"' for c in columns)
                con.execute(f"INSERT INTO {table} ({names}) "
                            f"SELECT {names} FROM {SOURCE}.main.{table}")
                report.rows[table] = _count(con, table)
                if progress:
                    progress(table, report.rows[table])
        for table, copied in report.rows.items():
            expected = _count(con, f"{SOURCE}.main.{table}")
            if copied != expected:
                raise WarehouseError(f"{table}: {copied} rows in the lake, {expected} in "
                                     f"{source}")
        repeated = duplicate_keys(con)
        if repeated:
            raise WarehouseError(f"keys repeated in the lake after the copy: {repeated}")
        row = con.execute("SELECT max(snapshot_id) FROM lake.snapshots()").fetchone()
        report.snapshot = int(row[0]) if row and row[0] is not None else None
        log.info("migrate-warehouse: %d rows of %d tables from %s into %s (snapshot %s)",
                 report.total, len(report.rows), source, lake.catalog, report.snapshot)
        return report
    finally:
        con.close()


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def _quote(text: str) -> str:
    return text.replace("'", "''")
