"""The warehouse's size on disk, per million articles, and keeping it compact.

DuckDB keeps one database file plus a write-ahead log (``<db>.wal``). ``CHECKPOINT`` folds the
WAL into the file and reclaims the blocks of deleted and superseded rows for reuse (DuckDB's
``VACUUM`` reclaims nothing; see "Reclaiming Space" in the DuckDB manual), so the weekly
maintenance checkpoints and reports the size; the file itself only shrinks by copying the
database into a fresh file (``COPY FROM DATABASE``), which the operator does by hand when the
free share grows large (docs/scale-out.md).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import duckdb

from core.disk import folder_bytes

log = logging.getLogger(__name__)


def size_report(con: duckdb.DuckDBPyConnection, db: Path) -> dict[str, Any]:
    """Bytes on disk (file + WAL; a DuckLake's data files), the free share of the file's blocks,
    articles, and bytes per million articles (None while there are none)."""
    from core.settings import lake_config

    db = Path(db)
    lake = lake_config(db)
    if lake is not None:  # a DuckLake: its data files (local ones; object storage says 0)
        file_bytes = folder_bytes(Path(lake.data_path)) if "://" not in lake.data_path else 0
        wal_bytes = 0
    else:
        file_bytes = db.stat().st_size if db.exists() else 0
        wal = db.with_name(db.name + ".wal")
        wal_bytes = wal.stat().st_size if wal.exists() else 0
    row = con.execute("SELECT total_blocks, free_blocks FROM pragma_database_size() "
                      "WHERE database_name = current_database()").fetchone()
    total, free = (int(row[0] or 0), int(row[1] or 0)) if row else (0, 0)
    tags = con.execute("SELECT tags FROM duckdb_databases() "
                       "WHERE database_name = current_database()").fetchone()
    found = con.execute("SELECT count(*) FROM articles").fetchone()
    articles = int(found[0]) if found else 0
    on_disk = file_bytes + wal_bytes
    return {
        "file_bytes": file_bytes,
        "wal_bytes": wal_bytes,
        "free_block_share": round(free / total, 4) if total else 0.0,
        "articles": articles,
        # the file's storage format: "v1.0.0+" is the one DuckDB writes for old readers, whose
        # checkpoints rewrite the whole articles(id) index (docs/scale-out.md, "Storage format")
        "storage_version": (tags[0] or {}).get("storage_version") if tags else None,
        "bytes_per_million_articles": (round(on_disk * 1_000_000 / articles)
                                       if articles else None),
    }


def compact(con: duckdb.DuckDBPyConnection, db: Path) -> dict[str, Any]:
    """Delete the full-text index's retired postings (earlier versions' words, which search
    already skips; :func:`warehouse.fts.compact_index`) and the near-duplicate bands of
    articles' earlier versions (:func:`warehouse.dedup.compact_bands`), then CHECKPOINT (WAL
    into the file, freed blocks reused); the size report before and after, and the postings
    and band rows deleted."""
    from warehouse.db import transaction
    from warehouse.dedup import compact_bands
    from warehouse.fts import compact_index, has_index

    before = size_report(con, db)
    if str(before.get("storage_version") or "").startswith("v1.0"):
        log.warning("%s is in DuckDB's v1.0 storage format, whose every checkpoint rewrites the "
                    "whole articles(id) index: copy it into a new file once (docs/scale-out.md, "
                    "\"Storage format\")", db)
    retired = 0
    with transaction(con):
        if has_index(con):
            retired = compact_index(con)
        bands = compact_bands(con)
    con.execute("CHECKPOINT")
    after = size_report(con, db)
    return {"before": before, "after": after, "retired_postings_deleted": retired,
            "retired_bands_deleted": bands}
