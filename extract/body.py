"""The article body: trafilatura on the page after pruning boilerplate containers.

Two generic repairs around trafilatura:
* loose text (a lead paragraph written straight into a <div> next to <p> siblings, split by
  <br>) is wrapped into <p> elements first, so it is not lost;
* when trafilatura's result is mostly link text (teasers) or far shorter than the page's densest
  cluster of paragraphs, that cluster is used instead.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from copy import deepcopy

import trafilatura
from lxml.etree import XPath
from lxml.html import HtmlElement

from .names import normalise_key
from .options import SiteOptions
from .rules import PRUNE_XPATHS

log = logging.getLogger(__name__)

__all__ = ["extract_body_lines", "prune_boilerplate", "wrap_loose_text", "paragraph_cluster"]

_PRUNE = tuple((name, XPath(expr)) for name, expr in PRUNE_XPATHS)
_INLINE = frozenset(
    ("a", "abbr", "b", "bdi", "bdo", "cite", "code", "dfn", "em", "font", "i", "kbd", "mark", "q",
     "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr")
)  # fmt: skip
_CONTAINERS = ("div", "span", "section", "article", "td", "main", "center", "font")
_BLOCK_LINES = XPath(
    "./p | ./h2 | ./h3 | ./h4 | ./blockquote | ./ul/li | ./ol/li | ./table//tr | ./div[not(*)]"
)


def prune_boilerplate(tree: HtmlElement, options: SiteOptions) -> HtmlElement:
    """Remove the PRUNE_XPATHS elements (and the outlet's prune_xpaths) from ``tree`` in place.

    Containers that are the article itself (<article>, <main>, <body>) and elements that hold
    most of the page's paragraphs are never removed, so a loose class match cannot empty a page.
    """
    rules = list(_PRUNE) + [("site", XPath(expr)) for expr in options.prune_xpaths]
    for name, xpath in rules:
        for element in xpath(tree):
            if element.getparent() is None:
                continue
            if name != "site" and (
                element.tag in ("article", "main", "body", "html")
                or len(element.xpath(".//p[string-length(normalize-space()) > 120]")) >= 3
            ):
                continue
            element.drop_tree()
    return tree


def _loose_text_length(element: HtmlElement) -> int:
    total = len((element.text or "").strip())
    for child in element:
        total += len((child.tail or "").strip())
    return total


def _is_inline(child: HtmlElement) -> bool:
    tag = child.tag
    if not isinstance(tag, str) or tag not in _INLINE:
        return False
    return not any(
        isinstance(d.tag, str) and d.tag not in _INLINE and d.tag != "br"
        for d in child.iterdescendants()
    )


def _wrap(element: HtmlElement) -> None:
    children = list(element)
    new: list[HtmlElement] = []
    current: list[HtmlElement | None] = [None]

    def open_paragraph() -> HtmlElement:
        paragraph = element.makeelement("p", {})
        new.append(paragraph)
        current[0] = paragraph
        return paragraph

    def add_text(text: str | None) -> None:
        if not text:
            return
        paragraph = current[0]
        if paragraph is None:
            if text.strip():
                open_paragraph().text = text
        elif len(paragraph):
            paragraph[-1].tail = (paragraph[-1].tail or "") + text
        else:
            paragraph.text = (paragraph.text or "") + text

    add_text(element.text)
    element.text = None
    for child in children:
        tail, child.tail = child.tail, None
        element.remove(child)
        if isinstance(child.tag, str) and child.tag == "br":
            current[0] = None
        elif _is_inline(child):
            (current[0] if current[0] is not None else open_paragraph()).append(child)
        else:
            current[0] = None
            new.append(child)
        add_text(tail)
    for item in new:
        element.append(item)


def wrap_loose_text(tree: HtmlElement) -> HtmlElement:
    """Wrap text written directly inside containers that also hold blocks or <br> into <p>s."""
    targets = [
        element
        for element in tree.iter(*_CONTAINERS)
        if _loose_text_length(element) >= 40
        and any(not _is_inline(c) for c in element if isinstance(c.tag, str))
    ]
    for element in targets:
        _wrap(element)
    return tree


def paragraph_cluster(tree: HtmlElement) -> list[str]:
    """Lines of the element holding the most paragraph text (links and short lines excluded)."""
    scores: dict[HtmlElement, int] = defaultdict(int)
    for p in tree.iter("p"):
        text = " ".join(p.text_content().split())
        if len(text) < 40:
            continue
        linked = sum(len(" ".join(a.text_content().split())) for a in p.iter("a"))
        if linked > 0.5 * len(text):
            continue
        parent = p.getparent()
        if parent is not None:
            scores[parent] += len(text)
    if not scores:
        return []
    best = max(scores, key=lambda e: scores[e])
    lines = [" ".join(el.text_content().split()) for el in _BLOCK_LINES(best)]
    return [line for line in lines if line]


def extract_body_lines(
    tree: HtmlElement, url: str, options: SiteOptions, anchors: frozenset[str] = frozenset()
) -> list[str]:
    """Body text lines of the page (one paragraph, list item or table row per line)."""
    work = wrap_loose_text(prune_boilerplate(deepcopy(tree), options))
    if options.body_xpath:
        found = work.xpath(options.body_xpath)
        if found and isinstance(found[0], HtmlElement):
            lines = [" ".join(el.text_content().split()) for el in _BLOCK_LINES(found[0])]
            lines = [x for x in lines if x]
            if lines:
                return lines
    document = trafilatura.bare_extraction(
        work,
        url=url,
        favor_precision=options.favor == "precision",
        favor_recall=options.favor == "recall",
        include_comments=False,
        include_tables=True,
        include_images=False,
        with_metadata=False,
    )
    text = getattr(document, "text", None)
    lines = text.split("\n") if isinstance(text, str) and text else []
    own = sum(len(x) for x in lines if normalise_key(x) not in anchors)
    if own < 1500:
        cluster = paragraph_cluster(work)
        size = sum(len(x) for x in cluster)
        if size >= 400 and size > 1.5 * own:
            log.debug("%s: trafilatura kept %d own chars, paragraph cluster has %d", url, own, size)
            return cluster
    return lines
