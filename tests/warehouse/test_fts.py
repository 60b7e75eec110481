"""The incremental full-text index (warehouse/fts.py): the extension's BM25 ranking, an update
equal to a rebuild, superseded versions gone, the migration of an index of an older pantau."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.warehouse.staged import PARAS, SOURCE, article_html, page, stage
from warehouse import fts
from warehouse import migrate as wmig
from warehouse.db import connect_writer, transaction
from warehouse.fts import (
    INDEX_SCHEMA,
    compact_index,
    extension_path,
    has_index,
    refresh_index,
    update_index,
)
from warehouse.loader import load_run
from warehouse.search import search_articles

pytestmark = pytest.mark.usefixtures("warehouse_backend")

NOW = datetime(2026, 11, 21, tzinfo=UTC)
CORPUS = {
    "a": ("Banjir di Bekasi", "Ratusan rumah kebanjiran setelah tanggul Kali Bekasi jebol. "
          "Banjir setinggi dada, warga Bekasi mengungsi."),
    "b": ("Kafe terendam", "Café di tepi Ciliwung ikut terendam; BANJIR bandang datang malam."),
    "c": ("Gempa Ambon", "Gempa bermagnitudo 5,2 mengguncang Ambon. Warga Jakarta-Utara aman."),
    "d": ("Banjir", "bandang melanda desa"),
    "e": ("Jakartanews", "Portal jakartanews menulis tentang pembanjiran dan membanjiri warga."),
    "f": ("Pemerintah", "Warga dibanjiri bantuan; hujan lebat, sungai meluap, banjir lagi."),
    "g": (None, "Banjir banjir banjir di jalan tol, warga warga warga terjebak macet."),
    "h": ("Kosong", ""),
}
QUERIES = ["banjir", "warga", "banjir warga", "bekasi banjir", "~banjir", "gempa OR banjir",
           "banjir -bekasi", "cafe", "jakarta*", '"banjir bandang"', "warga ~banjir"]


def _insert(con: duckdb.DuckDBPyConnection, rows: dict[str, tuple[str | None, str]]) -> None:
    for key, (title, text) in rows.items():
        con.execute(
            "INSERT INTO articles (id, source, url, canonical_url, title, text, authors, tags, "
            "first_seen_at, last_seen_at, content_hash, version, run_id, published_at) VALUES "
            "(?, 's', ?, ?, ?, ?, [], [], ?, ?, 'h', 1, 'r', ?)",
            [key, key, key, title, text, NOW, NOW, NOW])


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect_writer(tmp_path / "w.duckdb")
    yield connection
    connection.close()


def _ranked(con: duckdb.DuckDBPyConnection, query: str) -> list[tuple[Any, ...]]:
    return [(h.url, round(h.score, 9)) for h in search_articles(con, query, limit=50)]


def _contents(con: duckdb.DuckDBPyConnection) -> dict[str, set[tuple[Any, ...]]]:
    """The index by words and article ids (its integer ids depend on the order of indexing)."""
    ix = INDEX_SCHEMA
    return {
        "postings": set(con.execute(
            f"SELECT w.term, d.name, p.tf FROM {ix}.postings p JOIN {ix}.dict w USING (termid) "
            f"JOIN {ix}.docs d USING (docid)").fetchall()),
        "docs": set(con.execute(f"SELECT name, len FROM {ix}.docs").fetchall()),
        "stems": set(con.execute(
            f"SELECT DISTINCT w.term, w.stem FROM {ix}.dict w "
            f"WHERE termid IN (SELECT termid FROM {ix}.postings JOIN {ix}.docs USING (docid))"
        ).fetchall()),
    }


def test_ranking_equals_the_fts_extensions_bm25(con: duckdb.DuckDBPyConnection) -> None:
    """Scores and order equal DuckDB's fts extension (match_bm25 over its own index, built with
    the settings pantau used before), so the change of index changes no ranking."""
    _insert(con, CORPUS)
    refresh_index(con)
    reference = duckdb.connect(":memory:")
    reference.execute(f"LOAD '{extension_path()}'")
    reference.execute("CREATE TABLE articles (id VARCHAR, title VARCHAR, text VARCHAR)")
    reference.executemany("INSERT INTO articles VALUES (?, ?, ?)",
                          [(k, t, x) for k, (t, x) in CORPUS.items()])
    reference.execute(
        "PRAGMA create_fts_index('articles', 'id', 'title', 'text', stemmer = 'none', "
        "stopwords = 'none', ignore = '(\\.|[^a-z0-9])+', strip_accents = 1, lower = 1)")
    for query in ("banjir", "warga", "banjir warga", "bekasi banjir", "bandang", "jakarta"):
        theirs = reference.execute(
            "SELECT id, round(score, 9) FROM (SELECT id, fts_main_articles.match_bm25(id, ?, "
            "conjunctive := 1) AS score FROM articles) WHERE score IS NOT NULL "
            "ORDER BY score DESC, id", [query]).fetchall()
        assert theirs, query
        assert _ranked(con, query) == theirs, query
        # the SQL macro kept for `pantau sql` (the README's query) gives the same scores
        ours = con.execute(
            "SELECT id, round(score, 9) FROM (SELECT id, fts_main_articles.match_bm25(id, ?, "
            "conjunctive := 1) AS score FROM articles) WHERE score IS NOT NULL "
            "ORDER BY score DESC, id", [query]).fetchall()
        assert ours == theirs, query
    reference.close()


@pytest.mark.parametrize("chunk", [20_000, 2], ids=["one-chunk", "chunks-of-2"])
def test_an_update_equals_a_rebuild(con: duckdb.DuckDBPyConnection, chunk: int,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fts, "CHUNK", chunk)
    first = dict(list(CORPUS.items())[:5])
    _insert(con, first)
    with transaction(con):
        update_index(con, list(first))
    _insert(con, {k: v for k, v in CORPUS.items() if k not in first})
    con.execute("UPDATE articles SET text = 'Gempa susulan di Ambon, warga tenang.', "
                "version = 2 WHERE id = 'c'")
    con.execute("UPDATE articles SET title = 'Banjir surut' WHERE id = 'a'")
    con.execute("UPDATE articles SET text = 'Portal berita jakartanews tutup.' WHERE id = 'e'")
    con.execute("DELETE FROM articles WHERE id = 'b'")
    with transaction(con):  # e had the highest docid: it keeps it, new articles come after
        update_index(con, ["a", "b", "c", "e", "f", "g", "h"])
    assert has_index(con)
    updated = _contents(con)
    results = {q: _ranked(con, q) for q in QUERIES}
    with transaction(con):
        compact_index(con)
    assert _contents(con) == updated
    compacted = con.execute(f"SELECT count(*) FROM {INDEX_SCHEMA}.postings").fetchone()
    with transaction(con):
        refresh_index(con)
    assert _contents(con) == updated
    assert con.execute(f"SELECT count(*) FROM {INDEX_SCHEMA}.postings").fetchone() == compacted
    assert {q: _ranked(con, q) for q in QUERIES} == results
    assert "b" not in {name for name, _ in updated["docs"]}
    assert ("cafe", "b", 1) not in updated["postings"]
    assert ("membanjiri", "e", 1) not in updated["postings"]
    assert ("susulan", "c", 1) in updated["postings"]


def test_an_update_leaves_other_articles_alone(con: duckdb.DuckDBPyConnection) -> None:
    _insert(con, CORPUS)
    refresh_index(con)
    before = _contents(con)
    with transaction(con):
        update_index(con, ["b"])  # unchanged: indexed again, the same
        update_index(con, [])
    assert _contents(con) == before


def test_articles_written_behind_the_index_back_make_it_incomplete(
        con: duckdb.DuckDBPyConnection) -> None:
    """An article inserted without update_index: search reads the text (the index would miss
    it) until the next update rebuilds the index."""
    _insert(con, {"a": CORPUS["a"]})
    refresh_index(con)
    assert has_index(con)
    _insert(con, {"b": CORPUS["b"]})
    assert not has_index(con)
    assert {h.url for h in search_articles(con, "banjir")} == {"a", "b"}
    with transaction(con):
        update_index(con, [])
    assert has_index(con)
    assert {h.url for h in search_articles(con, "banjir")} == {"a", "b"}


def test_superseded_versions_drop_out_of_the_index(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    url = "https://contoh.id/berita/1"
    stage(staging, "r1", [page(url, article_html("Tanggul jebol di Bekasi", PARAS),
                               "2026-11-20T19:00:30+00:00")])
    changed = ["Gempa bermagnitudo lima mengguncang Ambon pada Kamis pagi dan membuat warga "
               "berhamburan keluar rumah, meski tidak ada laporan kerusakan berarti.", *PARAS[1:]]
    stage(staging, "r2", [page(url, article_html("Gempa guncang Ambon", changed),
                               "2026-11-21T19:00:30+00:00")])
    con = connect_writer(tmp_path / "w.duckdb")
    load_run(con, staging, "r1", [SOURCE], workers=1)
    assert [h.title for h in search_articles(con, "tanggul")] == ["Tanggul jebol di Bekasi"]
    assert search_articles(con, "gempa") == []
    load_run(con, staging, "r2", [SOURCE], workers=1)
    assert has_index(con)
    assert search_articles(con, "tanggul") == []
    assert search_articles(con, "mengguyur") == []  # the old first paragraph's word
    assert [h.title for h in search_articles(con, "gempa ambon")] == ["Gempa guncang Ambon"]
    ix = INDEX_SCHEMA
    assert con.execute(f"SELECT count(*) FROM {ix}.docs").fetchone() == (1,)
    live = f"SELECT w.term FROM {ix}.postings JOIN {ix}.dict w USING (termid)"
    terms = {r[0] for r in con.execute(f"{live} JOIN {ix}.docs USING (docid)").fetchall()}
    assert "gempa" in terms and "tanggul" not in terms and "mengguyur" not in terms
    # the first version's postings are retired, then deleted by the weekly compaction
    assert "tanggul" in {r[0] for r in con.execute(live).fetchall()}
    with transaction(con):
        assert compact_index(con) > 0
    assert {r[0] for r in con.execute(live).fetchall()} == terms
    assert [h.title for h in search_articles(con, "gempa ambon")] == ["Gempa guncang Ambon"]
    con.close()


@pytest.mark.duckdb_only("a pre-0010 warehouse holds the fts extension's own index, which "
                         "only a DuckDB file can hold (DuckLake refuses its NULL-typed column)")
def test_an_index_of_an_older_pantau_is_migrated(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warehouse indexed by the fts extension (pantau before migration 0010): the migration
    drops that index; search reads the text until the next load builds the new one, with the
    same answers; the README's match_bm25 query works on the new one."""
    path = tmp_path / "w.duckdb"
    every = wmig.migrations()
    monkeypatch.setattr(wmig, "migrations", lambda: [m for m in every if m.version < 10])
    old = connect_writer(path)
    _insert(old, CORPUS)
    old.execute(f"LOAD '{extension_path()}'")
    old.execute(  # what refresh_index did before
        "PRAGMA create_fts_index('articles', 'id', 'title', 'text', stemmer = 'none', "
        "stopwords = 'none', ignore = '(\\.|[^a-z0-9])+', strip_accents = 1, lower = 1, "
        "overwrite = 1)")
    old.execute(f"CREATE TABLE {INDEX_SCHEMA}.term_stems AS SELECT term, "
                f"stem(term, 'indonesian') AS stem FROM {INDEX_SCHEMA}.dict")
    before = {q: {h.url for h in search_articles(old, q, limit=50)} for q in QUERIES}
    old.close()
    monkeypatch.setattr(wmig, "migrations", lambda: every)
    con = connect_writer(path)
    assert wmig.schema_version(con) >= 10
    assert not has_index(con)
    assert {q: {h.url for h in search_articles(con, q, limit=50)} for q in QUERIES} == before
    with transaction(con):
        update_index(con, [])  # what the next load does
    assert has_index(con)
    assert {q: {h.url for h in search_articles(con, q, limit=50)} for q in QUERIES} == before
    scores = [h.score for h in search_articles(con, "banjir warga")]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0
    readme = con.execute(
        "SELECT count(*) FROM articles WHERE fts_main_articles.match_bm25(id, 'Banjir Bekasi', "
        "conjunctive := 1) IS NOT NULL").fetchone()
    assert readme == (1,)
    con.close()


def test_a_fresh_warehouse_starts_with_a_built_index(con: duckdb.DuckDBPyConnection) -> None:
    assert has_index(con)
    _insert(con, {"a": CORPUS["a"]})
    with transaction(con):
        update_index(con, ["a"])
    assert con.execute(f"SELECT count(*) FROM {INDEX_SCHEMA}.built").fetchone() == (1,)
    assert [h.url for h in search_articles(con, "kebanjiran")] == ["a"]


def test_an_index_of_migration_0010_gets_its_top_docid(tmp_path: Path) -> None:
    """Migration 0012: an index built before it (docids reused, no top kept) learns its highest
    docid, so the docids of the next night come after every existing one."""
    path = tmp_path / "w.duckdb"
    con = connect_writer(path)
    _insert(con, CORPUS)
    refresh_index(con)
    before = {q: _ranked(con, q) for q in QUERIES}
    top = con.execute(f"SELECT max(docid) FROM {INDEX_SCHEMA}.docs").fetchone()[0]
    con.execute(f"ALTER TABLE {INDEX_SCHEMA}.built DROP COLUMN top_docid")  # as 0010 left it
    con.execute("DELETE FROM schema_migrations WHERE version = 12")
    con.close()
    con = connect_writer(path)
    assert con.execute(f"SELECT top_docid FROM {INDEX_SCHEMA}.built").fetchone() == (top,)
    assert has_index(con)
    assert {q: _ranked(con, q) for q in QUERIES} == before
    con.execute("UPDATE articles SET text = 'Banjir surut, warga kembali.' WHERE id = 'a'")
    with transaction(con):
        update_index(con, ["a"])
    assert con.execute(f"SELECT docid FROM {INDEX_SCHEMA}.docs WHERE name = 'a'").fetchone() == (
        top + 1,)
    con.close()
