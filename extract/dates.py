"""Date parsing for Indonesian (and English) news pages.

Handles ISO 8601, ``2026/11/20 14:05:00``, ``20/11/2026 14:05``, Indonesian and English day and
month names with abbreviations (``Selasa, 20 Agu 2026 14.05 WIB``), Indonesian time-zone names
(WIB +07:00, WITA +08:00, WIT +09:00) and relative dates (``2 jam lalu``) resolved against the
fetch time. Results are aware datetimes in the outlet's offset unless the source states its own.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

__all__ = ["parse_date", "format_date", "to_outlet_offset", "MONTHS", "ZONE_OFFSETS"]

MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    [
        ("januari", "jan", "january"),
        ("februari", "pebruari", "feb", "peb", "february"),
        ("maret", "mar", "march"),
        ("april", "apr"),
        ("mei", "may"),
        ("juni", "jun", "june"),
        ("juli", "jul", "july"),
        ("agustus", "agu", "agt", "ags", "agus", "aug", "august"),
        ("september", "sep", "sept"),
        ("oktober", "okt", "oct", "october"),
        ("november", "nov", "nop", "nopember"),
        ("desember", "des", "dec", "december"),
    ],
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _num

ZONE_OFFSETS: dict[str, timedelta] = {
    "wib": timedelta(hours=7),
    "wita": timedelta(hours=8),
    "wit": timedelta(hours=9),
    "utc": timedelta(0),
    "gmt": timedelta(0),
    "z": timedelta(0),
}

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_TIME = r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?(?:\s*(?P<ampm>[ap]\.?m\.?))?"
_ZONE = (
    r"(?:\s*(?P<zone>WIB|WITA|WIT|UTC|GMT|Z)(?![a-z]))?"
    r"(?:\s*(?P<off>[+-]\d{1,2}(?::?\d{2})?))?"
)
_SEP = r"[\s,|\-–—/@]*(?:pukul|jam|at|pk\.?)?\s*"

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T\s]+" + _TIME + r")?(?:\.\d+)?" + _ZONE,
    re.I,
)
_YMD_SLASH = re.compile(
    r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:" + _SEP + _TIME + r")?" + _ZONE, re.I
)
_DMY_NUM = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})(?:" + _SEP + _TIME + r")?" + _ZONE,
    re.I,
)
_DMY_NAME = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})\s*(?P<mon>" + _MONTH_RE + r")\.?,?\s*(?P<y>\d{4})"
    r"(?:" + _SEP + _TIME + r")?" + _ZONE,
    re.I,
)
_MDY_NAME = re.compile(
    r"\b(?P<mon>" + _MONTH_RE + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})"
    r"(?:" + _SEP + _TIME + r")?" + _ZONE,
    re.I,
)
_RELATIVE = re.compile(
    r"(?P<n>\d+|se|satu)\s*(?P<unit>detik|menit|jam|hari|minggu|pekan|bulan|"
    r"seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+(?:yang\s+)?(?:lalu|ago)\b",
    re.I,
)
_UNIT_SECONDS = {
    "detik": 1, "second": 1, "seconds": 1,
    "menit": 60, "minute": 60, "minutes": 60, "min": 60, "mins": 60,
    "jam": 3600, "hour": 3600, "hours": 3600, "hr": 3600, "hrs": 3600,
    "hari": 86400, "day": 86400, "days": 86400,
    "minggu": 604800, "pekan": 604800, "week": 604800, "weeks": 604800,
    "bulan": 2592000,
}  # fmt: skip
_PATTERNS = (_ISO, _YMD_SLASH, _DMY_NAME, _MDY_NAME, _DMY_NUM)


def _offset(zone: str | None, off: str | None) -> timedelta | None:
    if off:
        sign = -1 if off[0] == "-" else 1
        digits = off[1:].replace(":", "")
        hours = int(digits[:-2] or 0) if len(digits) > 2 else int(digits)
        minutes = int(digits[-2:]) if len(digits) > 2 else 0
        base = ZONE_OFFSETS.get((zone or "").lower(), timedelta(0))
        return base + sign * timedelta(hours=hours, minutes=minutes)
    if zone:
        return ZONE_OFFSETS[zone.lower()]
    return None


def _build(match: re.Match[str], outlet_tz: tzinfo) -> datetime | None:
    groups = match.groupdict()
    try:
        month = int(groups["m"]) if groups.get("m") else MONTHS[groups["mon"].lower()]
        day_ = date(int(groups["y"]), month, int(groups["d"]))
    except (ValueError, KeyError):
        return None
    hour = int(groups["h"]) if groups.get("h") else 0
    minute = int(groups["mi"]) if groups.get("mi") else 0
    second = int(groups["s"]) if groups.get("s") else 0
    ampm = (groups.get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    naive = datetime(day_.year, day_.month, day_.day, hour, minute, second)
    delta = _offset(groups.get("zone"), groups.get("off"))
    if delta is None:
        return naive.replace(tzinfo=outlet_tz)
    return naive.replace(tzinfo=timezone(delta))


def parse_date(
    text: str | None,
    outlet_tz: tzinfo,
    fetched_at: datetime | None = None,
    *,
    relative: bool = True,
) -> datetime | None:
    """The first date found in ``text`` as an aware datetime, or None.

    Without a stated zone the outlet's timezone applies. Relative dates ("2 jam lalu",
    "5 menit yang lalu", "kemarin") need ``fetched_at``; they resolve to the minute.
    """
    if not text:
        return None
    text = text.strip()
    if len(text) > 400:
        text = text[:400]
    best: tuple[int, datetime] | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            value = _build(match, outlet_tz)
            if value is not None:
                if best is None or match.start() < best[0]:
                    best = (match.start(), value)
                break
    if best is not None:
        return best[1]
    if relative and fetched_at is not None:
        return _parse_relative(text, outlet_tz, fetched_at)
    return None


def _parse_relative(text: str, outlet_tz: tzinfo, fetched_at: datetime) -> datetime | None:
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    now = fetched_at.astimezone(outlet_tz).replace(second=0, microsecond=0)
    match = _RELATIVE.search(text)
    if match:
        n_text = match["n"].lower()
        n = 1 if n_text in ("se", "satu") else int(n_text)
        return now - timedelta(seconds=n * _UNIT_SECONDS[match["unit"].lower()])
    lowered = text.lower()
    if re.search(r"\bbaru saja\b|\bjust now\b", lowered):
        return now
    if re.search(r"\bkemarin\b|\byesterday\b", lowered):
        clock = re.search(r"(\d{1,2})[:.](\d{2})", lowered)
        day_before = now - timedelta(days=1)
        if clock:
            return day_before.replace(hour=int(clock[1]) % 24, minute=int(clock[2]) % 60)
        return day_before.replace(hour=0, minute=0)
    return None


def to_outlet_offset(value: datetime, outlet_tz: tzinfo) -> datetime:
    """Express UTC ('Z', +00:00) instants in the outlet's offset; keep other stated offsets."""
    offset = value.utcoffset()
    if offset is None:
        return value.replace(tzinfo=outlet_tz)
    if offset == timedelta(0):
        return value.astimezone(outlet_tz)
    return value


def format_date(value: datetime | None) -> str | None:
    """ISO 8601 with seconds and a numeric offset: 2026-11-20T14:05:00+07:00."""
    if value is None:
        return None
    offset = value.utcoffset()
    fixed = value.replace(tzinfo=timezone(offset if offset is not None else timedelta(0)))
    return fixed.isoformat(timespec="seconds")
