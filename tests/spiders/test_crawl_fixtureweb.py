"""Crawl every fixture-web outlet for real (loopback) over three simulated nights.

Night 1 sees the outlets as of 15 November, night 2 as of today (articles were published and
updated since), night 3 again with nothing new. Checks: every expected article staged exactly
once, nothing off-host, night 2 fetches exactly the new and the updated articles, night 3 costs
at most one request per feed / sitemap / listing (conditional GET, 304) and no article request.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import fixtureweb  # noqa: E402 - part of this repository: a broken fixture web fails, never skips
from core.config import Source, load_sources
from extract.urls import canonicalize_url, is_on_site
from spiders.runner import crawl_source
from staging import iter_records, records_path

pytestmark = pytest.mark.slow

NIGHT1_AS_OF = datetime.fromisoformat("2026-11-15T17:00:00+08:00")


def crawl_all(sources: list[Source], run_id: str, staging: Path,
              seen: dict[str, dict[str, str]]) -> dict[str, dict]:
    with ThreadPoolExecutor(max_workers=len(sources)) as pool:
        futures = {
            s.name: pool.submit(crawl_source, s, run_id, staging, seen.get(s.name, {}),
                                allow_private_hosts=True, timeout=120)
            for s in sources
        }
        return {name: f.result() for name, f in futures.items()}


def staged_pages(staging: Path, run_id: str, source: str) -> set[str]:
    records = list(iter_records(records_path(staging, run_id, source)))
    assert [r for r in records if r["type"] == "error"] == []
    urls = [r["url"] for r in records if r["type"] == "page"]
    assert len(urls) == len(set(urls)), "an article was staged twice"
    return set(urls)


def article_requests(web, article_paths: set[str]) -> list[str]:  # type: ignore[no-untyped-def]
    return [t for _, t, _ in web.requests_log if urlsplit(t).path.rstrip("/") in article_paths]


def test_three_nights_over_the_fixture_web(tmp_path: Path) -> None:
    """Night 1: the web of 15 Nov. Night 2: today's (new and updated articles). Night 3: same."""
    staging = tmp_path / "staging"
    with fixtureweb.FixtureWeb(as_of=NIGHT1_AS_OF) as web:
        sources = load_sources(web.write_sources_yaml(tmp_path / "sources.yaml"))
        hosts = {s.name: s.host for s in sources}

        def canonical(article: dict) -> str:
            return canonicalize_url(article["url"], hosts[article["outlet"]])

        old = {canonical(a) for a in web.expected_articles()}
        night1 = crawl_all(sources, "night-1", staging, {})
        assert {h for h, _, _ in web.requests_log} <= set(hosts.values()), "left the outlets"
        # the warehouse would say: fetched during night 1 (simulated time)
        seen: dict[str, dict[str, str]] = {}
        for source in sources:
            assert night1[source.name]["crawl_error"] is None, night1[source.name]
            pages = staged_pages(staging, "night-1", source.name)
            assert pages == {u for u in old if is_on_site(u, source.host)}
            assert night1[source.name]["pages"] == len(pages)
            seen[source.name] = {u: NIGHT1_AS_OF.isoformat() for u in pages}
        assert old

        web.set_as_of(None)
        today = web.expected_articles()
        new = {canonical(a) for a in today} - old
        updated = {
            canonical(a) for a in today
            if canonical(a) in old and a["updated_at"]
            and datetime.fromisoformat(a["updated_at"]) > NIGHT1_AS_OF
        }
        assert new and updated, "the fixture web should publish and update articles after night 1"
        paths = {urlsplit(canonical(a)).path.rstrip("/") for a in today}
        web.requests_log.clear()
        night2 = crawl_all(sources, "night-2", staging, seen)
        staged2 = set()
        for source in sources:
            assert night2[source.name]["crawl_error"] is None, night2[source.name]
            staged2 |= staged_pages(staging, "night-2", source.name)
        assert staged2 == new | updated  # exactly the new and the updated articles
        assert len(article_requests(web, paths)) == len(new | updated)
        for source in sources:
            seen[source.name].update({u: datetime.now(UTC).isoformat() for u in staged2
                                      if is_on_site(u, source.host)})

        web.requests_log.clear()
        night3 = crawl_all(sources, "night-3", staging, seen)
        assert article_requests(web, paths) == []
        for source in sources:
            stats = night3[source.name]
            assert stats["crawl_error"] is None and stats["pages"] == 0
            budget = len(source.feeds) + len(source.sitemaps) + len(source.listings)
            served = [t for h, t, _ in web.requests_log if h == source.host]
            assert len(served) <= budget, served
            assert stats["requests"] == len(served)
            assert stats["not_modified"] >= 1 and stats["status_counts"].get("304", 0) >= 1
