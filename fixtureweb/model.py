"""Plain data types of the fixture web: an outlet and its articles."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


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
