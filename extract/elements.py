"""The page's elements with their class, id, itemprop and rel, collected in one pass.

The metadata reader looks for elements by parts of their class or id ("date", "author", "tag",
"breadcrumb", ...). As XPath, every such query is a scan of the whole page with a
``contains(@class, ...)`` test per element and term, several milliseconds per page in all; here
the page is walked once and each query is a string test over the collected attributes.

Each query keeps the semantics of the XPath it replaces (named in its docstring): the same
elements, in document order. ``xpath_text_length`` is XPath's ``string-length(normalize-space())``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from lxml.etree import XPath, iterwalk
from lxml.html import HtmlElement

__all__ = ["Entry", "PageElements", "has_part", "xpath_text_length"]

_XML_SPACE = re.compile(r"[ \t\r\n]+")  # XPath's whitespace: not Python's str.split()
_COUNT_DESCENDANTS = XPath("count(descendant::*)")


class Entry(NamedTuple):
    """One element of the page with the attributes queries test ("" when absent)."""

    element: HtmlElement
    tag: str
    classes: str
    ident: str
    itemprop: str
    rel: str
    in_body: bool  # a descendant of <body> (XPath ``//body//*``)


@lru_cache(maxsize=64)
def _parts_pattern(parts: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(part) for part in parts) or r"(?!)")


def has_part(value: str, parts: tuple[str, ...]) -> bool:
    """Does ``value`` contain one of ``parts`` (like XPath ``contains()``, case-sensitive)?
    One regex search: several times faster than ``any(part in value ...)``."""
    return bool(value) and _parts_pattern(parts).search(value) is not None


def xpath_text_length(element: HtmlElement) -> int:
    """XPath ``string-length(normalize-space())`` of an element: its text with runs of XML
    whitespace (space, tab, CR, LF; not e.g. no-break spaces) collapsed and ends stripped."""
    return len(_XML_SPACE.sub(" ", element.text_content()).strip(" "))


def _entry(element: HtmlElement, tag: str, in_body: bool) -> Entry:
    get = element.get
    # tuple.__new__: NamedTuple's own constructor is a Python function, a third of the pass
    return _new_tuple(
        Entry,
        (
            element,
            tag,
            get("class") or "",
            get("id") or "",
            get("itemprop") or "",
            get("rel") or "",
            in_body,
        ),
    )


_new_tuple = tuple.__new__


class PageElements:
    """Every element of the document holding ``tree`` (XPath's ``//*``), in document order.

    The entries describe the page as it was when they were collected: an element removed later
    keeps its entry.
    """

    def __init__(self, tree: HtmlElement) -> None:
        self.entries: list[Entry] = []
        self._positions: dict[int, int] | None = None
        root = tree.getroottree().getroot()
        walk = iterwalk(root, events=("start",))
        for _event, element in walk:
            tag = element.tag
            if not isinstance(tag, str):
                continue  # comments, processing instructions
            self.entries.append(_entry(element, tag, False))
            if tag == "body":  # its whole subtree now, flagged; the walk goes on after it
                for inner in element.iterdescendants():
                    if isinstance(inner.tag, str):
                        self.entries.append(_entry(inner, inner.tag, True))
                walk.skip_subtree()

    def position(self, element: HtmlElement) -> int:
        """The index of ``element``'s entry (document order)."""
        if self._positions is None:
            self._positions = {id(e.element): i for i, e in enumerate(self.entries)}
        index = self._positions.get(id(element))
        if index is None or self.entries[index].element is not element:
            raise ValueError(f"{element!r} is not an element of this page")
        return index

    def subtree_end(self, index: int) -> int:
        """The index just past the entries of the element at ``index`` and its descendants.

        Counted in the tree as it is now: valid while nothing has been removed from the tree
        since the entries were collected."""
        return index + 1 + int(_COUNT_DESCENDANTS(self.entries[index].element))

    def by_class(
        self,
        class_parts: tuple[str, ...],
        id_parts: tuple[str, ...] = (),
        *,
        tags: frozenset[str] | None = None,
        in_body: bool = False,
    ) -> Iterator[HtmlElement]:
        """Elements whose class contains one of ``class_parts`` or whose id contains one of
        ``id_parts`` (case-sensitive substrings, like XPath ``contains()``); only these
        ``tags`` when given, only inside <body> when ``in_body``."""
        in_class, in_ident = _parts_pattern(class_parts).search, _parts_pattern(id_parts).search
        for entry in self.entries:
            if in_body and not entry.in_body:
                continue
            if tags is not None and entry.tag not in tags:
                continue
            if (entry.classes and in_class(entry.classes)) or (
                entry.ident and in_ident(entry.ident)
            ):
                yield entry.element

    def by_itemprop(self, values: tuple[str, ...]) -> list[HtmlElement]:
        """Elements whose itemprop is exactly one of ``values``."""
        return [entry.element for entry in self.entries if entry.itemprop in values]

    def by_rel(self, tag: str, token: str) -> list[HtmlElement]:
        """``tag`` elements whose rel has ``token`` among its space-separated words (XPath
        ``contains(concat(' ', normalize-space(@rel), ' '), ' token ')``)."""
        return [
            entry.element
            for entry in self.entries
            if entry.tag == tag and entry.rel and token in _XML_SPACE.split(entry.rel)
        ]
