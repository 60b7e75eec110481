"""Who wrote and who edited an article: ``authors`` and ``editors`` from the page's credits.

Order of trust, and why:

1. the outlet's ``author_xpath`` (a person configured it for this outlet);
2. credits the page writes out with a role word ("Penulis: …", "Reporter …", "Oleh …",
   "… Jurnalis", "Editor: …"): what a reader sees, and the role says which list a name joins;
3. JSON-LD ``author``/``creator`` persons (never Organizations), minus anyone the page itself
   labels as editor (Antara's JSON-LD ``author`` is the editor the page shows as "Editor:");
4. ``<meta name=author>`` and the like, which many outlets fill with the publisher;
5. elements classed author/byline with no role word.

A name is never the publisher or site (``Kompas Cyber Media``, the host's name), a label word
(``Penulis``, ``Diterbitkan``, ``Posted by``) or an organisation (words such as Media, Group,
Redaksi): ``names.clean_names`` drops those.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from .edge_rules import CREDIT_LINE_STARTS
from .elements import PageElements, has_part, xpath_text_length
from .jsonld import types_of
from .names import clean_names, credits_from_byline, normalise_key
from .page_data import SIDEBAR, PageData
from .rules import AUTHOR_META

__all__ = ["Credits", "read_credits", "brand_names"]

_PUBLISHER_META = ("publisher", "article:publisher", "copyright", "dc.publisher", "og:site_name")
_AUTHOR_TAGS = frozenset(("div", "span", "p", "a", "strong", "li"))
_AUTHOR_CLASSES = ("author", "Author", "byline", "penulis", "reporter", "writer", "autor")
# a credits box lists "Name Role" items (Liputan6: "Yuslianson Editor")
_CREDIT_ITEM_CLASSES = ("credit",)
_CREDIT_ITEM_TAGS = frozenset(("li", "div", "p", "a", "dd"))
_CREDIT_TAGS = frozenset(
    ("span", "div", "p", "li", "strong", "b", "small", "em", "td", "tr", "tbody", "table", "dd")
)
_CREDIT_START = re.compile("|".join(re.escape(w) for w in CREDIT_LINE_STARTS))
_MAX_CREDIT_CHARS = 160
_CREDIT_INITIALS = frozenset(w[0] for w in CREDIT_LINE_STARTS)


def _credit_blocks(page: PageElements) -> Iterator[HtmlElement]:
    """The largest block (up to 3 levels up) around each text starting with a role word that
    still starts with that word and stays under 160 characters: "<td>Penulis</td><td>: Nama</td>"
    gives its row. Own texts and tails are tested (not every element's whole text, which would
    cost a pass over the page per element)."""
    found = 0
    for entry in page.entries:
        if not entry.in_body or entry.tag in ("script", "style"):
            continue
        element = entry.element
        for text, holder in ((element.text, element), (element.tail, element.getparent())):
            start = text.lstrip()[:20] if text else ""
            if not start or start[0] not in _CREDIT_INITIALS:
                continue
            match = _CREDIT_START.match(start)
            if match is None or holder is None:
                continue
            best = None
            for _ in range(4):
                if holder is None or holder.tag not in _CREDIT_TAGS:
                    break
                block = _text(holder)
                if len(block) >= _MAX_CREDIT_CHARS or not block.startswith(match.group(0)):
                    break
                if best is not None and _holds_another_block(holder, best):
                    break  # a footer holding the credit and the tags box beside it
                best, holder = holder, holder.getparent()
            if best is not None and _text(best).strip(" :：") == match.group(0).strip(" :："):
                # a bare role after its name, in an element of its own: "<a>Sunariyah</a>
                # <span>Editor</span>" is read whole
                row = best.getparent()
                if row is not None and row.tag in _CREDIT_TAGS and len(_text(row)) <= 80:
                    best = row
            if best is not None and not _in_card_link(best):
                yield best
                found += 1
                if found >= 20:
                    return


_BLOCK_TAGS = frozenset(
    ("div", "p", "ul", "ol", "li", "section", "table", "dl", "blockquote", "figure", "h2", "h3",
     "h4", "h5", "h6")
)  # fmt: skip


def _holds_another_block(parent: HtmlElement, child: HtmlElement) -> bool:
    """Whether ``parent`` holds a block with text besides ``child``: the credit is one block
    of several, and climbing on would read the next one's text as names."""
    return any(
        other is not child and other.tag in _BLOCK_TAGS and _text(other) for other in parent
    )


_HOST_NOISE = {"www", "m", "amp", "com", "co", "id", "net", "org", "or", "go", "ac", "tv", "news"}


@dataclass
class Credits:
    """The people an article credits."""

    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)


def _text(element: HtmlElement) -> str:
    """The element's text with its children's texts kept apart ("Kredit" + "Febi" is no name)."""
    return " ".join(" ".join(element.itertext()).split())


def brand_names(url: str, site_name: str | None, ld: dict[str, Any], metas: Any) -> tuple[str, ...]:
    """Names that stand for the outlet, never for a person: site name, publisher, host words."""
    names: list[str] = [b for b in (site_name, urlsplit(url).hostname) if b]
    publisher = ld.get("publisher")
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        names.append(publisher["name"])
    for key in _PUBLISHER_META:
        names.extend(v for v in metas.get(key, []) if not v.startswith("http"))
    host = (urlsplit(url).hostname or "").lower()
    names.extend(w for w in host.split(".") if w not in _HOST_NOISE and len(w) >= 4)
    return tuple(dict.fromkeys(names))


def _ld_people(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [name for item in value for name in _ld_people(item)]
    if isinstance(value, dict):
        kinds = types_of(value)
        if kinds & {"organization", "newsmediaorganization", "corporation"}:
            return []
        name = value.get("name")
        return [name] if isinstance(name, str) else []
    return []


def _classed_author_elements(page: PageElements) -> Iterator[HtmlElement]:
    """rel=author links, itemprop=author elements and short blocks classed author/byline/..."""
    for entry in page.entries:
        if (
            (entry.tag == "a" and entry.rel == "author")
            or entry.itemprop == "author"
            or (
                entry.tag in _AUTHOR_TAGS
                and has_part(entry.classes, _AUTHOR_CLASSES)
                and xpath_text_length(entry.element) < 160
            )
        ) and not _in_card_link(entry.element):
            yield entry.element


def _in_card_link(element: HtmlElement) -> bool:
    """Whether ``element`` sits in a link that holds more than it: a card of another story
    ("<a href=…><h3>Headline</h3><span class=author>Oleh X</span></a>"), whose credit is that
    story's."""
    own = len(_text(element))
    return any(
        link.get("href") and len(_text(link)) > own + 3 for link in element.iterancestors("a")
    )


def _written_credits(page: PageElements, classed: list[HtmlElement]) -> tuple[list[str], list[str]]:
    """Credits written out with a role word, outside navigation and sidebars. ``classed``:
    the page's first elements classed author/byline."""
    authors: list[str] = []
    editors: list[str] = []
    seen: set[str] = set()
    elements = list(_credit_blocks(page)) + classed
    elements += [
        e
        for e in islice(page.by_class(_CREDIT_ITEM_CLASSES, tags=_CREDIT_ITEM_TAGS), 40)
        if xpath_text_length(e) < 80
    ]
    for element in elements:
        text = _text(element)
        if not text or text in seen or SIDEBAR(element):
            continue
        seen.add(text)
        for role, names in credits_from_byline(text, need_role=True):
            (editors if role == "editor" else authors if role == "author" else []).append(names)
    editors.extend(_text(e) for e in page.by_itemprop(("editor",)))
    return authors, editors


def read_credits(
    data: PageData, brands: tuple[str, ...], author_xpath_values: list[str]
) -> Credits:
    """The article's authors and editors (see the module docstring for the order of trust)."""
    page, ld, metas = data.page, data.ld, data.metas
    classed = list(islice(_classed_author_elements(page), 8))
    written_authors, written_editors = _written_credits(page, classed)
    editors = clean_names(written_editors + _ld_people(ld.get("editor")), brands)
    editor_keys = {normalise_key(e) for e in editors}

    def people(raw: list[str]) -> list[str]:
        """Names from data: anyone the page itself credits as editor is no author."""
        return [n for n in clean_names(raw, brands) if normalise_key(n) not in editor_keys]

    written = clean_names(written_authors, brands)  # the page credits them as writers itself
    structured = people(_ld_people(ld.get("author")) + _ld_people(ld.get("creator")))
    if written and {normalise_key(n) for n in written} <= {normalise_key(n) for n in structured}:
        written = structured  # the data names the same writers, and maybe co-authors too
    # names the page itself credits as writers stay, even if it credits them as editor too
    # (one person both wrote and edited a photo story); names from data and unlabelled
    # elements go when the page labels them editor
    candidates: list[list[str]] = [
        clean_names(author_xpath_values, brands),
        written,
        structured,
        people(
            [v for key in AUTHOR_META for v in metas.get(key, []) if not v.startswith("http")][:1]
        ),
        people(
            [
                names
                for el in classed[:6]
                if not SIDEBAR(el)
                for _, names in credits_from_byline(_text(el), need_role=False)
            ]
        ),
    ]
    authors = next((names for names in candidates if names), [])
    return Credits(authors=authors, editors=editors)
