"""Discovery files: RSS feeds, sitemaps (incl. the news sitemap index), sources.yaml, listings."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
import yaml

from fixtureweb import FixtureWeb

SLUGS = ["beritaturki", "iphedia", "detakpos"]
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def _expected(web: FixtureWeb, slug: str) -> dict[str, dict]:
    return {a["url"]: a for a in web.expected_articles() if a["outlet"] == slug}


def _sources(web: FixtureWeb, tmp_path: Path) -> dict[str, dict]:
    path = web.write_sources_yaml(tmp_path / "sources.yaml")
    return {s["name"]: s for s in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]}


def _sitemap_urls(fetch, url: str) -> dict[str, ET.Element]:
    """loc -> <url> element, following sitemap indexes."""
    response = fetch(url)
    assert response.status == 200, url
    assert response.headers["content-type"] == "application/xml; charset=UTF-8"
    root = ET.fromstring(response.body)
    if root.tag == f"{SITEMAP_NS}sitemapindex":
        found: dict[str, ET.Element] = {}
        for child in root.iter(f"{SITEMAP_NS}loc"):
            found.update(_sitemap_urls(fetch, child.text or ""))
        return found
    assert root.tag == f"{SITEMAP_NS}urlset"
    return {u.findtext(f"{SITEMAP_NS}loc"): u for u in root.iter(f"{SITEMAP_NS}url")}


def test_sources_yaml_follows_the_contract(web: FixtureWeb, tmp_path: Path, fetch) -> None:
    sources = _sources(web, tmp_path)
    assert sorted(sources) == sorted(SLUGS)
    for slug, entry in sources.items():
        assert set(entry) == {"name", "url", "feeds", "sitemaps", "article_pattern", "language",
                              "timezone"}
        assert entry["url"] == web.base_url(slug)
        assert entry["language"] == "id" and entry["timezone"] == "Asia/Jakarta"
        for url in entry["feeds"] + entry["sitemaps"] + [entry["url"]]:
            assert url.startswith(web.base_url(slug))
            assert fetch(url).status == 200, url
        pattern = re.compile(entry["article_pattern"])
        assert all(pattern.search(url) for url in _expected(web, slug))
        assert not any(pattern.search(url) for url in entry["feeds"] + entry["sitemaps"])
        assert not pattern.search(entry["url"])


@pytest.mark.parametrize("slug", SLUGS)
def test_feed_is_rss2_listing_every_article(web: FixtureWeb, tmp_path: Path, fetch,
                                            slug: str) -> None:
    feed_url = _sources(web, tmp_path)[slug]["feeds"][0]
    response = fetch(feed_url)
    assert response.headers["content-type"] == "application/rss+xml; charset=UTF-8"
    root = ET.fromstring(response.body)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None and channel.findtext("title")
    items = channel.findall("item")
    expected = _expected(web, slug)
    assert {item.findtext("link") for item in items} == set(expected)
    for item in items:
        article = expected[item.findtext("link") or ""]
        assert item.findtext("title") == article["title"]
        assert item.findtext("guid")
        assert item.findtext("category")
        published = parsedate_to_datetime(item.findtext("pubDate") or "")
        assert published == datetime.fromisoformat(article["published_at"])
        assert published.utcoffset() == datetime.fromisoformat(article["published_at"]).utcoffset()


@pytest.mark.parametrize("slug", SLUGS)
def test_sitemap_lists_every_article_with_lastmod(web: FixtureWeb, tmp_path: Path, fetch,
                                                  slug: str) -> None:
    urls = _sitemap_urls(fetch, _sources(web, tmp_path)[slug]["sitemaps"][0])
    expected = _expected(web, slug)
    assert set(urls) == set(expected)
    for loc, element in urls.items():
        lastmod = datetime.fromisoformat(element.findtext(f"{SITEMAP_NS}lastmod") or "")
        article = expected[loc]
        assert lastmod == datetime.fromisoformat(article["updated_at"] or article["published_at"])


def test_detakpos_sitemap_is_an_index_of_a_news_sitemap(web: FixtureWeb, fetch) -> None:
    index = ET.fromstring(fetch(web.base_url("detakpos") + "sitemap.xml").body)
    assert index.tag == f"{SITEMAP_NS}sitemapindex"
    child = index.findtext(f"{SITEMAP_NS}sitemap/{SITEMAP_NS}loc") or ""
    news = ET.fromstring(fetch(child).body)
    dates = [e.text for e in news.iter(f"{NEWS_NS}publication_date")]
    assert len(dates) == len(_expected(web, "detakpos"))


@pytest.mark.parametrize("slug", SLUGS)
def test_listing_pagination_reaches_every_article(web: FixtureWeb, fetch, slug: str) -> None:
    expected = set(_expected(web, slug))
    seen: set[str] = set()
    page_url: str | None = web.base_url(slug)
    pages = 0
    link = re.compile(r"""href=['"]([^'"]+)['"]""")
    while page_url and pages < 10:
        page = fetch(page_url.replace("&amp;", "&"))
        assert page.status == 200, page_url
        hrefs = [h.replace("&amp;", "&") for h in link.findall(page.text)]
        seen |= expected.intersection(hrefs)
        older = re.search(r"""<a[^>]+href=['"]([^'"]+)['"][^>]*(?:aria-label="next-page"|"""
                          r"""blog-pager-older-link|>Selanjutnya<)""", page.text)
        page_url = older.group(1) if older else None
        pages += 1
    assert pages >= 2, "expected more than one listing page"
    assert seen == expected


def test_sources_yaml_can_choose_the_discovery_routes(web: FixtureWeb, tmp_path: Path,
                                                      fetch) -> None:
    path = web.write_sources_yaml(tmp_path / "listings.yaml", feeds=False, sitemaps=False,
                                  listings=True)
    entries = {s["name"]: s for s in yaml.safe_load(path.read_text("utf-8"))["sources"]}
    assert entries["detakpos"]["listings"] == [web.base_url("detakpos") + "indeks"]
    assert entries["iphedia"]["listings"] == [web.base_url("iphedia")]
    for entry in entries.values():
        assert "feeds" not in entry and "sitemaps" not in entry
        page = fetch(entry["listings"][0])
        assert page.status == 200 and 'rel="next"' in page.text.replace("'", '"')


@pytest.mark.parametrize(("slug", "path"), [("iphedia", "feeds/posts/default"),
                                            ("beritaturki", "feed/atom/")])
def test_atom_feeds_beside_rss_list_every_article_with_updated(web: FixtureWeb, fetch,
                                                               slug: str, path: str) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    response = fetch(web.base_url(slug) + path)
    assert response.headers["content-type"] == "application/atom+xml; charset=UTF-8"
    root = ET.fromstring(response.body)
    assert root.tag == f"{atom}feed"
    expected = _expected(web, slug)
    entries = root.findall(f"{atom}entry")
    links = {e.find(f"{atom}link").get("href"): e for e in entries}  # type: ignore[union-attr]
    assert set(links) == set(expected)
    for url, entry in links.items():
        article = expected[url]
        assert entry.findtext(f"{atom}title") == article["title"]
        assert entry.findtext(f"{atom}published") == article["published_at"]
        assert entry.findtext(f"{atom}updated") == (article["updated_at"]
                                                    or article["published_at"])
    assert fetch(web.base_url("detakpos") + "feed/atom/").status == 404
