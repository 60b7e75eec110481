"""Running the alert rules over the warehouse and delivering what matched, exactly once.

:func:`run_alerts` does, in order:

1. **match**: every stored article (of the rule's outlets, sections, language, ``since``) that
   has no alert row yet for a (rule, channel) is matched against the rule. Each article is
   tokenised once per run and only evaluated against rules that could match it. Articles already
   matched against the same rules (table ``alert_scans``, keyed by the rules' fingerprint and the
   article's content hash) are skipped; changing the rules re-matches everything once, so a new
   rule alerts on the stored backlog once (``since:`` limits that).
2. **record**: each new match becomes one ``pending`` row per channel, committed before sending.
3. **deliver**: pending rows, oldest first (earlier runs' leftovers before new ones), are sent
   with no warehouse connection open (when :func:`run_alerts` gets a connection factory), a
   bounded number at once (:class:`DeliveryLimits`); outcomes are written every few seconds in
   short transactions. A row becomes ``sent``; or, when the channel answered with an error
   about this message (4xx/5xx, refused recipients), stays ``pending`` with the error and one
   more attempt, and becomes ``failed`` after ``RetryPolicy.max_attempts``, retried after a
   backoff that doubles per attempt and runs from the attempt. A channel that is down
   (refused, unreachable) or gives no answer charges no attempt: its rows wait, however long
   the outage lasts, with ``last_error`` saying why; a few timeouts in one run trip the
   channel's circuit breaker, and a run's time budget stops sending (the rest wait).
   Digest rules send one message per rule and channel. Volume-spike rules (``spike: QUERY``,
   :mod:`alerts.spikes`) add one alert per spike instead of one per article. Rules of
   ``mode: daily`` go out as one digest per recipient (channel) per day (:mod:`alerts.daily`).

A crash between sending and marking can only repeat the send of that one alert; the outbox
recognises the repeated id and does not write it twice, email carries a stable Message-ID and
webhooks a stable alert id, so receivers can drop the repeat.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from alerts.channels.base import Channel
from alerts.daily import sent_today
from alerts.delivery_log import insert_pending, pending_alerts, pending_counts
from alerts.matching import Matches, find_matches
from alerts.rules import Rule
from alerts.sending import Deliverer, DeliveryLimits, RetryPolicy, Store, session
from alerts.spikes import spike_alerts
from alerts.summary import AlertSummary, RuleCounts

__all__ = ["AlertSummary", "DeliveryLimits", "Matches", "RetryPolicy", "RuleCounts",
           "find_matches", "run_alerts"]

log = logging.getLogger(__name__)


def _utc(value: datetime | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def run_alerts(
    con: Store,
    rules: list[Rule],
    outbox: Path,
    now: datetime | None = None,
    *,
    channels: Mapping[str, Channel] | None = None,
    policy: RetryPolicy | None = None,
    rescan: bool = False,
    limits: DeliveryLimits | None = None,
    clock: Callable[[], datetime] | None = None,
) -> AlertSummary:
    """Match ``rules`` against stored articles and deliver new and pending alerts.

    ``con``: a warehouse connection, or a function opening one: then the warehouse is open
    only for the short steps (match and record the intent; record outcomes as they come; count)
    and never while a message is being sent, so readers and the nightly load are not kept
    waiting by a slow channel. ``outbox`` is the JSONL file of the ``outbox`` channel;
    ``channels`` replaces channels by name (tests, custom channels); ``now`` (UTC if naive)
    stamps the rows and drives the backoff (when given, it is also the time of every attempt
    unless ``clock`` says otherwise; by default attempts are stamped when they happen, so the
    backoff runs from the attempt); ``limits``: time budget, circuit breaker, parallel sends;
    ``rescan`` matches every stored article again, not only new and changed ones.
    """
    if clock is None:
        fixed = now is not None
        start = _utc(now)
        clock = (lambda: start) if fixed else (lambda: datetime.now(UTC))
    now = _utc(now) if now is not None else clock()
    policy = policy or RetryPolicy()
    limits = limits or DeliveryLimits()
    summary = AlertSummary(rules={r.name: RuleCounts() for r in rules})
    with session(con) as c:  # the intent, in one short transaction
        found = find_matches(c, [r for r in rules if r.spike is None], rescan=rescan)
        spikes, spiked = spike_alerts(c, rules, now)
        summary.articles_scanned = len(found.scanned)
        for name, n in {**found.matched, **spiked}.items():
            summary.rules[name].matched = n
        inserted = insert_pending(c, found.alerts + spikes, now, found.scanned, found.ruleset)
        rows = pending_alerts(c, summary.rules)
        held = sent_today(c, rules, now)
    deliverer = Deliverer(rules, Path(outbox), clock, channels, policy, limits, summary, held)
    try:
        deliverer.run(deliverer.plan(rows), con)
    finally:
        deliverer.close()
    with session(con) as c:
        for name, n in pending_counts(c, summary.rules).items():
            summary.rules[name].pending = n
    t = summary.total
    log.info("alerts: %d rules, %d new or changed articles read, %d new matches (%d alert "
             "rows), %d sent, %d failed, %d pending", len(rules), summary.articles_scanned,
             t.matched, inserted, t.sent, t.failed, t.pending)
    return summary
