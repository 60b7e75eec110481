"""Date formats the fixture outlets print: Indonesian names, WIB/WITA/WIT, RFC 822, HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov",
                "Des")
ZONES = {timedelta(hours=7): "WIB", timedelta(hours=8): "WITA", timedelta(hours=9): "WIT"}


def zone_name(moment: datetime) -> str:
    """WIB, WITA or WIT for the offset of ``moment``; raises ValueError for other offsets."""
    offset = moment.utcoffset()
    if offset not in ZONES:
        raise ValueError(f"{moment.isoformat()}: offset is not WIB/WITA/WIT (+07/+08/+09)")
    return ZONES[offset]


def long_date(moment: datetime) -> str:
    """``20 November 2026``."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def day_long_date(moment: datetime) -> str:
    """``Jumat, 20 November 2026`` (Blogger date header)."""
    return f"{DAYS[moment.weekday()]}, {long_date(moment)}"


def portal_date(moment: datetime) -> str:
    """``Jumat, 20 Nov 2026 14:05 WIB`` (national portal byline)."""
    return (f"{DAYS[moment.weekday()]}, {moment.day:02d} {MONTHS_SHORT[moment.month - 1]} "
            f"{moment.year} {moment:%H:%M} {zone_name(moment)}")


def rfc822(moment: datetime) -> str:
    """RSS pubDate keeping the article's own offset: ``Fri, 20 Nov 2026 14:05:00 +0700``."""
    return format_datetime(moment)


def http_date(moment: datetime) -> str:
    """HTTP-date (always GMT) for Last-Modified."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)
