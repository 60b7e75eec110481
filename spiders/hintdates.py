"""Dates as feeds and sitemaps spell them (RFC 822 ``pubDate``, W3C/ISO ``lastmod``) -> UTC.

Used to decide whether an article already seen was updated since pantau last fetched it. A date
without a time means midnight, a time without an offset means the outlet's own time zone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo


def parse_hint_date(text: str | None, timezone: str = "Asia/Jakarta") -> datetime | None:
    """An aware UTC datetime, or None when ``text`` is empty or not a date."""
    if not text:
        return None
    value = text.strip()
    when: datetime | None = None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=ZoneInfo(timezone))
    return when.astimezone(UTC)


def newest_hint_date(hints: dict[str, object], timezone: str = "Asia/Jakarta") -> datetime | None:
    """The latest of ``lastmod`` / ``updated`` / ``published`` / ``news_published`` in hints."""
    dates = [
        parse_hint_date(str(hints[key]), timezone)
        for key in ("lastmod", "updated", "published", "news_published")
        if hints.get(key)
    ]
    known = [d for d in dates if d is not None]
    return max(known) if known else None
