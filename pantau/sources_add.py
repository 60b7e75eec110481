"""``pantau sources add URL``: discover what a new outlet offers and propose its sources.yaml entry.

From the home page URL it finds (fetching with :class:`pantau.fetch.Fetcher`, so with the
crawler's User-Agent and private-address guard, and obeying robots.txt):

- feeds: ``<link rel="alternate">`` of the home page (trafilatura's ``determine_feed``), else the
  usual paths (``/feed``, ``/rss`` …); each must parse as RSS/Atom with entries on the site;
- sitemaps: robots.txt ``Sitemap:`` lines (trafilatura's ``extract_robots_sitemaps``), else the
  usual paths; Google News sitemaps are recognised (``news:`` entries); an index is followed to
  its newest children;
- listing pages: index pages linked from the home page (``/indeks``, ``/terkini`` …) with article
  links; the home page itself when nothing else is found.

It then learns an ``article_pattern`` (:mod:`pantau.url_patterns`) from the article URLs found,
checked against them and against listing URLs (the home page, the listing pages, section and tag
links of the home page).
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml
from protego import Protego

from core.config import load_sources
from core.errors import ConfigError, PantauError
from extract.urls import is_on_site, site_domain
from pantau.fetch import Fetched, Fetcher
from pantau.url_patterns import TARGET_COVERAGE, LearnedPattern, learn_pattern
from spiders.discovery import (
    Candidate,
    DiscoveryError,
    looks_like_article,
    page_links,
    parse_feed,
    parse_sitemap,
)
from spiders.settings import ROBOTSTXT_USER_AGENT

log = logging.getLogger(__name__)

FEED_PATHS = ("/feed/", "/feed", "/rss", "/rss/", "/rss.xml", "/feed.xml", "/atom.xml",
              "/index.xml", "/feeds/posts/default?alt=rss")
SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml", "/sitemap-news.xml", "/news-sitemap.xml")
#: first path segments of index ("all the news") pages
LISTING_WORDS = ("indeks", "index", "terkini", "terbaru", "berita-terkini", "latest", "arsip")
#: first path segments of pages that are never articles
NON_ARTICLE_WORDS = ("tag", "tags", "topik", "topic", "kategori", "category", "author",
                     "penulis", "page", "search", "cari", "label", "indeks", "index")
MAX_FEEDS = 5
MAX_SITEMAP_CHILDREN = 2
MIN_LISTING_LINKS = 5


@dataclass
class Discovery:
    """What ``sources add`` found about one outlet, and the proposed entry."""

    name: str
    url: str
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    news_sitemaps: list[str] = field(default_factory=list)
    listings: list[str] = field(default_factory=list)
    language: str = "id"
    article_urls: list[str] = field(default_factory=list)
    listing_urls: list[str] = field(default_factory=list)
    learned: LearnedPattern | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def pattern(self) -> str | None:
        return self.learned.pattern if self.learned else None

    def entry(self) -> dict[str, Any]:
        """The sources.yaml entry (a plain mapping, in the file's key order)."""
        entry: dict[str, Any] = {"name": self.name, "url": self.url}
        for key in ("feeds", "sitemaps", "listings"):
            if values := getattr(self, key):
                entry[key] = list(values)
        if self.pattern:
            entry["article_pattern"] = self.pattern
        if self.language != "id":
            entry["language"] = self.language
        return entry

    def notes(self) -> list[str]:
        """What a person should know before using the entry."""
        out = list(self.problems)
        out.append(f"feeds {len(self.feeds)}, sitemaps {len(self.sitemaps)} "
                   f"(Google News: {len(self.news_sitemaps)}), listings {len(self.listings)}")
        learned = self.learned
        if learned is None or learned.pattern is None:
            out.append("no article_pattern: no article URLs were found to learn from")
        else:
            out.append(f"article_pattern takes {learned.matched}/{learned.articles} article URLs "
                       f"found and {len(learned.listing_hits)}/{learned.listings} listing URLs")
            if not learned.good:
                out.append(f"the pattern is below the bar (>= {TARGET_COVERAGE:.0%} of articles, "
                           "no listing): edit it by hand")
        out.append("set timezone: Asia/Makassar (WITA) or Asia/Jayapura (WIT) if the outlet is "
                   "there; then run `pantau sources check NAME`")
        return out

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["entry"] = self.entry()
        data["notes"] = self.notes()
        return data


def outlet_name(host: str) -> str:
    """A slug from the host: ``www.kompas.com`` -> ``kompas``, ``radar-bogor.id`` ->
    ``radar_bogor``."""
    label = site_domain(host).split(".")[0]
    slug = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    return slug if slug and slug[0].isalnum() else f"outlet_{slug}"


class _Explorer:
    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self.robots: Protego | None = None
        self.robots_text = ""

    def read_robots(self, home: str) -> None:
        """Fetch and parse the site's robots.txt (missing or unreadable: everything allowed)."""
        robots = self.fetcher.get(urljoin(home, "/robots.txt"))
        self.robots_text = robots.body.decode("utf-8", "replace") if robots.ok else ""
        self.robots = Protego.parse(self.robots_text) if robots.ok else None

    def allowed(self, url: str) -> bool:
        return self.robots is None or self.robots.can_fetch(url, ROBOTSTXT_USER_AGENT)

    def get(self, url: str) -> Fetched | None:
        if not self.allowed(url):
            log.info("robots.txt disallows %s", url)
            return None
        fetched = self.fetcher.get(url)
        return fetched if fetched.ok else None


def _home_url(url: str) -> str:
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PantauError(f"'{url}' is not an http(s) URL of an outlet's home page")
    return f"{parts.scheme}://{parts.netloc}/"


def discover(url: str, fetcher: Fetcher, name: str | None = None) -> Discovery:
    """Explore the outlet at ``url`` (see the module docstring)."""
    from trafilatura.feeds import FeedParameters, determine_feed
    from trafilatura.sitemaps import extract_robots_sitemaps

    home = _home_url(url)
    explorer = _Explorer(fetcher)
    explorer.read_robots(home)
    if not explorer.allowed(home):
        raise PantauError(f"robots.txt of {home} disallows its home page for pantau")
    first = fetcher.get(home)
    if first.problem:
        raise PantauError(f"cannot read the home page {home}: {first.problem}")
    if _home_url(first.url) != home:  # redirected (example.id -> www.example.id)
        home = _home_url(first.url)
        explorer.read_robots(home)
    host = urlsplit(home).hostname or ""
    found = Discovery(name or outlet_name(host), home)
    html = first.body.decode("utf-8", "replace")
    head = re.sub(r"<!--.*?-->", "", html[:20000], flags=re.DOTALL)  # IE conditional comments
    if m := re.search(r"<html[^>]*\blang=[\"']?([a-zA-Z]{2})\b", head):
        found.language = m.group(1).lower()
    articles: dict[str, None] = {}

    # feeds
    params = FeedParameters(home, site_domain(host), home)
    feed_urls = [u for u in determine_feed(html, params) if is_on_site(u, host)]
    if not feed_urls:
        feed_urls = [urljoin(home, p) for p in FEED_PATHS]
    for feed_url in dict.fromkeys(feed_urls):
        if len(found.feeds) >= MAX_FEEDS:
            break
        fetched = explorer.get(feed_url)
        entries = _entries(fetched, parse_feed, host) if fetched else []
        if entries and not {c.url for c in entries} <= articles.keys():  # not a copy (Atom/RSS)
            found.feeds.append(feed_url)
            articles.update(dict.fromkeys(c.url for c in entries))

    # sitemaps
    sitemap_urls = [u for u in extract_robots_sitemaps(explorer.robots_text, home)
                    if is_on_site(u, host)] if explorer.robots_text else []
    if not sitemap_urls:
        sitemap_urls = [urljoin(home, p) for p in SITEMAP_PATHS]
    for sitemap_url in dict.fromkeys(sitemap_urls):
        urls, news = _read_sitemap(explorer, sitemap_url, host)
        if urls:
            found.sitemaps.append(sitemap_url)
            articles.update(dict.fromkeys(urls))
            if news:
                found.news_sitemaps.append(sitemap_url)

    # listings
    from scrapy.http import HtmlResponse

    links = page_links(HtmlResponse(url=first.url, body=first.body,
                                    headers={"Content-Type": "text/html"}))
    on_site = [c.url for c in links if is_on_site(c.url, host)]
    index_pages = [u for u in on_site if not urlsplit(u).query
                   and urlsplit(u).path.strip("/").split("/")[0].lower() in LISTING_WORDS]
    for link in dict.fromkeys(index_pages):
        if len(found.listings) < 2:
            fetched = explorer.get(link)
            if fetched is None:
                continue
            listed = _article_links(fetched, host)
            if len(listed) >= MIN_LISTING_LINKS:
                found.listings.append(link)
                articles.update(dict.fromkeys(listed))
    home_articles = [u for u in on_site if looks_like_article(u)]
    if not (found.feeds or found.sitemaps or found.listings) and \
            len(home_articles) >= MIN_LISTING_LINKS:
        found.listings.append(home)
    if not articles:
        articles.update(dict.fromkeys(home_articles))

    found.article_urls = list(articles)
    found.listing_urls = list(dict.fromkeys(
        [home, *found.listings, *(u for u in on_site if _is_listing_link(u) and u not in articles)]
    ))
    found.learned = learn_pattern(found.article_urls, found.listing_urls)
    if not (found.feeds or found.sitemaps or found.listings):
        found.problems.append("no feed, sitemap or listing page found: add one by hand")
    return found


def _entries(fetched: Fetched, parse: Any, host: str) -> list[Candidate]:
    try:
        doc = parse(fetched.body, fetched.url)
    except DiscoveryError:
        return []
    return [c for c in doc.entries if is_on_site(c.url, host)]


def _read_sitemap(explorer: _Explorer, url: str, host: str,
                  depth: int = 0) -> tuple[list[str], bool]:
    """(article URLs, is a Google News sitemap) of a sitemap; an index gives its children's."""
    fetched = explorer.get(url)
    if fetched is None:
        return [], False
    try:
        doc = parse_sitemap(fetched.body, fetched.url)
    except DiscoveryError:
        return [], False
    entries = [c for c in doc.entries if is_on_site(c.url, host)]
    if doc.kind == "urlset":
        news = any("news_published" in c.hints for c in entries)
        return [c.url for c in entries], news
    if depth >= 2:
        return [], False
    entries.sort(key=lambda c: c.hints.get("lastmod", ""), reverse=True)
    news_children = [c for c in entries if "news" in urlsplit(c.url).path.lower()]
    urls: list[str] = []
    is_news = False
    for child in dict.fromkeys(c.url for c in [*news_children[:1],
                                               *entries[:MAX_SITEMAP_CHILDREN]]):
        child_urls, child_news = _read_sitemap(explorer, child, host, depth + 1)
        urls += child_urls
        is_news = is_news or child_news
    return urls, is_news


def _article_links(fetched: Fetched, host: str) -> list[str]:
    from scrapy.http import HtmlResponse

    response = HtmlResponse(url=fetched.url, body=fetched.body,
                            headers={"Content-Type": "text/html"})
    return list(dict.fromkeys(c.url for c in page_links(response)
                              if is_on_site(c.url, host) and looks_like_article(c.url)))


def _is_listing_link(url: str) -> bool:
    """Section, tag, author and index links: one path segment, or a known listing word."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if not segments:
        return True
    return len(segments) == 1 and not looks_like_article(url) or \
        segments[0].lower() in NON_ARTICLE_WORDS


# --- output -------------------------------------------------------------------------------------


class _Quoted(str):
    """A string YAML writes in single quotes (regexes stay readable: no escaped backslashes)."""


def _quoted(dumper: yaml.SafeDumper, value: _Quoted) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="'")


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # lists indented under their key, as in sources.yaml


_Dumper.add_representer(_Quoted, _quoted)


def entry_yaml(found: Discovery, indent: int = 2) -> str:
    """The entry as sources.yaml text (a list item), with a comment on how it was made."""
    entry = found.entry()
    if "article_pattern" in entry:
        entry["article_pattern"] = _Quoted(entry["article_pattern"])
    text = yaml.dump([entry], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
    learned = found.learned
    comment = f"# proposed by `pantau sources add` on {date.today().isoformat()}"
    if learned and learned.pattern:
        comment += (f"; article_pattern takes {learned.matched}/{learned.articles} article URLs "
                    f"and {len(learned.listing_hits)}/{learned.listings} listing URLs found")
    pad = " " * indent
    lines = [comment] + [line for line in text.splitlines()]
    return "\n".join(pad + line if line else line for line in lines) + "\n"


def append_entry(path: Path, found: Discovery) -> None:
    """Append the entry to a sources file after checking that the result loads (unique name,
    valid URLs and pattern, no overlap with another outlet's domain without patterns)."""
    if path.is_dir():
        raise PantauError(f"{path} is a folder: give --sources FILE to write to")
    if found.learned is None or not found.learned.good:
        raise PantauError("the learned article_pattern does not pass its own check "
                          f"(>= {TARGET_COVERAGE:.0%} of article URLs, no listing URL); print the "
                          "entry without --write and edit it by hand")
    text = path.read_text(encoding="utf-8") if path.exists() else "sources:\n"
    items = re.findall(r"^( *)- name:", text, flags=re.MULTILINE)
    indent = len(items[-1]) if items else 2
    new_text = text.rstrip("\n") + "\n\n" + entry_yaml(found, indent)
    candidate = path.with_name(f".{path.name}.new")
    candidate.write_text(new_text, encoding="utf-8")
    try:
        load_sources(candidate)
    except ConfigError as exc:
        candidate.unlink()
        raise PantauError(f"the entry would make {path} invalid, nothing written: "
                          f"{str(exc).replace(str(candidate), str(path))}") from None
    candidate.replace(path)
