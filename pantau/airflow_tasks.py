"""What the Airflow tasks run: the step functions, with Airflow's run id, returning small dicts.

Kept out of the DAG files so those stay wiring only (no logic, no heavy imports at parse time):
this module imports nothing heavier than :mod:`core.settings` at module level, and the DAG
files import it while they are parsed. XCom carries counts and names, never article data.

Task policy from the environment (read when a DAG file is parsed):

- ``PANTAU_TASK_RETRIES`` (default 2): retries per task
- ``PANTAU_RETRY_DELAY_SECONDS`` (default 120): first retry delay; doubles with each retry
- ``PANTAU_MAX_RETRY_DELAY_SECONDS`` (default 1800): ceiling of the retry delay
- ``PANTAU_TASK_TIMEOUT_MINUTES`` (default 120): ``execution_timeout`` of every task
- ``PANTAU_CRAWL_QUEUE`` / ``PANTAU_WAREHOUSE_QUEUE`` (default ``default``): Celery queues of the
  crawl tasks and of the warehouse writers (docs/scale-out.md); ignored by the LocalExecutor
- ``PANTAU_WORKER_NAME`` (read when a crawl task runs): the worker name a crawl task reports as
  ``worker`` (default the host name), so a run shows which Celery worker crawled which outlet
- ``PANTAU_TIME_TRAVEL`` (default off; read when a crawl task runs): ``1`` hands each crawl its
  run's logical date (``Settings.as_of``, a parameter down to the crawl process), which it sends
  as ``X-Pantau-As-Of`` so the time-travelling fixture web serves that night. Simulations and
  backfill tests only: real outlets never get the header while it is off
- ``PANTAU_OPERATOR_CHANNELS`` (default ``outbox``): the alert channels that receive operator
  alerts when a task fails for good or an outlet's health gets a flag (``PANTAU_HEALTH_ALERTS=0``
  turns the latter off); see :mod:`pantau.operator_alerts`
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping
from dataclasses import asdict, is_dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from core.errors import PantauError
from core.settings import environment, resolve_settings, worker_name

log = logging.getLogger(__name__)

#: The warehouse as an Airflow Asset: the nightly ``load`` publishes it, ``pantau_alerts`` and
#: the reprocess of ``pantau_maintenance`` follow it.
WAREHOUSE_ASSET_NAME = "pantau_warehouse"
WAREHOUSE_ASSET_URI = "file:///pantau/warehouse"
#: The pool (size 1) every task that writes to the DuckDB warehouse runs in.
WAREHOUSE_POOL = "pantau_warehouse"
#: ``1``: crawl tasks pass their logical date on (simulations against the fixture web only).
TIME_TRAVEL_ENV = "PANTAU_TIME_TRAVEL"


class OutletCrawlFailed(PantauError):
    """An outlet's crawl failed as a whole; its Airflow task fails (and is retried)."""


# -- task policy ----------------------------------------------------------------------------


def task_defaults(owner: str = "pantau") -> dict[str, Any]:
    """``default_args`` for pantau's DAGs: retries with exponential backoff, a timeout, and the
    operator alert on failure. Delays come from the environment (short ones in tests)."""
    env = environment()
    return {
        "owner": owner,
        "retries": env.task_retries,
        "retry_delay": timedelta(seconds=env.retry_delay_seconds),
        # a multiplier (Airflow 3): 2.0 doubles the delay per retry; True would mean 1.0
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(seconds=env.max_retry_delay_seconds),
        "execution_timeout": timedelta(minutes=env.task_timeout_minutes),
        "on_failure_callback": notify_task_failure,
    }


def queue(kind: str) -> str:
    """The executor queue for ``crawl`` or ``warehouse`` tasks (``PANTAU_<KIND>_QUEUE``)."""
    queues = {"crawl": environment().crawl_queue, "warehouse": environment().warehouse_queue}
    if kind not in queues:
        raise ValueError(f"no queue for {kind!r}: expected one of {sorted(queues)}")
    return queues[kind] or "default"


# -- the steps --------------------------------------------------------------------------------


def source_names() -> list[str]:
    """The names of the configured outlets: one mapped crawl task each."""
    from pantau.steps import configured_sources

    return [s.name for s in configured_sources(resolve_settings())]


def time_travel() -> bool:
    """Whether crawl tasks tell the web their logical date (``PANTAU_TIME_TRAVEL``)."""
    return environment().time_travel


def crawl_outlet(source: str, run_id: str, as_of: datetime | None = None) -> dict[str, Any]:
    """Crawl one outlet into staging for ``run_id``; fail the task if the outlet failed.

    ``as_of`` (the run's logical date) is handed to the crawl as its moment (``Settings.as_of``,
    a parameter down to the crawl process) when ``PANTAU_TIME_TRAVEL`` is on, and returned as
    ``as_of`` (None when it was not sent).
    """
    from pantau.steps import crawl_step

    settings = resolve_settings()
    stamp = None
    if as_of is not None and time_travel():
        settings = replace(settings, as_of=as_of.astimezone(UTC))
        stamp = as_of.astimezone(UTC).isoformat()
    [stats] = crawl_step(settings, run_id, [source])
    if stats.get("crawl_error"):
        raise OutletCrawlFailed(f"{source}: {stats['crawl_error']}")
    out = {k: stats.get(k) for k in ("source", "requests", "pages", "errors", "bytes")}
    return {**out, "as_of": stamp, "worker": worker_name()}


def load(run_id: str) -> dict[str, Any]:
    """Load the run's staged outlets (the ones whose crawl finished), then check their health:
    an outlet that gained a health flag raises an operator alert (``PANTAU_HEALTH_ALERTS``)."""
    from pantau.steps import health_step, load_step

    settings = resolve_settings()
    summary = load_step(settings, run_id)
    health = health_step(settings, run_id)
    return {
        "run_id": run_id,
        "new_articles": summary.new_articles,
        "updated_articles": summary.updated_articles,
        "outlets": [o.source for o in summary.outlets],
        "failed_outlets": sorted(o.source for o in summary.outlets if o.crawl_error),
        "flagged_outlets": {h.source: h.flags for h in health if h.flags},
    }


def _plain(summary: Any) -> dict[str, Any]:
    if is_dataclass(summary) and not isinstance(summary, type):
        out = asdict(summary)
        total = getattr(summary, "total", None)
        if is_dataclass(total) and not isinstance(total, type):
            out["total"] = asdict(total)
        return out
    return {"summary": str(summary)}


def deliver_alerts() -> dict[str, Any]:
    """Run the alert rules over not-yet-alerted articles."""
    from pantau.steps import alerts_step

    return _plain(alerts_step(resolve_settings()))


def report(crawled: list[dict[str, Any]], loaded: Mapping[str, Any]) -> dict[str, Any]:
    """The night's summary (runs only when every outlet crawled and the load succeeded)."""
    pages = {str(c.get("source")): int(c.get("pages") or 0) for c in crawled if c}
    log.info("run %s: %d outlets crawled (%s), %s new and %s updated articles",
             loaded.get("run_id"), len(pages),
             ", ".join(f"{k}: {v} pages" for k, v in sorted(pages.items())),
             loaded.get("new_articles"), loaded.get("updated_articles"))
    return {"outlets": len(pages), "pages": sum(pages.values()),
            "new_articles": loaded.get("new_articles"),
            "updated_articles": loaded.get("updated_articles")}


# -- maintenance ------------------------------------------------------------------------------


def cleanup_staging() -> dict[str, Any]:
    """Tidy staging of completely loaded runs (see :mod:`pantau.maintenance`)."""
    from pantau.maintenance import cleanup_staging as cleanup

    return asdict(cleanup(resolve_settings()))


def compact_archive() -> dict[str, Any]:
    """Fold loaded runs older than ``PANTAU_COMPACT_AFTER_DAYS`` into one raw archive per week
    (see :func:`pantau.maintenance.compact_archive`); sizes before and after."""
    from pantau.maintenance import compact_archive as compact

    return asdict(compact(resolve_settings()))


def checkpoint_warehouse() -> dict[str, Any]:
    """CHECKPOINT the warehouse; its size on disk (and per million articles) before and after."""
    from pantau.maintenance import compact_warehouse

    return compact_warehouse(resolve_settings())


def export_week(logical_date: datetime) -> dict[str, Any]:
    """Export the 7 days before ``logical_date`` to ``<exports>/<date>/<table>.parquet``."""

    from pantau.maintenance import export_window

    settings = resolve_settings()
    end = logical_date.astimezone(UTC)
    start = end - timedelta(days=7)
    root = environment().exports or settings.db.parent / "exports"
    folder = root / end.date().isoformat()
    counts = export_window(settings, start, end, folder)
    return {"folder": str(folder), "start": start.isoformat(), "end": end.isoformat(),
            "rows": counts}


def reprocess(requested: bool, run_id: str) -> dict[str, Any]:
    """Re-extract the raw archive when ``requested``; otherwise the task is skipped."""
    from airflow.sdk.exceptions import AirflowSkipException

    if not requested:
        raise AirflowSkipException("reprocess not requested (trigger with {\"reprocess\": true})")
    from pantau.steps import reprocess_step

    summary = reprocess_step(resolve_settings())
    log.info("reprocess for %s: %s", run_id, summary)
    return _plain(summary)


# -- operator alerts --------------------------------------------------------------------------


def failure_details(context: Mapping[str, Any]) -> dict[str, Any]:
    """DAG, task, outlet (for a mapped crawl), try, log URL and error of a failed task."""
    ti = context["ti"]
    map_index = getattr(ti, "map_index", -1)
    outlet = getattr(ti, "rendered_map_index", None) if map_index is not None else None
    if map_index is not None and map_index >= 0 and not outlet:
        with contextlib.suppress(Exception):  # best effort: the list the crawl was mapped over
            names = ti.xcom_pull(task_ids="list_sources")
            outlet = names[map_index]
    return {
        "dag_id": ti.dag_id,
        "task_id": ti.task_id,
        "run_id": ti.run_id,
        "map_index": map_index,
        "outlet": outlet if map_index is not None and map_index >= 0 else None,
        "try_number": getattr(ti, "try_number", None),
        "log_url": getattr(ti, "log_url", None),
        "error": str(context.get("exception") or "unknown error"),
    }


def operator_alert(details: Mapping[str, Any], now: datetime | None = None) -> Any:
    """The operator alert for a failed task, as an :class:`alerts.channels.Alert`."""
    from pantau.operator_alerts import operator_alert as make_alert

    key = "|".join(str(details.get(k)) for k in ("dag_id", "run_id", "task_id", "map_index",
                                                  "try_number"))
    where = f"{details['dag_id']}.{details['task_id']}"
    if details.get("outlet"):
        where += f"[{details['outlet']}]"
    return make_alert(
        key=key,
        title=f"pantau: task {where} failed (run {details['run_id']})",
        text=f"try {details.get('try_number')}: {details['error']}",
        source=str(details.get("outlet") or ""),
        url=str(details.get("log_url") or ""),
        now=now,
    )


def notify_task_failure(context: Mapping[str, Any]) -> None:
    """``on_failure_callback``: tell the operators through the alert channels. Never raises."""
    try:
        from pantau.operator_alerts import send_operator_alerts

        alert = operator_alert(failure_details(context))
        send_operator_alerts(resolve_settings(), [alert])
    except Exception:  # a failing alert must not hide the task's own failure
        log.exception("could not send the operator alert for a failed task")
