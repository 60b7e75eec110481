"""The request parameters of the web app, validated before any SQL sees them.

Every value reaches SQL as a bound parameter; these checks are for clear answers (400 with what
to fix) rather than for safety. A bad value raises :class:`BadRequest`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from query import Node, QueryError, parse_query

JAKARTA = ZoneInfo("Asia/Jakarta")
SLUG = re.compile(r"[a-z0-9_-]{1,64}")
LANGUAGE = re.compile(r"[a-z]{2}")
MAX_QUERY = 1000
MAX_LIMIT = 200


class BadRequest(ValueError):
    """A parameter the app cannot use; the message says which and why."""


def _one(params: Mapping[str, str], name: str) -> str:
    return (params.get(name) or "").strip()


def parse_day(value: str, name: str) -> date | None:
    """``YYYY-MM-DD`` (empty: None)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{name}: {value[:40]!r} is not a date like 2026-11-20") from None


def parse_int(value: str, name: str, default: int, low: int, high: int) -> int:
    if not value:
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise BadRequest(f"{name}: expected a whole number from {low} to {high}")
    return int(value)


@dataclass(frozen=True)
class Filters:
    """What the search and attention pages narrow to: the query and the article filters."""

    q: str = ""
    outlets: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None  # inclusive: the whole day
    sections: tuple[str, ...] = ()
    language: str | None = None

    @property
    def since_at(self) -> datetime | None:
        """The start of ``since`` in Jakarta."""
        return datetime.combine(self.since, time(0), tzinfo=JAKARTA) if self.since else None

    @property
    def until_at(self) -> datetime | None:
        """The end of ``until`` in Jakarta (exclusive bound)."""
        if self.until is None:
            return None
        return datetime.combine(self.until + timedelta(days=1), time(0), tzinfo=JAKARTA)

    def node(self, aliases: Mapping[str, Node] | None) -> Node | None:
        """The parsed query (None without one); :class:`BadRequest` when it does not parse."""
        if not self.q:
            return None
        try:
            return parse_query(self.q, aliases)
        except QueryError as exc:
            raise BadRequest(f"query: {exc}") from None
        except RecursionError:
            raise BadRequest("query: nested too deeply") from None

    def query_string(self, **extra: str) -> str:
        """These filters as a URL query (shareable links, downloads)."""
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        pairs += [("outlet", o) for o in self.outlets]
        if self.since:
            pairs.append(("since", self.since.isoformat()))
        if self.until:
            pairs.append(("until", self.until.isoformat()))
        pairs += [("section", s) for s in self.sections]
        if self.language:
            pairs.append(("language", self.language))
        pairs += list(extra.items())
        return urlencode(pairs)


def filters_from(params: Mapping[str, str], multi: Mapping[str, list[str]],
                 known_outlets: set[str]) -> Filters:
    """:class:`Filters` from a request's query parameters (``multi``: every value by name)."""
    q = _one(params, "q")
    if len(q) > MAX_QUERY:
        raise BadRequest(f"q: the query is longer than {MAX_QUERY} characters")
    outlets = tuple(o.strip() for o in multi.get("outlet", []) if o.strip())
    for outlet in outlets:
        if outlet not in known_outlets:
            raise BadRequest(f"outlet: no outlet is named {outlet[:64]!r} (known: "
                             f"{', '.join(sorted(known_outlets)) or 'none'})")
    sections = tuple(s.strip().lower() for s in multi.get("section", []) if s.strip())
    if any(len(s) > 100 for s in sections):
        raise BadRequest("section: at most 100 characters")
    language = _one(params, "language") or None
    if language is not None and not LANGUAGE.fullmatch(language):
        raise BadRequest("language: expected an ISO 639-1 code such as 'id'")
    since = parse_day(_one(params, "since"), "since")
    until = parse_day(_one(params, "until"), "until")
    if since and until and until < since:
        raise BadRequest("until: the range ends before it starts")
    return Filters(q, outlets, since, until, sections, language)
