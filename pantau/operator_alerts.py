"""Alerts for the people who run pantau (not keyword alerts): failed tasks, unhealthy outlets.

They go through the same channels as keyword alerts, the ones named in
``PANTAU_OPERATOR_CHANNELS`` (comma-separated names from the rules file's ``channels:`` section,
or the built-in ``outbox``; default ``outbox``), with the rule name ``pantau_operator`` so a
consumer of the outbox or webhook can tell them apart.

- Airflow's ``on_failure_callback`` sends one when a task fails for good
  (:mod:`pantau.airflow_tasks`).
- After each load, :func:`pantau.steps.health_step` sends one per outlet whose health gained a
  flag since that outlet's previous run (crawl failed, quiet for N runs, extraction health below
  the threshold): once when a problem appears, not every night while it lasts. Turn these off
  with ``PANTAU_HEALTH_ALERTS=0``.

Sending never raises: an operator alert that cannot be sent is logged, and the work that
triggered it goes on.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from core.settings import Settings, environment

if TYPE_CHECKING:
    from alerts.channels.base import Alert, Channel
    from warehouse.health import OutletHealth

log = logging.getLogger(__name__)

OPERATOR_RULE = "pantau_operator"
CHANNELS_ENV = "PANTAU_OPERATOR_CHANNELS"
HEALTH_ALERTS_ENV = "PANTAU_HEALTH_ALERTS"


def operator_channels(settings: Settings) -> list[Channel]:
    """The channels named in ``PANTAU_OPERATOR_CHANNELS`` (default: the JSONL outbox)."""
    from alerts.channels.registry import BUILTIN_CHANNELS, build_channel

    wanted = [c.strip() for c in environment().operator_channels.split(",") if c.strip()]
    specs = dict(BUILTIN_CHANNELS)
    if any(name not in specs for name in wanted) and settings.rules.exists():
        from alerts.rules import load_rules_file

        specs.update(load_rules_file(settings.rules).channels)
    channels = []
    for name in wanted:
        if name not in specs:
            log.error("%s names channel %r, which %s does not define (known: %s)",
                      CHANNELS_ENV, name, settings.rules, ", ".join(sorted(specs)))
            continue
        channels.append(build_channel(specs[name], settings.outbox))
    return channels


def operator_alert(key: str, title: str, text: str, source: str = "", url: str = "",
                   now: datetime | None = None) -> Alert:
    """An operator alert; ``key`` makes its id (the same event gives the same id)."""
    from alerts.channels.base import Alert

    return Alert(
        id=hashlib.sha256(key.encode()).hexdigest()[:32],
        rule=OPERATOR_RULE,
        query="",
        article_id="",
        channel="",
        source=source,
        url=url,
        title=title,
        published_at=None,
        snippet=text[:1000],
        matched_at=now or datetime.now(UTC),
    )


def send_operator_alerts(settings: Settings, alerts: Iterable[Alert]) -> int:
    """Send each alert through every operator channel; returns how many sends succeeded."""
    pending = list(alerts)
    if not pending:
        return 0
    sent = 0
    try:
        channels = operator_channels(settings)
    except Exception:
        log.exception("could not set up the operator alert channels (%s)", CHANNELS_ENV)
        return 0
    for channel in channels:
        try:
            for alert in pending:
                try:
                    channel.send(alert)
                    sent += 1
                    log.warning("operator alert sent: %s", alert.title)
                except Exception:
                    log.exception("could not send the operator alert %r", alert.title)
        finally:
            channel.close()
    return sent


def health_alerts_enabled() -> bool:
    return environment().health_alerts


def health_alert(run_id: str, health: OutletHealth, new_kinds: Iterable[str],
                 now: datetime | None = None) -> Alert:
    """The alert for an outlet whose health gained the flags ``new_kinds`` in ``run_id``."""
    kinds = sorted(new_kinds)
    flags = "; ".join(health.flags)
    detail = (f"run {run_id}: {flags}. This run: {health.requests} requests, {health.new} new "
              f"and {health.updated} updated articles, {health.errors} errors.")
    if health.crawl_error:
        detail += f" Crawl error: {health.crawl_error}"
    return operator_alert(
        key=f"health|{run_id}|{health.source}|{','.join(kinds)}",
        title=f"pantau: outlet {health.source} needs a look ({flags})",
        text=detail,
        source=health.source,
        now=now,
    )


def alert_on_health(settings: Settings, run_id: str, changes: Any) -> int:
    """Send one alert per (OutletHealth, new flag kinds) in ``changes``; returns sends done."""
    if not health_alerts_enabled():
        return 0
    return send_operator_alerts(
        settings, [health_alert(run_id, health, kinds) for health, kinds in changes if kinds]
    )
