"""The article body: trafilatura on the page after pruning boilerplate containers."""

from __future__ import annotations

import logging
from copy import deepcopy

import trafilatura
from lxml.etree import XPath
from lxml.html import HtmlElement

from .options import SiteOptions
from .rules import PRUNE_XPATHS

log = logging.getLogger(__name__)

__all__ = ["extract_body_lines", "prune_boilerplate"]

_PRUNE = tuple((name, XPath(expr)) for name, expr in PRUNE_XPATHS)
_KEEP = XPath("ancestor-or-self::*[self::article or self::main or self::body or self::html]")


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


def extract_body_lines(tree: HtmlElement, url: str, options: SiteOptions) -> list[str]:
    """Body text lines of the page (one paragraph, list item or table row per line)."""
    work = prune_boilerplate(deepcopy(tree), options)
    if options.body_xpath:
        found = work.xpath(options.body_xpath)
        if found and isinstance(found[0], HtmlElement):
            lines = [
                " ".join(p.text_content().split())
                for p in found[0].xpath(
                    ".//p | .//li | .//h2 | .//h3 | .//blockquote[not(.//p)] | .//tr"
                )
            ]
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
    if not isinstance(text, str) or not text:
        return []
    return text.split("\n")
