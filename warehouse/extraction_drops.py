"""Extraction verdict drops: an outlet whose articles tonight read worse than they used to.

A redesign rarely stops an outlet dead; more often pantau still loads its pages but reads less of
them: the text gets shorter, the dates go missing, furniture ("Baca juga", "ADVERTISEMENT")
appears in the text, or article pages are no longer recognised as articles. This compares each
outlet's articles written by a run (``articles`` / ``article_versions`` rows with that
``run_id``) with those of its previous :data:`BASELINE_RUNS` runs:

- median text length below :data:`TEXT_RATIO` of the baseline's ("text shorter");
- the share with a publication time :data:`SHARE_DROP` or more below the baseline's;
- the share with leaked furniture lines :data:`SHARE_DROP` or more above the baseline's;
- the share of fetched pages not read as articles :data:`SHARE_DROP` or more above it.

Both sides need :data:`MIN_ARTICLES` articles. :func:`flag_extraction_drops` adds the result to
the outlet's health row (kind ``extraction_drop``), so the nightly report names the outlet and
the operator alert goes out the night the drop appears (not while it lasts).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import duckdb

from core.leaks import LEAK_REGEX

BASELINE_RUNS = 5
MIN_ARTICLES = 3
TEXT_RATIO = 0.5
SHARE_DROP = 0.3
KIND = "extraction_drop"


@dataclass(frozen=True)
class ExtractionStats:
    """How an outlet's articles of one or more runs read."""

    articles: int
    median_text: float
    dated: float  # share with a publication time
    leaky: float  # share with a furniture line in the text
    non_articles: float  # share of fetched pages not read as articles


def _recorded_stats(
    con: duckdb.DuckDBPyConnection, source: str, runs: list[str]
) -> ExtractionStats | None:
    """The stats the load recorded for each run (``crawl_runs.written_*``); None when a run
    has none (loaded before they were kept; a run that wrote no article needs none). Several
    runs: the shares weighted by articles written, the median text the weighted mean of the
    runs' medians."""
    marks = ", ".join("?" for _ in runs)
    row = con.execute(
        f"""
        SELECT count(*),
               count(*) FILTER (WHERE written_median_text IS NOT NULL
                                OR new_articles + updated_articles = 0),
               sum(new_articles + updated_articles),
               sum(written_median_text * (new_articles + updated_articles)),
               sum(written_dated * (new_articles + updated_articles)),
               sum(written_leaky * (new_articles + updated_articles)),
               sum(new_articles + updated_articles), sum(non_articles)
        FROM crawl_runs WHERE source = ? AND run_id IN ({marks})
        """,
        [source, *runs],
    ).fetchone()
    if row is None or not row[0] or row[1] != row[0]:
        return None
    written = int(row[2] or 0)
    if not written:
        return None
    skipped = int(row[7] or 0)
    total = written + skipped
    return ExtractionStats(
        articles=written, median_text=float(row[3] or 0) / written,
        dated=float(row[4] or 0) / written, leaky=float(row[5] or 0) / written,
        non_articles=skipped / total if total else 0.0,
    )


def _stats(con: duckdb.DuckDBPyConnection, source: str, runs: list[str]) -> ExtractionStats | None:
    """How the articles ``runs`` wrote for ``source`` read: from what each load recorded (the
    night's cost), else (runs loaded before pantau kept it) from their articles."""
    if not runs:
        return None
    recorded = _recorded_stats(con, source, runs)
    if recorded is not None:
        return recorded
    marks = ", ".join("?" for _ in runs)
    row = con.execute(
        f"""
        WITH written AS (
            SELECT text, published_at FROM articles WHERE source = ? AND run_id IN ({marks})
            UNION ALL
            SELECT v.text, v.published_at FROM article_versions v JOIN articles a
              ON a.id = v.article_id WHERE a.source = ? AND v.run_id IN ({marks}))
        SELECT count(*), median(length(text)),
               avg(CASE WHEN published_at IS NULL THEN 0 ELSE 1 END),
               avg(CASE WHEN regexp_matches(text, ?) THEN 1 ELSE 0 END)
        FROM written
        """,
        [source, *runs, source, *runs, "(?im)" + LEAK_REGEX],
    ).fetchone()
    pages = con.execute(
        f"""SELECT sum(new_articles + updated_articles), sum(non_articles) FROM crawl_runs
            WHERE source = ? AND run_id IN ({marks})""",
        [source, *runs],
    ).fetchone()
    if row is None or not row[0]:
        return None
    read, skipped = (pages or (0, 0))
    total = (read or 0) + (skipped or 0)
    return ExtractionStats(
        articles=int(row[0]), median_text=float(row[1] or 0), dated=float(row[2] or 0),
        leaky=float(row[3] or 0), non_articles=(skipped or 0) / total if total else 0.0,
    )


def _earlier_runs(con: duckdb.DuckDBPyConnection, source: str, run_id: str,
                  count: int) -> list[str]:
    rows = con.execute(
        """
        SELECT c.run_id FROM crawl_runs c
        JOIN (SELECT loaded_at FROM crawl_runs WHERE run_id = ? AND source = ?) this
          ON c.loaded_at < this.loaded_at
        WHERE c.source = ? AND c.run_id NOT LIKE 'reprocess%'
        ORDER BY c.loaded_at DESC LIMIT ?
        """,
        [run_id, source, source, count],
    ).fetchall()
    return [r[0] for r in rows]


def drop_reasons(now: ExtractionStats, before: ExtractionStats) -> list[str]:
    """What got worse, in words; empty when nothing did (or too few articles to tell)."""
    if now.articles < MIN_ARTICLES or before.articles < MIN_ARTICLES:
        return []
    reasons = []
    if before.median_text and now.median_text < TEXT_RATIO * before.median_text:
        reasons.append(f"text shorter: median {now.median_text:,.0f} chars "
                       f"(was {before.median_text:,.0f})")
    if before.dated - now.dated >= SHARE_DROP:
        reasons.append(f"dates missing: {now.dated:.0%} dated (was {before.dated:.0%})")
    if now.leaky - before.leaky >= SHARE_DROP:
        reasons.append(f"leaks appearing: {now.leaky:.0%} with page furniture in the text "
                       f"(was {before.leaky:.0%})")
    if now.non_articles - before.non_articles >= SHARE_DROP:
        reasons.append(f"{now.non_articles:.0%} of fetched pages not read as articles "
                       f"(was {before.non_articles:.0%})")
    return reasons


def extraction_drops(con: duckdb.DuckDBPyConnection, run_id: str,
                     baseline_runs: int = BASELINE_RUNS) -> dict[str, list[str]]:
    """``{outlet: reasons}`` for the outlets of ``run_id`` whose extraction dropped."""
    out = {}
    sources = [r[0] for r in con.execute(
        "SELECT source FROM crawl_runs WHERE run_id = ? ORDER BY source", [run_id]).fetchall()]
    for source in sources:
        now = _stats(con, source, [run_id])
        before = _stats(con, source, _earlier_runs(con, source, run_id, baseline_runs))
        if now is None or before is None:
            continue
        if reasons := drop_reasons(now, before):
            out[source] = reasons
    return out


def flag_extraction_drops(con: duckdb.DuckDBPyConnection, run_id: str,
                          changes: Iterable[tuple[Any, list[str]]],
                          baseline_runs: int = BASELINE_RUNS) -> list[tuple[Any, list[str]]]:
    """Add an ``extraction_drop`` flag to the health rows (``warehouse.health.OutletHealth``)
    of outlets whose extraction dropped in ``run_id``; it counts as new (and so alerts) unless
    the outlet's previous run had dropped too."""
    drops = extraction_drops(con, run_id, baseline_runs)
    out = []
    for health, kinds in changes:
        reasons = drops.get(health.source)
        if reasons:
            health.flag(KIND, "extraction dropped (layout change?): " + "; ".join(reasons))
            previous = _earlier_runs(con, health.source, run_id, 1)
            if not previous or health.source not in extraction_drops(con, previous[0],
                                                                     baseline_runs):
                kinds = [*kinds, KIND]
        out.append((health, kinds))
    return out
