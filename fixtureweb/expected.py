"""The gold answer: what extraction should return for each fixture article."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from fixtureweb.model import Article, Outlet
from fixtureweb.site import visible_articles


def clean_text(article: Article) -> str:
    """The body paragraphs joined by blank lines: no dateline, caption, initials, standfirst."""
    return "\n\n".join(article.paragraphs)


def expected_record(outlet: Outlet, article: Article, base: str) -> dict[str, Any]:
    url = base.rstrip("/") + article.path
    return {
        "outlet": outlet.slug,
        "url": url,
        "canonical_url": url,
        "title": article.title,
        "text": clean_text(article),
        "authors": list(article.authors),
        "published_at": article.published_at.isoformat(),
        "updated_at": article.updated_at.isoformat() if article.updated_at else None,
        "section": article.section,
        "tags": list(article.tags),
        "dateline": article.dateline,
        "language": outlet.language,
        "site_name": outlet.site_name,
    }


def expected_articles(outlets: Iterable[Outlet], as_of: datetime | None,
                      base_url: Callable[[str], str]) -> list[dict[str, Any]]:
    """Records for every article visible at ``as_of``, per outlet newest first."""
    return [expected_record(outlet, article, base_url(outlet.slug))
            for outlet in outlets for article in visible_articles(outlet, as_of)]
