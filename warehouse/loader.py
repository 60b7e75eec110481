"""The single writer: merge one run's staged pages into the warehouse in ONE transaction.

Idempotent: rows are keyed by canonical URL (articles) and requested URL (pages), timestamps come
from the staged records (not the clock), and a run's ``crawl_runs`` rows are written once. Loading
the same run again therefore changes nothing; a crash or kill mid-load leaves the warehouse as it
was before the run (DuckDB rolls back the open transaction).
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from core.config import Source
from core.staging import StagedOutlet, finished_outlets, read_staged
from warehouse import schema
from warehouse.db import transaction
from warehouse.dedup import update_clusters
from warehouse.extracting import ExtractedPage, article_id, extract_all
from warehouse.fts import has_index, update_index

log = logging.getLogger(__name__)

#: ``pages.kind`` of a feed, sitemap or listing that could not be fetched or read.
DISCOVERY_ERROR = "discovery_error"

# An article text shorter than this is counted as suspect in the outlet's extraction health.
SHORT_TEXT_CHARS = 300


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


@dataclass
class LoadSummary:
    run_id: str
    outlets: list[OutletLoad]
    already_loaded: list[str]

    @property
    def new_articles(self) -> int:
        return sum(o.new_articles for o in self.outlets)

    @property
    def updated_articles(self) -> int:
        return sum(o.updated_articles for o in self.outlets)

    @property
    def removed_articles(self) -> int:
        return sum(o.removed_articles for o in self.outlets)


# Columns of the batch file handed to DuckDB's read_json (explicit types: no guessing): the
# fetched page's, then the extracted article's (warehouse/schema.py), then its validators.
_PAGE_COLUMNS = {
    "source": "VARCHAR",
    "url": "VARCHAR",
    "final_url": "VARCHAR",
    "status": "INTEGER",
    "fetched_at": "TIMESTAMPTZ",
    "kind": "VARCHAR",
    "error": "VARCHAR",
    "canonical_url": "VARCHAR",
    "content_hash": "VARCHAR",
    "archive": "VARCHAR",
    "article_id": "VARCHAR",
}
_VALIDATOR_COLUMNS = {"etag": "VARCHAR", "last_modified": "VARCHAR"}
_BATCH_COLUMNS = _PAGE_COLUMNS | schema.batch_columns() | _VALIDATOR_COLUMNS

# A staged page's validators for conditional GET: (ETag, Last-Modified), either may be None.
Validators = tuple[str | None, str | None]


def page_validators(record: dict[str, Any]) -> Validators | None:
    """ETag and Last-Modified of a staged 200 page, for re-checking it with a conditional GET.

    None when it has neither, or when they belong to another address than the page's own (a
    split article staged from its single-page view).
    """
    if record.get("status") != 200 or (record.get("hints") or {}).get("single_page_view"):
        return None
    headers = record.get("headers") or {}
    etag, modified = headers.get("etag"), headers.get("last-modified")
    return (etag, modified) if etag or modified else None


def _batch_row(page: ExtractedPage, validators: Validators | None = None) -> dict[str, Any]:
    etag, modified = validators or (None, None)
    return {
        "source": page.source,
        "url": page.url,
        "final_url": page.final_url,
        "status": page.status,
        "fetched_at": page.fetched_at,
        "kind": page.kind,
        "error": page.error,
        "canonical_url": page.canonical_url,
        "content_hash": page.content_hash,
        "archive": page.archive,
        "article_id": article_id(page.canonical_url) if page.canonical_url else None,
        **schema.batch_values(page.article or {}),
        "etag": etag,
        "last_modified": modified,
    }


def _error_page(record: dict[str, Any], archive: str | None) -> ExtractedPage:
    return ExtractedPage(
        source=record["source"],
        url=record["url"],
        final_url=record.get("final_url"),
        status=record.get("status"),
        fetched_at=record["fetched_at"],
        kind="error",
        error=(record.get("error") or "fetch failed")[:500],
        article=None,
        canonical_url=None,
        content_hash=None,
        archive=archive,
    )


def _read_outlet(outlet: StagedOutlet, source: Source | None) -> list[tuple[Any, ...]]:
    """Jobs for extraction, plus error pages passed through as ExtractedPage."""
    jobs: list[tuple[Any, ...]] = []
    if outlet.records is None:
        return jobs
    options = source.to_dict() if source else {}
    archive = str(outlet.records)
    for record in read_staged(outlet.records):  # a damaged file is repaired, not fatal
        if record.get("type") == "page":
            jobs.append(("page", record, options, archive))
        elif record.get("type") == "error":
            if record.get("role", "article") == "article":
                jobs.append(("error", record, None, archive))
            else:  # a feed, sitemap or listing failed: the outlet's health, not a page
                jobs.append(("outlet_error", record, None, archive))
    return jobs


# The merge's article statements, their column lists from warehouse/schema.py. In them ``b`` is
# the batch row of an article's latest fetch, ``a`` its current row, ``{newer}`` the comparison
# of fetch times (see _merge).
_SAVE_VERSIONS = f"""
    INSERT INTO article_versions ({", ".join(name for name, _ in schema.versioned())})
    SELECT {", ".join(sql for _, sql in schema.versioned())}
    FROM articles a JOIN batch_articles b ON a.id = b.article_id
    WHERE a.content_hash <> b.content_hash AND b.fetched_at {{newer}} a.last_seen_at
    ON CONFLICT DO NOTHING
"""
_UPDATE_CHANGED = f"""
    UPDATE articles AS a SET {", ".join(f"{name} = {sql}" for name, sql in schema.updated())}
    FROM batch_articles b
    WHERE a.id = b.article_id AND a.content_hash <> b.content_hash
      AND b.fetched_at {{newer}} a.last_seen_at
"""
_INSERT_NEW = f"""
    INSERT INTO articles ({", ".join(name for name, _ in schema.inserted())})
    SELECT {", ".join(sql for _, sql in schema.inserted())}
    FROM batch_articles b
    WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = b.article_id)
"""


def _merge(con: duckdb.DuckDBPyConnection, run_id: str, reprocess: bool = False) -> None:
    """Set-based merge of the ``batch`` temp table into pages/articles/article_versions.

    A normal load replaces an article only with a later fetch. A reprocess re-extracts the
    same archived fetch, so there the fetch that produced the current row (``>=``) may
    replace it when the new extractor reads it differently; it never rolls a page back to an
    older fetch, nor changes its validators.

    Removals (see :func:`_mark_removals`): a 404/410 for an article's URL fetched after it was
    last seen live sets ``articles.removed_at``; a later live fetch clears it again.
    """
    newer = ">=" if reprocess else ">"
    # Within one run keep the last fetch of each URL, and of each canonical article.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE batch_pages AS
        SELECT * FROM batch
        QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE batch_articles AS
        SELECT * FROM batch_pages WHERE kind = 'article'
        QUALIFY row_number() OVER (PARTITION BY canonical_url ORDER BY fetched_at DESC) = 1
        """
    )
    # Changed articles: keep the current row as an earlier version, then update it.
    con.execute(_SAVE_VERSIONS.replace("{newer}", newer))
    con.execute(_UPDATE_CHANGED.replace("{newer}", newer), {"run_id": run_id})
    # Unchanged articles seen again: only last_seen_at moves (never backwards).
    con.execute(
        """
        UPDATE articles AS a SET last_seen_at = b.fetched_at
        FROM batch_articles b
        WHERE a.id = b.article_id AND a.content_hash = b.content_hash
          AND b.fetched_at > a.last_seen_at
        """
    )
    # Credits outside the content hash (editors, migration 0008): the latest extraction's, without
    # a new version, so a reprocess fills them in for articles loaded before
    con.execute(
        """
        UPDATE articles AS a SET editors = b.editors
        FROM batch_articles b
        WHERE a.id = b.article_id AND a.content_hash = b.content_hash
          AND a.editors IS DISTINCT FROM b.editors AND b.fetched_at >= a.last_seen_at
        """
    )
    con.execute(_INSERT_NEW, {"run_id": run_id})
    if not reprocess:  # a reprocess re-reads old fetches: it neither removes nor restores
        _mark_removals(con, run_id)
    # Pages: every fetched or failed URL. Attempts count failed runs, once per run. A failed
    # fetch keeps the page's link to its article and the validators of its last good fetch.
    con.execute(
        """
        INSERT INTO pages AS p (url, source, final_url, canonical_url, kind, status, error,
            attempts, content_hash, article_id, archive, first_seen_at, last_fetched_at, run_id,
            etag, last_modified)
        SELECT b.url, b.source, b.final_url, b.canonical_url, b.kind, b.status, b.error, 1,
               b.content_hash, b.article_id, b.archive, b.fetched_at, b.fetched_at, ?,
               b.etag, b.last_modified
        FROM batch_pages b
        ON CONFLICT (url) DO UPDATE SET
            final_url = excluded.final_url, canonical_url = excluded.canonical_url,
            kind = excluded.kind, status = excluded.status, error = excluded.error,
            attempts = CASE
                WHEN p.run_id = excluded.run_id THEN p.attempts
                WHEN excluded.kind IN ('error', 'discovery_error') THEN p.attempts + 1
                ELSE 1 END,
            content_hash = excluded.content_hash,
            article_id = CASE WHEN excluded.kind IN ('error', 'discovery_error')
                THEN coalesce(excluded.article_id, p.article_id) ELSE excluded.article_id END,
            etag = CASE WHEN excluded.kind IN ('error', 'discovery_error') OR {reprocess}
                THEN p.etag ELSE excluded.etag END,
            last_modified = CASE WHEN excluded.kind IN ('error', 'discovery_error')
                OR {reprocess}
                THEN p.last_modified ELSE excluded.last_modified END,
            archive = excluded.archive,
            last_fetched_at = greatest(p.last_fetched_at, excluded.last_fetched_at),
            run_id = excluded.run_id
        WHERE NOT {reprocess} OR excluded.last_fetched_at >= p.last_fetched_at
        """.replace("{reprocess}", "true" if reprocess else "false"),
        [run_id],
    )


def _mark_removals(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Articles whose URL answered 404/410 after they were last seen live, and back again.

    Gone: ``articles.removed_at`` (when the crawler saw it gone, from the staged record) and
    ``removed_status`` are set, and the removal is recorded in ``article_removals``; the first
    sighting counts, later 404s of the same removal change nothing. Back: a live fetch after
    the removal clears both columns and closes the ``article_removals`` row (``restored_at``).
    Articles and their versions are never deleted.
    """
    con.execute(
        """
        UPDATE article_removals AS r SET restored_at = b.fetched_at
        FROM batch_articles b
        WHERE r.article_id = b.article_id AND r.restored_at IS NULL
          AND b.fetched_at > r.removed_at
        """
    )
    con.execute(
        """
        UPDATE articles AS a SET removed_at = NULL, removed_status = NULL
        FROM batch_articles b
        WHERE a.id = b.article_id AND a.removed_at IS NOT NULL AND b.fetched_at > a.removed_at
        """
    )
    # The page's URL is the article's own, its canonical one, or a page that fed it.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE batch_gone AS
        WITH gone AS (
            SELECT url, fetched_at, status FROM batch_pages
            WHERE kind = 'error' AND status IN (404, 410)
        ), hits AS (
            SELECT a.id AS article_id, g.fetched_at, g.status
            FROM gone g JOIN articles a ON a.url = g.url
            UNION ALL
            SELECT a.id, g.fetched_at, g.status
            FROM gone g JOIN articles a ON a.canonical_url = g.url
            UNION ALL
            SELECT p.article_id, g.fetched_at, g.status FROM gone g JOIN pages p ON p.url = g.url
            WHERE p.article_id IS NOT NULL
        )
        SELECT h.article_id, min(h.fetched_at) AS removed_at,
               arg_min(h.status, h.fetched_at) AS removed_status
        FROM hits h JOIN articles a ON a.id = h.article_id
        WHERE a.removed_at IS NULL AND h.fetched_at > a.last_seen_at
        GROUP BY h.article_id
        """
    )
    con.execute(
        """
        INSERT INTO article_removals (article_id, removed_at, removed_status, run_id)
        SELECT article_id, removed_at, removed_status, ? FROM batch_gone
        ON CONFLICT DO NOTHING
        """,
        [run_id],
    )
    con.execute(
        """
        UPDATE articles AS a SET removed_at = g.removed_at, removed_status = g.removed_status
        FROM batch_gone g WHERE a.id = g.article_id
        """
    )
    con.execute("DROP TABLE batch_gone")


def _count_removals(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """Per source: articles this run saw gone."""
    rows = con.execute(
        """
        SELECT a.source, count(*) FROM article_removals r JOIN articles a ON a.id = r.article_id
        WHERE r.run_id = ? GROUP BY a.source
        """,
        [run_id],
    ).fetchall()
    return {r[0]: int(r[1]) for r in rows}


def _count_outcomes(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, dict[str, int]]:
    """Per source: new/updated/unchanged articles as they stand after the merge."""
    rows = con.execute(
        """
        SELECT b.source,
               count(*) FILTER (WHERE a.version = 1 AND a.run_id = ?),
               count(*) FILTER (WHERE a.version > 1 AND a.run_id = ?),
               count(*) FILTER (WHERE a.run_id <> ?),
               count(*),
               count(*) FILTER (WHERE length(b.text) < ?),
               count(*) FILTER (WHERE b.published_at IS NULL)
        FROM batch_articles b JOIN articles a ON a.id = b.article_id
        GROUP BY b.source
        """,
        [run_id, run_id, run_id, SHORT_TEXT_CHARS],
    ).fetchall()
    keys = ("new", "updated", "unchanged", "loaded", "short", "undated")
    return {r[0]: dict(zip(keys, r[1:], strict=True)) for r in rows}


def _upsert_sources(con: duckdb.DuckDBPyConnection, sources: Sequence[Source]) -> None:
    now = datetime.now(UTC)
    for s in sources:
        con.execute(
            """
            INSERT INTO sources (name, url, host, language, timezone, config, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET url = excluded.url, host = excluded.host,
                language = excluded.language, timezone = excluded.timezone,
                config = excluded.config, updated_at = excluded.updated_at
            WHERE sources.config <> excluded.config
            """,
            [s.name, s.url, s.host, s.language, s.timezone, json.dumps(s.to_dict()), now],
        )


def summary_changed(loads: dict[str, OutletLoad]) -> bool:
    """Whether a load wrote new or changed article text (the search index must follow)."""
    return any(o.new_articles or o.updated_articles for o in loads.values())


def written_articles(con: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    """Ids of the articles whose current version ``run_id`` wrote (new and changed ones)."""
    return [r[0] for r in con.execute("SELECT id FROM articles WHERE run_id = ?",
                                      [run_id]).fetchall()]


def loaded_sources(con: duckdb.DuckDBPyConnection, run_id: str) -> set[str]:
    rows = con.execute("SELECT source FROM crawl_runs WHERE run_id = ?", [run_id]).fetchall()
    return {r[0] for r in rows}


@dataclass
class PreparedLoad:
    """A run's staged outlets, extracted and ready to write (no database needed to build it)."""

    run_id: str
    outlets: dict[str, OutletLoad]
    pages: list[ExtractedPage]
    already_loaded: list[str]
    # (url, fetched_at) -> ETag / Last-Modified of staged 200 pages (none: not known)
    validators: dict[tuple[str, str], Validators] = field(default_factory=dict)


def prepare_load(
    staging: Path,
    run_id: str,
    sources: Sequence[Source],
    skip: set[str] | frozenset[str] = frozenset(),
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PreparedLoad:
    """Read and extract every finished outlet of ``run_id`` except those in ``skip``.

    This is the slow, CPU-bound part of a load; it holds no warehouse lock.
    ``progress(done, total)`` is called as pages are extracted.
    """
    by_name = {s.name: s for s in sources}
    staged = finished_outlets(staging, run_id)
    todo = [o for o in staged if o.source not in skip]
    already = sorted(o.source for o in staged if o.source in skip)

    page_jobs: list[tuple[dict[str, Any], dict[str, Any], str | None]] = []
    error_pages: list[ExtractedPage] = []
    outlet_errors: dict[str, int] = {}
    discovery_pages: list[ExtractedPage] = []
    validators: dict[tuple[str, str], Validators] = {}
    for outlet in todo:
        for kind, record, options, archive in _read_outlet(outlet, by_name.get(outlet.source)):
            if kind == "page":
                page_jobs.append((record, options, archive))
                if (found := page_validators(record)) is not None:
                    validators[(record["url"], record["fetched_at"])] = found
            elif kind == "error":
                error_pages.append(_error_page(record, archive))
            else:  # a feed, sitemap or listing: a row of `pages`, and the outlet's health
                outlet_errors[outlet.source] = outlet_errors.get(outlet.source, 0) + 1
                discovery_pages.append(replace(_error_page(record, archive),
                                               kind=DISCOVERY_ERROR))

    total = len(page_jobs)
    counter = {"done": 0}

    def tick(n: int) -> None:
        counter["done"] += n
        if progress:
            progress(counter["done"], total)

    pages = extract_all(page_jobs, workers=workers, progress=tick) + error_pages
    loads = {
        o.source: OutletLoad(o.source, stats=o.stats, crawl_error=o.stats.get("crawl_error"))
        for o in todo
    }
    for name, count in outlet_errors.items():
        loads[name].errors += count
        loads[name].discovery_errors += count
    for page in pages:
        load = loads[page.source]
        load.pages += 1
        if page.kind == "error":
            load.errors += 1
        elif page.kind != "article":
            load.non_articles += 1
    return PreparedLoad(run_id=run_id, outlets=loads, pages=pages + discovery_pages,
                        already_loaded=already,
                        validators=validators)


def write_load(
    con: duckdb.DuckDBPyConnection,
    prepared: PreparedLoad,
    sources: Sequence[Source],
    refresh_derived: bool = True,
    reprocess: bool = False,
) -> LoadSummary:
    """Merge a prepared run into the warehouse in ONE transaction (the single writer).

    With ``refresh_derived`` (the default) the near-duplicate clusters and the full-text index
    are brought up to date in the same transaction; bulk back-loads may turn it off for all but
    the last run. ``reprocess`` re-reads archived fetches (see :func:`_merge`) and records
    no crawl_runs rows.
    """
    run_id = prepared.run_id
    done = loaded_sources(con, run_id)  # another loader may have finished it meanwhile
    loads = {k: v for k, v in prepared.outlets.items() if k not in done}
    already = sorted(set(prepared.already_loaded) | (set(prepared.outlets) & done))
    pages = [p for p in prepared.pages if p.source in loads]

    with tempfile.TemporaryDirectory(prefix="pantau-load-") as tmp:
        batch_file = Path(tmp) / "batch.jsonl"
        with batch_file.open("w", encoding="utf-8") as fh:
            for page in pages:
                row = _batch_row(page, prepared.validators.get((page.url, page.fetched_at)))
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        columns = ", ".join(f"'{k}': '{v}'" for k, v in _BATCH_COLUMNS.items())
        with transaction(con):
            _upsert_sources(con, sources)
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE batch AS SELECT * FROM read_json(?, "
                f"format = 'newline_delimited', columns = {{{columns}}})",
                [str(batch_file)],
            )
            _merge(con, run_id, reprocess=reprocess)
            outcomes = _count_outcomes(con, run_id)
            removals = {} if reprocess else _count_removals(con, run_id)
            now = datetime.now(UTC)
            for source, load in loads.items():
                got = outcomes.get(source, {})
                if reprocess:
                    load.new_articles = got.get("new", 0)
                    load.updated_articles = got.get("updated", 0)
                    continue
                load.new_articles = got.get("new", 0)
                load.updated_articles = got.get("updated", 0)
                load.unchanged_articles = got.get("unchanged", 0)
                load.removed_articles = removals.get(source, 0)
                st = load.stats
                con.execute(
                    """
                    INSERT INTO crawl_runs (run_id, source, started_at, finished_at, requests,
                        bytes, pages_fetched, new_articles, updated_articles, non_articles,
                        errors, status_counts, crawl_error, loaded_at, articles_loaded,
                        short_texts, missing_dates, recheck_requests, recheck_not_modified,
                        removed_articles, discovery_requests, discovery_errors)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT DO NOTHING
                    """,
                    [
                        run_id, source, st.get("started_at"), st.get("finished_at"),
                        int(st.get("requests") or 0), int(st.get("bytes") or 0), load.pages,
                        load.new_articles, load.updated_articles, load.non_articles,
                        load.errors + (1 if load.crawl_error else 0),
                        json.dumps(st.get("status_counts") or {}), load.crawl_error, now,
                        got.get("loaded", 0), got.get("short", 0), got.get("undated", 0),
                        int(st.get("recheck_requests") or 0),
                        int(st.get("recheck_not_modified") or 0), load.removed_articles,
                        sum(int(st.get(f"{role}_requests") or 0)
                            for role in ("feed", "sitemap", "listing")),
                        load.discovery_errors,
                    ],
                )
            if refresh_derived and (summary_changed(loads) or not has_index(con)):
                update_clusters(con)
                update_index(con, written_articles(con, run_id))
            for name in ("batch", "batch_pages", "batch_articles"):
                con.execute(f"DROP TABLE IF EXISTS {name}")
    summary = LoadSummary(run_id=run_id, outlets=list(loads.values()), already_loaded=already)
    log.info(
        "load %s: %d outlets, %d new and %d updated articles (%d outlets already loaded)",
        run_id, len(loads), summary.new_articles, summary.updated_articles, len(already),
    )
    return summary


def load_run(
    con: duckdb.DuckDBPyConnection,
    staging: Path,
    run_id: str,
    sources: Sequence[Source],
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> LoadSummary:
    """Prepare and write one run with an open writer connection (outlets already loaded skip)."""
    prepared = prepare_load(
        staging, run_id, sources, skip=loaded_sources(con, run_id), workers=workers,
        progress=progress,
    )
    return write_load(con, prepared, sources)


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
