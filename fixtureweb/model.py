"""Plain data types of the fixture web: an outlet and its articles, and how they change in time.

An article's life is data: it appears at ``published_at``; each :class:`Update` (at its ``at``)
may change the title, replace the paragraphs or append some (a "Ralat" correction); at
``removed_at`` it disappears and its URL answers ``removed_status`` (404 or 410).
:meth:`Article.state_at` gives the article as a reader saw it at a moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime


@dataclass(frozen=True)
class Update:
    """A later edit of an article: a new title, new paragraphs, and/or paragraphs appended."""

    at: datetime
    title: str | None = None
    paragraphs: tuple[str, ...] | None = None
    append: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """One article as the outlet published it; ``paragraphs`` is the clean body.

    The dateline, editor initials, caption and standfirst are stored apart from the paragraphs:
    the templates put them around the body the way the outlet's CMS does, and the clean text
    (what an extractor should return) is the paragraphs alone.
    """

    outlet: str
    path: str
    title: str
    paragraphs: tuple[str, ...]
    authors: tuple[str, ...]
    published_at: datetime
    section: str
    dateline: str
    updated_at: datetime | None = None
    standfirst: str | None = None
    caption: str | None = None
    image: str | None = None
    initials: str | None = None
    tags: tuple[str, ...] = ()
    metadata: str = "opengraph"  # which machine-readable metadata the page carries
    updates: tuple[Update, ...] = ()  # in time order, all after published_at
    removed_at: datetime | None = None
    removed_status: int = 404
    page_breaks: tuple[int, ...] = ()  # paragraph indexes where pages 2, 3, ... start

    def is_published(self, as_of: datetime | None) -> bool:
        """Published at or before ``as_of`` (None: the final state, always true)."""
        return as_of is None or self.published_at <= as_of

    def is_removed(self, as_of: datetime | None) -> bool:
        """Removed at or before ``as_of`` (None: the final state)."""
        return self.removed_at is not None and (as_of is None or self.removed_at <= as_of)

    def state_at(self, as_of: datetime | None) -> Article:
        """The article with the updates made by ``as_of`` applied (None: all of them).

        ``updated_at`` becomes the newest applied update (or the data's own ``updated_at`` when
        that is newer and already past); an ``updated_at`` still in the future is dropped.
        """
        title, paragraphs = self.title, self.paragraphs
        updated = self.updated_at if self.updated_at and (
            as_of is None or self.updated_at <= as_of) else None
        for update in self.updates:
            if as_of is not None and update.at > as_of:
                break
            title = update.title or title
            paragraphs = (update.paragraphs or paragraphs) + update.append
            updated = max(updated, update.at) if updated else update.at
        if (title, paragraphs, updated) == (self.title, self.paragraphs, self.updated_at):
            return self
        return replace(self, title=title, paragraphs=paragraphs, updated_at=updated)

    def pages(self) -> list[tuple[str, ...]]:
        """The paragraphs split at ``page_breaks``: one tuple per page (one page when none)."""
        breaks = [b for b in self.page_breaks if 0 < b < len(self.paragraphs)]
        bounds = [0, *breaks, len(self.paragraphs)]
        return [self.paragraphs[a:b] for a, b in zip(bounds, bounds[1:], strict=False)
                if self.paragraphs[a:b]]

    @property
    def modified_at(self) -> datetime:
        """The last change: ``updated_at`` when set, else ``published_at``."""
        return self.updated_at or self.published_at

    @property
    def slug(self) -> str:
        """The last non-empty path segment without a file extension."""
        last = [part for part in self.path.split("/") if part][-1]
        return last.removesuffix(".html")


@dataclass(frozen=True)
class Section:
    """A rubric of the outlet: its display name and the slug used in URLs."""

    name: str
    slug: str


@dataclass(frozen=True)
class Outlet:
    """Outlet-level data: identity, CMS, URL shapes and the chrome strings its pages carry."""

    slug: str
    name: str
    site_name: str
    cms: str
    language: str
    timezone: str
    tagline: str
    dateline_format: str
    dateline_case: str
    feed_path: str
    sitemap_path: str
    sitemap_kind: str
    section_path: str
    pagination: str
    per_page: int
    article_pattern: str
    robots_disallow: tuple[str, ...]
    robots_allow: tuple[str, ...]
    sections: tuple[Section, ...]
    boilerplate: tuple[str, ...]
    articles: tuple[Article, ...] = field(default=())
    article_pages: str = "none"  # how long articles are split: none, query (?page=N), path (N/)
    single_page_query: str | None = None  # e.g. "single=1": all pages on one page
    sitemap_page_size: int = 0  # > 0: sitemap index of sitemaps with at most this many URLs
    feed_limit: int = 0  # > 0: the feed lists only the newest this many articles

    def section(self, name: str) -> Section:
        """The section called ``name``; raises KeyError naming the outlet when unknown."""
        for section in self.sections:
            if section.name == name:
                return section
        raise KeyError(f"outlet {self.slug}: no section named {name!r}")

    def dateline_prefix(self, article: Article) -> str:
        """The dateline as printed before the first paragraph, e.g. ``MOSKOW, IPHEDIA.com -``."""
        place = article.dateline.title() if self.dateline_case == "title" else article.dateline
        return self.dateline_format.format(place=place)
