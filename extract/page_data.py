"""What a page says about itself, gathered once: its meta tags, its JSON-LD article object and
small helpers that read them; each metadata reader takes a PageData."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml.etree import XPath
from lxml.html import HtmlElement

from .elements import PageElements
from .jsonld import ARTICLE_TYPES, find_type, read_jsonld
from .options import SiteOptions

__all__ = [
    "PageData",
    "SIDEBAR",
    "first",
    "ld_list",
    "ld_text",
    "meta_map",
    "text_of",
    "xpath_values",
]


def text_of(element: Any) -> str:
    """Whitespace-normalised text content of an element (or a string result)."""
    if isinstance(element, str):
        return " ".join(element.split())
    return " ".join(element.text_content().split())


def meta_map(tree: HtmlElement) -> dict[str, list[str]]:
    metas: dict[str, list[str]] = {}
    for meta in _META(tree):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content and content.strip():
            metas.setdefault(key.strip().lower(), []).append(" ".join(content.split()))
    return metas


_META = XPath("//meta[@content]")

SIDEBAR = XPath(
    "ancestor::*[self::nav or self::aside or (self::footer and not(ancestor::article)) or "
    "self::header[contains(@class, 'site') or @id='header']]"
)


def first(metas: dict[str, list[str]], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        values = metas.get(key)
        if values:
            return values[0]
    return None


def ld_text(value: Any) -> str | None:
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, list) and value:
        return ld_text(value[0])
    if isinstance(value, dict):
        return ld_text(value.get("name") or value.get("@id") or value.get("url"))
    return None


def ld_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list):
        return [s for item in value for s in ld_list(item)]
    return []


def xpath_values(tree: HtmlElement, expr: str) -> list[str]:
    out: list[str] = []
    result = tree.xpath(expr)
    for item in result if isinstance(result, list) else [result]:
        if isinstance(item, str):
            out.append(" ".join(item.split()))
        elif hasattr(item, "text_content"):
            out.append(
                item.get("datetime") or item.get("content") or " ".join(item.text_content().split())
            )
    return [v for v in out if v]


@dataclass
class PageData:
    """One page's sources, read once and shared by the metadata readers."""

    tree: HtmlElement
    url: str
    options: SiteOptions
    page: PageElements
    fetched_at: datetime | None = None
    metas: dict[str, list[str]] = field(default_factory=dict)
    objects: list[dict[str, Any]] = field(default_factory=list)
    ld: dict[str, Any] = field(default_factory=dict)
    has_article_schema: bool = False

    @classmethod
    def read(
        cls,
        tree: HtmlElement,
        url: str,
        options: SiteOptions,
        fetched_at: datetime | None = None,
        page: PageElements | None = None,
    ) -> PageData:
        objects = read_jsonld(tree)
        article = find_type(objects, ARTICLE_TYPES)
        return cls(
            tree=tree,
            url=url,
            options=options,
            page=page or PageElements(tree),
            fetched_at=fetched_at,
            metas=meta_map(tree),
            objects=objects,
            ld=article or {},
            has_article_schema=article is not None,
        )

    def meta(self, keys: tuple[str, ...]) -> str | None:
        """The first of these meta tags the page has."""
        return first(self.metas, keys)
