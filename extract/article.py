"""The extraction result: one article record, serialised with the fixed contract keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Article", "CONTRACT_KEYS", "PAGE_KINDS", "CONTRACT_PAGE_KINDS", "contract_page_kind"]

# `pantau extract --json` prints exactly these keys, in this order (docs/design.md).
CONTRACT_KEYS: tuple[str, ...] = (
    "url",
    "canonical_url",
    "title",
    "text",
    "authors",
    "editors",
    "published_at",
    "updated_at",
    "section",
    "tags",
    "language",
    "site_name",
    "dateline",
    "page_kind",
)

# page_kind values:
#   article   a news/blog article with its own body text (the only kind that is loaded)
#   listing   home, section, tag, search, author or index pages: mostly links to articles
#   gallery   a photo gallery with little or no article text
#   video     a video page with little or no article text
#   liveblog  a live-blog shell whose updates are not in the HTML
#   empty     nothing usable (error page, blank page, script-only shell)
PAGE_KINDS: tuple[str, ...] = ("article", "listing", "gallery", "video", "liveblog", "empty")
# The contract's coarser page_kind (docs/design.md): article, listing, or other.
CONTRACT_PAGE_KINDS: tuple[str, ...] = ("article", "listing", "other")


def contract_page_kind(kind: str) -> str:
    """'article' and 'listing' as they are; gallery, video, liveblog and empty are 'other'."""
    return kind if kind in ("article", "listing") else "other"


@dataclass
class Article:
    """What the extractor found on one page. ``to_dict()`` gives the contract JSON object."""

    url: str
    canonical_url: str | None = None
    title: str | None = None
    text: str = ""
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    published_at: str | None = None
    updated_at: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    site_name: str | None = None
    dateline: str | None = None
    page_kind: str = "article"
    description: str | None = None
    # why the page could not be read (fully): not part of the contract JSON, shown by the CLI
    # and kept as the page's error in the warehouse
    problems: list[str] = field(default_factory=list)

    @property
    def is_article(self) -> bool:
        """True for article pages; listings, galleries, video pages etc. are only recorded."""
        return self.page_kind == "article"

    def to_dict(self) -> dict[str, Any]:
        """The contract object: exactly CONTRACT_KEYS, in order; null / [] where unknown."""
        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "title": self.title,
            "text": self.text,
            "authors": list(self.authors),
            "editors": list(self.editors),
            "published_at": self.published_at,
            "updated_at": self.updated_at,
            "section": self.section,
            "tags": list(self.tags),
            "language": self.language,
            "site_name": self.site_name,
            "dateline": self.dateline,
            "page_kind": contract_page_kind(self.page_kind),
        }
