"""Strings each fixture outlet prints around its articles that extracted text must never hold."""

from __future__ import annotations

import re

from fixtureweb.model import Outlet
from fixtureweb.paging import pager_chrome

_PHOTO_CREDIT = re.compile(r"\((?:Foto|Dok|Ilustrasi):[^)]*\)")


def page_chrome(outlet: Outlet) -> list[str]:
    """Strings on every article page of the outlet (comment forms, ad labels, ...)."""
    return list(outlet.boilerplate)


def article_boilerplate(outlet: Outlet) -> list[str]:
    """Per-article strings: printed datelines, captions and their photo credits, initials."""
    found: list[str] = []
    for article in outlet.articles:
        found.append(outlet.dateline_prefix(article))
        if article.caption:
            found.append(article.caption)
            found += _PHOTO_CREDIT.findall(article.caption)
        if article.initials:
            found.append(article.initials)
    return found


def boilerplate_by_outlet(outlets: dict[str, Outlet]) -> dict[str, list[str]]:
    """``{slug: [strings]}``: page chrome first, then per-article strings, then the pager of
    split articles (printed only with ``multipage=True``), without repeats."""
    return {slug: list(dict.fromkeys(page_chrome(o) + article_boilerplate(o) + pager_chrome(o)))
            for slug, o in outlets.items()}
