"""The outlets pantau follows (`sources.yaml`): loading and validation.

Every mistake is reported with the file, the line and what to fix, e.g.::

    sources.yaml:12: source 'kompas': unknown key 'feed' (allowed: article_pattern, extract, ...)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import ConfigError
from core.yamlfile import Located, load_located, named_entry, plain
from extract.urls import is_on_site, site_domain

if TYPE_CHECKING:
    from extract import SiteOptions

URL_LIST_KEYS = ("feeds", "sitemaps", "listings")
ALLOWED_KEYS = (
    "name",
    "url",
    "feeds",
    "sitemaps",
    "listings",
    "article_pattern",
    "language",
    "timezone",
    "extract",
    "recheck_days",
    "checked",
)
#: how an outlet's entry was last verified (``checked: {date, by}``)
CHECKED_BY = ("sources-check", "real-page")
# Re-checking more than a month of articles every night is not polite crawling.
MAX_RECHECK_DAYS = 30


@dataclass(frozen=True)
class Checked:
    """When and how an outlet's entry was last verified against the real outlet.

    ``by``: ``sources-check`` (``pantau sources check`` found it ``ok``) or ``real-page`` (its
    ``article_pattern`` and extraction were tested on saved real pages of the outlet).
    """

    date: str  # ISO date, YYYY-MM-DD
    by: str

    def to_dict(self) -> dict[str, str]:
        return {"date": self.date, "by": self.by}


@dataclass(frozen=True)
class Source:
    """One outlet, as configured in a sources file."""

    name: str
    url: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    article_pattern: str | None = None
    language: str = "id"
    timezone: str = "Asia/Jakarta"
    extract: dict[str, Any] = field(default_factory=dict)
    recheck_days: int = 0  # > 0: re-check articles of the last N days every night (0 = off)
    checked: Checked | None = None  # how the entry was last verified; None = never
    origin: str = ""  # "file:line" the entry came from, for messages

    @property
    def host(self) -> str:
        """The outlet's host name (lower case, no port); the crawl stays on it."""
        return (urlsplit(self.url).hostname or "").lower()

    @cached_property
    def site_options(self) -> SiteOptions:
        """The extractor's options for this outlet, built once (its ``extract`` mapping with its
        ``timezone`` and ``language``; validated when the sources file was read)."""
        from extract import SiteOptions  # imported late: the extractor pulls in trafilatura

        return SiteOptions.from_mapping(self.extract, timezone=self.timezone,
                                        language=self.language)

    def claims(self, url: str) -> bool:
        """True when the crawl of this outlet would take ``url`` as one of its articles: on the
        outlet's site (its domain and subdomains) and matching ``article_pattern`` (the same test
        as the spider's). Without a pattern every URL on the site is a candidate."""
        if not is_on_site(url, self.host):
            return False
        return self.article_pattern is None or re.search(self.article_pattern, url) is not None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form (used to hand a source to a crawler subprocess)."""
        return {
            "name": self.name,
            "url": self.url,
            "feeds": list(self.feeds),
            "sitemaps": list(self.sitemaps),
            "listings": list(self.listings),
            "article_pattern": self.article_pattern,
            "language": self.language,
            "timezone": self.timezone,
            "extract": dict(self.extract),
            "recheck_days": self.recheck_days,
            "checked": self.checked.to_dict() if self.checked else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        """Inverse of :meth:`to_dict` (trusted input, already validated)."""
        return cls(
            name=data["name"],
            url=data["url"],
            feeds=tuple(data.get("feeds") or ()),
            sitemaps=tuple(data.get("sitemaps") or ()),
            listings=tuple(data.get("listings") or ()),
            article_pattern=data.get("article_pattern"),
            language=data.get("language") or "id",
            timezone=data.get("timezone") or "Asia/Jakarta",
            extract=dict(data.get("extract") or {}),
            recheck_days=int(data.get("recheck_days") or 0),
            checked=Checked(**data["checked"]) if data.get("checked") else None,
        )


def _check_http_url(value: Any, where: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {what} must be an http(s) URL string")
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:  # e.g. "Invalid IPv6 URL" for http://[::1/
        raise ConfigError(f"{where}: {what} '{value}' is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where}: {what} '{value}' is not an http(s) URL with a host")
    return value.strip()


def _parse_source(entry: Located, path: Path) -> Source:
    where = f"{path}:{entry.line}"
    raw, name, label = named_entry(
        entry, path, "source", "with at least 'name' and 'url'", "kompas", ALLOWED_KEYS
    )
    if "url" not in raw:
        raise ConfigError(f"{where}: {label} has no 'url' (the outlet's home page)")
    url = _check_http_url(raw["url"].value, f"{path}:{raw['url'].line}", f"{label}: url")
    host = (urlsplit(url).hostname or "").lower()

    lists: dict[str, tuple[str, ...]] = {}
    loc: Located | None
    for key in URL_LIST_KEYS:
        loc = raw.get(key)
        if loc is None or loc.value is None:
            lists[key] = ()
            continue
        if not isinstance(loc.value, list):
            raise ConfigError(f"{path}:{loc.line}: {label}: '{key}' must be a list of URLs")
        urls = []
        for item in loc.value:
            item_where = f"{path}:{item.line}"
            u = _check_http_url(item.value, item_where, f"{label}: {key} entry")
            if not is_on_site(u, host):
                raise ConfigError(
                    f"{item_where}: {label}: {key} entry '{u}' is not on the outlet's host "
                    f"'{host}' (the crawl stays on the domain of 'url', "
                    f"'{site_domain(host)}', and its subdomains)"
                )
            urls.append(u)
        lists[key] = tuple(urls)
    if not any(lists.values()):
        raise ConfigError(
            f"{where}: {label} needs at least one of 'feeds', 'sitemaps' or 'listings' "
            "to discover articles from"
        )

    pattern = None
    if (loc := raw.get("article_pattern")) is not None and loc.value is not None:
        if not isinstance(loc.value, str):
            raise ConfigError(f"{path}:{loc.line}: {label}: article_pattern must be a regex string")
        try:
            re.compile(loc.value)
        except re.error as exc:
            raise ConfigError(
                f"{path}:{loc.line}: {label}: article_pattern is not a valid regex: {exc}"
            ) from None
        pattern = loc.value

    language = "id"
    if (loc := raw.get("language")) is not None:
        if not isinstance(loc.value, str) or not re.fullmatch(r"[a-z]{2}", loc.value):
            raise ConfigError(
                f"{path}:{loc.line}: {label}: language must be an ISO 639-1 code such as 'id'"
            )
        language = loc.value

    timezone = "Asia/Jakarta"
    if (loc := raw.get("timezone")) is not None:
        try:
            ZoneInfo(str(loc.value))
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"{path}:{loc.line}: {label}: unknown timezone {loc.value!r} "
                "(use an IANA name: Asia/Jakarta, Asia/Makassar or Asia/Jayapura)"
            ) from None
        timezone = str(loc.value)

    extract_opts: dict[str, Any] = {}
    if (loc := raw.get("extract")) is not None and loc.value is not None:
        if not isinstance(loc.value, dict):
            raise ConfigError(f"{path}:{loc.line}: {label}: 'extract' must be a mapping")
        extract_opts = plain(loc)
        _check_extract_options(extract_opts, f"{path}:{loc.line}", label, timezone, language)

    recheck_days = 0
    if (loc := raw.get("recheck_days")) is not None and loc.value is not None:
        recheck_days = _check_recheck_days(loc.value, f"{path}:{loc.line}", label)

    checked = None
    if (loc := raw.get("checked")) is not None and loc.value is not None:
        checked = _check_checked(loc, f"{path}:{loc.line}", label)

    return Source(
        name=name,
        url=url,
        feeds=lists["feeds"],
        sitemaps=lists["sitemaps"],
        listings=lists["listings"],
        article_pattern=pattern,
        language=language,
        timezone=timezone,
        extract=extract_opts,
        recheck_days=recheck_days,
        checked=checked,
        origin=where,
    )


def _check_recheck_days(value: Any, where: str, label: str) -> int:
    """``recheck_days``: a whole number of days from 0 (off) to :data:`MAX_RECHECK_DAYS`."""
    # bool is an int in Python: `recheck_days: yes` must not mean one day
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(
            f"{where}: {label}: recheck_days must be a whole number of days, e.g. 3 "
            f"(0 turns re-checking off), not {value!r}"
        )
    if not 0 <= value <= MAX_RECHECK_DAYS:
        raise ConfigError(
            f"{where}: {label}: recheck_days must be between 0 (off) and {MAX_RECHECK_DAYS}, "
            f"got {value}"
        )
    return value


def _check_checked(loc: Located, where: str, label: str) -> Checked:
    """``checked: {date: 2026-12-05, by: sources-check|real-page}``."""
    hint = f"(e.g. checked: {{date: 2026-12-05, by: {CHECKED_BY[0]}}})"
    if not isinstance(loc.value, dict):
        raise ConfigError(
            f"{where}: {label}: checked must be a mapping with 'date' and 'by' {hint}"
        )
    value = plain(loc)
    unknown = sorted(set(value) - {"date", "by"})
    if unknown:
        raise ConfigError(f"{where}: {label}: checked: unknown key '{unknown[0]}' "
                          f"(allowed: date, by)")
    raw_date = value.get("date")
    if isinstance(raw_date, datetime):
        raw_date = raw_date.date()
    if isinstance(raw_date, str):
        try:
            raw_date = date.fromisoformat(raw_date)
        except ValueError:
            raw_date = None
    if not isinstance(raw_date, date):
        raise ConfigError(f"{where}: {label}: checked: date must be a date YYYY-MM-DD {hint}")
    by = value.get("by")
    if by not in CHECKED_BY:
        raise ConfigError(
            f"{where}: {label}: checked: by must be one of {', '.join(CHECKED_BY)}, got {by!r}"
        )
    return Checked(date=raw_date.isoformat(), by=by)


def _check_shared_domains(sources: list[Source]) -> None:
    """Outlets whose sites overlap (a network such as Tribun: www.tribunnews.com covers
    jabar.tribunnews.com) must each say which URLs are theirs, or one article would be claimed
    by several of them."""
    domains = sorted(((site_domain(s.host), s) for s in sources), key=lambda d: len(d[0]))
    for i, (outer, wide) in enumerate(domains):
        for inner, narrow in domains[i + 1:]:
            if inner != outer and not inner.endswith("." + outer):
                continue
            for s, other in ((wide, narrow), (narrow, wide)):
                if s.article_pattern is None:
                    raise ConfigError(
                        f"{s.origin}: source '{s.name}' shares the domain '{outer}' with "
                        f"'{other.name}' and has no article_pattern; give each of them a pattern "
                        "that names its own host (e.g. '^https?://jabar\\.tribunnews\\.com/') "
                        "so that no article is claimed by both"
                    )


def _check_extract_options(
    options: dict[str, Any], where: str, label: str, timezone: str, language: str
) -> None:
    """Let the extractor validate its own per-site options (it owns their schema)."""
    from extract import SiteOptions  # imported late: the extractor pulls in trafilatura

    try:
        SiteOptions.from_mapping(options, timezone=timezone, language=language)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{where}: {label}: extract: {exc}") from None


def load_sources_file(path: Path) -> list[Source]:
    """Load one sources YAML file (a mapping with a ``sources:`` list)."""
    doc = load_located(path)
    if not isinstance(doc.value, dict) or "sources" not in doc.value:
        raise ConfigError(f"{path}:{doc.line}: expected a mapping with a 'sources:' list")
    extra = [k for k in doc.value if k != "sources"]
    if extra:
        raise ConfigError(
            f"{path}:{doc.value[extra[0]].line}: unknown top-level key '{extra[0]}' "
            "(only 'sources' is allowed)"
        )
    items = doc.value["sources"]
    if not isinstance(items.value, list):
        raise ConfigError(f"{path}:{items.line}: 'sources' must be a list of outlets")
    return [_parse_source(item, path) for item in items.value]


def load_sources(path: Path) -> list[Source]:
    """Load a sources file, or every ``*.yaml``/``*.yml`` file of a folder (sorted by name).

    Names must be unique across everything loaded.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
        if not files:
            raise ConfigError(f"{path}: folder has no .yaml files with sources")
    elif path.exists():
        files = [path]
    else:
        raise ConfigError(f"{path}: sources file not found (give --sources FILE or a folder)")
    sources: list[Source] = []
    seen: dict[str, str] = {}
    for file in files:
        for source in load_sources_file(file):
            if source.name in seen:
                raise ConfigError(
                    f"{source.origin}: source name '{source.name}' is already used at "
                    f"{seen[source.name]}; names must be unique"
                )
            seen[source.name] = source.origin
            sources.append(source)
    if not sources:
        raise ConfigError(f"{path}: no sources configured")
    _check_shared_domains(sources)
    return sources


def select_sources(sources: list[Source], names: list[str] | tuple[str, ...]) -> list[Source]:
    """Keep only the named sources; an unknown name is an error listing the known ones."""
    if not names:
        return sources
    by_name = {s.name: s for s in sources}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise ConfigError(
            f"unknown source '{unknown[0]}' (configured: {', '.join(sorted(by_name))})"
        )
    return [by_name[n] for n in names]
