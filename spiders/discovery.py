"""Finding article URLs: RSS/Atom feeds, sitemaps (indexes, Google News) and listing pages.

Pure functions over response bodies, so they are tested offline from stored documents. They
return every candidate they find; which ones are kept (on the outlet's site, matching its
``article_pattern``, not seen before) is decided by the spider.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree
from scrapy.http import TextResponse
from scrapy.utils.gz import gunzip

from extract.pagination import continues_article

GZIP_MAGIC = b"\x1f\x8b"


class DiscoveryError(ValueError):
    """A feed or sitemap could not be read (the message says what was wrong)."""


@dataclass(frozen=True)
class Candidate:
    """A URL found by discovery, with what the document said about it."""

    url: str
    hints: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Document:
    """A parsed feed or sitemap.

    ``kind``: ``rss``/``atom`` for feeds, ``urlset``/``sitemapindex`` for sitemaps.
    ``problem``: set when the XML was malformed and only part of it could be recovered.
    """

    kind: str
    entries: list[Candidate]
    problem: str | None = None


SitemapDoc = Document  # the name the spider's tests knew first


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _parse_xml(body: bytes, what: str, max_size: int = 0) -> tuple[etree._Element, str | None]:
    """Parse XML safely (no entities, no network); gzip-compressed bodies are unpacked.

    Malformed XML is recovered as far as possible: (root, what was wrong) — or an error when
    nothing at all could be read.
    """
    if body[:2] == GZIP_MAGIC:
        try:
            body = gunzip(body, max_size=max_size)
        except Exception as exc:  # gunzip raises several kinds (incl. size limit)
            raise DiscoveryError(f"{what}: cannot gunzip body ({exc})") from None
    body = body.lstrip()
    if not body:
        raise DiscoveryError(f"{what}: empty document")
    parser = etree.XMLParser(
        recover=True,
        resolve_entities=False,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
    )
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise DiscoveryError(f"{what}: not well-formed XML ({exc})") from None
    if root is None:
        raise DiscoveryError(f"{what}: not well-formed XML (nothing could be parsed)")
    fatal = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
    problem = None
    if fatal:
        first = fatal[0]
        problem = f"{what}: malformed XML, line {first.line}: {first.message}"
    return root, problem


def _child_text(elem: etree._Element, *names: str) -> str | None:
    """Text of the first direct child whose local name is one of ``names`` (in that order)."""
    for name in names:
        for child in elem:
            if _local(child.tag) == name:
                text = (child.text or "").strip()
                if text:
                    return text
    return None


def _descendant_text(elem: etree._Element, name: str) -> str | None:
    for node in elem.iter():
        if _local(node.tag) == name and (node.text or "").strip():
            return (node.text or "").strip()
    return None


def _absolute(url: str, base_url: str) -> str | None:
    joined = urljoin(base_url, url.strip())
    parts = urlsplit(joined)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return joined


def parse_feed(body: bytes, base_url: str, max_size: int = 0) -> Document:
    """Article links of an RSS 2.0 / RSS 1.0 / Atom feed, in document order.

    Hints: ``title``, ``published`` and ``updated`` as the feed spells them (not parsed).
    """
    root, problem = _parse_xml(body, f"feed {base_url}", max_size)
    kind = _local(root.tag)
    found: list[Candidate] = []
    if kind in ("rss", "rdf"):
        for item in root.iter():
            if _local(item.tag) != "item":
                continue
            link = _child_text(item, "link")
            if link is None:
                guid = next((c for c in item if _local(c.tag) == "guid"), None)
                if guid is not None and guid.get("isPermaLink", "true").lower() != "false":
                    link = (guid.text or "").strip() or None
            url = _absolute(link, base_url) if link else None
            if url is None:
                continue
            hints = {
                "title": _child_text(item, "title"),
                "published": _child_text(item, "pubdate", "date"),
                "updated": _child_text(item, "updated", "modified"),
            }
            found.append(Candidate(url, {k: v for k, v in hints.items() if v}))
    elif kind == "feed":
        for entry in root:
            if _local(entry.tag) != "entry":
                continue
            href = None
            for link in entry:
                if _local(link.tag) == "link" and link.get("rel", "alternate") == "alternate":
                    href = link.get("href")
                    if href:
                        break
            url = _absolute(href, base_url) if href else None
            if url is None:
                continue
            hints = {
                "title": _child_text(entry, "title"),
                "published": _child_text(entry, "published", "issued"),
                "updated": _child_text(entry, "updated", "modified"),
            }
            found.append(Candidate(url, {k: v for k, v in hints.items() if v}))
    else:
        raise DiscoveryError(
            f"feed {base_url}: root element <{_local(root.tag)}> is neither RSS nor Atom"
        )
    return Document("atom" if kind == "feed" else "rss", found, problem)


def parse_sitemap(body: bytes, base_url: str, max_size: int = 0) -> SitemapDoc:
    """A sitemap ``urlset`` (incl. Google News ``news:`` entries) or a ``sitemapindex``.

    Hints of url entries: ``lastmod``, ``news_published`` (``news:publication_date``),
    ``title`` (``news:title``). Children of an index carry ``lastmod`` only.
    """
    root, problem = _parse_xml(body, f"sitemap {base_url}", max_size)
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise DiscoveryError(
            f"sitemap {base_url}: root element <{kind}> is neither <urlset> nor <sitemapindex>"
        )
    entry_tag = "url" if kind == "urlset" else "sitemap"
    entries: list[Candidate] = []
    for elem in root:
        if _local(elem.tag) != entry_tag:
            continue
        loc = _child_text(elem, "loc")
        url = _absolute(loc, base_url) if loc else None
        if url is None:
            continue
        hints: dict[str, Any] = {"lastmod": _child_text(elem, "lastmod")}
        if kind == "urlset":
            hints["news_published"] = _descendant_text(elem, "publication_date")
            hints["title"] = _descendant_text(elem, "title")
        entries.append(Candidate(url, {k: v for k, v in hints.items() if v}))
    return Document(kind, entries, problem)


def page_links(response: TextResponse) -> list[Candidate]:
    """Every http(s) link of an HTML page, absolute, in document order, with its anchor text."""
    found: list[Candidate] = []
    for anchor in response.css("a[href]"):
        href = anchor.attrib.get("href", "")
        url = _absolute(href, response.url) if href and not href.startswith("#") else None
        if url is None:
            continue
        text = " ".join(" ".join(anchor.css("::text").getall()).split())
        found.append(Candidate(url, {"title": text} if text else {}))
    return found


# --- heuristics for listing links when an outlet has no article_pattern ------------------------

_DATE_PATH = re.compile(r"/(19|20)\d{2}/\d{1,2}/(\d{1,2}/)?")
_NUMERIC_ID = re.compile(r"\d{5,}")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+){3,}")
_NOT_ARTICLE = re.compile(
    r"/(tag|tags|topic|topik|kategori|category|author|penulis|page|search|cari|indeks|index|"
    r"label|feed|rss|wp-content|wp-admin|login|register)(/|$)",
    re.IGNORECASE,
)


def looks_like_article(url: str) -> bool:
    """A cheap guess for listing links: date in the path, a long numeric id, or a long slug.

    Only used when the outlet has no ``article_pattern``; set one to be exact.
    """
    path = urlsplit(url).path
    if path in ("", "/") or _NOT_ARTICLE.search(path):
        return False
    last = path.rstrip("/").rsplit("/", 1)[-1].lower()
    if last.endswith((".jpg", ".jpeg", ".png", ".gif", ".webp", ".pdf", ".xml", ".css", ".js")):
        return False
    return bool(_DATE_PATH.search(path) or _NUMERIC_ID.search(last) or _SLUG.fullmatch(
        last.removesuffix(".html").removesuffix(".htm")
    ))


# --- pagination of listing pages ----------------------------------------------------------------

#: anchor texts that mean "next / older page" (compared lower-case, whitespace collapsed)
NEXT_TEXTS = frozenset(
    {
        "selanjutnya", "berikutnya", "halaman berikutnya", "halaman selanjutnya", "lanjut",
        "berita lainnya", "posting lama", "posting lebih lama", "artikel lama",
        "next", "next page", "next »", "older posts", "older", "»", "›", "→",
    }
)
#: attribute fragments (class, id, aria-label, title) that mark a next-page link
NEXT_ATTR_WORDS = ("next", "older", "selanjutnya", "berikutnya")
_PAGE_QUERY = re.compile(r"([?&](?:page|halaman|hal|p|paged)=)(\d+)", re.IGNORECASE)
_PAGE_PATH = re.compile(r"(/(?:page|halaman|hal)/)(\d+)(/?)", re.IGNORECASE)


def _numbered_next(url: str) -> list[str]:
    """The URLs page N+1 of ``url`` would have, for the usual numbering schemes."""
    out = []
    if m := _PAGE_QUERY.search(url):
        out.append(url[: m.start(2)] + str(int(m.group(2)) + 1) + url[m.end(2):])
    if m := _PAGE_PATH.search(url):
        out.append(url[: m.start(2)] + str(int(m.group(2)) + 1) + url[m.end(2):])
    if not out:  # page 1 has no number: ?page=2 and /page/2/ are the usual next pages
        parts = urlsplit(url)
        query = f"{parts.query}&page=2" if parts.query else "page=2"
        path = parts.path.rstrip("/") + "/page/2/"
        out.append(urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, "")))
        out.append(urlunsplit((parts.scheme, parts.netloc, path, parts.query, "")))
    return out


def next_page_url(response: TextResponse) -> str | None:
    """The next (older) page of a listing: ``rel=next``, a "Selanjutnya"-like link, a link whose
    class/label says next, or a link to page N+1 in the ``?page=N`` / ``/page/N/`` schemes."""
    for href in response.css("link[rel~=next]::attr(href), a[rel~=next]::attr(href)").getall():
        if url := _absolute(href, response.url):
            return url
    anchors = response.css("a[href]")
    for anchor in anchors:
        text = " ".join(" ".join(anchor.css("::text").getall()).split()).lower()
        if text in NEXT_TEXTS and (url := _absolute(anchor.attrib["href"], response.url)):
            return url
    for anchor in anchors:
        labels = " ".join(
            anchor.attrib.get(name, "") for name in ("class", "id", "aria-label", "title")
        ).lower()
        is_next = any(word in labels for word in NEXT_ATTR_WORDS) and "prev" not in labels
        if is_next and (url := _absolute(anchor.attrib["href"], response.url)):
            return url
    wanted = set(_numbered_next(response.url))
    for anchor in anchors:
        url = _absolute(anchor.attrib["href"], response.url)
        if url in wanted:
            return url
    return None


# --- multi-page articles ---------------------------------------------------------------------

# bytes that a split article's page 1 must contain (plain substring tests: a regex over a
# 100 KB page costs tens of milliseconds)
_SPLIT_MARKERS = (
    b'rel="next"', b"rel='next'", b"rel=next", b"single=", b"page=all", b"showall=",
    b"all=1", b"view=all",
)
# cheap pre-selection of candidate links (pages have hundreds of anchors); the regex decides
_SINGLE_VIEW_HREFS = (
    "//a[contains(@href, 'single=') or contains(@href, 'page=all') or contains(@href, 'showall=')"
    " or contains(@href, 'all=1') or contains(@href, 'view=all')]/@href"
)
_SINGLE_VIEW = re.compile(
    r"[?&](?:page=all|single=1|showall=1|all=1|view=all)(?:&|$)", re.IGNORECASE
)


def article_pagination(
    response: TextResponse, first_page_url: str
) -> tuple[str | None, str | None]:
    """(single-page view URL, next page URL) of an article page that is split over pages.

    Conservative on purpose (a "next" link on an article page is often the next *article*):
    the next page must come from ``rel=next`` and continue the first page's URL; the single
    view is a link to the same path with ``single=1`` / ``page=all`` / ``showall=1`` ….
    """
    body = response.body
    if not any(marker in body for marker in _SPLIT_MARKERS):
        return None, None  # most articles are one page: skip parsing the HTML at all
    single = None
    for href in response.xpath(_SINGLE_VIEW_HREFS).getall():
        url = _absolute(href, response.url)
        if url and _SINGLE_VIEW.search(url) and continues_article(url, first_page_url):
            single = url
            break
    following = None
    for href in response.css("link[rel~=next]::attr(href), a[rel~=next]::attr(href)").getall():
        url = _absolute(href, response.url)
        if url and url.split("#")[0] != response.url and continues_article(url, first_page_url):
            following = url.split("#")[0]
            break
    return single, following
