"""Multi-page articles: where the next page and the single-page view of an article are."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml.etree import XPath
from lxml.html import HtmlElement

from .decode import decode_html
from .edge_rules import PAGINATION_LINK_TEXT, SINGLE_PAGE_LINK_TEXT
from .tree import parse_html

__all__ = ["PaginationInfo", "continues_article", "find_pagination"]

_REL_NEXT = XPath("//link[@rel='next']/@href | //a[@rel='next']/@href")
_ANCHORS = XPath("//a[@href]")
_PAGER = XPath(
    "//*[contains(translate(@class, 'PAGINTO', 'paginto'), 'pagination') or "
    "contains(translate(@class, 'PAGING', 'paging'), 'paging') or contains(@class, 'halaman') or "
    "contains(@class, 'page-nav') or contains(@class, 'pages')]//a[@href]"
)
_SINGLE_HREF = re.compile(r"[?&](?:page=all|single=1|showall=1|all=1)\b|/(?:showpage|all)/?$", re.I)
_PAGE_NUMBER = re.compile(r"(?:[?&]page=|/page/|-page-|/)(\d{1,2})/?$")


@dataclass(frozen=True)
class PaginationInfo:
    """Links of a multi-page article.

    ``single_page_url``: a view with the whole article on one page (fetch it instead when given).
    ``next_url``: the next page of the article (follow it until it is None).
    ``page_urls``: all numbered pages linked from the pager, in order (may be empty).
    """

    next_url: str | None = None
    single_page_url: str | None = None
    page_urls: tuple[str, ...] = ()

    @property
    def is_paginated(self) -> bool:
        return bool(self.next_url or self.single_page_url or self.page_urls)


def pager_order(tree: HtmlElement) -> list[HtmlElement]:
    """Pager links in document order."""
    return list(_PAGER(tree))


def _same_site(url: str, base: str) -> bool:
    host, base_host = urlsplit(url).hostname or "", urlsplit(base).hostname or ""
    return host == base_host or host.endswith("." + base_host) or base_host.endswith("." + host)


# the page part at the end of a later page's path: "/2", "/page/2", "/halaman/2"
_PAGE_TAIL = re.compile(r"/(?:page/|halaman/)?\d{1,3}$")


def continues_article(candidate: str, article: str) -> bool:
    """Whether ``candidate`` is a later page of the article at ``article``: same host (with or
    without www), and the same path with another query (``?page=2``), the path plus a page part
    (``/2``, ``/page/2``), or the same path with the next page number (``/x/2`` to ``/x/3``).
    WordPress links the next *post* with ``rel=next`` too: that continues nothing."""
    c, a = urlsplit(candidate), urlsplit(article)
    if (c.hostname or "").removeprefix("www.") != (a.hostname or "").removeprefix("www."):
        return False
    c_path, a_path = c.path.rstrip("/"), a.path.rstrip("/")
    if c_path == a_path:
        return c.query != a.query
    if c_path.startswith(a_path + "/") and _PAGE_TAIL.fullmatch(c_path[len(a_path) :]):
        return True
    c_stem = _PAGE_TAIL.sub("", c_path)
    return c_stem != c_path and c_stem == _PAGE_TAIL.sub("", a_path)


def find_pagination(html: str | bytes | HtmlElement, url: str) -> PaginationInfo:
    """Find the next-page and single-page-view links of an article page.

    Only links on the article's own site count, and a ``rel=next`` link only when it continues
    the article's address (:func:`continues_article`). Use it on article pages only: listings
    have "next" links too.
    """
    tree = html if isinstance(html, HtmlElement) else parse_html(decode_html(html))
    if tree is None:
        return PaginationInfo()
    own = url.split("#")[0]
    single: str | None = None
    next_url: str | None = None
    for href in _REL_NEXT(tree):
        candidate = urljoin(url, href.strip())
        if candidate != own and continues_article(candidate, url):
            next_url = candidate
            break
    pager = set(_PAGER(tree))
    for anchor in _ANCHORS(tree):
        href = urljoin(url, anchor.get("href", "").strip())
        if not href.startswith("http") or not _same_site(href, url) or href.split("#")[0] == own:
            continue
        label = " ".join(anchor.text_content().split())
        if single is None and (SINGLE_PAGE_LINK_TEXT.match(label) or _SINGLE_HREF.search(href)):
            single = href
        elif (
            next_url is None
            and PAGINATION_LINK_TEXT.match(label)
            and anchor in pager
            or next_url is None
            and re.match(r"^\W*halaman selanjutnya\W*$", label, re.I)
        ):
            next_url = href
    pages: list[str] = []
    for anchor in pager_order(tree):
        href = urljoin(url, anchor.get("href", "").strip())
        label = anchor.text_content().strip()
        if label.isdigit() and _same_site(href, url) and href not in pages:
            pages.append(href)
    return PaginationInfo(next_url=next_url, single_page_url=single, page_urls=tuple(pages))
