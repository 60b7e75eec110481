"""The article filters the read commands share: outlets and a publication time range."""

from __future__ import annotations

from datetime import datetime


def article_filters(
    sources: list[str] | None, since: datetime | None, until: datetime | None
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
    return where, params
