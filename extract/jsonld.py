"""JSON-LD reading: the page's schema.org objects, flattened, tolerant of sloppy JSON."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

from lxml.etree import XPath
from lxml.html import HtmlElement

log = logging.getLogger(__name__)

__all__ = ["read_jsonld", "find_type", "types_of", "ARTICLE_TYPES"]

_SCRIPTS = XPath("//script[contains(translate(@type, 'JSONLD', 'jsonld'), 'ld+json')]")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")

ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "socialmediaposting",
        "liveblogposting", "scholarlyarticle", "techarticle", "report", "posting",
    }
)  # fmt: skip


def _flatten(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _flatten(item)
    elif isinstance(node, dict):
        yield node
        if "@graph" in node:
            yield from _flatten(node["@graph"])
        main = node.get("mainEntity")
        if isinstance(main, (dict, list)):
            yield from _flatten(main)


def read_jsonld(tree: HtmlElement) -> list[dict[str, Any]]:
    """All JSON-LD objects on the page (top level, @graph members and mainEntity), in order."""
    objects: list[dict[str, Any]] = []
    for script in _SCRIPTS(tree):
        raw = (script.text or "").strip()
        if not raw:
            continue
        raw = raw.removeprefix("<!--").removesuffix("-->").strip().rstrip(";")
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            try:
                data = json.loads(_TRAILING_COMMA.sub(r"\1", raw), strict=False)
            except ValueError:
                log.debug("unreadable JSON-LD block skipped")
                continue
        objects.extend(_flatten(data))
    return objects


def types_of(obj: dict[str, Any]) -> set[str]:
    """The lower-cased @type names of a JSON-LD object."""
    value = obj.get("@type")
    if isinstance(value, str):
        return {value.lower().rsplit("/", 1)[-1]}
    if isinstance(value, list):
        return {str(v).lower().rsplit("/", 1)[-1] for v in value}
    return set()


def find_type(
    objects: list[dict[str, Any]], names: frozenset[str] | set[str]
) -> dict[str, Any] | None:
    """The first object whose @type is one of ``names`` (lower-case)."""
    for obj in objects:
        if types_of(obj) & names:
            return obj
    return None
