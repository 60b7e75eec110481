"""The warehouse's side of the raw archive: which runs are loaded, and the ``archive`` columns
that name the staging file holding each raw page (moved when compaction folds runs into weeks,
see :mod:`staging.compaction`)."""

from __future__ import annotations

from pathlib import Path

from staging import run_dir_name
from warehouse.db import connect_reader, connect_writer, transaction, warehouse_exists

#: Warehouse tables whose ``archive`` column names the staging file holding a raw page.
ARCHIVE_COLUMNS = ("pages", "articles", "article_versions")


def loaded_outlets(db: Path) -> dict[str, set[str]]:
    """Run folder name -> outlets with a ``crawl_runs`` row (read-only, no write lock)."""
    if not warehouse_exists(db):
        return {}
    con = connect_reader(db)
    try:
        rows = con.execute("SELECT run_id, source FROM crawl_runs").fetchall()
    finally:
        con.close()
    loaded: dict[str, set[str]] = {}
    for run_id, source in rows:
        loaded.setdefault(run_dir_name(run_id), set()).add(source)
    return loaded


def _archive_values() -> str:
    return " UNION ".join(f"SELECT DISTINCT archive FROM {t} WHERE archive IS NOT NULL"
                          for t in ARCHIVE_COLUMNS)


def move_archive_paths(db: Path, targets: dict[tuple[str, str], str]) -> int:
    """In ONE transaction, every warehouse path naming a compacted run's file names its week
    archive instead. Matched by ``<run folder>/<file>`` (the keys of ``targets``), so paths
    written with another spelling of the staging folder (relative, absolute) move too. Rows
    changed are returned."""
    con = connect_writer(db)
    changed = 0
    try:
        with transaction(con):
            pairs = []
            for (value,) in con.execute(_archive_values()).fetchall():
                path = Path(value)
                new = targets.get((path.parent.name, path.name))
                if new is not None and new != value:
                    pairs.append((value, new))
            if pairs:
                con.execute("CREATE OR REPLACE TEMP TABLE archive_moves "
                            "(old VARCHAR PRIMARY KEY, new VARCHAR NOT NULL)")
                con.executemany("INSERT INTO archive_moves VALUES (?, ?)", pairs)
                for table in ARCHIVE_COLUMNS:
                    row = con.execute(f"UPDATE {table} AS t SET archive = m.new "
                                      "FROM archive_moves m WHERE t.archive = m.old").fetchone()
                    changed += int(row[0]) if row else 0
                con.execute("DROP TABLE archive_moves")
    finally:
        con.close()
    return changed


def missing_archives(db: Path) -> list[str]:
    """Warehouse archive paths that name no existing file (should always be empty)."""
    if not warehouse_exists(db):
        return []
    con = connect_reader(db)
    try:
        values = [r[0] for r in con.execute(_archive_values()).fetchall()]
    finally:
        con.close()
    return sorted(v for v in values if not Path(v).is_file())


class WarehouseCatalog:
    """The warehouse at ``db`` as compaction's :class:`staging.compaction.ArchiveCatalog`."""

    def __init__(self, db: Path) -> None:
        self.db = Path(db)

    def loaded_outlets(self) -> dict[str, set[str]]:
        return loaded_outlets(self.db)

    def move_archive_paths(self, targets: dict[tuple[str, str], str]) -> int:
        return move_archive_paths(self.db, targets)
