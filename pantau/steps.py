"""The pipeline's step functions: crawl, load, alerts, and run (all three).

The CLI and the Airflow DAGs call exactly these functions, so a nightly DAG run and
``pantau run`` do the same work. They take a :class:`~core.settings.Settings` and a run id, and
return plain summaries (counts), never data.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from core.config import Source, load_sources, select_sources
from core.errors import ConfigError, PantauError
from core.settings import Settings

if TYPE_CHECKING:
    from spiders.recheck import RecheckTarget

log = logging.getLogger(__name__)


class CrawlFailed(PantauError):
    """Every outlet's crawl of a run failed."""

# Outlets crawled at once by `pantau crawl`/`run` (each crawl is its own Scrapy process).
CRAWL_PARALLELISM = 4


def new_run_id(now: datetime | None = None) -> str:
    """A run id for a manual run, e.g. ``manual__2026-11-23T02:00:00+00:00_4021-9f3a07c2``: the
    moment, then this process's id and a random part, so two runs started in the same
    second never share a staging folder (4 random bytes: two of 50 ids made in one second by
    one process collide with odds of 3 in 10 million; 2 bytes made that 2 in 100)."""
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return f"manual__{now.isoformat()}_{os.getpid()}-{secrets.token_hex(4)}"


def configured_sources(settings: Settings, names: Sequence[str] = ()) -> list[Source]:
    """The configured outlets, optionally only the named ones (errors name the file and line)."""
    return select_sources(load_sources(settings.sources), list(names))


def crawl_moment(settings: Settings) -> datetime:
    """The moment a crawl stands for: ``settings.as_of`` when set (a simulated night:
    ``PANTAU_AS_OF``, or the run's logical date under ``PANTAU_TIME_TRAVEL``, see
    :mod:`pantau.airflow_tasks`), else now.

    The re-check window of an outlet's ``recheck_days`` ends at it; the crawler sends the same
    moment to a time-travelling test web (``spiders.middlewares.as_of``).
    """
    return settings.as_of or datetime.now(UTC)


@dataclass
class KnownUrls:
    """What the warehouse tells one outlet's crawl: URLs seen (with when each was last
    fetched) and recent articles to re-check (empty unless the outlet has ``recheck_days``)."""

    seen: dict[str, str | None] = field(default_factory=dict)
    recheck: list[RecheckTarget] = field(default_factory=list)


def _seen_by_source(
    settings: Settings, sources: Sequence[Source], now: datetime | None = None
) -> dict[str, KnownUrls]:
    """Per outlet: URLs already in the warehouse, and the articles to re-check, those
    published (or, undated, first seen) within ``recheck_days`` before ``now``."""
    from warehouse.db import warehouse_exists

    if not warehouse_exists(settings.db):
        return {s.name: KnownUrls() for s in sources}
    from spiders.recheck import RecheckTarget
    from warehouse.crawler_queries import recheck_targets, seen_urls
    from warehouse.db import connect_reader

    if now is None and any(s.recheck_days for s in sources):
        now = crawl_moment(settings)
    con = connect_reader(settings.db)
    try:
        known = {}
        for s in sources:
            recheck = []
            if s.recheck_days > 0 and now is not None:
                since = now - timedelta(days=s.recheck_days)
                rows = recheck_targets(con, s.name, since)
                recheck = [RecheckTarget.from_dict(row) for row in rows]
            known[s.name] = KnownUrls(seen_urls(con, s.name), recheck)
        return known
    finally:
        con.close()


CrawlProgress = Callable[[dict[str, Any], int, int], None]


def crawl_step(
    settings: Settings, run_id: str, names: Sequence[str] = (),
    progress: CrawlProgress | None = None,
) -> list[dict[str, Any]]:
    """Crawl the (named) outlets into ``staging/<run_id>/``; one stats dict per outlet.

    Outlets are crawled in parallel, each in its own Scrapy process; an outlet that fails is
    reported in its stats (``crawl_error``) and does not stop the others. Outlets with
    ``recheck_days`` also re-check their recent articles (window ending at :func:`crawl_moment`).
    ``progress(stats, done, total)`` is called as each outlet finishes.
    """
    from spiders.runner import crawl_source

    sources = configured_sources(settings, names)
    known = _seen_by_source(settings, sources)

    def crawl(source: Source) -> dict[str, Any]:
        stats: dict[str, Any] = crawl_source(
            source,
            run_id=run_id,
            staging=settings.staging,
            seen_urls=known[source.name].seen,
            allow_private_hosts=settings.allow_private_hosts,
            recheck=known[source.name].recheck,
            as_of=settings.as_of,
        )
        return stats

    with ThreadPoolExecutor(max_workers=min(CRAWL_PARALLELISM, len(sources))) as pool:
        futures = [pool.submit(crawl, source) for source in sources]
        if progress is not None:
            for done, future in enumerate(as_completed(futures), 1):
                progress(future.result(), done, len(futures))
        results = [f.result() for f in futures]
    for stats in results:
        if stats.get("crawl_error"):
            log.warning("crawl %s: %s", stats.get("source"), stats["crawl_error"])
    return results


def load_step(
    settings: Settings,
    run_id: str,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Any:
    """Load the run's staged pages into the warehouse (the single writer of a DuckDB file, one
    of many on a DuckLake); a LoadSummary."""
    from warehouse.db import connect_reader, connect_writer
    from warehouse.loader import loaded_sources, prepare_load, write_load

    sources = configured_sources(settings)
    skip: set[str] = set()
    from warehouse.db import warehouse_exists

    if warehouse_exists(settings.db):  # look, without taking the writer's lock during extraction
        reader = connect_reader(settings.db)
        try:
            skip = loaded_sources(reader, run_id)
        finally:
            reader.close()
    prepared = prepare_load(
        settings.staging, run_id, sources, skip=skip, workers=workers, progress=progress
    )
    try:
        con = connect_writer(settings.db)
    except BaseException:
        prepared.discard()
        raise
    try:
        return write_load(con, prepared, sources)  # deletes the batch file
    finally:
        con.close()


def alerts_step(settings: Settings, now: datetime | None = None) -> Any:
    """Match the alert rules against not-yet-alerted articles and deliver; an AlertSummary."""
    from alerts.deliver import run_alerts
    from alerts.rules import load_rules, warn_unknown_outlets
    from warehouse.db import connect_writer

    # Outlet names in rules are not refused when the sources do not configure them (one rules
    # file may serve several source sets: the demo's fixture outlets, real outlets), but each
    # is warned about: such a rule never matches there.
    rules = load_rules(settings.rules)
    try:
        known = {s.name for s in configured_sources(settings)}
    except ConfigError as exc:  # the crawl reports a broken sources file; alerts still run
        log.debug("alerts: outlets in rules not checked: %s", exc)
    else:
        warn_unknown_outlets(rules, known)
    # a factory, not a connection: the warehouse is open only to record the intent and the
    # outcomes (short transactions), never while a message is on its way (a hung webhook
    # must not keep `pantau sql` or the next load waiting)
    return run_alerts(lambda: connect_writer(settings.db), rules, settings.outbox, now=now)


def reprocess_step(
    settings: Settings,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Any:
    """Re-extract the whole raw-page archive with the current extractor; a ReprocessSummary."""
    from warehouse.db import connect_writer
    from warehouse.reprocess import reprocess_archive

    return reprocess_archive(
        lambda: connect_writer(settings.db, maintenance=True), settings.staging,
        configured_sources(settings),
        workers=workers, progress=progress,
    )


@dataclass
class RunSummary:
    """What one ``pantau run`` (or nightly DAG run) did."""

    run_id: str
    crawl: list[dict[str, Any]]
    load: Any
    alerts: Any
    outlets: list[dict[str, Any]] = field(default_factory=list)
    health: list[Any] = field(default_factory=list)

    @property
    def all_crawls_failed(self) -> bool:
        """Every outlet's crawl failed as a whole: the run did not do its job."""
        return all_crawls_failed(self.crawl)


def all_crawls_failed(crawl: Sequence[dict[str, Any]]) -> bool:
    """Whether the crawl step failed for every outlet it was given (none given: False)."""
    return bool(crawl) and all(s.get("crawl_error") for s in crawl)


def crawl_failure(crawl: Sequence[dict[str, Any]]) -> CrawlFailed | None:
    """The error to exit with when every outlet's crawl failed, else None."""
    if not all_crawls_failed(crawl):
        return None
    first = sorted(crawl, key=lambda s: str(s.get("source")))[0]
    return CrawlFailed(
        f"every outlet's crawl failed ({len(crawl)} outlets; e.g. {first.get('source')}: "
        f"{first.get('crawl_error')}); see the crawl logs in the run's staging folder"
    )


def outlet_rows(crawl: list[dict[str, Any]], load: Any) -> list[dict[str, Any]]:
    """One row per outlet combining crawl stats and load counts, for the summary table."""
    loads = {o.source: o for o in getattr(load, "outlets", [])}
    rows = []
    for stats in sorted(crawl, key=lambda s: str(s.get("source"))):
        name = str(stats.get("source"))
        got = loads.get(name)
        rows.append(
            {
                "source": name,
                "requests": int(stats.get("requests") or 0),
                "pages": int(stats.get("pages") or 0),
                "new": got.new_articles if got else 0,
                "updated": got.updated_articles if got else 0,
                "errors": int(stats.get("errors") or 0),
                "crawl_error": stats.get("crawl_error"),
            }
        )
    return rows


def run_step(
    settings: Settings,
    run_id: str | None = None,
    names: Sequence[str] = (),
    workers: int | None = None,
    progress: CrawlProgress | None = None,
    on_crawled: Callable[[], None] | None = None,
) -> RunSummary:
    """crawl → load → alerts for one run: what the nightly DAG does.

    ``progress`` follows the crawl (see :func:`crawl_step`); ``on_crawled`` is called after it.
    """
    run_id = run_id or new_run_id()
    crawl = crawl_step(settings, run_id, names, progress=progress)
    if on_crawled is not None:
        on_crawled()
    load = load_step(settings, run_id, workers=workers)
    alerts = alerts_step(settings)
    return RunSummary(
        run_id=run_id, crawl=crawl, load=load, alerts=alerts, outlets=outlet_rows(crawl, load),
        health=health_step(settings, run_id),
    )


def health_step(settings: Settings, run_id: str, notify: bool = True) -> list[Any]:
    """Per-outlet health of a loaded run (OutletHealth rows, flagged outlets logged).

    With ``notify``, an outlet whose health gained a flag since its previous run raises an
    operator alert through the alert channels (see :mod:`pantau.operator_alerts`).
    """
    from pantau.operator_alerts import alert_on_health
    from warehouse.db import connect_reader
    from warehouse.extraction_drops import flag_extraction_drops
    from warehouse.health import new_flags

    con = connect_reader(settings.db)
    try:
        changes = new_flags(con, run_id)
        changes = flag_extraction_drops(con, run_id, changes)  # a layout change
    finally:
        con.close()
    for row, _ in changes:
        if row.flags:
            log.warning("outlet %s: %s", row.source, "; ".join(row.flags))
    if notify:
        alert_on_health(settings, run_id, changes)
    return [row for row, _ in changes]
