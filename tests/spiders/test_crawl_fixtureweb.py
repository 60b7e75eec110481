"""Crawl every fixture-web outlet for real (loopback) over three nights.

Night 1 sees the outlets as of 15 November, night 2 as of today (new articles appeared), night 3
again with nothing new. Checks: every expected article staged exactly once, nothing off-host,
night 2 fetches exactly the new articles, night 3 costs at most one request per feed / sitemap /
listing (conditional GET, 304) and no article request.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pantau.config import Source, load_sources
from pantau.staging import iter_records, records_path
from pantau.urls import canonicalize_url
from spiders.runner import crawl_source

fixtureweb = pytest.importorskip("fixtureweb")

pytestmark = pytest.mark.slow

NIGHT1_AS_OF = datetime.fromisoformat("2026-11-15T00:00:00+07:00")


def crawl_all(sources: list[Source], run_id: str, staging: Path,
              seen: dict[str, dict[str, str]]) -> dict[str, dict]:
    with ThreadPoolExecutor(max_workers=len(sources)) as pool:
        futures = {
            s.name: pool.submit(crawl_source, s, run_id, staging, seen.get(s.name, {}),
                                allow_private_hosts=True, timeout=120)
            for s in sources
        }
        return {name: f.result() for name, f in futures.items()}


def staged_pages(staging: Path, run_id: str, source: str) -> dict[str, str]:
    records = list(iter_records(records_path(staging, run_id, source)))
    assert [r for r in records if r["type"] == "error"] == []
    pages = [r for r in records if r["type"] == "page"]
    urls = [r["url"] for r in pages]
    assert len(urls) == len(set(urls)), "an article was staged twice"
    return {r["url"]: r["fetched_at"] for r in pages}


def expected_urls(web, sources: list[Source]) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    hosts = {s.name: s.host for s in sources}
    out: dict[str, set[str]] = {s.name: set() for s in sources}
    for article in web.expected_articles():
        out[article["outlet"]].add(canonicalize_url(article["url"], hosts[article["outlet"]]))
    return out


def article_requests(web, article_paths: set[str]) -> list[str]:  # type: ignore[no-untyped-def]
    return [t for _, t, _ in web.requests_log if urlsplit(t).path.rstrip("/") in article_paths]


def test_three_nights_over_the_fixture_web(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    seen: dict[str, dict[str, str]] = {}

    # night 1: the web as of 15 November
    web = fixtureweb.FixtureWeb(as_of=NIGHT1_AS_OF).start()
    port = web.port
    try:
        sources = load_sources(web.write_sources_yaml(tmp_path / "sources.yaml"))
        old = expected_urls(web, sources)
        night1 = crawl_all(sources, "night-1", staging, seen)
        served_hosts = {host for host, _, _ in web.requests_log}
    finally:
        web.stop()
    assert all(old.values()), "the fixture web serves no articles before 15 November"
    assert served_hosts <= {s.host for s in sources}, "requests left the outlets' hosts"
    for source in sources:
        assert night1[source.name]["crawl_error"] is None, night1[source.name]
        pages = staged_pages(staging, "night-1", source.name)
        assert set(pages) == old[source.name]
        assert night1[source.name]["pages"] == len(pages)
        seen[source.name] = pages

    # nights 2 and 3: today's web on the same address
    with fixtureweb.FixtureWeb(port=port) as web:
        now = expected_urls(web, sources)
        all_paths = {urlsplit(u).path.rstrip("/") for urls in now.values() for u in urls}
        web.requests_log.clear()
        night2 = crawl_all(sources, "night-2", staging, seen)
        fetched2 = article_requests(web, all_paths)
        for source in sources:
            assert night2[source.name]["crawl_error"] is None, night2[source.name]
            pages = staged_pages(staging, "night-2", source.name)
            assert set(pages) == now[source.name] - old[source.name]
            seen[source.name].update(pages)
        new_total = sum(len(now[s.name] - old[s.name]) for s in sources)
        assert new_total > 0 and len(fetched2) == new_total  # article requests = k new ones

        web.requests_log.clear()
        night3 = crawl_all(sources, "night-3", staging, seen)
        assert article_requests(web, all_paths) == []
        for source in sources:
            stats = night3[source.name]
            assert stats["crawl_error"] is None and stats["pages"] == 0
            budget = len(source.feeds) + len(source.sitemaps) + len(source.listings)
            served = [t for h, t, _ in web.requests_log if h == source.host]
            assert len(served) <= budget, served
            assert stats["requests"] == len(served)
            assert stats["not_modified"] >= 1 and stats["status_counts"].get("304", 0) >= 1
