"""Load outlets and their articles from the YAML data under ``fixtureweb/content/<slug>/``."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from fixtureweb.model import Article, Outlet, Section, Update
from fixtureweb.paging import ARTICLE_PAGE_STYLES

log = logging.getLogger(__name__)

CONTENT_DIR = Path(__file__).parent / "content"

METADATA_KINDS = ("jsonld", "opengraph", "none")
CMS_KINDS = ("wordpress", "blogger", "portal")
SITEMAP_KINDS = ("urlset", "news_index")
PAGINATION_KINDS = ("wordpress", "blogger", "portal")

_OUTLET_KEYS = {
    "slug", "name", "site_name", "cms", "language", "timezone", "tagline", "dateline_format",
    "dateline_case", "feed_path", "sitemap_path", "sitemap_kind", "section_path", "pagination",
    "per_page", "article_pattern", "robots_disallow", "robots_allow", "sections", "boilerplate",
    "default_metadata", "article_pages", "single_page_query", "sitemap_page_size", "feed_limit",
}
_OUTLET_OPTIONAL = {"default_metadata", "robots_allow", "article_pages", "single_page_query",
                    "sitemap_page_size", "feed_limit"}
_ARTICLE_REQUIRED = {
    "path", "title", "paragraphs", "authors", "published_at", "section", "dateline",
}
_ARTICLE_OPTIONAL = {
    "updated_at", "standfirst", "caption", "image", "initials", "tags", "metadata",
    "updates", "removed_on", "removed_status", "page_breaks",
}
_UPDATE_KEYS = {"at", "title", "paragraphs", "append"}


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is ~10x faster


class ContentError(ValueError):
    """A content file is missing a field or holds a bad value; the message says where."""


def _datetime(value: Any, where: str) -> datetime:
    parsed = value
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ContentError(f"{where}: {value!r} is not an ISO 8601 date-time") from None
    if not isinstance(parsed, datetime) or parsed.tzinfo is None:
        raise ContentError(f"{where}: give a date-time with a UTC offset, e.g. "
                           "2026-11-20T14:05:00+07:00")
    return parsed


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ContentError(f"{where}: expected a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _updates(raw: Any, published: datetime, where: str) -> tuple[Update, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ContentError(f"{where}: expected a list of updates, each with 'at' and at least "
                           "one of title, paragraphs, append")
    updates: list[Update] = []
    for index, item in enumerate(raw, start=1):
        here = f"{where} #{index}"
        if not isinstance(item, dict) or "at" not in item:
            raise ContentError(f"{here}: each update is a mapping with an 'at' date-time")
        unknown = item.keys() - _UPDATE_KEYS
        if unknown:
            raise ContentError(f"{here}: unknown key(s) {', '.join(sorted(unknown))}; "
                               f"use {', '.join(sorted(_UPDATE_KEYS))}")
        if not item.keys() & {"title", "paragraphs", "append"}:
            raise ContentError(f"{here}: give at least one of title, paragraphs, append")
        at = _datetime(item["at"], f"{here} at")
        previous = updates[-1].at if updates else published
        if at <= previous:
            raise ContentError(f"{here}: 'at' must come after {previous.isoformat()} "
                               "(publication or the previous update)")
        updates.append(Update(
            at=at,
            title=str(item["title"]).strip() if item.get("title") else None,
            paragraphs=_strings(item["paragraphs"], f"{here} paragraphs")
            if "paragraphs" in item else None,
            append=_strings(item.get("append", []), f"{here} append") if "append" in item
            else (),
        ))
    return tuple(updates)


def _page_breaks(raw: Any, paragraphs: int, where: str) -> tuple[int, ...]:
    if raw is None:
        return ()
    if (not isinstance(raw, list) or not all(isinstance(b, int) for b in raw)
            or raw != sorted(set(raw)) or (raw and not 0 < raw[0] <= raw[-1] < paragraphs)):
        raise ContentError(f"{where}: page_breaks must be increasing paragraph indexes between "
                           f"1 and {paragraphs - 1} (where pages 2, 3, ... start)")
    return tuple(raw)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506
    except FileNotFoundError:
        raise ContentError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: invalid YAML: {exc}") from None


def _article(raw: Any, outlet_slug: str, default_metadata: str, pattern: re.Pattern[str],
             sections: set[str], where: str) -> Article:
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: each article must be a mapping")
    missing = _ARTICLE_REQUIRED - raw.keys()
    if missing:
        raise ContentError(f"{where}: missing {', '.join(sorted(missing))}")
    unknown = raw.keys() - _ARTICLE_REQUIRED - _ARTICLE_OPTIONAL
    if unknown:
        raise ContentError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    path = str(raw["path"])
    if not pattern.search(path):
        raise ContentError(f"{where}: path {path!r} does not match the outlet's article_pattern "
                           f"{pattern.pattern!r}")
    if raw["section"] not in sections:
        raise ContentError(f"{where}: section {raw['section']!r} is not one of the outlet's "
                           f"sections {sorted(sections)}")
    metadata = raw.get("metadata", default_metadata)
    if metadata not in METADATA_KINDS:
        raise ContentError(f"{where}: metadata must be one of {METADATA_KINDS}")
    paragraphs = _strings(raw["paragraphs"], f"{where} paragraphs")
    updated = raw.get("updated_at")
    published = _datetime(raw["published_at"], f"{where} published_at")
    updates = _updates(raw.get("updates"), published, f"{where} updates")
    removed = raw.get("removed_on")
    removed_at = _datetime(removed, f"{where} removed_on") if removed is not None else None
    last_change = updates[-1].at if updates else published
    if removed_at is not None and removed_at <= last_change:
        raise ContentError(f"{where}: removed_on must come after {last_change.isoformat()} "
                           "(publication and every update)")
    updated_at = _datetime(updated, f"{where} updated_at") if updated is not None else None
    if updated_at is not None and updated_at < published:
        raise ContentError(f"{where}: updated_at {updated_at.isoformat()} is before "
                           f"published_at {published.isoformat()}")
    removed_status = raw.get("removed_status", 404)
    if removed_status not in (404, 410):
        raise ContentError(f"{where}: removed_status must be 404 or 410")
    return Article(
        outlet=outlet_slug,
        path=path,
        title=str(raw["title"]).strip(),
        paragraphs=paragraphs,
        authors=_strings(raw["authors"], f"{where} authors"),
        published_at=published,
        updated_at=updated_at,
        section=str(raw["section"]),
        dateline=str(raw["dateline"]).strip(),
        standfirst=raw.get("standfirst"),
        caption=raw.get("caption"),
        image=raw.get("image"),
        initials=raw.get("initials"),
        tags=_strings(raw.get("tags", []), f"{where} tags"),
        metadata=metadata,
        updates=updates,
        removed_at=removed_at,
        removed_status=removed_status,
        page_breaks=_page_breaks(raw.get("page_breaks"), len(paragraphs), f"{where} page_breaks"),
    )


def load_outlet(folder: Path) -> Outlet:
    """Read ``outlet.yaml`` and ``articles.yaml`` from ``folder`` into an :class:`Outlet`."""
    outlet_file = folder / "outlet.yaml"
    raw = _read_yaml(outlet_file)
    if not isinstance(raw, dict):
        raise ContentError(f"{outlet_file}: expected a mapping of outlet fields")
    missing = (_OUTLET_KEYS - _OUTLET_OPTIONAL) - raw.keys()
    if missing:
        raise ContentError(f"{outlet_file}: missing {', '.join(sorted(missing))}")
    unknown = raw.keys() - _OUTLET_KEYS
    if unknown:
        raise ContentError(f"{outlet_file}: unknown key(s) {', '.join(sorted(unknown))}")
    raw.setdefault("article_pages", "none")
    for key, allowed in (("cms", CMS_KINDS), ("sitemap_kind", SITEMAP_KINDS),
                         ("pagination", PAGINATION_KINDS), ("article_pages", ARTICLE_PAGE_STYLES)):
        if raw[key] not in allowed:
            raise ContentError(f"{outlet_file}: {key} must be one of {allowed}")
    sections = tuple(Section(name=str(s["name"]), slug=str(s["slug"])) for s in raw["sections"])
    pattern = re.compile(raw["article_pattern"])
    default_metadata = raw.get("default_metadata", "opengraph")

    articles_file = folder / "articles.yaml"
    raw_articles = _read_yaml(articles_file)
    if not isinstance(raw_articles, dict) or not isinstance(raw_articles.get("articles"), list):
        raise ContentError(f"{articles_file}: expected a mapping with an 'articles:' list")
    articles = tuple(
        _article(item, raw["slug"], default_metadata, pattern, {s.name for s in sections},
                 f"{articles_file} article #{index + 1}")
        for index, item in enumerate(raw_articles["articles"])
    )
    split = [a.path for a in articles if a.page_breaks]
    if split and raw["article_pages"] == "none":
        raise ContentError(f"{articles_file}: {split[0]} has page_breaks but the outlet has no "
                           f"article_pages style; set article_pages: query or path in "
                           f"{outlet_file}")
    paths = [a.path for a in articles]
    duplicates = sorted({p for p in paths if paths.count(p) > 1})
    if duplicates:
        raise ContentError(f"{articles_file}: duplicate article paths {duplicates}")

    outlet = Outlet(
        slug=raw["slug"], name=raw["name"], site_name=raw["site_name"], cms=raw["cms"],
        language=raw["language"], timezone=raw["timezone"], tagline=raw["tagline"],
        dateline_format=raw["dateline_format"], dateline_case=raw["dateline_case"],
        feed_path=raw["feed_path"], sitemap_path=raw["sitemap_path"],
        sitemap_kind=raw["sitemap_kind"], section_path=raw["section_path"],
        pagination=raw["pagination"], per_page=int(raw["per_page"]),
        article_pattern=raw["article_pattern"],
        robots_disallow=_strings(raw["robots_disallow"], f"{outlet_file} robots_disallow"),
        robots_allow=_strings(raw.get("robots_allow", []), f"{outlet_file} robots_allow"),
        sections=sections,
        boilerplate=_strings(raw["boilerplate"], f"{outlet_file} boilerplate"),
        articles=tuple(sorted(articles, key=lambda a: a.published_at, reverse=True)),
        article_pages=raw["article_pages"],
        single_page_query=raw.get("single_page_query"),
        sitemap_page_size=int(raw.get("sitemap_page_size", 0)),
        feed_limit=int(raw.get("feed_limit", 0)),
    )
    if outlet.slug != folder.name:
        raise ContentError(f"{outlet_file}: slug {outlet.slug!r} must equal the folder name "
                           f"{folder.name!r}")
    log.debug("loaded outlet %s with %d articles", outlet.slug, len(articles))
    return outlet


def load_outlets(content_dir: Path = CONTENT_DIR) -> dict[str, Outlet]:
    """All outlets under ``content_dir``, keyed by slug, in folder-name order."""
    folders = sorted(p for p in content_dir.iterdir() if (p / "outlet.yaml").is_file())
    if not folders:
        raise ContentError(f"{content_dir}: no outlet folders with an outlet.yaml")
    outlets = [load_outlet(folder) for folder in folders]
    return {outlet.slug: outlet for outlet in outlets}
