"""Re-extract the raw-page archive (the staging files) with the current extractor.

For every URL the latest archived fetch is extracted again and merged: an article whose text or
metadata now reads differently gets a new version (the old one goes to ``article_versions``),
pages that now extract as articles are added. Work goes in batches, each merged in its own
transaction, so the writer lock is held only briefly and an interrupted reprocess can simply be
run again. Clusters and the full-text index are refreshed once at the end.

The archive is every finished outlet's staging file plus the compacted weeks
(``<staging>/archive/*.jsonl.gz``, see :mod:`staging`). A reprocess holds the archive's
lock shared, so compaction never deletes a run file while a reprocess may still record it.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from core.config import Source
from extract import SiteOptions
from staging import (
    PageRecord,
    archive_files,
    archive_lock,
    finished_outlets,
    iter_records,
    list_runs,
    read_stats,
    read_typed,
)
from staging.extraction import Job, extract_pages
from warehouse.batch import BatchFile
from warehouse.crawl_runs import OutletLoad
from warehouse.db import lock_wait_seconds, transaction
from warehouse.dedup import update_clusters
from warehouse.fts import update_index
from warehouse.loader import PreparedLoad, write_load

log = logging.getLogger(__name__)

BATCH_SIZE = 1000


@dataclass
class ReprocessSummary:
    run_id: str
    pages: int = 0
    articles_changed: int = 0
    articles_added: int = 0


def _run_ids(staging: Path) -> list[str]:
    ids = []
    for folder in list_runs(staging):
        for stats_file in sorted(folder.glob("*.stats.json")):
            rid = read_stats(stats_file).get("run_id")
            if rid:
                ids.append(str(rid))
                break
    return ids


def archived_files(staging: Path) -> list[Path]:
    """The raw archive: compacted weeks first, then each finished outlet's staging file."""
    files = archive_files(staging)
    for run_id in _run_ids(staging):
        files.extend(o.records for o in finished_outlets(staging, run_id) if o.records)
    return files


def latest_fetches(staging: Path) -> dict[Path, set[tuple[str, str]]]:
    """Per archive file, the (url, fetched_at) of the records that are each URL's latest fetch."""
    latest: dict[str, tuple[str, Path]] = {}
    for path in archived_files(staging):
        for record in iter_records(path):
            if record.get("type") != "page":
                continue
            url, fetched = record["url"], record["fetched_at"]
            if url not in latest or fetched >= latest[url][0]:
                latest[url] = (fetched, path)
    chosen: dict[Path, set[tuple[str, str]]] = {}
    for url, (fetched, path) in latest.items():
        chosen.setdefault(path, set()).add((url, fetched))
    return chosen


def _jobs(
    chosen: dict[Path, set[tuple[str, str]]], sources: dict[str, Source]
) -> Iterator[Job]:
    default = SiteOptions()
    for path in sorted(chosen):
        wanted = chosen[path]
        for record in read_typed(path):
            if isinstance(record, PageRecord) and (record.url, record.fetched_at) in wanted:
                source = sources.get(record.source)
                yield record, (source.site_options if source else default), str(path)


def reprocess_archive(
    connect: Callable[[], duckdb.DuckDBPyConnection],
    staging: Path,
    sources: Sequence[Source],
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ReprocessSummary:
    """Re-extract every URL's latest archived page; ``connect()`` opens the writer per batch."""
    lock = (archive_lock(staging, exclusive=False, wait_seconds=lock_wait_seconds())
            if Path(staging).is_dir() else contextlib.nullcontext())
    with lock:
        return _reprocess(connect, staging, sources, workers, progress, batch_size)


def _reprocess(
    connect: Callable[[], duckdb.DuckDBPyConnection],
    staging: Path,
    sources: Sequence[Source],
    workers: int | None,
    progress: Callable[[int, int], None] | None,
    batch_size: int,
) -> ReprocessSummary:
    by_name = {s.name: s for s in sources}
    chosen = latest_fetches(staging)
    total = sum(len(v) for v in chosen.values())
    # unique per call (microseconds): outcome counts are read by run id
    run_id = f"reprocess__{datetime.now(UTC).isoformat()}"
    summary = ReprocessSummary(run_id=run_id)
    jobs = _jobs(chosen, by_name)
    while chunk := list(itertools.islice(jobs, batch_size)):
        # always the current extractor on the raw page, never the crawl-time result: reprocess
        # is how a fix in the extractor (or a library under it) reaches the stored articles
        batch = BatchFile()
        outlets: dict[str, OutletLoad] = {}
        for page in extract_pages(chunk, workers=workers, reuse=False):
            batch.add(page)
            outlets.setdefault(page.source, OutletLoad(page.source))
        con = connect()
        try:
            result = write_load(con, PreparedLoad(run_id, outlets, batch), sources,
                                refresh_derived=False, reprocess=True)
        finally:
            con.close()
        summary.pages += batch.rows
        summary.articles_changed += result.updated_articles
        summary.articles_added += result.new_articles
        if progress:
            progress(summary.pages, total)
    con = connect()
    try:
        with transaction(con):
            update_clusters(con)
            # the batches are gone; the reprocess's run id marks the articles it rewrote
            rewritten = con.execute("SELECT id FROM articles WHERE run_id = ?", [run_id]).fetchall()
            update_index(con, [r[0] for r in rewritten])
    finally:
        con.close()
    log.info(
        "reprocess: %d archived pages re-extracted, %d articles changed, %d added",
        summary.pages, summary.articles_changed, summary.articles_added,
    )
    return summary
