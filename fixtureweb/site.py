"""Route one request path of one outlet to a response: pages, feed, sitemaps, robots, 404."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import parse_qs, quote, urlsplit

import jinja2

from fixtureweb.model import Article, Outlet
from fixtureweb.paging import requested_page
from fixtureweb.render import Renderer

HTML = "text/html; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
RSS = "application/rss+xml; charset=UTF-8"
ATOM = "application/atom+xml; charset=UTF-8"
# Atom feeds beside the RSS ones, where the CMS has them (the RSS feed_path wins on a tie)
ATOM_PATHS = {"wordpress": "/feed/atom/", "blogger": "/feeds/posts/default"}
TEXT = "text/plain; charset=UTF-8"

NEWS_SITEMAP_PATH = "/sitemap-news.xml"


@dataclass(frozen=True)
class Response:
    """What the HTTP layer sends; ``last_modified`` enables conditional GET."""

    status: int
    content_type: str
    body: bytes
    last_modified: datetime | None = None
    headers: dict[str, str] = field(default_factory=dict)


def visible_articles(outlet: Outlet, as_of: datetime | None) -> list[Article]:
    """The outlet's articles as of ``as_of`` (None: the final state), newest first.

    Published at or before ``as_of``, not yet removed, with the updates made by then applied.
    """
    return [a.state_at(as_of) for a in outlet.articles
            if a.is_published(as_of) and not a.is_removed(as_of)]


def removed_articles(outlet: Outlet, as_of: datetime | None) -> dict[str, int]:
    """``{path: 404 or 410}`` of the outlet's articles removed by ``as_of``."""
    return {a.path: a.removed_status for a in outlet.articles if a.is_removed(as_of)}


def _newest(articles: Sequence[Article]) -> datetime | None:
    return max((a.modified_at for a in articles), default=None)


class OutletSite:
    """The web site of one outlet as seen at ``as_of``, for requests addressed to ``base``."""

    def __init__(self, outlet: Outlet, as_of: datetime | None, base: str,
                 env: jinja2.Environment, multipage: bool = False) -> None:
        self.outlet = outlet
        self.multipage = multipage
        self.articles = visible_articles(outlet, as_of)
        self.base = base
        self.by_path = {a.path: a for a in self.articles}
        self.removed = removed_articles(outlet, as_of)
        self.render = Renderer(outlet, self.articles, base, env)
        self.section_paths = {
            outlet.section_path.format(section=s.slug): s.name for s in outlet.sections
        }

    def respond(self, target: str) -> Response:
        """The response for a request target (path plus optional query)."""
        parts = urlsplit(target)
        path, query = parts.path or "/", parse_qs(parts.query)
        if path == "/robots.txt":
            return Response(200, TEXT, self._robots().encode())
        if path == ATOM_PATHS.get(self.outlet.cms) and query.get("alt") != ["rss"]:
            return self._atom()
        if path == urlsplit(self.outlet.feed_path).path:
            return self._feed()
        if path == self.outlet.sitemap_path:
            return self._sitemap()
        chunk = self._sitemap_chunk(path)
        if chunk is not None:
            return self._xml(XML, self.render.sitemap(items=chunk), chunk)
        if path == NEWS_SITEMAP_PATH and self.outlet.sitemap_kind == "news_index":
            news = self._news_items()
            return self._xml(XML, self.render.sitemap(news=True, items=news), news)
        if path in self.removed:
            body = self.render.not_found_page(path).encode()
            return Response(self.removed[path], HTML, body)
        if self.multipage:
            paged = requested_page(self.outlet, path, query, self.by_path)
            if paged is not None:
                return self._article_page(self.by_path[paged[0]], paged[1])
        article = self.by_path.get(path)
        if article is not None:
            return self._html(self.render.article_page(article), article.modified_at)
        if not path.endswith("/") and f"{path}/" in self.by_path:
            location = self.base.rstrip("/") + path + "/"
            return Response(301, TEXT, b"", headers={"Location": location})
        listing = self._paginated(path, query, self.base.rstrip("/") + target)
        if listing is not None:
            return listing
        return Response(404, HTML, self.render.not_found_page(path).encode())

    def _article_page(self, article: Article, page: int | None) -> Response:
        count = len(article.pages())
        if page is not None and not 1 <= page <= count:
            return Response(404, HTML, self.render.not_found_page(article.path).encode())
        html = self.render.article_page(article, page or 1, single=page is None, split=True)
        return self._html(html, article.modified_at)

    # -- listings -------------------------------------------------------------------------

    def _paginated(self, path: str, query: dict[str, list[str]], url: str) -> Response | None:
        """Home/index and section listings with the outlet's pagination, or None.

        wordpress: ``/``, ``/page/N/``, ``/category/x/``, ``/category/x/page/N/``;
        portal: ``/``, ``/indeks?page=N``, ``/<section>?page=N``;
        blogger: ``/``, ``/search?updated-max=…``, ``/search/label/X[?updated-max=…]``.
        """
        style = self.outlet.pagination
        prefix, page = path, 1
        if style == "wordpress":
            match = re.fullmatch(r"(.*/)page/(\d+)/", path)
            if match:
                prefix, page = match.group(1), int(match.group(2))
        elif style == "portal" and (path == "/indeks" or path in self.section_paths):
            try:
                page = int(query.get("page", ["1"])[0] or 1)
            except ValueError:
                return None
        if prefix == "/" or (style == "portal" and prefix == "/indeks"):
            section = None
        elif prefix in self.section_paths:
            section = self.section_paths[prefix]
        elif style == "blogger" and prefix == "/search" and "updated-max" in query:
            section = None
        else:
            return None
        listed = self.articles if section is None else \
            [a for a in self.articles if a.section == section]
        if style == "blogger" and "updated-max" in query:
            return self._blogger_older(listed, section, query["updated-max"][0], url)
        per_page = self.outlet.per_page
        if page < 1:
            return None
        chunk = listed[(page - 1) * per_page: page * per_page]
        if page > 1 and not chunk:
            return None
        has_next = len(listed) > page * per_page
        return self._listing(
            chunk, page,
            self._page_url(section, page + 1, chunk) if has_next else None,
            self._page_url(section, page - 1, chunk) if page > 1 else None,
            heading=section, url=url)

    def _page_url(self, section: str | None, page: int, chunk: Sequence[Article]) -> str:
        root = self.base.rstrip("/")
        prefix = self.outlet.section_path.format(section=self.outlet.section(section).slug) \
            if section else None
        if self.outlet.pagination == "wordpress":
            start = prefix or "/"
            return f"{root}{start}" if page == 1 else f"{root}{start}page/{page}/"
        if self.outlet.pagination == "portal":
            if prefix:
                return f"{root}{prefix}" if page == 1 else f"{root}{prefix}?page={page}"
            return f"{root}/indeks?page={page}"
        oldest = chunk[-1].published_at.isoformat()
        return (f"{root}{prefix or '/search'}?updated-max={quote(oldest)}"
                f"&max-results={self.outlet.per_page}")

    def _blogger_older(self, listed: Sequence[Article], section: str | None,
                       updated_max: str, url: str) -> Response | None:
        try:
            limit = datetime.fromisoformat(updated_max)
        except ValueError:
            return None
        older = [a for a in listed if a.published_at < limit]
        chunk = older[: self.outlet.per_page]
        if not chunk:
            return None
        has_next = len(older) > len(chunk)
        newer = self._page_url(section, 1, chunk).split("?")[0] if section else self.base
        return self._listing(chunk, 2, self._page_url(section, 0, chunk) if has_next else None,
                             newer, heading=section, url=url)

    def _listing(self, chunk: Sequence[Article], page: int, next_url: str | None,
                 prev_url: str | None, heading: str | None = None,
                 url: str | None = None) -> Response:
        html = self.render.listing_page(chunk, page, next_url, prev_url, heading, url)
        return self._html(html, _newest(chunk))

    # -- machine files --------------------------------------------------------------------

    def _feed(self) -> Response:
        limit = self.outlet.feed_limit
        items = self.articles[:limit] if limit else self.articles
        return self._xml(RSS, self.render.rss(_newest(items), items), items)

    def _atom(self) -> Response:
        limit = self.outlet.feed_limit
        items = self.articles[:limit] if limit else self.articles
        url = self.base.rstrip("/") + ATOM_PATHS[self.outlet.cms]
        return self._xml(ATOM, self.render.atom(_newest(items), items, url), items)

    def _news_items(self) -> list[Article]:
        """The news sitemap: everything, or (paginated outlets) the last two days only."""
        if not self.outlet.sitemap_page_size or not self.articles:
            return self.articles
        since = self.articles[0].published_at - timedelta(days=2)
        return [a for a in self.articles if a.published_at >= since]

    def _sitemap_chunks(self) -> list[list[Article]]:
        """Sitemap pages, oldest articles first, so old pages stay unchanged as news arrives."""
        size = self.outlet.sitemap_page_size
        oldest_first = self.articles[::-1]
        return [oldest_first[i:i + size] for i in range(0, len(oldest_first), size)]

    def _sitemap_chunk(self, path: str) -> list[Article] | None:
        if not self.outlet.sitemap_page_size:
            return None
        match = re.fullmatch(r"/sitemap-(\d+)\.xml", path)
        if not match:
            return None
        chunks = self._sitemap_chunks()
        number = int(match.group(1))
        return chunks[number - 1] if 1 <= number <= len(chunks) else None

    def _sitemap(self) -> Response:
        root = self.base.rstrip("/")
        children: list[tuple[str, datetime | None]] = []
        if self.outlet.sitemap_kind == "news_index":
            children.append((root + NEWS_SITEMAP_PATH, _newest(self.articles)))
        if self.outlet.sitemap_page_size:
            children += [(f"{root}/sitemap-{n}.xml", _newest(chunk))
                         for n, chunk in enumerate(self._sitemap_chunks(), start=1)]
        if children:
            return self._xml(XML, self.render.sitemap_index(children), self.articles)
        return self._xml(XML, self.render.sitemap(), self.articles)

    def _robots(self) -> str:
        lines = ["User-agent: *"]
        lines += [f"Disallow: {rule}" for rule in self.outlet.robots_disallow]
        lines += [f"Allow: {rule}" for rule in self.outlet.robots_allow]
        lines += ["", f"Sitemap: {self.base.rstrip('/')}{self.outlet.sitemap_path}", ""]
        return "\n".join(lines)

    @staticmethod
    def _html(text: str, modified: datetime | None) -> Response:
        return Response(200, HTML, text.encode(), modified)

    @staticmethod
    def _xml(content_type: str, text: str, articles: Sequence[Article]) -> Response:
        return Response(200, content_type, text.encode(), _newest(articles))
