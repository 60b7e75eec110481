"""The crawler's own questions to the warehouse: which URLs it has fetched, and which articles to
re-check. Both read one outlet's rows (``source = ?``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb


def seen_urls(
    con: duckdb.DuckDBPyConnection, source: str, max_attempts: int = 3
) -> dict[str, str | None]:
    """URLs the crawler must not fetch again for ``source``, with when each was last fetched.

    Everything already fetched successfully (articles and other pages), plus failed URLs that
    used up their ``max_attempts``; failed URLs below that are retried on a later night. The
    time (ISO 8601) lets the crawler fetch again an article whose feed or sitemap says it was
    updated after that.
    """
    rows = con.execute(
        """
        SELECT url, max(fetched) FROM (
            SELECT url, last_fetched_at AS fetched FROM pages
            WHERE source = ? AND kind <> 'discovery_error' AND (kind <> 'error' OR attempts >= ?)
            UNION ALL SELECT url, last_seen_at FROM articles WHERE source = ?
            UNION ALL SELECT canonical_url, last_seen_at FROM articles WHERE source = ?
        ) GROUP BY url
        """,
        [source, max_attempts, source, source],
    ).fetchall()
    return {r[0]: r[1].isoformat() if r[1] is not None else None for r in rows}


def recheck_targets(
    con: duckdb.DuckDBPyConnection, source: str, since: datetime
) -> list[dict[str, Any]]:
    """The articles of ``source`` to re-check: published (when unknown: first seen) at or after
    ``since``, newest first.

    Each is ``{url, final_url, etag, last_modified, removed}``: the address pantau keeps it
    under, where its last fetch ended, the validators of its last good fetch (for a
    conditional GET; None when unknown) and whether it is currently marked removed.
    """
    rows = con.execute(
        """
        SELECT a.url, p.final_url, p.etag, p.last_modified, a.removed_at IS NOT NULL
        FROM articles a LEFT JOIN pages p ON p.url = a.url
        WHERE a.source = ? AND coalesce(a.published_at, a.first_seen_at) >= ?
        ORDER BY coalesce(a.published_at, a.first_seen_at) DESC, a.url
        """,
        [source, since],
    ).fetchall()
    keys = ("url", "final_url", "etag", "last_modified", "removed")
    return [dict(zip(keys, row, strict=True)) for row in rows]
