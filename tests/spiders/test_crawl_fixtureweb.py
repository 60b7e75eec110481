"""Crawl every fixture-web outlet for real (loopback): complete, on-host, incremental."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pantau.config import Source, load_sources
from pantau.staging import iter_records, records_path
from pantau.urls import canonicalize_url
from spiders.runner import crawl_source

fixtureweb = pytest.importorskip("fixtureweb")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def web() -> Iterator[object]:
    with fixtureweb.FixtureWeb() as served:
        yield served


def crawl_all(sources: list[Source], run_id: str, staging: Path,
              seen: dict[str, list[str]]) -> dict[str, dict]:
    with ThreadPoolExecutor(max_workers=len(sources)) as pool:
        futures = {
            s.name: pool.submit(crawl_source, s, run_id, staging, seen.get(s.name, []),
                                allow_private_hosts=True, timeout=120)
            for s in sources
        }
        return {name: f.result() for name, f in futures.items()}


def test_two_nights_over_the_fixture_web(web, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sources = load_sources(web.write_sources_yaml(tmp_path / "sources.yaml"))
    expected: dict[str, set[str]] = {s.name: set() for s in sources}
    hosts = {s.name: s.host for s in sources}
    for article in web.expected_articles():
        expected[article["outlet"]].add(canonicalize_url(article["url"], hosts[article["outlet"]]))
    assert all(expected.values()), "the fixture web serves no articles"

    web.requests_log.clear()
    night1 = crawl_all(sources, "night-1", tmp_path / "staging", {})
    staged: dict[str, list[str]] = {}
    for source in sources:
        stats = night1[source.name]
        assert stats["crawl_error"] is None, stats
        records = list(iter_records(records_path(tmp_path / "staging", "night-1", source.name)))
        pages = [r["url"] for r in records if r["type"] == "page"]
        assert sorted(pages) == sorted(expected[source.name])  # each article exactly once
        assert [r for r in records if r["type"] == "error"] == []
        assert stats["pages"] == len(pages)
        staged[source.name] = pages
    served_hosts = {host for host, _, _ in web.requests_log}
    assert served_hosts <= {f"{s.host}" for s in sources}  # nothing off the outlets' hosts

    article_paths = {urlsplit(u).path.rstrip("/") for urls in expected.values() for u in urls}
    web.requests_log.clear()
    night2 = crawl_all(sources, "night-2", tmp_path / "staging", staged)
    for source in sources:
        assert night2[source.name]["crawl_error"] is None
        assert night2[source.name]["pages"] == 0
        assert night2[source.name]["seen_skipped"] >= len(expected[source.name])
    fetched_articles = [
        target for _, target, _ in web.requests_log
        if urlsplit(target).path.rstrip("/") in article_paths
    ]
    assert fetched_articles == []
