"""When the article was published and updated.

Sources in order of trust: the outlet's ``date_xpath``, JSON-LD ``datePublished``/
``dateCreated``, the meta tags of ``rules.PUBLISHED_META``, ``itemprop`` dates; then the date the
page shows by its headline, which decides the zone (see ``_choose_published``)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from lxml.etree import XPath
from lxml.html import HtmlElement

from .dates import ZONE_OFFSETS, parse_date, to_outlet_offset
from .elements import PageElements, xpath_text_length
from .options import SiteOptions
from .page_data import SIDEBAR, PageData, ld_text, text_of, xpath_values
from .rules import MODIFIED_META, PUBLISHED_META

__all__ = ["read_dates", "date_boxes", "HAS_CLOCK"]

_TIME = XPath("//time[@datetime]")

_DATE_TAGS = frozenset(("div", "span", "p", "time", "li", "small"))

_DATE_CLASSES = ("date", "time", "Date", "publish", "tanggal", "waktu", "posted", "meta")

_DATE_IDS = ("date",)


def _date_boxes(page: PageElements) -> list[HtmlElement]:
    """Short blocks whose class (or id) says date, time, publish, tanggal, ..."""
    found = page.by_class(_DATE_CLASSES, _DATE_IDS, tags=_DATE_TAGS)
    return [element for element in found if xpath_text_length(element) < 160]


_NEAR_TEXT = (
    "following::text()[normalize-space()][not(ancestor::script or ancestor::style)]"
    "[position() <= 30]"
)

HAS_CLOCK = re.compile(r"\d{1,2}[:.]\d{2}")

# "Diperbarui 2 Des 2024 15:10 WITA | Dipublikasikan 2 Des 2024 14:30 WITA": the update's part
# of a date line, up to the next separator or label
_UPDATE_PART = re.compile(
    r"(?:diperbarui|diperbaharui|pembaruan|terakhir diubah|last updated|updated|update)\b"
    r"[^|•\n]*?(?=[|•\n]|\b(?:dipublikasikan|diterbitkan|terbit|published|dibuat)\b|$)",
    re.I,
)


def _without_update(raw: str) -> str:
    """``raw`` less an update's date when it also holds another date (the publication's)."""
    rest = _UPDATE_PART.sub(" ", raw)
    return rest if rest != raw and re.search(r"\d", rest) else raw


def _visible_date(
    tree: HtmlElement,
    page: PageElements,
    headline: HtmlElement | None,
    options: SiteOptions,
    fetched_at: datetime | None,
) -> datetime | None:
    """The date shown on the page closest to the headline (a time of day preferred).

    Candidates: short text right after / before the headline, <time>, itemprop dates and
    elements whose class says date/time; sidebars (nav, aside, footer) are skipped.
    """
    elements: list[Any] = []
    if headline is not None:
        for text in headline.xpath(_NEAR_TEXT):
            holder = text.getparent()
            if holder is not None and text.is_tail:  # tail text belongs to the parent
                holder = holder.getparent()
            if len(text.strip()) <= 120 and holder is not None:
                elements.append(holder)
        # then the blocks just before the headline (kicker lines: "FotoBisnis | Selasa, ...")
        for ancestor in (headline, headline.getparent()):
            if ancestor is None:
                continue
            for count, sibling in enumerate(ancestor.itersiblings(preceding=True)):
                if count >= 3:
                    break
                if isinstance(sibling.tag, str) and len(sibling.text_content()) <= 150:
                    elements.append(sibling)
        # the usual case: a date and time right by the headline; the nearest one wins
        line = headline.sourceline or 0
        near: list[tuple[int, int, datetime]] = []
        for index, holder in enumerate(elements):
            raw = _shown(holder)
            if HAS_CLOCK.search(raw) and not SIDEBAR(holder):
                value = parse_date(raw, options.zone, fetched_at)
                if value is not None:
                    near.append((abs((holder.sourceline or 0) - line), index, value))
        if near:
            return to_outlet_offset(min(near, key=lambda item: item[:2])[2], options.zone)
    elements.extend(page.by_itemprop(("datePublished", "dateCreated")))
    elements.extend(_TIME(tree))
    elements.extend(_date_boxes(page))
    if not elements:
        return None
    # distance to the headline in source lines; on one-line (minified) pages the order of
    # collection decides: text right after the headline first
    anchor = (headline.sourceline or 0) if headline is not None else 0
    found: list[tuple[tuple[int, int], bool, datetime]] = []
    seen: set[Any] = set()
    for el in elements:
        if el in seen:
            continue
        seen.add(el)
        if SIDEBAR(el):
            continue
        raw = _shown(el)
        value = parse_date(raw, options.zone, fetched_at)
        if value is None:
            continue
        distance = (abs((el.sourceline or 0) - anchor), len(found))
        found.append((distance, bool(HAS_CLOCK.search(raw) or "lalu" in raw), value))
    if not found:
        return None
    found.sort(key=lambda item: item[0])
    distance, has_clock, value = found[0]
    if not has_clock:
        for other_distance, other_clock, other in found[1:]:
            close = other_distance[0] <= distance[0] + 5
            if other_clock and other.date() == value.date() and close:
                return to_outlet_offset(other, options.zone)
    return to_outlet_offset(value, options.zone)


_ZONE_WORD = re.compile(r"\b(?:WIB|WITA|WIT)\b", re.I)


def _shown(element: HtmlElement) -> str:
    """What ``element`` says of the date: its text when that names an Indonesian zone ("21:15
    WIT": a ``datetime`` attribute beside it often repeats the data's wrong +07:00), else its
    machine-readable attribute, else its text."""
    text = _without_update(text_of(element))
    if _ZONE_WORD.search(text):
        return text
    return _machine_date(element) or text


def _machine_date(element: HtmlElement) -> str | None:
    """A date in an attribute: <time datetime>, <meta content>, <abbr title> (Blogger)."""
    value = element.get("datetime") or element.get("content")
    if not value and element.tag == "abbr":
        value = element.get("title")
    return value


def _date_with_source(
    candidates: list[str | None], options: SiteOptions, fetched_at: datetime | None
) -> tuple[datetime, str] | None:
    for raw in candidates:
        value = parse_date(raw, options.zone, fetched_at, relative=False)
        if value is not None and raw:
            return to_outlet_offset(value, options.zone), raw
    return None


_LOCAL_OFFSETS = frozenset(ZONE_OFFSETS[z] for z in ("wib", "wita", "wit"))

_SAME_CLOCK = timedelta(minutes=60)

_SAME_INSTANT = timedelta(minutes=1)  # a page shows minutes; its data may add seconds


def _stated_zone(value: datetime) -> bool:
    """Did the text state its zone? Parsed dates without one carry the outlet's ZoneInfo."""
    return not isinstance(value.tzinfo, ZoneInfo)


def _choose_published(
    structured: tuple[datetime, str] | None, shown: datetime | None, zone: tzinfo
) -> datetime | None:
    """The publication time from the page's data (``structured``: value and raw text) and the
    time it shows by the headline (``shown``).

    * data and display naming one instant (13:30+07:00 and "14:30 WITA") give that instant,
      written in the displayed zone;
    * an explicit offset in the data is kept as an instant (a UTC time stays that instant,
      written in the outlet's offset);
    * a displayed WIB/WITA/WIT beats the outlet's default zone, and where data and display agree
      on the clock time (within an hour) but not on the offset, the displayed zone wins
      (Merdeka's ``-07:00``, detik's ``Z`` on local clock times);
    * an offset that is no Indonesian zone and not UTC, on a clock time the page shows
      without a zone, is a mislabelled local time: read in the outlet's zone;
    * data without a time of day takes the displayed time of the same day.
    """
    if structured is None:
        return shown
    value, raw = structured
    if shown is None:
        return value
    if abs(value - shown) < _SAME_INSTANT:  # one instant: written as the page shows it
        return value.astimezone(shown.tzinfo) if _stated_zone(shown) else value
    if not HAS_CLOCK.search(raw):
        return shown if shown.date() == value.date() else value
    written = parse_date(raw, zone)  # the clock time as written, with its own offset
    if written is None:
        return value
    clock = written.replace(tzinfo=None)
    same_clock = abs(clock - shown.replace(tzinfo=None)) <= _SAME_CLOCK
    if not same_clock or written.utcoffset() == shown.utcoffset():
        return value
    if _stated_zone(shown):
        return written.replace(tzinfo=shown.tzinfo)
    offset = written.utcoffset()
    if _stated_zone(written) and offset not in _LOCAL_OFFSETS and offset != timedelta(0):
        return written.replace(tzinfo=zone)
    return value


def _published_data(data: PageData) -> list[str | None]:
    """The publication times the page's data states, most trusted first."""
    published: list[str | None] = []
    if data.options.date_xpath:
        published.extend(xpath_values(data.tree, data.options.date_xpath))
    published.append(ld_text(data.ld.get("datePublished")) or ld_text(data.ld.get("dateCreated")))
    published.extend(data.metas.get(k, [None])[0] for k in PUBLISHED_META)
    published.extend(
        _machine_date(el) for el in data.page.by_itemprop(("datePublished", "dateCreated"))
    )
    return published


# "/2024/12/04/": the day many outlets put in their article addresses
_URL_DAY = re.compile(r"/(20\d{2})/(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])(?:/|$)")


def _url_day(data: PageData) -> datetime | None:
    """The day in the page's address, at 00:00 in the outlet's zone; never after the fetch."""
    match = _URL_DAY.search(urlsplit(data.url).path)
    if match is None:
        return None
    try:
        day = datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=data.options.zone)
    except ValueError:  # 2024/02/30
        return None
    if data.fetched_at is not None and day > data.fetched_at:
        return None
    return to_outlet_offset(day, data.options.zone)


def read_dates(
    data: PageData, headline: HtmlElement | None
) -> tuple[datetime | None, datetime | None]:
    """(published, updated): the page's data reconciled with the time shown by the headline;
    when neither gives a publication, the day in the page's address."""
    options = data.options
    stated = _date_with_source(_published_data(data), options, data.fetched_at)
    displayed = _visible_date(data.tree, data.page, headline, options, data.fetched_at)
    published = _choose_published(stated, displayed, options.zone) or _url_day(data)
    return published, _updated(data, stated, published)


def _updated(
    data: PageData, stated: tuple[datetime, str] | None, published: datetime | None
) -> datetime | None:
    """The last update the page's data states (JSON-LD, meta tags, itemprop).

    ``stated``: the publication the data states (value, raw text); ``published``: as reconciled
    with the page's display. Where that changed the data's offset, the update, written by the
    same system, is read the same way: moved into the displayed zone when the data's instant was
    right (13:30+07:00 shown as 14:30 WITA), re-labelled when the data wrote local clock times
    with a wrong offset."""
    modified = [ld_text(data.ld.get("dateModified"))]
    modified.extend(data.metas.get(k, [None])[0] for k in MODIFIED_META)
    modified.extend(_machine_date(el) for el in data.page.by_itemprop(("dateModified",)))
    found = _date_with_source(modified, data.options, data.fetched_at)
    if found is None or published is None:
        return found[0] if found else None
    updated, updated_raw = found
    if updated < published and not HAS_CLOCK.search(updated_raw):
        return None  # a day without a time before a timed publication: no update to tell
    if stated is None or stated[0].utcoffset() == published.utcoffset():
        return updated
    if abs(stated[0] - published) < _SAME_INSTANT:
        return updated.astimezone(published.tzinfo)
    written = parse_date(stated[1], data.options.zone)
    written_update = parse_date(updated_raw, data.options.zone)
    if written is None or written_update is None:
        return updated
    same_clock = abs(written.replace(tzinfo=None) - published.replace(tzinfo=None)) < _SAME_INSTANT
    if same_clock and written_update.utcoffset() == written.utcoffset():
        return written_update.replace(tzinfo=published.tzinfo)
    return updated


date_boxes = _date_boxes  # short blocks classed date/time (tests compare them with their XPath)
