"""The page's canonical URL: ``<link rel=canonical>``, ``og:url``, JSON-LD, else the page's own
address, in the canonical form of :func:`extract.urls.canonicalize_url` (the one rulebook the
crawler and the warehouse use too)."""

from __future__ import annotations

from urllib.parse import urljoin

from lxml.etree import XPath

from .page_data import PageData, ld_text
from .rules import CANONICAL_META
from .urls import canonicalize_url

__all__ = ["canonicalize_url", "read_canonical"]

_CANONICAL = XPath("//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href")


def read_canonical(data: PageData) -> str:
    """The canonical URL the page declares (or its own address), canonicalised."""
    canonical = next(iter(_CANONICAL(data.tree)), None) or data.meta(CANONICAL_META)
    if not canonical:
        main = data.ld.get("mainEntityOfPage")
        canonical = ld_text(main) if main else ld_text(data.ld.get("url"))
    url = data.url
    chosen = urljoin(url, canonical.strip()) if canonical else url
    try:
        return canonicalize_url(chosen)
    except ValueError:  # not an http(s) address (a page read from a file): kept as given
        return chosen
