"""HTML text to an lxml tree (trafilatura's loader, so both read the same tree)."""

from __future__ import annotations

from lxml.html import HtmlElement
from trafilatura.utils import load_html

__all__ = ["parse_html"]


def parse_html(html: str) -> HtmlElement | None:
    """Parse a page; None when there is nothing to parse."""
    if not html or not html.strip():
        return None
    tree = load_html(html)
    return tree if isinstance(tree, HtmlElement) else None
