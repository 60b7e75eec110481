"""Bookkeeping of loads: the ``crawl_runs`` row of each (run, outlet) loaded, and the
``sources`` table (the configuration each outlet was loaded with)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb

from core.config import Source


@dataclass
class OutletLoad:
    """What loading one outlet of a run did."""

    source: str
    pages: int = 0
    new_articles: int = 0
    updated_articles: int = 0
    unchanged_articles: int = 0
    non_articles: int = 0
    errors: int = 0
    discovery_errors: int = 0  # feed/sitemap/listing fetches that failed (also in errors)
    removed_articles: int = 0  # articles newly seen gone (404/410) in this run
    crawl_error: str | None = None
    stats: dict[str, Any] = field(default_factory=dict)


def loaded_sources(con: duckdb.DuckDBPyConnection, run_id: str) -> set[str]:
    """The outlets of ``run_id`` already loaded (they have their ``crawl_runs`` row)."""
    rows = con.execute("SELECT source FROM crawl_runs WHERE run_id = ?", [run_id]).fetchall()
    return {r[0] for r in rows}


def upsert_sources(con: duckdb.DuckDBPyConnection, sources: Sequence[Source]) -> None:
    """Record each outlet's configuration (rewritten only when it changed)."""
    now = datetime.now(UTC)
    for s in sources:
        con.execute(
            """
            MERGE INTO sources USING (
                SELECT ? AS name, ? AS url, ? AS host, ? AS language, ? AS timezone,
                       ?::JSON AS config, ?::TIMESTAMPTZ AS updated_at) AS excluded
            ON sources.name = excluded.name
            WHEN MATCHED AND sources.config <> excluded.config THEN UPDATE SET
                url = excluded.url, host = excluded.host, language = excluded.language,
                timezone = excluded.timezone, config = excluded.config,
                updated_at = excluded.updated_at
            WHEN NOT MATCHED THEN INSERT (name, url, host, language, timezone, config,
                updated_at) VALUES (excluded.name, excluded.url, excluded.host,
                excluded.language, excluded.timezone, excluded.config, excluded.updated_at)
            """,
            [s.name, s.url, s.host, s.language, s.timezone, json.dumps(s.to_dict()), now],
        )


def record_crawl_run(
    con: duckdb.DuckDBPyConnection, run_id: str, load: OutletLoad, outcome: dict[str, Any],
    now: datetime,
) -> None:
    """The ``crawl_runs`` row of one loaded outlet: its crawl stats, what the load did, and
    the extraction health counts (``outcome`` from :func:`warehouse.merge.count_outcomes`).
    Written once per (run, outlet): a second load of it changes nothing."""
    st = load.stats
    con.execute(
        """
        INSERT INTO crawl_runs (run_id, source, started_at, finished_at, requests,
            bytes, pages_fetched, new_articles, updated_articles, non_articles,
            errors, status_counts, crawl_error, loaded_at, articles_loaded,
            short_texts, missing_dates, recheck_requests, recheck_not_modified,
            removed_articles, discovery_requests, discovery_errors, written_median_text,
            written_dated, written_leaky)
        SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
        WHERE NOT EXISTS (SELECT 1 FROM crawl_runs WHERE run_id = ? AND source = ?)
        """,
        [
            run_id, load.source, st.get("started_at"), st.get("finished_at"),
            int(st.get("requests") or 0), int(st.get("bytes") or 0), load.pages,
            load.new_articles, load.updated_articles, load.non_articles,
            load.errors + (1 if load.crawl_error else 0),
            json.dumps(st.get("status_counts") or {}), load.crawl_error, now,
            outcome.get("loaded", 0), outcome.get("short", 0), outcome.get("undated", 0),
            int(st.get("recheck_requests") or 0),
            int(st.get("recheck_not_modified") or 0), load.removed_articles,
            sum(int(st.get(f"{role}_requests") or 0) for role in ("feed", "sitemap", "listing")),
            load.discovery_errors, outcome.get("median_text"), outcome.get("dated"),
            outcome.get("leaky"), run_id, load.source,
        ],
    )
