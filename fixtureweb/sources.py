"""Write a sources.yaml (the contract in docs/design.md) for the fixture outlets."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

from fixtureweb.model import Outlet

log = logging.getLogger(__name__)


def source_entry(outlet: Outlet, base: str) -> dict[str, Any]:
    """One ``sources:`` entry; ``base`` is the outlet's home URL with a trailing slash."""
    root = base.rstrip("/")
    return {
        "name": outlet.slug,
        "url": base,
        "feeds": [root + outlet.feed_path],
        "sitemaps": [root + outlet.sitemap_path],
        "article_pattern": outlet.article_pattern,
        "language": outlet.language,
        "timezone": outlet.timezone,
    }


def write_sources_yaml(path: Path, outlets: Iterable[Outlet],
                       base_url: Callable[[str], str]) -> Path:
    """Write the sources file to ``path`` (parents created) and return the path."""
    entries = [source_entry(outlet, base_url(outlet.slug)) for outlet in outlets]
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump({"sources": entries}, sort_keys=False, allow_unicode=True)
    path.write_text("# written by fixtureweb; ports change per run\n" + text, encoding="utf-8")
    log.debug("wrote %d fixture sources to %s", len(entries), path)
    return path
