"""The article filters the read commands share: outlets, a publication time range, sections and
a language."""

from __future__ import annotations

from datetime import datetime


def article_filters(
    sources: list[str] | None,
    since: datetime | None,
    until: datetime | None,
    sections: list[str] | None = None,
    language: str | None = None,
) -> tuple[list[str], list[object]]:
    """SQL conditions on ``articles`` (to AND together) and their parameters, in order."""
    where: list[str] = []
    params: list[object] = []
    if sources:
        where.append(f"source IN ({', '.join('?' for _ in sources)})")
        params += list(sources)
    if since:
        where.append("published_at >= ?")
        params.append(since)
    if until:
        where.append("published_at < ?")
        params.append(until)
    if sections:  # compared case-insensitively, as a rule's sections are
        where.append(f"lower(section) IN ({', '.join('?' for _ in sections)})")
        params += [s.lower() for s in sections]
    if language:
        where.append("language = ?")
        params.append(language)
    return where, params
