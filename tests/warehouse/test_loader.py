"""The single writer: loads staged pages once, versions changed articles, reruns change nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.warehouse.staged import PARAS, SOURCE, article_html, listing_html, page, stage
from warehouse.crawler_queries import seen_urls
from warehouse.db import connect_writer
from warehouse.loader import load_run

pytestmark = pytest.mark.usefixtures("warehouse_backend")


def snapshot(con: Any) -> dict[str, list[tuple[Any, ...]]]:
    tables = ["articles", "article_versions", "pages", "crawl_runs", "sources"]
    out = {}
    for t in tables:
        cols = [
            c[0] for c in con.execute(f"DESCRIBE {t}").fetchall()
            if c[0] not in ("loaded_at", "updated_at") or t == "articles"
        ]
        out[t] = con.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY ALL").fetchall()
    return out


@pytest.fixture()
def con(tmp_path: Path):
    c = connect_writer(tmp_path / "w.duckdb")
    yield c
    c.close()


def test_first_load_then_rerun_changes_nothing(tmp_path: Path, con: Any) -> None:
    staging = tmp_path / "staging"
    t = "2026-11-20T19:00:30+00:00"
    stage(staging, "r1", [
        page("https://contoh.id/berita/1", article_html("Banjir rendam Jakarta Timur", PARAS), t),
        page("https://contoh.id/berita/2",
             article_html("Dapur umum dibuka untuk pengungsi", PARAS[::-1]), t),
        page("https://contoh.id/indeks", listing_html(), t),
        {"type": "error", "source": "contoh", "url": "https://contoh.id/berita/3",
         "status": 503, "error": "HTTP 503", "fetched_at": t},
    ])
    summary = load_run(con, staging, "r1", [SOURCE], workers=1)
    [outlet] = summary.outlets
    assert (outlet.new_articles, outlet.updated_articles) == (2, 0)
    assert outlet.errors == 1 and outlet.non_articles == 1
    rows = con.execute(
        "SELECT title, version, authors, published_at_local FROM articles ORDER BY title"
    ).fetchall()
    assert rows == [
        ("Banjir rendam Jakarta Timur", 1, ["Rina Wulandari"], "2026-11-20T14:05:00+07:00"),
        ("Dapur umum dibuka untuk pengungsi", 1, ["Rina Wulandari"], "2026-11-20T14:05:00+07:00"),
    ]
    kinds = dict(con.execute("SELECT url, kind FROM pages").fetchall())
    assert kinds["https://contoh.id/indeks"] != "article"
    assert kinds["https://contoh.id/berita/3"] == "error"
    before = snapshot(con)

    again = load_run(con, staging, "r1", [SOURCE], workers=1)
    assert again.outlets == [] and again.already_loaded == ["contoh"]
    assert snapshot(con) == before


def test_changed_article_gets_a_new_version(tmp_path: Path, con: Any) -> None:
    staging = tmp_path / "staging"
    url = "https://contoh.id/berita/1"
    stage(staging, "r1", [page(url, article_html("Banjir rendam Jakarta", PARAS),
                                "2026-11-20T19:00:30+00:00")])
    load_run(con, staging, "r1", [SOURCE], workers=1)
    corrected = PARAS[:3] + ["Ralat: jumlah pengungsi yang benar adalah 1.250 orang, bukan 12.500 "
                             "orang seperti ditulis sebelumnya dalam berita ini."]
    stage(staging, "r2", [page(url, article_html("Banjir rendam Jakarta", corrected),
                                "2026-11-21T19:00:30+00:00")])
    summary = load_run(con, staging, "r2", [SOURCE], workers=1)
    assert summary.outlets[0].updated_articles == 1
    assert con.execute("SELECT version FROM articles").fetchall() == [(2,)]
    old = con.execute("SELECT version, text FROM article_versions").fetchall()
    assert len(old) == 1 and old[0][0] == 1 and "Ralat" not in old[0][1]
    # The same content seen again later: no new version, last_seen_at moves on.
    stage(staging, "r3", [page(url, article_html("Banjir rendam Jakarta", corrected),
                                "2026-11-22T19:00:30+00:00")])
    summary = load_run(con, staging, "r3", [SOURCE], workers=1)
    assert (summary.outlets[0].new_articles, summary.outlets[0].updated_articles) == (0, 0)
    row = con.execute("SELECT version, last_seen_at > first_seen_at FROM articles").fetchone()
    assert row == (2, True)


def test_seen_urls_skip_fetched_and_exhausted_errors(tmp_path: Path, con: Any) -> None:
    staging = tmp_path / "staging"
    t = "2026-11-20T19:00:30+00:00"
    failing = {"type": "error", "source": "contoh", "url": "https://contoh.id/berita/9",
               "status": 500, "error": "HTTP 500", "fetched_at": t}
    stage(staging, "r1", [page("https://contoh.id/berita/1", article_html("Satu", PARAS), t),
                          failing])
    load_run(con, staging, "r1", [SOURCE], workers=1)
    seen = seen_urls(con, "contoh", max_attempts=2)
    assert "https://contoh.id/berita/1" in seen
    assert "https://contoh.id/berita/9" not in seen  # retried on a later night
    stage(staging, "r2", [dict(failing, fetched_at="2026-11-21T19:00:30+00:00")])
    load_run(con, staging, "r2", [SOURCE], workers=1)
    assert "https://contoh.id/berita/9" in seen_urls(con, "contoh", max_attempts=2)


def test_parallel_extraction_gives_the_same_rows(tmp_path: Path) -> None:
    records = [
        page(f"https://contoh.id/berita/{i}",
             article_html(f"Berita nomor {i} tentang banjir", PARAS[i % 4:] + PARAS[: i % 4]),
             "2026-11-20T19:00:30+00:00")
        for i in range(20)
    ]
    results = []
    for workers in (1, 2):
        staging = tmp_path / f"s{workers}"
        stage(staging, "r1", records)
        c = connect_writer(tmp_path / f"w{workers}.duckdb")
        load_run(c, staging, "r1", [SOURCE], workers=workers)
        results.append(c.execute("SELECT id, title, text FROM articles ORDER BY id").fetchall())
        c.close()
    assert len(results[0]) == 20 and results[0] == results[1]


def test_editors_are_loaded_apart_from_authors(tmp_path: Path, con: Any) -> None:
    staging = tmp_path / "staging"
    html = article_html("Banjir rendam Jakarta Timur", PARAS).replace(
        "</article>", '<p class="credit">Editor: Bayu Galih</p></article>'
    )
    stage(staging, "r1", [page("https://contoh.id/berita/1", html, "2026-11-20T19:00:30+00:00")])
    load_run(con, staging, "r1", [SOURCE], workers=1)
    assert con.execute("SELECT authors, editors FROM articles").fetchall() == [
        (["Rina Wulandari"], ["Bayu Galih"])
    ]


def test_a_page_pantau_cannot_read_keeps_the_reason(tmp_path: Path, con: Any) -> None:
    staging = tmp_path / "staging"
    deep = "<div>" * 1000 + "".join(f"<p>{p}</p>" for p in PARAS) + "</div>" * 1000
    html = f"<html><body><h1>Banjir rendam Jakarta Timur</h1>{deep}</body></html>"
    stage(staging, "r1", [page("https://contoh.id/berita/9", html, "2026-11-20T19:00:30+00:00")])
    load_run(con, staging, "r1", [SOURCE], workers=1)
    kind, error = con.execute("SELECT kind, error FROM pages").fetchone()
    assert kind == "empty" and "256 levels deep" in error


def test_reprocess_fills_editors_of_articles_loaded_before_they_existed(tmp_path: Path) -> None:
    from warehouse.reprocess import reprocess_archive

    staging, db = tmp_path / "staging", tmp_path / "w.duckdb"
    html = article_html("Banjir rendam Jakarta Timur", PARAS).replace(
        "</article>", '<p class="credit">Editor: Bayu Galih</p></article>'
    )
    stage(staging, "r1", [page("https://contoh.id/berita/1", html, "2026-11-20T19:00:30+00:00")])
    con = connect_writer(db)
    load_run(con, staging, "r1", [SOURCE], workers=1)
    con.execute("UPDATE articles SET editors = NULL")  # as loaded before migration 0008
    con.close()
    reprocess_archive(lambda: connect_writer(db), staging, [SOURCE], workers=1)
    con = connect_writer(db)
    assert con.execute("SELECT editors, version FROM articles").fetchall() == [(["Bayu Galih"], 1)]
    con.close()
