"""The single writer: merge one run's staged pages into the warehouse in ONE transaction.

A load streams: :func:`prepare_load` reads each finished outlet's staging file record by record
(:mod:`staging`), extracts its pages in bounded chunks (:mod:`staging.extraction`) and appends
one row per page to a batch file on disk (:mod:`warehouse.batch`); :func:`write_load` reads that
file into DuckDB and merges it set-wise (:mod:`warehouse.merge`), writes each outlet's
``crawl_runs`` row (:mod:`warehouse.crawl_runs`) and brings the derived data up to date, all in
one transaction. Python holds a chunk of pages at a time, never the run or the history.

Idempotent: rows are keyed by canonical URL (articles) and requested URL (pages), timestamps come
from the staged records (not the clock), and a run's ``crawl_runs`` rows are written once. Loading
the same run again therefore changes nothing; a crash or kill mid-load leaves the warehouse as it
was before the run (DuckDB rolls back the open transaction).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from core.config import Source
from extract import SiteOptions
from staging import ErrorRecord, PageRecord, StagedOutlet, finished_outlets, read_typed
from staging.extraction import Job, extract_pages
from warehouse.batch import BatchFile, Validators, error_page, page_validators
from warehouse.crawl_runs import (
    OutletLoad,
    loaded_sources,
    record_crawl_run,
    upsert_sources,
)
from warehouse.db import transaction
from warehouse.dedup import update_clusters
from warehouse.fts import has_index, update_index
from warehouse.lake import retry_conflicts
from warehouse.merge import count_outcomes, count_removals, merge_batch, written_articles

log = logging.getLogger(__name__)

#: ``<staging>/.load/``: batch files of loads in progress (hidden: no run folder).
LOAD_FOLDER = ".load"

__all__ = ["LoadSummary", "OutletLoad", "PreparedLoad", "load_run", "loaded_sources",
           "prepare_load", "summary_changed", "write_load"]


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


def summary_changed(loads: dict[str, OutletLoad]) -> bool:
    """Whether a load wrote new or changed article text (the search index must follow)."""
    return any(o.new_articles or o.updated_articles for o in loads.values())


@dataclass
class PreparedLoad:
    """A run's staged outlets, extracted into a batch file and ready to write (no database
    needed to build it). :meth:`discard` deletes the batch file; :func:`write_load` does it."""

    run_id: str
    outlets: dict[str, OutletLoad]
    batch: BatchFile
    already_loaded: list[str] = field(default_factory=list)

    def discard(self) -> None:
        self.batch.remove()


def _outlet_jobs(
    outlet: StagedOutlet, options: SiteOptions, load: OutletLoad, batch: BatchFile,
    validators: dict[tuple[str, str], Validators],
) -> Iterator[Job]:
    """The outlet's pages to extract, streamed; its error records go straight to the batch."""
    if outlet.records is None:
        return
    archive = str(outlet.records)
    for record in read_typed(outlet.records):  # a damaged file is repaired, not fatal
        if isinstance(record, PageRecord):
            if (found := page_validators(record)) is not None:
                validators[(record.url, record.fetched_at)] = found
            yield record, options, archive
        elif isinstance(record, ErrorRecord):
            batch.add(error_page(record, archive))
            load.errors += 1
            if record.is_discovery:  # a feed, sitemap or listing: the outlet's health
                load.discovery_errors += 1
            else:
                load.pages += 1


def prepare_load(
    staging: Path,
    run_id: str,
    sources: Sequence[Source],
    skip: set[str] | frozenset[str] = frozenset(),
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PreparedLoad:
    """Read and extract every finished outlet of ``run_id`` except those in ``skip``.

    This is the slow, CPU-bound part of a load; it holds no warehouse lock. Pages stream from
    the staging files through extraction into the batch file (in ``<staging>/.load/``).
    ``progress(done, total)`` is called as pages are extracted; ``total`` is the pages staged
    (counted from the crawl stats, so nothing is read twice; 0 when the stats do not say).
    """
    by_name = {s.name: s for s in sources}
    staged = finished_outlets(staging, run_id)
    todo = [o for o in staged if o.source not in skip]
    already = sorted(o.source for o in staged if o.source in skip)
    total = sum(int(o.stats.get("pages") or 0) for o in todo)
    counter = {"done": 0}

    def tick(n: int) -> None:
        counter["done"] += n
        if progress:
            progress(counter["done"], max(total, counter["done"]))

    loads: dict[str, OutletLoad] = {}
    batch = BatchFile(Path(staging) / LOAD_FOLDER)
    try:
        for outlet in todo:
            load = loads[outlet.source] = OutletLoad(
                outlet.source, stats=outlet.stats, crawl_error=outlet.stats.get("crawl_error"))
            known = by_name.get(outlet.source)
            options = known.site_options if known else SiteOptions()
            # the validators of the chunk in flight: (url, fetched_at) -> ETag / Last-Modified
            validators: dict[tuple[str, str], Validators] = {}
            jobs = _outlet_jobs(outlet, options, load, batch, validators)
            for page in extract_pages(jobs, workers=workers, progress=tick):
                batch.add(page, validators.pop((page.url, page.fetched_at), None))
                load.pages += 1
                if page.kind == "error":
                    load.errors += 1
                elif page.kind != "article":
                    load.non_articles += 1
        batch.close()
    except BaseException:
        batch.remove()
        raise
    return PreparedLoad(run_id=run_id, outlets=loads, batch=batch, already_loaded=already)


def write_load(
    con: duckdb.DuckDBPyConnection,
    prepared: PreparedLoad,
    sources: Sequence[Source],
    refresh_derived: bool = True,
    reprocess: bool = False,
) -> LoadSummary:
    """Merge a prepared run into the warehouse in ONE transaction (the single writer); the
    batch file is deleted afterwards, also when the merge fails.

    With ``refresh_derived`` (the default) the near-duplicate clusters and the full-text index
    are brought up to date in the same transaction; bulk back-loads may turn it off for all but
    the last run. ``reprocess`` re-reads archived fetches (see :func:`warehouse.merge.merge_batch`)
    and records no crawl_runs rows.

    On a DuckLake another loader may commit first: the transaction is then done again from the
    same batch (:func:`warehouse.lake.retry_conflicts`) and skips the outlets the other loaded.
    """
    try:
        return retry_conflicts(
            lambda: _write(con, prepared, sources, refresh_derived, reprocess))
    finally:
        prepared.discard()


def _write(
    con: duckdb.DuckDBPyConnection,
    prepared: PreparedLoad,
    sources: Sequence[Source],
    refresh_derived: bool,
    reprocess: bool,
) -> LoadSummary:
    run_id = prepared.run_id
    done = loaded_sources(con, run_id)  # another loader may have finished it meanwhile
    loads = {k: v for k, v in prepared.outlets.items() if k not in done}
    already = sorted(set(prepared.already_loaded) | (set(prepared.outlets) & done))
    with transaction(con):
        upsert_sources(con, sources)
        prepared.batch.load_into(con, loads)
        merge_batch(con, run_id, reprocess=reprocess)
        outcomes = count_outcomes(con, run_id)
        removals = {} if reprocess else count_removals(con, run_id)
        now = datetime.now(UTC)
        for source, load in loads.items():
            got = outcomes.get(source, {})
            load.new_articles = got.get("new", 0)
            load.updated_articles = got.get("updated", 0)
            if reprocess:
                continue
            load.unchanged_articles = got.get("unchanged", 0)
            load.removed_articles = removals.get(source, 0)
            record_crawl_run(con, run_id, load, got, now)
        if refresh_derived and (summary_changed(loads) or not has_index(con)):
            written = written_articles(con, run_id)
            update_clusters(con, written)
            update_index(con, written)
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
