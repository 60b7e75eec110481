"""Scale mode: many generated outlets x articles, deterministic, quick to start, crawlable."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from fixtureweb import FixtureWeb
from fixtureweb.synth import synthetic_outlets

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def big() -> Iterator[tuple[FixtureWeb, float]]:
    started = time.monotonic()
    web = FixtureWeb(scale=(50, 200), seed=7).start()
    elapsed = time.monotonic() - started
    try:
        yield web, elapsed
    finally:
        web.stop()


def _sitemap_urls(fetch_at, port: int, url: str) -> list[str]:
    response = fetch_at(port, url)
    assert response.status == 200, url
    root = ET.fromstring(response.body)
    if root.tag == f"{SITEMAP_NS}sitemapindex":
        found: list[str] = []
        for child in root.iter(f"{SITEMAP_NS}loc"):
            found += _sitemap_urls(fetch_at, port, child.text or "")
        return found
    return [u.findtext(f"{SITEMAP_NS}loc") or "" for u in root.iter(f"{SITEMAP_NS}url")]


def test_ten_thousand_articles_over_fifty_outlets_start_fast(big) -> None:
    web, elapsed = big
    assert elapsed < 2.0, f"scale mode took {elapsed:.2f}s to start"
    assert len(web.outlets) == 50
    records = web.expected_articles()
    assert len(records) == 10_000
    assert len({r["url"] for r in records}) == 10_000
    assert len({r["text"] for r in records}) == 10_000  # every body is its own
    per_outlet = Counter(r["outlet"] for r in records)
    assert set(per_outlet.values()) == {200}


def test_generation_is_deterministic_per_seed() -> None:
    first, again = synthetic_outlets(4, 30, seed=3), synthetic_outlets(4, 30, seed=3)
    assert first == again
    other = synthetic_outlets(4, 30, seed=4)
    assert [a.paragraphs for a in other[next(iter(other))].articles] != \
        [a.paragraphs for a in first[next(iter(first))].articles]
    with pytest.raises(ValueError, match="at least one outlet"):
        synthetic_outlets(0, 10)


def test_outlets_rotate_the_three_cms_and_write_plausible_articles(big) -> None:
    web, _ = big
    outlets = web._outlets  # noqa: SLF001 - the generated data itself is under test
    assert Counter(o.cms for o in outlets.values()) == {"wordpress": 17, "blogger": 17,
                                                        "portal": 16}
    for outlet in outlets.values():
        assert re.fullmatch(r"[a-z]+\d{2}", outlet.slug)
        pattern = re.compile(outlet.article_pattern)
        assert all(pattern.search(a.path) for a in outlet.articles)
        assert outlet.articles == tuple(sorted(outlet.articles, key=lambda a: a.published_at,
                                               reverse=True))
    sample = next(iter(outlets.values())).articles[0]
    assert 4 <= len(sample.paragraphs) <= 8
    words = " ".join(sample.paragraphs).lower().split()
    assert {"di", "yang"} & set(words) and len(words) > 60


def test_sources_sitemaps_and_feeds_cover_every_article(big, fetch_at, tmp_path: Path) -> None:
    web, _ = big
    sources = yaml.safe_load(web.write_sources_yaml(tmp_path / "s.yaml").read_text("utf-8"))
    assert len(sources["sources"]) == 50
    expected: dict[str, set[str]] = {}
    for record in web.expected_articles():
        expected.setdefault(record["outlet"], set()).add(record["url"])
    by_cms: dict[str, str] = {}
    for slug, outlet in web._outlets.items():  # noqa: SLF001
        by_cms.setdefault(outlet.cms, slug)
    for cms, slug in by_cms.items():  # one outlet of each CMS, fully
        entry = next(s for s in sources["sources"] if s["name"] == slug)
        index = ET.fromstring(fetch_at(web.port, entry["sitemaps"][0]).body)
        assert index.tag == f"{SITEMAP_NS}sitemapindex", cms
        children = [c.text or "" for c in index.iter(f"{SITEMAP_NS}loc")]
        assert sum("/sitemap-" in c and c.endswith(tuple(f"-{n}.xml" for n in (1, 2)))
                   for c in children) == 2
        urls = _sitemap_urls(fetch_at, web.port, entry["sitemaps"][0])
        assert set(urls) == expected[slug], cms
        feed = ET.fromstring(fetch_at(web.port, entry["feeds"][0]).body)
        links = [i.findtext("link") for i in feed.iter("item")]
        assert len(links) == 50 and set(links) <= expected[slug]


def test_sampled_pages_carry_their_text_and_own_dateline(big, fetch_at) -> None:
    web, _ = big
    records = web.expected_articles()
    for record in records[::997]:  # a spread over the outlets
        page = fetch_at(web.port, record["url"])
        assert page.status == 200, record["url"]
        text = re.sub(r"\s+", " ", page.text.replace("&#34;", '"').replace("&#39;", "'"))
        for paragraph in record["text"].split("\n\n")[1:]:
            assert paragraph in text, (record["url"], paragraph[:40])
        assert "BERITATURKI.COM" not in text and "IPHEDIA.com -" not in text


def test_time_travel_in_scale_mode(big) -> None:
    web, _ = big
    halfway = datetime.fromisoformat("2026-11-16T00:00:00+07:00")
    changes = web.changes_between(halfway, None)
    assert 3_000 < len(changes.new) < 7_000
    assert changes.edited  # the "Ralat" of every 97th article
    assert all(u in changes.updated for u in changes.edited)


def test_warm_renders_everything_once() -> None:
    with FixtureWeb(scale=(3, 8), seed=1) as web:
        rendered = web.warm()
        # per outlet: robots, home, feed, sitemap (+ news sitemap for the portal), 8 articles
        assert rendered >= 3 * 12
        slug = web.outlets[0]
        url = web.expected_articles()[0]["url"]
        host = f"{slug}.localhost:{web.port}"
        cached = web.respond(slug, host, url.split(str(web.port), 1)[1])
        assert cached is not None and cached.status == 200 and b"<html" in cached.body
        assert set(web.boilerplate) == set(web.outlets)
