"""What the Airflow tasks run: the step functions, with Airflow's run id, returning small dicts.

Kept out of the DAG files so those stay wiring only (no logic, no heavy imports at parse time).
XCom carries counts and names, never article data.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, is_dataclass
from typing import Any

from pantau.errors import PantauError
from pantau.settings import resolve_settings

log = logging.getLogger(__name__)


class OutletCrawlFailed(PantauError):
    """An outlet's crawl failed as a whole; its Airflow task fails (and is retried)."""


def source_names() -> list[str]:
    """The names of the configured outlets: one mapped crawl task each."""
    from pantau.steps import configured_sources

    return [s.name for s in configured_sources(resolve_settings())]


def crawl_outlet(source: str, run_id: str) -> dict[str, Any]:
    """Crawl one outlet into staging for ``run_id``; fail the task if the outlet failed."""
    from pantau.steps import crawl_step

    [stats] = crawl_step(resolve_settings(), run_id, [source])
    if stats.get("crawl_error"):
        raise OutletCrawlFailed(f"{source}: {stats['crawl_error']}")
    return {k: stats.get(k) for k in ("source", "requests", "pages", "errors", "bytes")}


def load(run_id: str) -> dict[str, Any]:
    """Load the run's staged outlets (the ones whose crawl finished)."""
    from pantau.steps import load_step

    summary = load_step(resolve_settings(), run_id)
    return {
        "run_id": run_id,
        "new_articles": summary.new_articles,
        "updated_articles": summary.updated_articles,
        "outlets": [o.source for o in summary.outlets],
    }


def deliver_alerts() -> dict[str, Any]:
    """Run the alert rules over not-yet-alerted articles."""
    from pantau.steps import alerts_step

    summary = alerts_step(resolve_settings())
    return asdict(summary) if is_dataclass(summary) and not isinstance(summary, type) else {
        "summary": str(summary)
    }
