"""Id lookups through the articles(id) index (warehouse/lookups.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.db import connect_writer
from warehouse.lookups import LOOKUP_MAX, in_list


def test_in_list_quotes_every_value_and_is_false_when_empty() -> None:
    assert in_list("id", ["b", "a", "b"]) == "id IN ('a', 'b')"
    assert in_list("a.id", ["it's"]) == "a.id IN ('it''s')"
    assert in_list("id", []) == "FALSE"


def test_a_night_sized_list_is_answered_from_the_index(tmp_path: Path) -> None:
    """The writer lets DuckDB answer lists up to LOOKUP_MAX ids from the articles(id) index
    (its default stops at 2,048), and the rows found are exactly the ones asked for."""
    con = connect_writer(tmp_path / "w.duckdb")
    try:
        setting = con.execute("SELECT current_setting('index_scan_max_count')").fetchone()
        assert setting == (LOOKUP_MAX,)
        con.execute(
            """
            INSERT INTO articles (id, source, url, canonical_url, title, text, authors, tags,
                first_seen_at, last_seen_at, content_hash, version, run_id)
            SELECT 'id' || i, 'contoh', 'https://contoh.id/' || i, 'https://contoh.id/' || i,
                   't', 'x', [], [], now(), now(), md5(i::VARCHAR), 1, 'r1'
            FROM range(5000) r(i)
            """)
        wanted = [f"id{i}" for i in range(0, 5000, 2)] + ["it's not there"]  # > 2,048 ids
        plan = "".join(r[1] for r in con.execute(  # the scan's type is decided as it runs
            f"EXPLAIN ANALYZE SELECT id, text FROM articles WHERE {in_list('id', wanted)}"
        ).fetchall())
        assert "Type: Index Scan" in plan and "Sequential Scan" not in plan, plan
        found = {r[0] for r in con.execute(
            f"SELECT id FROM articles WHERE {in_list('id', wanted)}").fetchall()}
        assert found == set(wanted[:-1])
    finally:
        con.close()


def test_id_filter_is_a_list_for_a_night_and_a_semi_join_beyond(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import warehouse.lookups as lookups

    con = connect_writer(tmp_path / "w.duckdb")
    try:
        con.execute("CREATE TEMP TABLE few AS SELECT 'id' || i AS id FROM range(3) r(i)")
        con.execute("CREATE TEMP TABLE none (id VARCHAR)")
        assert lookups.id_filter(con, "id", "few") == "id IN ('id0', 'id1', 'id2')"
        assert lookups.id_filter(con, "id", "none") == "FALSE"
        monkeypatch.setattr(lookups, "LOOKUP_MAX", 2)  # as if a reprocess's set
        assert lookups.id_filter(con, "a.id", "few") == "a.id IN (SELECT * FROM few)"
    finally:
        con.close()
