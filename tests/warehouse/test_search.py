"""Search over loaded articles in the query language: words, OR, -, phrases, ~stems, ranking."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from query import QueryError
from tests.warehouse.staged import PARAS, SOURCE, article_html, page, stage
from warehouse.db import connect_reader, connect_writer
from warehouse.fts import has_index
from warehouse.loader import load_run
from warehouse.search import search_articles

pytestmark = pytest.mark.usefixtures("warehouse_backend")

QUAKE = [
    "Gempa bermagnitudo 5,2 mengguncang wilayah selatan Bali pada Kamis pagi dan membuat warga "
    "berhamburan keluar rumah, meski tidak ada laporan kerusakan berarti.",
    "Badan Meteorologi menyatakan gempa tidak berpotensi tsunami dan pusatnya berada di laut "
    "pada kedalaman sepuluh kilometer dari permukaan.",
    "Sejumlah wisatawan di kawasan Kuta mengaku sempat panik namun kembali beraktivitas "
    "seperti biasa setelah petugas memberikan penjelasan tentang keadaan.",
]
FLOOD = [
    "Ratusan rumah di Bekasi kebanjiran setelah tanggul sungai jebol pada Rabu dini hari dan "
    "air masuk ke permukiman hingga setinggi dada orang dewasa.",
    *PARAS[1:],
]


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    staging = tmp_path / "staging"
    t = "2026-11-20T19:00:30+00:00"
    stage(staging, "r1", [
        page("https://contoh.id/berita/1", article_html("Tanggul jebol di Bekasi", FLOOD,
             "2026-11-19T08:00:00+07:00"), t),
        page("https://contoh.id/berita/2", article_html("Gempa guncang Bali", QUAKE,
             "2026-11-20T09:30:00+08:00"), t),
        page("https://contoh.id/berita/3", article_html("Banjir rendam Jakarta Timur", PARAS,
             "2026-11-20T16:00:00+07:00"), t),
    ])
    path = tmp_path / "w.duckdb"
    con = connect_writer(path)
    load_run(con, staging, "r1", [SOURCE], workers=1)
    assert has_index(con)
    con.close()
    return path


def titles(hits: list[Any]) -> list[str]:
    return [h.title for h in hits]


def test_stemmed_words_match_affixed_forms(db: Path) -> None:
    con = connect_reader(db)
    # "~banjir" finds "kebanjiran" (Bekasi) as well as "banjir" (Jakarta); "banjir" only banjir.
    assert set(titles(search_articles(con, "~banjir"))) == {
        "Banjir rendam Jakarta Timur", "Tanggul jebol di Bekasi"}
    assert "Tanggul jebol di Bekasi" not in titles(search_articles(con, "banjir"))
    assert titles(search_articles(con, "kebanjiran bekasi")) == ["Tanggul jebol di Bekasi"]
    assert titles(search_articles(con, "gempa")) == ["Gempa guncang Bali"]
    con.close()


def test_every_word_must_match(db: Path) -> None:
    con = connect_reader(db)
    assert search_articles(con, "gempa bekasi") == []
    con.close()


def test_date_filter_uses_the_instant(db: Path) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    con = connect_reader(db)
    wib = ZoneInfo("Asia/Jakarta")
    since = datetime(2026, 11, 20, tzinfo=wib)
    got = titles(search_articles(con, "warga", since=since, limit=10))
    assert "Tanggul jebol di Bekasi" not in got and "Gempa guncang Bali" in got
    con.close()


def test_snippet_marks_matches(db: Path) -> None:
    con = connect_reader(db)
    [hit] = search_articles(con, "~banjir bekasi")
    assert "**kebanjiran**" in hit.snippet and "**Bekasi**" in hit.snippet
    con.close()


def test_empty_query_is_an_error(db: Path) -> None:
    con = connect_reader(db)
    with pytest.raises(QueryError, match="empty"):
        search_articles(con, "   ")
    with pytest.raises(QueryError, match="no letters or digits"):
        search_articles(con, "?!")
    con.close()


def test_or_not_and_phrases(db: Path) -> None:
    con = connect_reader(db)
    both = set(titles(search_articles(con, "gempa OR kebanjiran")))
    assert both == {"Gempa guncang Bali", "Tanggul jebol di Bekasi"}
    assert titles(search_articles(con, "~banjir -Bekasi")) == ["Banjir rendam Jakarta Timur"]
    assert titles(search_articles(con, "~banjir NOT bekasi")) == ["Banjir rendam Jakarta Timur"]
    assert titles(search_articles(con, '"tanggul sungai jebol"')) == ["Tanggul jebol di Bekasi"]
    assert search_articles(con, '"jebol tanggul sungai"') == []  # words, wrong order
    assert titles(search_articles(con, "kebanjir*")) == ["Tanggul jebol di Bekasi"]
    con.close()


def test_unbalanced_parenthesis_names_the_column(db: Path) -> None:
    con = connect_reader(db)
    with pytest.raises(QueryError, match=r"^unbalanced parenthesis at 8 "):
        search_articles(con, "banjir (Jakarta OR Bekasi")
    con.close()


def test_scores_equal_the_extensions_bm25(db: Path) -> None:
    from warehouse.fts import INDEX_SCHEMA

    con = connect_reader(db)
    for query in ("banjir", "warga bekasi", "gempa", "air"):
        ours = [(h.title, round(h.score, 9)) for h in search_articles(con, query, limit=10)]
        theirs = con.execute(
            f"SELECT title, round(score, 9) FROM (SELECT *, {INDEX_SCHEMA}.match_bm25(id, ?, "
            "conjunctive := 1) AS score FROM articles) WHERE score IS NOT NULL "
            "ORDER BY score DESC, published_at DESC LIMIT 10",
            [query],
        ).fetchall()
        assert ours == theirs, query
    con.close()
