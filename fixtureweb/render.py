"""Render pages, feeds and sitemaps of one outlet from its CMS templates (jinja2)."""

from __future__ import annotations

import functools
import itertools
import zlib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from fixtureweb import dates
from fixtureweb.metadata import jsonld
from fixtureweb.model import Article, Outlet
from fixtureweb.paging import Pager, page_urls, single_page_url

TEMPLATE_DIR = Path(__file__).parent / "templates"


def make_environment(template_dir: Path = TEMPLATE_DIR) -> jinja2.Environment:
    """A jinja2 environment with the date filters the templates use."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates never change while serving; skips a stat per page
    )
    env.filters.update(
        long_date=dates.long_date,
        day_long_date=dates.day_long_date,
        portal_date=dates.portal_date,
        rfc822=dates.rfc822,
        zone=dates.zone_name,
        iso=lambda moment: moment.isoformat(),
        w3c_date=lambda moment: moment.date().isoformat(),
    )
    return env


def _counter(article: Article, salt: str, modulo: int) -> int:
    """A stable pseudo-random counter (share counts, ids) so pages stay byte-identical."""
    return zlib.crc32(f"{salt}:{article.path}".encode()) % modulo


class Renderer:
    """Turns an outlet's (visible) articles into HTML and XML text for one base URL."""

    def __init__(self, outlet: Outlet, articles: Sequence[Article], base: str,
                 env: jinja2.Environment) -> None:
        self.outlet = outlet
        self.articles = list(articles)
        self.base = base
        self.env = env

    def url(self, article: Article) -> str:
        return self.base.rstrip("/") + article.path

    def section_url(self, name: str) -> str:
        section = self.outlet.section(name)
        return self.base.rstrip("/") + self.outlet.section_path.format(section=section.slug)

    def tag_url(self, tag: str) -> str:
        return f"{self.base}tag/{tag.lower().replace(' ', '-')}/"

    @functools.cached_property
    def _year(self) -> int:
        return max((a.published_at.year for a in self.articles), default=2026)

    @functools.cached_property
    def _by_section(self) -> dict[str, list[Article]]:
        index: dict[str, list[Article]] = {}
        for article in self.articles:
            index.setdefault(article.section, []).append(article)
        return index

    @functools.cached_property
    def _by_authors(self) -> dict[tuple[str, ...], list[Article]]:
        index: dict[tuple[str, ...], list[Article]] = {}
        for article in self.articles:
            index.setdefault(article.authors, []).append(article)
        return index

    @functools.cached_property
    def _popular(self) -> list[Article]:
        return sorted(self.articles, key=lambda a: _counter(a, "views", 5000), reverse=True)[:5]

    def _common(self) -> dict[str, Any]:
        latest = self.articles[:6]
        return {
            "outlet": self.outlet,
            "base": self.base,
            "url": self.url,
            "section_url": self.section_url,
            "tag_url": self.tag_url,
            "latest": latest,
            "popular": self._popular,
            "feed_url": self.base.rstrip("/") + self.outlet.feed_path,
            "year": self._year,
            "counter": _counter,
        }

    def related(self, article: Article, count: int = 4) -> list[Article]:
        """Other articles, same section first, then the newest."""
        same = [a for a in self._by_section.get(article.section, ())
                if a.path != article.path][:count]
        if len(same) < count:
            rest = (a for a in self.articles if a.section != article.section)
            same += list(itertools.islice(rest, count - len(same)))
        return same

    def article_page(self, article: Article, page: int = 1, single: bool = False,
                     split: bool = False) -> str:
        """Page ``page`` of ``article`` (``split``: cut at its page breaks; ``single``: the
        one-page view of a split article)."""
        url = self.url(article)
        parts = article.pages() if split else [article.paragraphs]
        pager = None
        body = article.paragraphs
        page_url = url
        if len(parts) > 1 and not single:
            urls = page_urls(self.outlet, url, len(parts))
            pager = Pager(page, urls, single_page_url(self.outlet, url))
            body = parts[page - 1]
            if self.outlet.article_pages == "path":  # Yoast: each page is its own canonical
                page_url = urls[page - 1]
        context = self._common()
        context.update(
            article=article,
            body=body,
            pager=pager,
            first_page=pager is None or page == 1,
            last_page=pager is None or page == len(parts),
            page_url=page_url,
            related=self.related(article),
            more_from_author=[a for a in self._by_authors.get(article.authors, ())
                              if a.path != article.path][:3],
            dateline=self.outlet.dateline_prefix(article),
            jsonld=Markup(jsonld(self.outlet, article, self.base, url))
            if article.metadata == "jsonld" else None,
            opengraph=article.metadata in ("jsonld", "opengraph"),
            comments=_counter(article, "comments", 4) if article.metadata != "none" else 0,
            views=_counter(article, "views", 5000),
            post_id=10000 + _counter(article, "id", 90000),
        )
        return self.env.get_template(f"{self.outlet.cms}/article.html").render(context)

    def listing_page(self, articles: Sequence[Article], page: int, next_url: str | None,
                     prev_url: str | None, heading: str | None = None,
                     page_url: str | None = None) -> str:
        context = self._common()
        context.update(listed=list(articles), page=page, next_url=next_url, prev_url=prev_url,
                       heading=heading, page_url=page_url or self.base)
        return self.env.get_template(f"{self.outlet.cms}/listing.html").render(context)

    def not_found_page(self, path: str) -> str:
        context = self._common()
        context.update(missing_path=path, page_url=self.base.rstrip("/") + path)
        return self.env.get_template(f"{self.outlet.cms}/notfound.html").render(context)

    def rss(self, last_build: datetime | None, items: Sequence[Article] | None = None) -> str:
        context = self._common()
        context.update(items=self.articles if items is None else list(items),
                       last_build=last_build,
                       dateline=self.outlet.dateline_prefix)
        return self.env.get_template(f"feeds/rss-{self.outlet.cms}.xml").render(context)

    def atom(self, last_build: datetime | None, items: Sequence[Article], atom_url: str) -> str:
        context = self._common()
        context.update(items=list(items), last_build=last_build, atom_url=atom_url)
        return self.env.get_template("feeds/atom.xml").render(context)

    def sitemap(self, news: bool = False, items: Sequence[Article] | None = None) -> str:
        context = self._common()
        context.update(items=self.articles if items is None else list(items))
        name = "feeds/sitemap-news.xml" if news else "feeds/sitemap.xml"
        return self.env.get_template(name).render(context)

    def sitemap_index(self, children: Sequence[tuple[str, datetime | None]]) -> str:
        return self.env.get_template("feeds/sitemap-index.xml").render(children=children)
