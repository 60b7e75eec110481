"""Per-outlet health of a run: what was fetched, what was loaded, and what looks wrong.

An outlet is flagged when
- its crawl failed as a whole (``crawl_error``),
- it gave no new article for ``quiet_nights`` runs in a row (the feed may have moved),
- fewer than ``min_healthy`` of its loaded articles have a proper text and a publication date
  (the page layout may have changed under the extractor),
- at least ``MIN_ERRORS`` of its requests failed and they are ``max_error_share`` or more of
  them (``errors``: "31 errors in 38 requests" is not ok),
- its discovery failed: feed, sitemap or listing fetches failed, half of them or more, or
  some and the run brought no new article (``discovery``).

Each flag has a kind (``crawl_failed``, ``quiet``, ``extraction``, ``errors``, ``discovery``);
:func:`new_flags` compares a
run with the outlet's previous run, so an operator alert can go out once when a problem appears
(:mod:`pantau.operator_alerts`) rather than every night while it lasts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import duckdb

QUIET_NIGHTS = 3
MIN_HEALTHY = 0.8
MAX_ERROR_SHARE = 0.3
MIN_ERRORS = 5


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
    discovery_requests: int = 0
    discovery_errors: int = 0
    flags: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # one per flag: what kind of problem

    def flag(self, kind: str, message: str) -> None:
        self.kinds.append(kind)
        self.flags.append(message)

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
               coalesce(missing_dates, 0), crawl_error, coalesce(discovery_requests, 0),
               coalesce(discovery_errors, 0)
        FROM crawl_runs WHERE run_id = ? ORDER BY source
        """,
        [run_id],
    ).fetchall()
    # quiet: the outlet's last `quiet_nights` runs up to this one all brought nothing new
    quiet = {
        r[0]: r[1]
        for r in con.execute(
            """
            SELECT source, count(*) FROM (
                SELECT c.source, c.new_articles,
                       row_number() OVER (PARTITION BY c.source ORDER BY c.loaded_at DESC) AS k
                FROM crawl_runs c
                JOIN (SELECT source, loaded_at FROM crawl_runs WHERE run_id = ?) this
                  ON c.source = this.source AND c.loaded_at <= this.loaded_at
                WHERE c.run_id NOT LIKE 'reprocess%')
            WHERE k <= ? AND new_articles = 0 GROUP BY source
            """,
            [run_id, quiet_nights],
        ).fetchall()
    }
    out = []
    for r in rows:
        health = OutletHealth(
            source=r[0], requests=r[1], bytes=r[2], status_counts=json.loads(r[3] or "{}"),
            new=r[4], updated=r[5], errors=r[6], loaded=r[7], short_texts=r[8],
            missing_dates=r[9], crawl_error=r[10], discovery_requests=r[11],
            discovery_errors=r[12],
        )
        if health.crawl_error:
            health.flag("crawl_failed", "crawl failed")
        if quiet.get(health.source, 0) >= quiet_nights:
            health.flag("quiet", f"no new articles for {quiet_nights} runs")
        if health.loaded:
            suspect = max(health.short_texts, health.missing_dates)
            share = 1 - suspect / health.loaded
            if share < min_healthy:
                health.flag(
                    "extraction",
                    f"extraction health {share:.0%} ({health.short_texts} short texts, "
                    f"{health.missing_dates} without date)"
                )
        _flag_failures(health)
        out.append(health)
    return out


def _flag_failures(health: OutletHealth, max_error_share: float = MAX_ERROR_SHARE) -> None:
    """The ``errors`` and ``discovery`` flags (see the module docstring); a crawl that failed
    as a whole has its own flag, which says it all."""
    if health.crawl_error:
        return
    requests = max(health.requests, health.errors)
    if health.errors >= MIN_ERRORS and requests and health.errors / requests >= max_error_share:
        health.flag("errors", f"{health.errors} errors in {requests} requests "
                              f"({health.errors / requests:.0%})")
    failed = health.discovery_errors
    tried = max(health.discovery_requests, failed)
    if failed and (failed * 2 >= tried or health.new == 0):
        health.flag("discovery", f"discovery failing: {failed} of {tried} feed/sitemap/listing "
                                 "fetches failed (see pages where kind = 'discovery_error')")


def previous_runs(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, str]:
    """For each outlet of ``run_id``, the run loaded just before it (reprocesses left out)."""
    rows = con.execute(
        """
        SELECT this.source, arg_max(c.run_id, c.loaded_at)
        FROM crawl_runs this
        JOIN crawl_runs c ON c.source = this.source AND c.loaded_at < this.loaded_at
        WHERE this.run_id = ? AND c.run_id NOT LIKE 'reprocess%'
        GROUP BY this.source
        """,
        [run_id],
    ).fetchall()
    return {source: previous for source, previous in rows}


def new_flags(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    quiet_nights: int = QUIET_NIGHTS,
    min_healthy: float = MIN_HEALTHY,
) -> list[tuple[OutletHealth, list[str]]]:
    """Each outlet of ``run_id`` with the flag kinds it has now but not in its previous run."""
    now = outlet_health(con, run_id, quiet_nights, min_healthy)
    sources_of: dict[str, set[str]] = {}  # previous run -> the outlets whose previous run it is
    for source, previous in previous_runs(con, run_id).items():
        sources_of.setdefault(previous, set()).add(source)
    earlier: dict[str, list[str]] = {}
    for previous, sources in sources_of.items():
        for row in outlet_health(con, previous, quiet_nights, min_healthy):
            if row.source in sources:
                earlier[row.source] = row.kinds
    return [(row, [k for k in row.kinds if k not in earlier.get(row.source, [])]) for row in now]
