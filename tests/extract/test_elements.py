"""PageElements queries select exactly what the XPath expressions they replaced selected."""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
from lxml.etree import XPath
from lxml.html import HtmlElement

from extract.core import _captions
from extract.credits import _classed_author_elements as _author_elements
from extract.elements import PageElements, xpath_text_length
from extract.headline import headings as _headings
from extract.published import date_boxes as _date_boxes
from extract.tree import parse_html

CORPUS = Path(__file__).parent / "corpus"

# The XPath each query replaced (extract/metadata.py and core.py before PageElements).
REFERENCE: dict[str, str] = {
    "headings": "//body//*[self::h1 or self::h2 or self::h3 or contains(@class, 'title') or "
    "contains(@class, 'judul') or contains(@class, 'jdl') or contains(@class, 'headline')]"
    "[string-length(normalize-space()) < 300]",
    "date_boxes": "//*[contains(@class, 'date') or contains(@class, 'time') or "
    "contains(@class, 'Date') or contains(@class, 'publish') or contains(@class, 'tanggal') or "
    "contains(@class, 'waktu') or contains(@class, 'posted') or contains(@class, 'meta') or "
    "contains(@id, 'date')][self::div or self::span or self::p or self::time or self::li or "
    "self::small][string-length(normalize-space()) < 160]",
    "authors": "//a[@rel='author'] | //*[@itemprop='author'] | "
    "//*[self::div or self::span or self::p or self::a or self::strong or self::li]"
    "[contains(@class, 'author') or contains(@class, 'Author') or contains(@class, 'byline') or "
    "contains(@class, 'penulis') or contains(@class, 'reporter') or contains(@class, 'writer')]"
    "[string-length(normalize-space()) < 160]",
    "tag_boxes": "//body//*[contains(@class, 'tag') or contains(@class, 'topi') or "
    "contains(@class, 'keyword') or contains(@class, 'label') or contains(@id, 'tag') or "
    "contains(@class, 'Tag')]",
    "breadcrumbs": "//*[contains(@class, 'breadcrumb') or contains(@class, 'Breadcrumb') or "
    "contains(@id, 'breadcrumb') or contains(@class, 'crumbs')]",
    "published": "//*[@itemprop='datePublished' or @itemprop='dateCreated']",
    "rel_tag": "//a[contains(concat(' ', normalize-space(@rel), ' '), ' tag ')]",
    "rel_category": "//a[contains(concat(' ', normalize-space(@rel), ' '), ' category ')]",
    "captions": "//figcaption | //*[contains(@class, 'caption')][not(ancestor::figcaption)]"
    "[not(.//figcaption or .//*[contains(@class, 'caption')])]",
}

QUERIES: dict[str, Callable[[PageElements], Any]] = {
    "headings": lambda page: list(_headings(page)),
    "date_boxes": _date_boxes,
    "authors": lambda page: list(_author_elements(page)),
    "tag_boxes": lambda page: list(
        page.by_class(("tag", "topi", "keyword", "label", "Tag"), ("tag",), in_body=True)
    ),
    "breadcrumbs": lambda page: list(
        page.by_class(("breadcrumb", "Breadcrumb", "crumbs"), ("breadcrumb",))
    ),
    "published": lambda page: page.by_itemprop(("datePublished", "dateCreated")),
    "rel_tag": lambda page: page.by_rel("a", "tag"),
    "rel_category": lambda page: page.by_rel("a", "category"),
}

# Edge cases: no-break and other non-XML spaces, classes in <head>, rel words split by tabs,
# nested captions, text just under the length limits, an element after </body>.
EDGE_PAGE = (
    '<html><head><title class="title">Judul</title><meta class="date" content="x"></head><body>'
    '<h1 class="headline">\u00a0Banjir\u00a0 di   Bekasi\t\n</h1>'
    '<div class="post-title">' + "a " * 149 + "b</div>"
    '<div class="post-title">' + "a " * 150 + "b</div>"
    '<span class="date">\u2003Selasa,\u00a020 November 2026 \u2003</span>'
    '<p id="update-date">' + "x" * 159 + "</p>"
    '<p id="update-date">' + "x" * 160 + "</p>"
    '<li class="Date-posted"><span class="time">10:00 WIB</span></li>'
    '<a rel="author" href="/a">Rina</a><span itemprop="author">Ahmad</span>'
    '<strong class="byline-Author">Oleh Budi</strong><em class="author">Sari</em>'
    '<a rel="nofollow\ttag" href="/t">banjir</a><a rel="tags">x</a>'
    '<a rel=" category\u00a0" href="/c">Nasional</a><a rel="category" href="/c">Daerah</a>'
    '<ul class="post-Tags" id="labels"><li class="label"><a>Bekasi</a></li></ul>'
    '<nav id="breadcrumbs"><a>Home</a></nav><div class="crumbs">x</div>'
    '<figure><figcaption><span class="caption">Foto: banjir di jalan raya Bekasi</span>'
    "</figcaption></figure>"
    '<div class="wp-caption"><p class="wp-caption-text">Warga mengungsi ke masjid terdekat</p>'
    "</div>"
    '<time itemprop="datePublished" datetime="2026-11-20">20/11</time>'
    '<meta itemprop="dateCreated" content="2026-11-20">'
    "</body></html>"
)


def _pages() -> list[tuple[str, HtmlElement]]:
    pages = [("edge", parse_html(EDGE_PAGE))]
    for path in sorted(CORPUS.glob("*.html")):
        pages.append((path.stem, parse_html(path.read_text(encoding="utf-8"))))
    return [(name, tree) for name, tree in pages if tree is not None]


PAGES = _pages()


def test_corpus_pages_present() -> None:
    assert len(PAGES) > 40


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_query_selects_what_its_xpath_selected(query: str) -> None:
    reference = XPath(REFERENCE[query])
    for name, tree in PAGES:
        assert QUERIES[query](PageElements(tree)) == reference(tree), f"{query} on {name}"


def test_edge_page_has_a_hit_for_every_query() -> None:
    page = PageElements(PAGES[0][1])
    for query, select in QUERIES.items():
        assert select(page), query


def test_captions_are_the_reference_captions() -> None:
    reference = XPath(REFERENCE["captions"])
    for name, tree in PAGES:
        texts = [" ".join(c.text_content().split()) for c in reference(tree)]
        assert _captions(PageElements(tree)) == [t for t in texts if len(t) >= 30], name


def test_xpath_text_length_is_string_length_of_normalize_space() -> None:
    measure = XPath("string-length(normalize-space())")
    for name, tree in PAGES:
        for element in islice(tree.iter(), 0, None, 7):
            if isinstance(element.tag, str):
                assert xpath_text_length(element) == measure(element), name


def test_elements_outside_the_body_and_in_a_fragment() -> None:
    tree = parse_html("<html><body><p class='date'>x</p></body></html>")
    assert tree is not None
    inner = tree.find(".//p")
    page = PageElements(inner)  # the whole document, as XPath's // from any node
    assert [e.tag for e in page.by_class(("date",))] == ["p"]
    assert [e.tag for e in page.by_class(("date",), in_body=True)] == ["p"]
