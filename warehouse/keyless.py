"""Taking the key constraints out of an existing DuckDB warehouse (migration 0013).

DuckDB keeps a PRIMARY KEY or UNIQUE constraint as an ART index, held in memory outside what it
can spill and rewritten in full at every checkpoint, i.e. at every nightly commit: at a million
articles the keys alone made a night of 5,000 articles cost 126 s and 2.3 GiB (issue 16). A
plain ``CREATE INDEX`` is the same ART and costs the same at checkpoint, so the night's lookups
(the batch joined to ``articles`` by id or canonical URL) go without one: hash joins over one
column. One plain index stays, on ``articles(id)``, for search (:data:`SEARCH_INDEX`).

Uniqueness holds as on a DuckLake (:mod:`warehouse.lake`): the load is the only writer of a
DuckDB file, its writes are keyed ``MERGE INTO`` / ``INSERT … WHERE NOT EXISTS`` statements,
and the keys the migrations declare are recorded in ``schema_keys``, against which
:func:`warehouse.lake.duplicate_keys` checks a warehouse.

DuckDB cannot drop a constraint in place (``ALTER TABLE … DROP CONSTRAINT``), so each keyed table
is rebuilt: a copy without the keys (same columns, types, NOT NULL and defaults), its rows, the
old table dropped and the copy renamed; views read tables by name and see the copy. The
migration's transaction holds it all: an interrupted upgrade leaves the keyed tables as they were.
"""

from __future__ import annotations

import logging

import duckdb

from warehouse.lake import Key, declared_keys, record_keys

log = logging.getLogger(__name__)

_SUFFIX = "__keyless"
#: The one index kept: search reads its ten best articles' rows by id (``a.id IN (…)``, see
#: warehouse/search.py), which without an index scans every article's id (257 ms against 41 ms
#: per search at 100,000 articles); its checkpoint costs the night well under a second at 1M.
SEARCH_INDEX = "articles_id_lookup"


def keyed_tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[Key]]:
    """``{table: keys}`` for every table of the warehouse's main schema with a PRIMARY KEY or
    UNIQUE constraint (none on a DuckLake, nor on a warehouse made keyless)."""
    found: dict[str, list[Key]] = {}
    for table, kind, columns in con.execute(
        "SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints() "
        "WHERE database_name = current_database() AND schema_name = 'main' "
        "AND constraint_type IN ('PRIMARY KEY', 'UNIQUE') ORDER BY table_name, constraint_index"
    ).fetchall():
        found.setdefault(table, []).append(
            Key(table, tuple(columns), "primary key" if kind == "PRIMARY KEY" else "unique"))
    return found


def _create_without_keys(con: duckdb.DuckDBPyConnection, table: str, keys: list[Key]) -> str:
    never_null = {c for key in keys if key.kind == "primary key" for c in key.columns}
    columns = []
    for name, data_type, nullable, default in con.execute(
        "SELECT column_name, data_type, is_nullable, column_default FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ? "
        "ORDER BY column_index", [table]
    ).fetchall():
        column = f'"{name}" {data_type}'
        if not nullable or name in never_null:
            column += " NOT NULL"
        if default is not None:
            column += f" DEFAULT {default}"
        columns.append(column)
    return f'CREATE TABLE "{table}{_SUFFIX}" ({", ".join(columns)})'


def drop_key_constraints(con: duckdb.DuckDBPyConnection) -> list[Key]:
    """Rebuild every keyed table without its keys and record the keys in ``schema_keys``;
    return the keys taken out. The caller holds the transaction."""
    tables = keyed_tables(con)
    known = {(k.table, k.columns) for k in declared_keys(con)}
    new = [k for keys in tables.values() for k in keys if (k.table, k.columns) not in known]
    record_keys(con, new)  # creates schema_keys even when there is nothing to record
    for table, keys in tables.items():
        con.execute(_create_without_keys(con, table, keys))
        con.execute(f'INSERT INTO "{table}{_SUFFIX}" SELECT * FROM "{table}"')
        con.execute(f'DROP TABLE "{table}"')
        con.execute(f'ALTER TABLE "{table}{_SUFFIX}" RENAME TO "{table}"')
        log.info("warehouse: %s rebuilt without its keys (%s)", table,
                 "; ".join(f"{k.kind} ({', '.join(k.columns)})" for k in keys))
    from warehouse.lake import is_lake

    if not is_lake(con):  # a lake has no indexes; its search reads the Parquet files
        con.execute(f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON articles (id)")
    return [k for keys in tables.values() for k in keys]
