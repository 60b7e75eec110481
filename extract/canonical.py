"""The page's canonical URL: ``<link rel=canonical>``, ``og:url``, JSON-LD, else the page's own
address; AMP and mobile variants mapped to the desktop page, tracking parameters dropped."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml.etree import XPath

from .page_data import PageData, ld_text
from .rules import CANONICAL_META

__all__ = ["canonicalize_url", "read_canonical"]

_CANONICAL = XPath("//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href")


def canonicalize_url(url: str) -> str:
    """Map AMP and mobile variants to the canonical page; drop tracking parameters."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    labels = host.split(".")
    if labels and labels[0] in ("m", "amp", "mobile") and len(labels) >= 3:
        rest = labels[1:]
        second_level = len(rest) == 3 and rest[-2] in ("co", "or", "go", "ac", "web", "my")
        host = ".".join(["www", *rest]) if len(rest) == 2 or second_level else ".".join(rest)
    netloc = host + (f":{parts.port}" if parts.port else "")
    path = re.sub(r"/amp(?=/|$)", "", parts.path) or "/"
    path = re.sub(r"\.amp(?=\.html?$|$)", "", path)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not (
            k.lower().startswith("utm_")
            or k.lower() in ("amp", "outputtype", "fbclid", "gclid", "_gl", "page", "single")
        )
    ]
    return urlunsplit((parts.scheme, netloc, path, urlencode(query), ""))


def read_canonical(data: PageData) -> str:
    """The canonical URL the page declares (or its own address), canonicalised."""
    canonical = next(iter(_CANONICAL(data.tree)), None) or data.meta(CANONICAL_META)
    if not canonical:
        main = data.ld.get("mainEntityOfPage")
        canonical = ld_text(main) if main else ld_text(data.ld.get("url"))
    url = data.url
    return canonicalize_url(urljoin(url, canonical.strip()) if canonical else url)
