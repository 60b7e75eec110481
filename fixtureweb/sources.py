"""Write a sources.yaml (the contract in docs/design.md) for the fixture outlets."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

from fixtureweb.model import Outlet

log = logging.getLogger(__name__)


def listing_url(outlet: Outlet, base: str) -> str:
    """The first page of the outlet's paginated article listing."""
    return base + "indeks" if outlet.pagination == "portal" else base


def source_entry(outlet: Outlet, base: str, feeds: bool = True, sitemaps: bool = True,
                 listings: bool = False) -> dict[str, Any]:
    """One ``sources:`` entry; ``base`` is the outlet's home URL with a trailing slash.

    ``feeds`` / ``sitemaps`` / ``listings`` choose the discovery routes written (a crawl over
    listings only, for instance, is ``feeds=False, sitemaps=False, listings=True``).
    """
    root = base.rstrip("/")
    entry: dict[str, Any] = {"name": outlet.slug, "url": base}
    if feeds:
        entry["feeds"] = [root + outlet.feed_path]
    if sitemaps:
        entry["sitemaps"] = [root + outlet.sitemap_path]
    if listings:
        entry["listings"] = [listing_url(outlet, base)]
    entry.update(article_pattern=outlet.article_pattern, language=outlet.language,
                 timezone=outlet.timezone)
    return entry


def write_sources_yaml(path: Path, outlets: Iterable[Outlet], base_url: Callable[[str], str],
                       feeds: bool = True, sitemaps: bool = True,
                       listings: bool = False) -> Path:
    """Write the sources file to ``path`` (parents created) and return the path."""
    entries = [source_entry(outlet, base_url(outlet.slug), feeds, sitemaps, listings)
               for outlet in outlets]
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump({"sources": entries}, sort_keys=False, allow_unicode=True)
    path.write_text("# written by fixtureweb; ports change per run\n" + text, encoding="utf-8")
    log.debug("wrote %d fixture sources to %s", len(entries), path)
    return path
