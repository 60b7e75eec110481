"""What changes on the fixture web when: per-day events and the difference between two moments.

A test that crawls night after night (``FixtureWeb.set_as_of``) asks :func:`changes_between`
what a night should fetch: the articles that appeared, were updated or were removed since the
previous night. :func:`timeline` lists the same events per day of the outlet's time zone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from fixtureweb.model import Outlet
from fixtureweb.site import removed_articles, visible_articles

EVENT_KINDS = ("new", "updated", "removed")


@dataclass(frozen=True)
class Event:
    """One change: an article appears (``new``), is ``updated`` or ``removed`` at ``at``."""

    at: datetime
    kind: str
    outlet: str
    url: str


@dataclass
class Day:
    """The events of one calendar day in the outlets' time zone; lists hold article URLs."""

    date: date
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Changes:
    """Article URLs that differ between two moments.

    ``new``: visible now, not before. ``updated``: visible at both, last-modified moved (sitemap
    ``lastmod``, Last-Modified, ETag change). ``edited``: the part of ``updated`` whose title or
    text changed (a new version is due). ``removed``: visible before, gone now (404/410).
    """

    new: frozenset[str]
    updated: frozenset[str]
    edited: frozenset[str]
    removed: frozenset[str]


def events(outlets: Iterable[Outlet], base_url: Callable[[str], str]) -> list[Event]:
    """Every publication, update and removal, oldest first."""
    found: list[Event] = []
    for outlet in outlets:
        root = base_url(outlet.slug).rstrip("/")
        for article in outlet.articles:
            url = root + article.path
            found.append(Event(article.published_at, "new", outlet.slug, url))
            moments = sorted({u.at for u in article.updates} |
                             ({article.updated_at} if article.updated_at else set()))
            found += [Event(at, "updated", outlet.slug, url) for at in moments]
            if article.removed_at is not None:
                found.append(Event(article.removed_at, "removed", outlet.slug, url))
    return sorted(found, key=lambda e: (e.at, EVENT_KINDS.index(e.kind), e.url))


def timeline(outlets: Iterable[Outlet], base_url: Callable[[str], str]) -> list[Day]:
    """The events grouped per local day of each outlet's time zone, oldest day first."""
    outlet_list = list(outlets)
    zones = {o.slug: ZoneInfo(o.timezone) for o in outlet_list}
    days: dict[date, Day] = {}
    for event in events(outlet_list, base_url):
        day = event.at.astimezone(zones[event.outlet]).date()
        entry = days.setdefault(day, Day(day))
        getattr(entry, event.kind).append(event.url)
    return [days[d] for d in sorted(days)]


def changes_between(outlets: Iterable[Outlet], since: datetime | None, until: datetime | None,
                    base_url: Callable[[str], str]) -> Changes:
    """What differs between the web at ``since`` (None: nothing seen yet) and at ``until``
    (None: the final state)."""
    new: set[str] = set()
    updated: set[str] = set()
    edited: set[str] = set()
    removed: set[str] = set()
    for outlet in outlets:
        root = base_url(outlet.slug).rstrip("/")
        after = {a.path: a for a in visible_articles(outlet, until)}
        before = {a.path: a for a in visible_articles(outlet, since)} if since is not None else {}
        gone = removed_articles(outlet, until)
        for path, article in after.items():
            old = before.get(path)
            if old is None:
                new.add(root + path)
            elif old.modified_at != article.modified_at:
                updated.add(root + path)
                if (old.title, old.paragraphs) != (article.title, article.paragraphs):
                    edited.add(root + path)
        removed |= {root + path for path in before if path in gone}
    return Changes(frozenset(new), frozenset(updated), frozenset(edited), frozenset(removed))
