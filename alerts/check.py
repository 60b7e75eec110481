"""Dry run of a rule or query: which stored articles would match, without sending anything.

What ``pantau alerts check RULE_OR_QUERY [--days N]`` prints. Works on a read-only warehouse
connection; writes nothing.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from alerts.rules import Rule, RulesFile
from core.errors import ConfigError
from query.matcher import Document, compile_query
from query.parser import QueryError, parse_query
from query.snippet import make_snippet

BATCH = 500


@dataclass(frozen=True)
class CheckHit:
    """An article the rule or query matches."""

    article_id: str
    source: str
    url: str
    title: str | None
    published_at: str | None  # ISO 8601 with the outlet's own offset
    snippet: str
    alerted: bool  # the rule already has an alert row for it (always False for a bare query)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Window:
    """The publication window a check looks at: ``days`` up to ``end`` (None: everything)."""

    days: int | None
    end: datetime

    @property
    def start(self) -> datetime | None:
        return self.end - timedelta(days=self.days) if self.days else None

    def describe(self) -> str:
        if self.start is None:
            return "window: all stored articles"
        wib = ZoneInfo("Asia/Jakarta")
        return (f"window: the {self.days} days up to the newest stored article, "
                f"{self.start.astimezone(wib):%Y-%m-%d %H:%M} to "
                f"{self.end.astimezone(wib):%Y-%m-%d %H:%M} WIB "
                "(--days N to change, --days 0 for all)")


def check_window(
    con: duckdb.DuckDBPyConnection, days: int | None, now: datetime | None = None
) -> Window:
    """The last ``days`` days up to the newest stored article (never later than now): a
    warehouse loaded days ago, such as the demo's, still shows its articles."""
    now = now or datetime.now(UTC)
    row = con.execute(
        "SELECT max(coalesce(published_at, first_seen_at)) FROM articles"
    ).fetchone()
    newest = row[0] if row else None
    if isinstance(newest, datetime):
        newest = newest if newest.tzinfo else newest.replace(tzinfo=UTC)
        return Window(days, min(newest.astimezone(UTC), now))
    return Window(days, now)


def _looks_like_rule_name(text: str, names: list[str]) -> list[str]:
    """Rule names ``text`` is probably a misspelling of (a single slug with '_' is one anyway)."""
    if not re.fullmatch(r"[A-Za-z0-9_]+", text):
        return []
    close = difflib.get_close_matches(text, names, n=1, cutoff=0.75)
    if close or "_" in text:
        return close or [""]
    return []


def resolve_rule(query_or_rule: str, rules: RulesFile | None = None) -> Rule:
    """The named rule of ``rules``, or an ad-hoc rule for a query (aliases of ``rules`` apply).

    A name that is no rule's but close to one (or a slug with '_', which only rule names have)
    is an error naming the nearest rule: a misspelt rule must not silently become a search.
    """
    text = query_or_rule.strip()
    if rules is not None:
        for rule in rules.rules:
            if rule.name == text:
                return rule
        names = [r.name for r in rules.rules]
        guess = _looks_like_rule_name(text, names)
        if guess:
            nearest = f"; did you mean '{guess[0]}'?" if guess[0] else ""
            listed = ", ".join(names) or "none"
            raise ConfigError(
                f"no rule is named '{text}'{nearest} (rules: {listed}; to search for the word "
                f"instead, quote it: '\"{text}\"')"
            )
    try:
        node = parse_query(text, rules.aliases if rules else None)
    except QueryError as exc:
        hint = ""
        if rules is not None and " " not in text and exc.message.startswith("unknown"):
            hint = f" (rules: {', '.join(r.name for r in rules.rules)})"
        raise ConfigError(f"query: {exc}{hint}") from None
    return Rule(name="", query=text, node=node, channels=())


def check_query(
    con: duckdb.DuckDBPyConnection,
    query: str,
    days: int | None = 7,
    *,
    rules: RulesFile | None = None,
    now: datetime | None = None,
    limit: int | None = None,
) -> list[CheckHit]:
    """Stored articles that ``query`` (a rule name of ``rules`` or a query) matches.

    ``days`` limits to articles published (or, without a date, first seen) in the last N days;
    ``None`` or 0 means all. A named rule also applies its outlets, sections, language and since.
    Newest first; ``limit`` caps the list.
    """
    rule = resolve_rule(query, rules)
    predicate = compile_query(rule.node)
    now = now or datetime.now(UTC)
    where: list[str] = []
    params: list[Any] = []
    if days:
        where.append("coalesce(published_at, first_seen_at) >= ?")
        params.append(now - timedelta(days=days))
    if rule.since:
        where.append("coalesce(published_at, first_seen_at) >= ?")
        params.append(rule.since)
    if rule.outlets:
        where.append("list_contains(?, source)")
        params.append(list(rule.outlets))
    if rule.sections:
        where.append("list_contains(?, lower(section))")
        params.append(list(rule.sections))
    if rule.language:
        where.append("language = ?")
        params.append(rule.language)
    sql = (
        "SELECT id, source, url, title, text, published_at_local FROM articles"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY coalesce(published_at, first_seen_at) DESC, id"
    )
    cursor = con.execute(sql, params)
    found: list[tuple[str, str, str, str | None, str | None, str]] = []
    while limit is None or len(found) < limit:
        batch = cursor.fetchmany(BATCH)
        if not batch:
            break
        for article_id, source, url, title, text, published in batch:
            if predicate(Document.from_article(title, text)):
                found.append((article_id, source, url, title, published,
                              make_snippet(rule.node, title, text)))
                if limit is not None and len(found) >= limit:
                    break
    alerted: set[str] = set()
    if rule.name and found:
        rows = con.execute(
            "SELECT DISTINCT article_id FROM alerts "
            "WHERE rule = ? AND list_contains(?, article_id)",
            [rule.name, [f[0] for f in found]],
        ).fetchall()
        alerted = {r[0] for r in rows}
    return [CheckHit(a, s, u, t, p, snip, a in alerted) for a, s, u, t, p, snip in found]
