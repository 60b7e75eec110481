"""Export articles to Parquet, CSV or JSON Lines with DuckDB's COPY (streamed, no Python rows)."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import duckdb

from query import Node, compile_sql
from warehouse import schema
from warehouse.filters import article_filters
from warehouse.fts import has_index

log = logging.getLogger(__name__)

FORMATS = {"parquet": "FORMAT parquet, COMPRESSION zstd", "csv": "FORMAT csv, HEADER true",
           "jsonl": "FORMAT json"}
COLUMNS = ", ".join(schema.exported())  # warehouse/schema.py


def export_articles(
    con: duckdb.DuckDBPyConnection,
    out: Path,
    fmt: str,
    sources: list[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    query: Node | None = None,
    sections: list[str] | None = None,
    language: str | None = None,
) -> int:
    """Write the (filtered) articles to ``out``; returns the number of rows written.

    ``query`` (a parsed query, :func:`query.parse_query`) keeps only the articles it
    matches, exactly as ``pantau search`` would find them.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (use one of: {', '.join(FORMATS)})")
    where, params = article_filters(sources, since, until, sections, language)
    if query is not None:
        predicate = compile_sql(query, "a", indexed=has_index(con))
        predicate.prepare(con)
        ids, id_params = predicate.ids_query()
        where.append(f"id IN ({ids})")
        params += id_params
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    select = f"SELECT {COLUMNS} FROM articles {clause} ORDER BY published_at, id"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    row = con.execute(f"SELECT count(*) FROM ({select})", params).fetchone()
    count = int(row[0]) if row else 0
    escaped = str(out).replace("'", "''")
    con.execute(f"COPY ({select}) TO '{escaped}' ({FORMATS[fmt]})", params)
    log.info("exported %d articles to %s (%s)", count, out, fmt)
    return count
