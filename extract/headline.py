"""The article's title and the headline element that shows it.

Sources in order of trust: the outlet's ``title_xpath``, JSON-LD ``headline``/``name``,
``og:title``/``twitter:title`` (site suffix stripped), the first long ``<h1>``, ``<title>``. The
headline element found on the page then corrects a title that carries a rubric or a page
marker, or misses the label the page shows ("FOTO: …")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from lxml.etree import XPath
from lxml.html import HtmlElement

from .edge_rules import BRAND_TOKEN
from .elements import PageElements, has_part, xpath_text_length
from .names import normalise_key
from .page_data import PageData, ld_text, text_of, xpath_values
from .rules import TITLE_META

__all__ = ["Headline", "read_title", "strip_title_suffix", "headings"]

_H1 = XPath("//h1")

_TITLE = XPath("//title")

_ALL_LINK = XPath(
    "boolean(ancestor::a or (.//a and string-length(normalize-space()) = "
    "string-length(normalize-space(.//a[1]))))"
)

# Elements found by class or id: (tags or None for any, class parts, id parts), each a
# substring test like XPath's contains(@class, ...); see _by_class and PageElements.
_HEADING_TAGS = frozenset(("h1", "h2", "h3"))

_HEADING_CLASSES = ("title", "judul", "jdl", "headline")


def _headings(page: PageElements) -> Iterator[HtmlElement]:
    """Headline candidates: h1-h3 and title-like classes inside <body>, under 300 characters."""
    for entry in page.entries:
        if (
            entry.in_body
            and (entry.tag in _HEADING_TAGS or has_part(entry.classes, _HEADING_CLASSES))
            and xpath_text_length(entry.element) < 300
        ):
            yield entry.element


_TITLE_SEP = re.compile(r"^(?P<head>.*\S)\s+[|\-–—:»·~]\s+(?P<tail>[^|»·]{1,60})$")

_TITLE_LEAD = re.compile(r"^(?P<head>[^|»·:]{1,40})(?:\s+[|\-–—:»·~]|:)\s+(?P<tail>.*\S)$")


def _host_tokens(url: str) -> set[str]:
    host = (urlsplit(url).hostname or "").lower()
    labels = [
        x
        for x in host.split(".")
        if x
        not in ("www", "m", "amp", "com", "co", "id", "net", "org", "or", "go", "ac", "tv", "news")
    ]
    return {x for x in labels if len(x) >= 4}


def _is_brand(segment: str, site_name: str | None, url: str) -> bool:
    key = normalise_key(segment)
    if not key:
        return True
    if BRAND_TOKEN.match(segment.strip()):
        return True
    if site_name:
        site = normalise_key(site_name)
        if site and (key == site or (len(site) >= 4 and site in key) or key in site):
            return True
    return any(tok in key for tok in _host_tokens(url))


_LABELLED = re.compile(r"^[\w ]{2,20}:\s+\S")

_PAGE_SUFFIX = re.compile(r"\s+(?:[-|]\s+)?(?:halaman|hal\.?|page)\s+(?:all|semua|\d+)$", re.I)


def strip_title_suffix(
    title: str, site_name: str | None, url: str, suffixes: tuple[str, ...] = ()
) -> str:
    """'Judul - Kompas.com' -> 'Judul'; also a leading 'Outlet | ' and a 'Halaman all' marker."""
    title = _PAGE_SUFFIX.sub("", " ".join(title.split()))
    for suffix in suffixes:
        if suffix and title.endswith(suffix):
            return title[: -len(suffix)].strip()
    for _ in range(3):
        match = _TITLE_SEP.match(title)
        if not match or not _is_brand(match["tail"], site_name, url):
            break
        title = match["head"]
    match = _TITLE_LEAD.match(title)
    if match and _is_brand(match["head"], site_name, url) and len(match["tail"]) > 15:
        title = match["tail"]
    return title


def _shows_title(element: HtmlElement, key: str) -> bool:
    """Does this heading show the title (normalise_key ``key``)?"""
    if element.tag not in ("h1", "h2", "h3") and _ALL_LINK(element):
        return False  # a teaser linking to an article, not the page's headline
    text_key = normalise_key(element.text_content())
    return len(text_key) >= 10 and (
        text_key == key
        or (key in text_key and len(text_key) <= len(key) + 40)
        or (text_key in key and len(text_key) >= 0.8 * len(key))
    )


def _headline(page: PageElements, title: str | None, h1s: list[HtmlElement]) -> HtmlElement | None:
    """The page's headline element: the heading showing the title, else the first long h1.

    ``h1s``: the page's <h1> elements. Most pages show the title in one; the wider (and much
    slower) search over other headings runs only when none does.
    """
    key = normalise_key(title or "")
    if key:
        found = next((h for h in h1s if _shows_title(h, key)), None)
        if found is None:
            found = next((h for h in _headings(page) if _shows_title(h, key)), None)
        if found is not None:
            return found
    return next((h for h in h1s if len(normalise_key(h.text_content())) >= 12), None)


class Headline:
    """The title, the first long ``<h1>`` text, and the element showing the title (or None)."""

    __slots__ = ("title", "h1", "element")

    def __init__(self, title: str | None, h1: str | None, element: HtmlElement | None) -> None:
        self.title, self.h1, self.element = title, h1, element


def read_title(data: PageData, site_name: str | None) -> Headline:
    """The title (see the module docstring) and the headline element that shows it."""
    options, url, tree = data.options, data.url, data.tree
    h1s = _H1(tree)
    h1 = next((text_of(h) for h in h1s if len(text_of(h)) >= 12), None)
    title: str | None = None
    if options.title_xpath:
        title = next(iter(xpath_values(tree, options.title_xpath)), None)
    if not title:
        title = ld_text(data.ld.get("headline")) or ld_text(data.ld.get("name"))
    if not title:
        og = data.meta(TITLE_META)
        title = og and strip_title_suffix(og, site_name, url, options.title_suffixes)
    if not title and h1:
        title = h1
    if not title:
        head = _TITLE(tree)
        if head:
            title = strip_title_suffix(text_of(head[0]), site_name, url, options.title_suffixes)
    element = _headline(data.page, title, h1s)
    if title and element is not None:
        shown = text_of(element)
        shown_key, title_key = normalise_key(shown), normalise_key(title)
        if (
            element.tag in ("h1", "h2")
            and 12 <= len(shown) < len(title)
            and len(shown_key) >= 0.5 * len(title_key)
            and shown_key in title_key
        ):
            title = shown  # "Judul Halaman all", "Rubrik - Judul": the page shows "Judul"
        elif _LABELLED.match(shown) and shown_key.endswith(title_key) and shown_key != title_key:
            title = shown  # the page shows "FOTO: Judul" / "In Picture: Judul"
    return Headline(title or None, h1, element)


headings = _headings  # the headline candidates (tests compare them with the XPath they replace)
