"""Per-outlet health of a run: what was fetched, what was loaded, and what looks wrong.

An outlet is flagged when
- its crawl failed as a whole (``crawl_error``),
- it gave no new article for ``quiet_nights`` runs in a row (the feed may have moved),
- fewer than ``min_healthy`` of its loaded articles have a proper text and a publication date
  (the page layout may have changed under the extractor).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import duckdb

QUIET_NIGHTS = 3
MIN_HEALTHY = 0.8


@dataclass
class OutletHealth:
    source: str
    requests: int
    bytes: int
    status_counts: dict[str, int]
    new: int
    updated: int
    errors: int
    loaded: int
    short_texts: int
    missing_dates: int
    crawl_error: str | None
    flags: list[str] = field(default_factory=list)

    @property
    def statuses(self) -> str:
        return " ".join(f"{k}:{v}" for k, v in sorted(self.status_counts.items()))


def outlet_health(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    quiet_nights: int = QUIET_NIGHTS,
    min_healthy: float = MIN_HEALTHY,
) -> list[OutletHealth]:
    """Health rows for every outlet of ``run_id``, sorted by name, with their flags."""
    rows = con.execute(
        """
        SELECT source, requests, bytes, status_counts, new_articles, updated_articles, errors,
               coalesce(articles_loaded, 0), coalesce(short_texts, 0),
               coalesce(missing_dates, 0), crawl_error
        FROM crawl_runs WHERE run_id = ? ORDER BY source
        """,
        [run_id],
    ).fetchall()
    quiet = {
        r[0]: r[1]
        for r in con.execute(
            """
            SELECT source, count(*) FROM (
                SELECT source, new_articles,
                       row_number() OVER (PARTITION BY source ORDER BY loaded_at DESC) AS k
                FROM crawl_runs WHERE run_id NOT LIKE 'reprocess%')
            WHERE k <= ? AND new_articles = 0 GROUP BY source
            """,
            [quiet_nights],
        ).fetchall()
    }
    out = []
    for r in rows:
        health = OutletHealth(
            source=r[0], requests=r[1], bytes=r[2], status_counts=json.loads(r[3] or "{}"),
            new=r[4], updated=r[5], errors=r[6], loaded=r[7], short_texts=r[8],
            missing_dates=r[9], crawl_error=r[10],
        )
        if health.crawl_error:
            health.flags.append("crawl failed")
        if quiet.get(health.source, 0) >= quiet_nights:
            health.flags.append(f"no new articles for {quiet_nights} runs")
        if health.loaded:
            suspect = max(health.short_texts, health.missing_dates)
            share = 1 - suspect / health.loaded
            if share < min_healthy:
                health.flags.append(
                    f"extraction health {share:.0%} ({health.short_texts} short texts, "
                    f"{health.missing_dates} without date)"
                )
        out.append(health)
    return out
