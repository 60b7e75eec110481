"""A check for the tests of keyless tables: ``duplicate_keys`` really finds a duplicate."""

from __future__ import annotations

import duckdb

from warehouse.lake import duplicate_keys


def assert_a_duplicate_is_found(con: duckdb.DuckDBPyConnection) -> None:
    """Add a second ``sources`` row for one name; ``duplicate_keys`` must report it."""
    con.execute("INSERT INTO sources VALUES ('a', 'u', 'h', 'id', 'tz', '{}', now()), "
                "('a', 'v', 'h', 'id', 'tz', '{}', now())")
    assert duplicate_keys(con) == {"sources(name)": 1}  # the check is real
