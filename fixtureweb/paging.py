"""Articles split over several pages: page URLs per outlet style and reading them back.

Outlets say in ``outlet.yaml`` how a long article is split (``article_pages``):

- ``query``: page N at ``<url>?page=N`` (detik/kompas style), page 1 at the article URL;
- ``path``:  page N at ``<url>N/`` (WordPress ``<!--nextpage-->``);
- ``none``:  never split.

``single_page_query`` (e.g. ``single=1``) adds a view with every page on one page, as some
portals offer. Articles list in ``page_breaks`` the paragraph indexes where pages 2, 3, ...
start; the split is served only when the fixture web runs with ``multipage=True``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from fixtureweb.model import Outlet

ARTICLE_PAGE_STYLES = ("none", "query", "path")
# what each CMS template prints around the pages of a split article (never article text)
PAGER_CHROME = {"portal": ("Halaman selanjutnya",), "wordpress": ("Halaman:",), "blogger": ()}
SINGLE_VIEW_CHROME = "Tampilkan semua"
_PATH_PAGE = re.compile(r"^(.*/)(\d+)/$")


@dataclass(frozen=True)
class Pager:
    """Where page ``page`` (1-based) of an article sits among its pages."""

    page: int
    urls: tuple[str, ...]
    single_url: str | None

    @property
    def next_url(self) -> str | None:
        return self.urls[self.page] if self.page < len(self.urls) else None

    @property
    def prev_url(self) -> str | None:
        return self.urls[self.page - 2] if self.page > 1 else None


def page_urls(outlet: Outlet, url: str, count: int) -> tuple[str, ...]:
    """The URLs of pages 1..count of the article at ``url``."""
    if outlet.article_pages == "query":
        return (url, *(f"{url}?page={n}" for n in range(2, count + 1)))
    if outlet.article_pages == "path":
        root = url if url.endswith("/") else url + "/"
        return (url, *(f"{root}{n}/" for n in range(2, count + 1)))
    return (url,)


def single_page_url(outlet: Outlet, url: str) -> str | None:
    """The one-page view of the article at ``url``, when the outlet has one."""
    return f"{url}?{outlet.single_page_query}" if outlet.single_page_query else None


def requested_page(outlet: Outlet, path: str, query: dict[str, list[str]],
                   article_paths: Collection[str]) -> tuple[str, int | None] | None:
    """``(article path, page)`` for a request of a multi-page article; page None = single view.

    None when the request is not for an article page at all.
    """
    if path in article_paths:
        if outlet.single_page_query:
            key, _, value = outlet.single_page_query.partition("=")
            if query.get(key) == [value]:
                return path, None
        if outlet.article_pages == "query" and "page" in query:
            try:
                return path, int(query["page"][0])
            except ValueError:
                return path, 0
        return path, 1
    if outlet.article_pages == "path":
        match = _PATH_PAGE.match(path)
        if match and match.group(1) in article_paths:
            return match.group(1), int(match.group(2))
    return None


def pager_chrome(outlet: Outlet) -> list[str]:
    """The pager strings the outlet's split articles print (none when it splits none)."""
    if not any(a.page_breaks for a in outlet.articles):
        return []
    found = list(PAGER_CHROME[outlet.cms])
    if outlet.single_page_query and outlet.cms == "portal":
        found.append(SINGLE_VIEW_CHROME)
    return found
