"""Point lookups of a night's rows by id, answered from the index on ``articles(id)``.

A join, or ``IN (SELECT …)``, makes DuckDB scan the whole table, and the scan reads every
projected column of every row before the join keeps the few it wants: at a million articles,
reading the text of the whole history to get the 500 articles a night changed takes about a
second per statement. A constant list, ``id IN ('…', '…')``, is pushed into the scan instead,
and DuckDB answers it from the ART index on ``articles(id)`` when fewer than
``index_scan_max_count`` rows match (the writer and readers set it to :data:`LOOKUP_MAX`):
5,000 rows of a million are read in well under half a second, and the cost follows the night.

The id list is built from ids the warehouse itself made (SHA-1 hex), but every value is quoted
as an SQL string literal all the same. Tables without an index (or a DuckLake) answer the same
list with a plain scan: the lookup is never wrong, only faster where it can be.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

#: Lists up to this long are answered from the index (``SET index_scan_max_count``); a longer
#: one (a back-load, a rescan) falls back to DuckDB's scan, which at that size costs the same.
LOOKUP_MAX = 20_000


def quoted(value: str) -> str:
    """``value`` as an SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def in_list(column: str, ids: Iterable[str]) -> str:
    """``column IN ('a', 'b', …)`` for the distinct ``ids`` (``FALSE`` when there are none)."""
    values = sorted(set(ids))
    if not values:
        return "FALSE"
    return f"{column} IN ({', '.join(quoted(v) for v in values)})"


def id_filter(con: duckdb.DuckDBPyConnection, column: str, table: str) -> str:
    """``column`` restricted to the ids in the one-column (temp) ``table``: a constant list
    (:func:`in_list`) when there are at most :data:`LOOKUP_MAX` of them, as in a night; a
    semi-join otherwise (a reprocess of the whole archive), where a list would only be long."""
    ids = [r[0] for r in con.execute(f"SELECT * FROM {table} LIMIT {LOOKUP_MAX + 1}").fetchall()]
    if len(ids) <= LOOKUP_MAX:
        return in_list(column, ids)
    return f"{column} IN (SELECT * FROM {table})"
