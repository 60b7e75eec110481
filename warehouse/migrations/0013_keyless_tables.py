"""Take PRIMARY KEY / UNIQUE out of an existing DuckDB warehouse (issue 16): the keys become
records in ``schema_keys``, as on a DuckLake. See :mod:`warehouse.keyless`."""

from __future__ import annotations

import duckdb

from warehouse.keyless import drop_key_constraints


def apply(con: duckdb.DuckDBPyConnection) -> None:
    drop_key_constraints(con)
