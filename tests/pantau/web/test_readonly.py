"""`pantau serve` writes nothing: other methods than GET/HEAD are refused, and SQL injection
attempts through every parameter of every page change nothing and leak nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from starlette.testclient import TestClient

from pantau.web.app import ServeConfig, create_app

from .conftest import RULES, file_digest

ROUTES = ["/", "/search", "/search.csv", "/search.parquet", "/attention", "/article/x",
          "/outlets", "/alerts", "/alerts/check", "/feeds/banjir_jabodetabek.atom",
          "/static/style.css"]

# Every parameter a page reads (query string), and the path parameters.
PARAMS = {
    "/search": ["q", "outlet", "since", "until", "section", "language", "limit"],
    "/search.csv": ["q", "outlet", "since", "until", "section", "language"],
    "/attention": ["q", "outlet", "since", "until", "section", "language"],
    "/alerts/check": ["q", "days"],
}
PAYLOADS = [
    "' OR '1'='1",
    "x'; DROP TABLE articles; --",
    "1); DELETE FROM alerts; --",
    "' UNION SELECT text, text, text, text, text, 1 FROM articles --",
    "banjir'); COPY articles TO '/tmp/pantau-leak.csv'; --",
    "\"; ATTACH '/tmp/pantau-evil.duckdb' AS evil; --",
    "%' OR 1=1 OR source LIKE '%",
    "2026-11-20' OR '1'='1",
]


def counts(db: Path) -> tuple[int, ...]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
                     for t in ("articles", "alerts", "article_versions", "crawl_runs"))
    finally:
        con.close()


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_writes_are_refused_on_every_route(client: TestClient, web_db: Path,
                                           method: str) -> None:
    before = file_digest(web_db)
    for route in ROUTES:
        got = client.request(method, route, data={"q": "x"})
        assert got.status_code == 405, (method, route)
        assert got.headers["allow"] == "GET, HEAD"
    assert file_digest(web_db) == before


def test_sql_injection_through_every_parameter_changes_and_leaks_nothing(web_db: Path) -> None:
    before, rows = file_digest(web_db), counts(web_db)
    answers = []
    # one shared connection for the whole test (as `pantau serve` keeps one for a burst)
    with TestClient(create_app(ServeConfig(db=web_db, rules=RULES, idle_seconds=60))) as client:
        _attempt(client, answers)
    assert file_digest(web_db) == before and counts(web_db) == rows
    assert not Path("/tmp/pantau-leak.csv").exists()
    assert not Path("/tmp/pantau-evil.duckdb").exists()
    # the payloads that are no date, outlet or number were refused as such, not run
    assert ("/search", "outlet", 400) in answers and ("/search", "since", 400) in answers


def _attempt(client: TestClient, answers: list[tuple[str, str, int]]) -> None:
    for route, names in PARAMS.items():
        for name in names:
            for payload in PAYLOADS:
                got = client.get(route, params={name: payload, **(
                    {} if name == "q" else {"q": "banjir"})})
                answers.append((route, name, got.status_code))
                assert got.status_code in (200, 400), (route, name, payload, got.text[:300])
                if got.status_code == 200 and route == "/search" and name == "q":
                    # the payload is words of the query language: a few, not every article
                    assert 'data-hits="0"' in got.text or "UNION" not in payload
    for payload in PAYLOADS:
        for route in ("/article/{}", "/feeds/{}.atom"):
            got = client.get(route.format(payload.replace("/", "%2F")))
            assert got.status_code == 404, (route, payload)
