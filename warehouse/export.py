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
    monthly: bool = False,
) -> int:
    """Write the (filtered) articles to ``out``; returns the number of rows written.

    ``query`` (a parsed query, :func:`query.parse_query`) keeps only the articles it
    matches, exactly as ``pantau search`` would find them. ``monthly``: ``out`` is a folder of
    Hive partitions by publication month (UTC; first seen when undated),
    ``out/year=2026/month=11/data_0.parquet``, Parquet only; re-exporting replaces them.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (use one of: {', '.join(FORMATS)})")
    if monthly and fmt != "parquet":
        raise ValueError(f"monthly partitions are written as Parquet, not {fmt}; use "
                         "--format parquet (or leave out --monthly)")
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
    options = FORMATS[fmt]
    if monthly:
        moment = "coalesce(published_at, first_seen_at) AT TIME ZONE 'UTC'"
        select = (f"SELECT {COLUMNS}, year({moment}) AS year, month({moment}) AS month "
                  f"FROM articles {clause} ORDER BY published_at, id")
        options += ", PARTITION_BY (year, month), OVERWRITE_OR_IGNORE true"
    con.execute(f"COPY ({select}) TO '{escaped}' ({options})", params)
    log.info("exported %d articles to %s (%s)", count, out, fmt)
    return count


# table -> the timestamp column that places a row in a window (and in a month)
TABLES = {
    "articles": "last_seen_at",
    "article_versions": "first_seen_at",
    "crawl_runs": "loaded_at",
}


def export_tables(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    start: datetime | None = None,
    end: datetime | None = None,
    monthly: bool = False,
) -> dict[str, int]:
    """Copy the rows of ``[start, end)`` of each table in :data:`TABLES` to Parquet; rows per
    table are returned (a table the warehouse lacks is skipped with a warning).

    One file per table, ``folder/<table>.parquet``; or, ``monthly``, Hive partitions by the
    table's time column, ``folder/<table>/year=2026/month=11/data_0.parquet`` (re-exporting
    replaces them). DuckDB's COPY streams: memory does not grow with the rows.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()}
    counts: dict[str, int] = {}
    for table, column in TABLES.items():
        if table not in tables:
            log.warning("export: no table %s in the warehouse, skipped", table)
            continue
        where, params = [], {}
        if start is not None:
            where.append(f"{column} >= $start")
            params["start"] = start
        if end is not None:
            where.append(f"{column} < $end")
            params["end"] = end
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        if monthly:
            target = folder / table
            query = (f"SELECT *, year({column} AT TIME ZONE 'UTC') AS year, "
                     f"month({column} AT TIME ZONE 'UTC') AS month FROM {table} {clause} "
                     f"ORDER BY {column}")
            options = ("FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month), "
                       "OVERWRITE_OR_IGNORE true")
        else:
            target = folder / f"{table}.parquet"
            query = f"SELECT * FROM {table} {clause} ORDER BY {column}"
            options = "FORMAT parquet, COMPRESSION zstd"
        escaped = str(target).replace("'", "''")
        found = con.execute(f"SELECT count(*) FROM {table} {clause}", params).fetchone()
        counts[table] = int(found[0]) if found else 0
        con.execute(f"COPY ({query}) TO '{escaped}' ({options})", params)
    log.info("exported %s to %s", ", ".join(f"{t}: {n} rows" for t, n in counts.items()), folder)
    return counts
