"""Keyless tables (issue 16): no PRIMARY KEY / UNIQUE on a DuckDB warehouse either, the keys
recorded in ``schema_keys`` and kept by the load's keyed writes (checked by duplicate_keys)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.warehouse.keys import assert_a_duplicate_is_found
from tests.warehouse.staged import PARAS, SOURCE, article_html, page, stage
from warehouse import db as wdb
from warehouse import migrate as wmig
from warehouse.keyless import keyed_tables
from warehouse.lake import declared_keys, duplicate_keys
from warehouse.loader import load_run

KEYS = {("articles", ("id",)), ("articles", ("canonical_url",)), ("pages", ("url",)),
        ("alert_scans", ("article_id",)), ("article_signatures", ("article_id",)),
        ("article_versions", ("article_id", "version")), ("crawl_runs", ("run_id", "source")),
        ("schema_migrations", ("version",))}


def _keys(con: duckdb.DuckDBPyConnection) -> set[tuple[str, tuple[str, ...]]]:
    return {(k.table, k.columns) for k in declared_keys(con)}


def test_fresh_warehouse_has_no_key_constraints(tmp_path: Path) -> None:
    con = wdb.connect_writer(tmp_path / "w.duckdb")
    try:
        assert keyed_tables(con) == {}
        assert con.execute("SELECT table_name, expressions FROM duckdb_indexes()").fetchall() \
            == [("articles", "[id]")]  # search's lookup by id, nothing else
        assert _keys(con) >= KEYS
        assert len(declared_keys(con)) == len(_keys(con))  # each key recorded once
        assert duplicate_keys(con) == {}
        assert_a_duplicate_is_found(con)
    finally:
        con.close()


def old_keyed_warehouse(path: Path) -> None:
    """A warehouse as pantau wrote it before migration 0013: migrations run as written."""
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                "name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)")
    for migration in wmig.migrations():
        if migration.version >= 13:
            break
        con.execute(migration.path.read_text("utf-8"))
        con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())",
                    [migration.version, migration.name])
    con.execute("INSERT INTO sources VALUES ('contoh', 'https://contoh.id/', 'h', 'id', "
                "'Asia/Jakarta', '{}', now())")
    con.close()


def test_keyed_warehouse_is_rebuilt_without_keys(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    old_keyed_warehouse(path)
    raw = duckdb.connect(str(path))
    before = keyed_tables(raw)
    raw.close()
    assert {"articles", "pages", "alert_scans", "article_signatures"} <= set(before)

    con = wdb.connect_writer(path)
    try:
        assert keyed_tables(con) == {}
        assert _keys(con) >= KEYS
        assert {(k.table, k.columns) for ks in before.values() for k in ks} == _keys(con)
        assert con.execute("SELECT table_name FROM duckdb_indexes()").fetchall() == \
            [("articles",)]
        assert con.execute("SELECT name, url FROM sources").fetchall() == \
            [("contoh", "https://contoh.id/")]  # rows kept
        con.execute("SELECT count(*) FROM latest_articles").fetchall()  # views still read
        nullable = con.execute("SELECT is_nullable FROM duckdb_columns() WHERE "
                               "table_name = 'articles' AND column_name = 'id'").fetchone()
        assert nullable == (False,)  # a primary key column stays NOT NULL
        assert wdb.migrate(con) == 0
    finally:
        con.close()


def test_a_migration_that_fails_leaves_the_keys(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    old_keyed_warehouse(path)
    con = duckdb.connect(str(path))
    con.execute("BEGIN")
    from warehouse.keyless import drop_key_constraints

    drop_key_constraints(con)
    con.execute("ROLLBACK")
    assert "articles" in keyed_tables(con)
    con.close()


def test_the_same_pages_loaded_again_never_repeat_a_key(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    pages = [page(f"https://contoh.id/berita/{i}", article_html(f"Judul {i}", PARAS),
                  "2026-11-20T19:00:30+00:00") for i in range(3)]
    stage(staging, "r1", pages)
    stage(staging, "r2", pages)  # the same fetches again, in another run
    path = tmp_path / "old.duckdb"
    old_keyed_warehouse(path)  # an upgraded warehouse, as most will be
    con = wdb.connect_writer(path)
    try:
        load_run(con, staging, "r1", [SOURCE], workers=1)
        again = load_run(con, staging, "r1", [SOURCE], workers=1)
        assert again.outlets == []
        load_run(con, staging, "r2", [SOURCE], workers=1)
        assert duplicate_keys(con) == {}
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (3,)
        assert con.execute("SELECT count(*) FROM pages").fetchone() == (3,)
    finally:
        con.close()
