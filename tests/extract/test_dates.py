"""Indonesian date parsing: month/day names, abbreviations, WIB/WITA/WIT, relative dates."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from extract.dates import format_date, parse_date, to_outlet_offset

JAKARTA = ZoneInfo("Asia/Jakarta")
FETCHED = datetime(2026, 11, 20, 10, 30, 45, tzinfo=JAKARTA)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20T14:05:00+07:00", "2026-11-20T14:05:00+07:00"),
        ("2026-11-20T07:05:00Z", "2026-11-20T14:05:00+07:00"),
        ("2026-11-20T07:05:00.000Z", "2026-11-20T14:05:00+07:00"),
        ("2026-11-20", "2026-11-20T00:00:00+07:00"),
        ("2026-11-20 14:05:00", "2026-11-20T14:05:00+07:00"),
        ("2026/11/20 14:05:00", "2026-11-20T14:05:00+07:00"),
        ("Selasa, 20 Nov 2026 14:05 WIB", "2026-11-20T14:05:00+07:00"),
        ("Kamis, 20 Agu 2026 | 14.05 WITA", "2026-08-20T14:05:00+08:00"),
        ("Jumat, 7 Agt 2026 09:00 WIT", "2026-08-07T09:00:00+09:00"),
        ("Senin, 05 Okt 2026 - 14:29", "2026-10-05T14:29:00+07:00"),
        ("Rabu, 3 Des 2026 08:00 WIB", "2026-12-03T08:00:00+07:00"),
        ("Minggu, 1 Mei 2026", "2026-05-01T00:00:00+07:00"),
        ("12 Januari 2026, pukul 19.30 WIB", "2026-01-12T19:30:00+07:00"),
        ("20/11/2026, 09:30 WIT", "2026-11-20T09:30:00+09:00"),
        ("November 20, 2026 2:05 PM", "2026-11-20T14:05:00+07:00"),
        ("2015-11-05 15:16:43 +0700", "2015-11-05T15:16:43+07:00"),
        ("Diperbarui 12 Mei 2026, 10:00 WIB", "2026-05-12T10:00:00+07:00"),
    ],
)
def test_absolute_dates(text: str, expected: str) -> None:
    value = parse_date(text, JAKARTA)
    assert value is not None
    assert format_date(to_outlet_offset(value, JAKARTA)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 jam lalu", "2026-11-20T08:30:00+07:00"),
        ("30 menit yang lalu", "2026-11-20T10:00:00+07:00"),
        ("1 hari lalu", "2026-11-19T10:30:00+07:00"),
        ("Kemarin, 19:45", "2026-11-19T19:45:00+07:00"),
        ("baru saja", "2026-11-20T10:30:00+07:00"),
    ],
)
def test_relative_dates_resolve_against_fetch_time(text: str, expected: str) -> None:
    assert format_date(parse_date(text, JAKARTA, FETCHED)) == expected


def test_relative_dates_need_fetch_time() -> None:
    assert parse_date("2 jam lalu", JAKARTA) is None


def test_outlet_timezone_applies_to_naive_times() -> None:
    makassar = ZoneInfo("Asia/Makassar")
    assert format_date(parse_date("20 Nov 2026 14:05", makassar)) == "2026-11-20T14:05:00+08:00"


@pytest.mark.parametrize("text", ["", "tanpa tanggal", "32 Nov 2026", "99/99/2026"])
def test_no_date(text: str) -> None:
    assert parse_date(text, JAKARTA) is None
