"""The SQL form of a query (search, export) finds exactly what the in-memory matcher (alerts)
finds, article by article, with and without the full-text index."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from query import Document, compile_matcher, compile_sql, parse_query
from warehouse.db import migrate
from warehouse.fts import has_index, load_fts, refresh_index

ARTICLES = {
    "a": ("Banjir di Bekasi", "Ratusan rumah kebanjiran setelah tanggul Kali Bekasi jebol."),
    "b": ("Kafe terendam", "Café di tepi Ciliwung ikut terendam; BANJIR bandang datang malam."),
    "c": ("Gempa Ambon", "Gempa bermagnitudo 5,2 mengguncang Ambon. Warga Jakarta-Utara aman."),
    "d": ("Banjir", "bandang melanda desa"),  # the phrase would span title and text
    "e": ("Jakartanews", "Portal jakartanews menulis tentang pembanjiran dan membanjiri."),
    "f": ("Pemerintah", "Warga dibanjiri bantuan; hujan lebat, sungai meluap."),
}
QUERIES = [
    "banjir", "BANJIR -Bekasi", "banjir OR gempa", '"banjir bandang"', "cafe", "café",
    "jakarta*", "~banjir", '~"banjir bandang"', "~banjir -kebanjiran", "Jakarta-Utara",
    "NOT gempa banjir", "(gempa OR kafe) -ambon", '"kali bekasi" OR jakartanews', "5,2",
    "-(gempa OR banjir) warga",
]


@pytest.fixture(scope="module", params=[True, False], ids=["indexed", "unindexed"])
def con(request: pytest.FixtureRequest,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    path: Path = tmp_path_factory.mktemp("querysql") / "w.duckdb"
    connection = duckdb.connect(str(path))
    migrate(connection)
    now = datetime(2026, 11, 21, tzinfo=UTC)
    for key, (title, text) in ARTICLES.items():
        connection.execute(
            "INSERT INTO articles (id, source, url, canonical_url, title, text, authors, tags, "
            "first_seen_at, last_seen_at, content_hash, version, run_id) VALUES "
            "(?, 's', ?, ?, ?, ?, [], [], ?, ?, 'h', 1, 'r')",
            [key, key, key, title, text, now, now])
    if request.param:
        refresh_index(connection)
    else:
        load_fts(connection)
    yield connection
    connection.close()


@pytest.mark.parametrize("query", QUERIES)
def test_sql_and_matcher_agree(con: duckdb.DuckDBPyConnection, query: str) -> None:
    node = parse_query(query)
    indexed = has_index(con)
    predicate = compile_sql(node, "a", indexed=indexed)
    predicate.prepare(con)
    whole = {r[0] for r in con.execute(f"SELECT a.id FROM articles a WHERE {predicate.sql}",
                                       predicate.params).fetchall()}
    sql, params = predicate.ids_query()
    narrowed = {r[0] for r in con.execute(sql, params).fetchall()}
    matches = compile_matcher(node)
    expected = {k for k, (t, x) in ARTICLES.items() if matches(Document.from_article(t, x))}
    assert whole == narrowed == expected, query


def test_row_alias_must_be_an_identifier() -> None:
    with pytest.raises(ValueError, match="identifier"):
        compile_sql(parse_query("banjir"), "a; DROP TABLE articles")
