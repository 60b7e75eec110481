"""``pantau sources add``: discovery on the fixture web (shipped and scale-mode outlets) and the
learned article_pattern on the fixture outlets' and real pages' URLs (>= 95 % of articles, no
listing)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from click.testing import CliRunner
from scrapy.http import HtmlResponse

from core.config import load_sources
from pantau.cli import cli
from pantau.fetch import Fetcher
from pantau.sources_add import _is_listing_link, discover, entry_yaml
from pantau.url_patterns import learn_pattern, segment_tokens
from spiders.discovery import page_links
from tests.realpages import needs_realpages, real_pages, real_urls


@pytest.fixture(scope="module")
def web() -> Iterator[Any]:
    from fixtureweb import FixtureWeb

    with FixtureWeb() as server:
        yield server


def _articles_of(web: Any, slug: str) -> list[str]:
    host = urlsplit(web.base_url(slug)).hostname
    return [a["url"] for a in web.expected_articles() if urlsplit(a["url"]).hostname == host]


def _listing_urls(web: Any, slug: str) -> list[str]:
    """The home page and every section/category/label/index link on it (ground truth: the
    fixture's pages that are not articles)."""
    from pantau.fetch import Fetcher

    home = web.base_url(slug)
    page = Fetcher(allow_private_hosts=True).get(home)
    links = page_links(HtmlResponse(url=home, body=page.body))
    articles = set(_articles_of(web, slug))
    others = [c.url for c in links if urlsplit(c.url).hostname == urlsplit(home).hostname
              and c.url not in articles and re.search(r"/(category|search|indeks|politik|"
                                                       r"ekonomi|label)", c.url)]
    return [home, *others]


@pytest.mark.parametrize("slug", ["beritaturki", "detakpos", "iphedia"])
def test_fixture_outlets_feeds_sitemaps_and_pattern(web: Any, slug: str, tmp_path: Path) -> None:
    found = discover(web.base_url(slug), Fetcher(allow_private_hosts=True))
    outlet = {s.name: s for s in load_sources(web.write_sources_yaml(
        tmp_path / "sources.yaml"))}[slug]
    assert found.name == slug and found.url == web.base_url(slug)
    # the <link rel="alternate"> feed of the home page; one of Atom/RSS twins (same articles)
    assert len(found.feeds) == 1 and found.feeds[0] in web.base_url(slug) + "feeds/posts/default" \
        or found.feeds == list(outlet.feeds)
    assert found.sitemaps == list(outlet.sitemaps)  # robots.txt Sitemap: line
    assert found.language == "id"
    learned = found.learned
    assert learned is not None and learned.good
    rx = re.compile(learned.pattern or "")
    articles = _articles_of(web, slug)
    assert sum(1 for u in articles if rx.search(u)) >= 0.95 * len(articles)
    listings = _listing_urls(web, slug)
    assert len(listings) >= 5 and [u for u in listings if rx.search(u)] == []


def test_google_news_sitemap_and_index_page_are_found(web: Any) -> None:
    found = discover(web.base_url("detakpos"), Fetcher(allow_private_hosts=True))
    assert found.news_sitemaps == found.sitemaps  # its index leads to /sitemap-news.xml
    assert found.listings == [web.base_url("detakpos") + "indeks"]


def test_robots_txt_is_obeyed(web: Any) -> None:
    web.set_robots("beritaturki", "User-agent: *\nDisallow: /feed/\n"
                   f"Sitemap: {web.base_url('beritaturki')}sitemap.xml\n")
    try:
        found = discover(web.base_url("beritaturki"), Fetcher(allow_private_hosts=True))
    finally:
        web.set_robots("beritaturki", None)
    assert not any(u.endswith("/feed/") for u in found.feeds)
    assert found.sitemaps and found.learned is not None and found.learned.good


def test_scale_mode_outlets(tmp_path: Path) -> None:
    from fixtureweb import FixtureWeb

    with FixtureWeb(scale=(6, 150), seed=3) as scaled:
        fetcher = Fetcher(allow_private_hosts=True)
        for slug in scaled.outlets:  # the three CMS archetypes, twice
            found = discover(scaled.base_url(slug), fetcher)
            assert found.feeds and found.sitemaps, slug
            rx = re.compile(found.pattern or "^$")
            articles = _articles_of(scaled, slug)
            assert sum(1 for u in articles if rx.search(u)) >= 0.95 * len(articles), slug
            assert [u for u in _listing_urls(scaled, slug) if rx.search(u)] == [], slug


def test_cli_prints_an_entry_and_writes_it_after_validation(web: Any, tmp_path: Path) -> None:
    sources = tmp_path / "sources.yaml"
    web.write_sources_yaml(sources)
    text = sources.read_text(encoding="utf-8")
    start = text.index("- name: iphedia")
    sources.write_text(text[:start].rstrip() + "\n", encoding="utf-8")  # iphedia left out
    runner = CliRunner()
    base = ["--sources", str(sources), "--allow-private-hosts", "sources", "add"]

    printed = runner.invoke(cli, [*base, web.base_url("iphedia")])
    assert printed.exit_code == 0, printed.output
    entry = yaml.safe_load(printed.stdout)[0]
    assert entry["name"] == "iphedia" and entry["article_pattern"]
    assert "article_pattern takes" in printed.stderr

    as_json = runner.invoke(cli, [*base, web.base_url("iphedia"), "--json"])
    data = json.loads(as_json.stdout)
    assert data["entry"] == entry and data["learned"]["listing_hits"] == []
    assert data["article_urls"] and data["listing_urls"][0] == web.base_url("iphedia")

    written = runner.invoke(cli, [*base, web.base_url("iphedia"), "--write"])
    assert written.exit_code == 0, written.output
    loaded = {s.name: s for s in load_sources(sources)}
    assert set(loaded) == {"beritaturki", "detakpos", "iphedia"}
    assert loaded["iphedia"].article_pattern == entry["article_pattern"]

    before = sources.read_text(encoding="utf-8")
    again = runner.invoke(cli, [*base, web.base_url("iphedia"), "--write"])
    assert again.exit_code != 0 and "source name 'iphedia' is already used" in str(again.exception)
    assert sources.read_text(encoding="utf-8") == before  # nothing written
    renamed = runner.invoke(cli, [*base, web.base_url("iphedia"), "--name", "iphedia2",
                                  "--write"])
    assert renamed.exit_code == 0, renamed.output
    assert "iphedia2" in {s.name for s in load_sources(sources)}


def test_entry_yaml_is_a_list_item_of_a_sources_file(web: Any) -> None:
    found = discover(web.base_url("beritaturki"), Fetcher(allow_private_hosts=True))
    doc = yaml.safe_load("sources:\n" + entry_yaml(found))
    assert doc["sources"][0]["article_pattern"] == found.pattern


def test_segment_tokens() -> None:
    assert [t.regex for t in segment_tokens("2026")] == [r"\d{4}"]
    assert [t.regex for t in segment_tokens("d-7712345")] == [r"d-\d+", r"[a-z]+-\d+"]
    assert [t.regex for t in segment_tokens("slug-12345.html")] == [r"[^/]*-\d+\.html"]
    assert [t.regex for t in segment_tokens("berita")] == [r"[^/]+", "berita"]


def test_learning_needs_articles_and_reports_listing_hits() -> None:
    assert learn_pattern([], ["https://a.id/"]).pattern is None
    learned = learn_pattern(["https://a.id/2026/01/02/x", "https://a.id/2026/01/03/y"],
                            ["https://a.id/", "https://a.id/2026/01/"])
    assert learned.good and learned.matched == 2 and learned.listing_hits == []


@needs_realpages
def test_learned_patterns_on_real_urls() -> None:
    """Per real outlet: its article URLs (old and new forms) and listing URLs (the saved home
    pages and their section links)."""
    articles: dict[str, list[str]] = defaultdict(list)
    listings: dict[str, list[str]] = defaultdict(list)
    for folder, url, kind in real_urls():
        if "feedsportal" in url:  # detik's 2015 feed went through a redirector
            continue
        (articles if kind == "article" else listings)[folder].append(url)
    for page in real_pages():
        if page.kind == "listing" and not page.is_feed:
            host = urlsplit(page.url).hostname or ""
            links = page_links(HtmlResponse(url=page.url, body=page.file.read_bytes()))
            listings[page.folder] += [c.url for c in links if urlsplit(c.url).hostname == host
                                      and _is_listing_link(c.url)
                                      and c.url not in articles[page.folder]]
    report = {}
    for folder, urls in sorted(articles.items()):
        learned = learn_pattern(urls, listings[folder])
        report[folder] = (learned.pattern, learned.matched, learned.articles,
                          learned.listing_hits)
        print(folder, report[folder])
    bad = {k: v for k, v in report.items() if v[1] < 0.95 * v[2] or v[3]}
    assert bad == {}
    assert sum(len(v) for v in listings.values()) > 50  # section links were checked too


def test_unreadable_or_private_home_pages_are_clear_errors(web: Any) -> None:
    from core.errors import PantauError

    with pytest.raises(PantauError, match="refusing to crawl loopback/private host"):
        discover(web.base_url("iphedia"), Fetcher())
    web.inject(web.base_url("iphedia"), "status", code=500)
    try:
        with pytest.raises(PantauError, match=r"cannot read the home page .*: HTTP 500"):
            discover(web.base_url("iphedia"), Fetcher(allow_private_hosts=True))
    finally:
        web.clear_faults()
    with pytest.raises(PantauError, match="not an http"):
        discover("ftp://example.id/", Fetcher())


def test_a_home_page_robots_txt_forbids_is_not_read(web: Any) -> None:
    from core.errors import PantauError

    web.set_robots("detakpos", "User-agent: pantau\nDisallow: /\n")
    before = len(web.requests_log)
    try:
        with pytest.raises(PantauError, match="robots.txt of .* disallows its home page"):
            discover(web.base_url("detakpos"), Fetcher(allow_private_hosts=True))
    finally:
        web.set_robots("detakpos", None)
    assert [p for h, p, _ in web.requests_log[before:] if h == "detakpos.localhost"] == [
        "/robots.txt"]
