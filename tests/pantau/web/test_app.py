"""The web app's pages on the demo warehouse, in-process (Starlette's test client).

Each page's figures are checked against an independent path: search against
:func:`warehouse.search.search_articles`, the attention counts against the in-memory matcher
of ``pantau alerts check`` (:func:`alerts.check.check_query`), the outlets against SQL.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from alerts.check import check_query
from alerts.rules import load_rules_file
from pantau.cli import cli
from pantau.web.app import ServeConfig, create_app
from warehouse.db import connect_reader
from warehouse.search import search_articles

from .conftest import RULES, expected_attention


def attrs(html: str, tag: str, name: str) -> list[str]:
    return re.findall(rf'<{tag}\b[^>]*\b{name}="([^"]*)"', html)


def test_search_groups_the_hits_of_search_articles_by_story(client: TestClient,
                                                            web_db: Path) -> None:
    page = client.get("/search", params={"q": "leptospirosis"})
    assert page.status_code == 200
    con = connect_reader(web_db)
    try:
        expected = search_articles(con, "leptospirosis", limit=50)
    finally:
        con.close()
    assert len(expected) == 2  # the ANTARA story two outlets ran
    assert f'data-hits="{len(expected)}"' in page.text
    assert 'data-stories="1"' in page.text  # ... grouped as one story
    assert [f"data-source=\"{h.source}\"" in page.text for h in expected] == [True, True]
    assert "<mark>" in page.text and "Leptospirosis" in page.text


def test_search_stories_count_each_storys_articles_and_name_each_hits_article(
        web_db: Path) -> None:
    """The story grouping looks its hits up by id and counts story sizes with constant lists;
    what it finds equals a plain group-by over every article."""
    from pantau.web.params import Filters
    from pantau.web.views import search_stories
    from query import parse_query

    con = connect_reader(web_db)
    try:
        groups = search_stories(con, parse_query("banjir"), Filters(), limit=50)
        sizes = dict(con.execute("SELECT coalesce(cluster_id, id), count(*) FROM articles "
                                 "GROUP BY ALL").fetchall())
        ids = dict(con.execute("SELECT canonical_url, id FROM articles").fetchall())
    finally:
        con.close()
    assert groups and sum(len(g.hits) for g in groups) > len(groups) > 1
    assert any(g.outlets > 1 for g in groups)
    for group in groups:
        assert group.outlets == sizes[group.story_id]
        assert all(found == ids[hit.url] for hit, found in group.hits)


def test_search_filters_outlet_dates_section_language(client: TestClient) -> None:
    one = client.get("/search", params={"q": "leptospirosis", "outlet": "iphedia"}).text
    assert 'data-hits="1"' in one and 'data-source="iphedia"' in one
    assert 'data-source="detakpos"' not in one
    none = client.get("/search", params={"q": "leptospirosis", "until": "2000-01-01"}).text
    assert 'data-hits="0"' in none
    wrong_lang = client.get("/search", params={"q": "leptospirosis", "language": "en"}).text
    assert 'data-hits="0"' in wrong_lang
    section = client.get("/search", params={"q": "banjir", "section": "nasional"}).text
    everywhere = client.get("/search", params={"q": "banjir"}).text
    n_section = int(re.search(r'data-hits="(\d+)"', section).group(1))  # type: ignore[union-attr]
    n_all = int(re.search(r'data-hits="(\d+)"', everywhere).group(1))  # type: ignore[union-attr]
    assert 0 < n_section < n_all


def test_search_downloads_csv_and_parquet_of_every_match(client: TestClient, web_db: Path,
                                                         tmp_path: Path) -> None:
    con = connect_reader(web_db)
    try:
        n = len(check_query(con, "banjir", days=None))
    finally:
        con.close()
    got = client.get("/search.csv", params={"q": "banjir"})
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(got.text)))
    assert len(rows) == n and all("banjir" in (r["title"] + r["text"]).lower() for r in rows)
    parquet = client.get("/search.parquet", params={"q": "banjir", "outlet": "iphedia"})
    assert parquet.status_code == 200
    (tmp_path / "a.parquet").write_bytes(parquet.content)
    sources = duckdb.sql(f"SELECT DISTINCT source FROM '{tmp_path / 'a.parquet'}'").fetchall()
    assert sources == [("iphedia",)]


def test_attention_counts_match_the_in_memory_matcher(client: TestClient, web_db: Path) -> None:
    page = client.get("/attention", params={"q": "banjir OR gempa"}).text
    bars = re.findall(r'<rect class="bar"[^>]*data-day="([^"]+)" data-outlet="([^"]+)" '
                      r'data-count="(\d+)"', page)
    charted = {(day, outlet): int(n) for day, outlet, n in bars}
    expected = expected_attention(web_db, "banjir OR gempa")
    assert charted == dict(expected) and sum(expected.values()) > 3
    assert f'data-total="{sum(expected.values())}"' in page
    shares = dict(re.findall(r'<tr data-outlet="([^"]+)" data-count="(\d+)"', page))
    by_outlet: Counter[str] = Counter()
    for (_, outlet), n in expected.items():
        by_outlet[outlet] += n
    assert {k: int(v) for k, v in shares.items()} == dict(by_outlet)


def test_attention_without_query_counts_every_dated_article(client: TestClient,
                                                            web_db: Path) -> None:
    page = client.get("/attention", params={"outlet": "detakpos"}).text
    con = connect_reader(web_db)
    try:
        row = con.execute("SELECT count(*) FROM articles WHERE source = 'detakpos' "
                          "AND published_at IS NOT NULL").fetchone()
    finally:
        con.close()
    assert row is not None and f'data-total="{row[0]}"' in page


def test_article_shows_the_correction_as_a_diff_and_the_story_copies(client: TestClient,
                                                                     web_db: Path) -> None:
    con = connect_reader(web_db)
    try:
        changed = con.execute("SELECT article_id FROM article_versions LIMIT 1").fetchone()
        story = con.execute("SELECT id FROM articles WHERE cluster_id IS NOT NULL "
                            "AND cluster_id <> id LIMIT 1").fetchone()
    finally:
        con.close()
    assert changed and story
    page = client.get(f"/article/{changed[0]}").text
    inserted = " ".join(re.findall(r'<ins class="diff">(.*?)</ins>', page, re.S))
    assert "Ralat" in inserted
    assert 'data-from="1" data-to="2"' in page
    copies = client.get(f"/article/{story[0]}").text
    assert re.search(r'<section id="copies">.*?<li data-source=', copies, re.S)
    assert client.get("/article/nope").status_code == 404


def test_outlets_page_health_and_counts(client: TestClient, web_db: Path) -> None:
    page = client.get("/outlets").text
    con = connect_reader(web_db)
    try:
        stored = dict(con.execute("SELECT source, count(*) FROM articles GROUP BY 1").fetchall())
        nights = dict(con.execute(
            "SELECT source, string_agg(new_articles::VARCHAR, ',' ORDER BY loaded_at) "
            "FROM crawl_runs GROUP BY 1").fetchall())
    finally:
        con.close()
    rows = dict(re.findall(r'<tr data-outlet="([^"]+)" data-articles="(\d+)"', page))
    assert {k: int(v) for k, v in rows.items()} == stored
    sparks = attrs(page, "svg", "data-values")
    assert sorted(sparks) == sorted(nights[o] for o in rows)


def test_alerts_page_and_dry_run_match_alerts_check(client: TestClient, web_db: Path) -> None:
    page = client.get("/alerts").text
    rules = load_rules_file(RULES)
    for rule in rules.rules:
        assert f'href="/feeds/{rule.name}.atom"' in page
    assert 'status sent">outbox: sent' in page
    dry = client.get("/alerts/check", params={"q": "banjir_jabodetabek", "days": "0"}).text
    con = connect_reader(web_db)
    try:
        hits = check_query(con, "banjir_jabodetabek", days=None, rules=rules, limit=200)
    finally:
        con.close()
    assert f'data-hits="{len(hits)}"' in dry and len(hits) > 0
    assert client.get("/alerts/check", params={"q": "banjir_jabodetabk"}).status_code == 400


def test_bad_parameters_answer_400_with_what_to_fix(client: TestClient) -> None:
    cases = {
        ("/search", "q", "(banjir"): "never closed",
        ("/search", "since", "kemarin"): "not a date",
        ("/search", "outlet", "tempo"): "no outlet is named",
        ("/search", "limit", "100000"): "whole number",
        ("/attention", "language", "indonesia"): "ISO 639-1",
    }
    for (path, name, value), message in cases.items():
        got = client.get(path, params={name: value, **({} if name == "q" else {"q": "x"})})
        assert got.status_code == 400, (path, name)
        assert message in got.text


def test_serve_refuses_a_public_address_without_a_token(web_db: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PANTAU_SERVE_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["--db", str(web_db), "serve", "--host", "0.0.0.0"])
    assert result.exit_code != 0
    assert "PANTAU_SERVE_TOKEN" in str(result.exception or result.output)


def test_token_is_required_when_configured(web_db: Path) -> None:
    token = "s3cret; with=odd,chars"
    app = create_app(ServeConfig(db=web_db, rules=RULES, token=token, idle_seconds=0))
    with TestClient(app) as c:
        assert c.get("/outlets").status_code == 401
        assert c.get("/outlets", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/outlets", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        first = c.get("/feeds/turki_indonesia.atom", params={"token": token})
        assert first.status_code == 200 and "pantau_token" in first.headers["set-cookie"]
        assert c.get("/outlets").status_code == 200  # the cookie carries it now


def test_requests_share_one_connection_closed_when_idle(web_db: Path) -> None:
    app = create_app(ServeConfig(db=web_db, rules=RULES, idle_seconds=0.3))
    pool = app.state.desk.pool
    with TestClient(app) as c:
        assert c.get("/outlets").status_code == 200
        shared = pool._con
        assert shared is not None
        assert c.get("/search", params={"q": "banjir"}).status_code == 200
        assert pool._con is shared  # the burst reused it
        deadline = time.monotonic() + 5
        while pool._con is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pool._con is None  # idle: closed, the file is free for the nightly load
        con = connect_reader(web_db)  # another reader (or the writer) can open it now
        con.close()
        assert c.get("/outlets").status_code == 200  # and the next page opens it again


def test_serve_says_when_its_port_is_taken(web_db: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["--db", str(web_db), "serve", "--port", str(port)])
    assert result.exit_code != 0
    assert f"cannot listen on 127.0.0.1:{port}" in str(result.exception)
