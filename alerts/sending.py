"""Sending pending alerts through their channels, bounded in parallel, outcomes recorded as they
come (see :mod:`alerts.deliver` for the whole run).

A row becomes ``sent``; or, when the channel answered with an error about this message, stays
``pending`` with one more attempt (``failed`` after ``RetryPolicy.max_attempts``), retried after
a backoff that doubles per attempt. A channel that is down or gives no answer charges no
attempt; a few timeouts in one run trip the channel's circuit breaker, and a run's time budget
stops sending (the rest wait).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from alerts.channels.base import (
    Alert,
    Channel,
    ChannelTimeout,
    ChannelUnavailable,
    DailyDigest,
    DeliveryError,
    Digest,
)
from alerts.channels.registry import build_channel
from alerts.delivery_log import Outcome, PendingAlert, record_outcomes
from alerts.rules import Rule
from alerts.summary import AlertSummary
from core.errors import PantauError

log = logging.getLogger(__name__)

JAKARTA = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how soon a failed alert is tried again."""

    max_attempts: int = 5
    backoff: timedelta = timedelta(minutes=1)
    max_backoff: timedelta = timedelta(hours=1)

    def due(self, attempts: int, last_attempt_at: datetime | None, now: datetime) -> bool:
        """Whether a row with ``attempts`` failed attempts may be tried at ``now``."""
        if attempts == 0 or last_attempt_at is None:
            return True
        delay = min(self.backoff * (2 ** (attempts - 1)), self.max_backoff)
        return last_attempt_at + delay <= now


def _to_alert(row: PendingAlert, rule: Rule) -> Alert:
    return Alert(
        id=row.id,
        rule=row.rule,
        query=rule.query,
        article_id=row.article_id,
        channel=row.channel,
        source=row.source or "",
        url=row.url or "",
        title=row.title,
        published_at=row.published_at,
        snippet=row.snippet,
        matched_at=row.created_at,
        also=row.also,
    )


Store = duckdb.DuckDBPyConnection | Callable[[], duckdb.DuckDBPyConnection]


@contextmanager
def session(store: Store) -> Iterator[duckdb.DuckDBPyConnection]:
    """The given connection, or a short-lived one from the given factory (closed after)."""
    if isinstance(store, duckdb.DuckDBPyConnection):
        yield store
        return
    con = store()
    try:
        yield con
    finally:
        con.close()


@dataclass(frozen=True)
class DeliveryLimits:
    """What one run may spend on sending.

    ``time_budget``: sends stop when it is spent; the rest wait for the next run (no attempt
    counted). ``breaker_timeouts``: after this many sends of one channel got no answer in a run,
    the channel counts as down for the rest of the run. ``parallel``: sends at once in the
    whole run (each channel also has its own ``concurrency``). ``flush_seconds``: how often
    outcomes are written to the warehouse while sending (each in one short transaction).
    """

    time_budget: timedelta = timedelta(minutes=15)
    breaker_timeouts: int = 3
    parallel: int = 4
    flush_seconds: float = 2.0


@dataclass
class _Job:
    channel: str
    rule: Rule
    rows: list[PendingAlert]
    digest: bool = False
    daily: bool = False  # the channel's daily digest (rules of ``mode: daily``)


class _ChannelState:
    def __init__(self) -> None:
        self.down: str | None = None
        self.timeouts = 0
        self.in_flight = 0
        self.settled = threading.Condition()  # notified when a send of the channel ends


class Deliverer:
    def __init__(
        self,
        rules: list[Rule],
        outbox: Path,
        clock: Callable[[], datetime],
        channels: Mapping[str, Channel] | None,
        policy: RetryPolicy,
        limits: DeliveryLimits,
        summary: AlertSummary,
        held_daily: frozenset[str] = frozenset(),
    ) -> None:
        self.rules = {r.name: r for r in rules}
        self.held_daily = held_daily  # channels whose daily digest went out today already
        self.outbox = outbox
        self.clock = clock
        self.given = dict(channels or {})
        self.built: dict[str, Channel] = {}
        self.policy = policy
        self.limits = limits
        self.summary = summary
        self.states: dict[str, _ChannelState] = {}
        self.lock = threading.Lock()
        self.outcomes: queue.Queue[Outcome] = queue.Queue()
        self.deadline = clock() + limits.time_budget

    def channel(self, rule: Rule, name: str) -> Channel:
        if name in self.given:
            return self.given[name]
        if name not in self.built:
            spec = next(c for c in rule.channels if c.name == name)
            try:
                self.built[name] = build_channel(spec, self.outbox)
            except PantauError as exc:  # e.g. a secret missing from the environment
                log.error("alerts: channel '%s' is not usable: %s", name, exc)
                raise ChannelUnavailable(str(exc)) from None
        return self.built[name]

    def close(self) -> None:
        for ch in self.built.values():
            try:
                ch.close()
            except Exception:  # closing must not hide the run's outcome
                log.exception("alerts: closing channel %s failed", ch.name)

    # -- planning (main thread) -------------------------------------------------------------
    def plan(self, rows: list[PendingAlert]) -> dict[str, list[_Job]]:
        """Per channel, the sends to make, oldest first; rows not due or gone are settled."""
        waiting = 0
        digests: dict[tuple[str, str], list[PendingAlert]] = {}
        daily: dict[str, list[PendingAlert]] = {}  # per channel (recipient)
        held = 0
        single: dict[str, list[PendingAlert]] = {}  # per channel, oldest first
        now = self.clock()
        for row in rows:
            rule = self.rules[row.rule]
            if row.channel not in rule.channel_names:
                log.warning("alerts: alert %s waits for channel '%s', which rule %s no longer "
                            "lists; left pending", row.id, row.channel, row.rule)
                continue
            if not self.policy.due(row.attempts, row.last_attempt_at, now):
                waiting += 1
                continue
            if row.source is None:
                self.outcomes.put(Outcome("gone", (row.id,), now,
                                          "the article is no longer in the warehouse"))
                continue
            if rule.mode == "daily":
                if row.channel in self.held_daily:
                    held += 1
                else:
                    daily.setdefault(row.channel, []).append(row)
            elif rule.mode == "digest":
                digests.setdefault((row.rule, row.channel), []).append(row)
            else:
                single.setdefault(row.channel, []).append(row)
        if waiting:
            log.info("alerts: %d alert(s) wait for their retry backoff", waiting)
        jobs: dict[str, list[_Job]] = {}
        for name, line in single.items():
            try:
                size = max(1, self.channel(self.rules[line[0].rule], name).batch_size)
            except ChannelUnavailable as exc:
                self._down(name, str(exc))
                size = len(line)
            for i in range(0, len(line), size):
                chunk = line[i : i + size]
                jobs.setdefault(name, []).append(_Job(name, self.rules[chunk[0].rule], chunk))
        for (rule_name, name), group in digests.items():
            jobs.setdefault(name, []).append(_Job(name, self.rules[rule_name], group, True))
        for name, group in daily.items():
            jobs.setdefault(name, []).append(_Job(name, self.rules[group[0].rule], group,
                                                  daily=True))
        if held:
            log.info("alerts: %d alert(s) wait for tomorrow's daily digest (today's was sent)",
                     held)
        return jobs

    def _state(self, name: str) -> _ChannelState:
        with self.lock:
            return self.states.setdefault(name, _ChannelState())

    def _down(self, name: str, why: str) -> None:
        state = self._state(name)
        with self.lock:
            if state.down is None:
                state.down = why
                log.warning("alerts: channel %s is down, its alerts wait for a later run "
                            "(no attempt counted): %s", name, why)

    # -- sending (worker threads) ------------------------------------------------------------
    def _wait(self, job: _Job, why: str) -> None:
        self.outcomes.put(Outcome("waiting", tuple(r.id for r in job.rows), self.clock(),
                                  f"waiting: {why}"))

    def _run_lane(self, lane: list[_Job]) -> None:
        for job in lane:
            state = self._state(job.channel)
            if state.down is not None:
                self._wait(job, f"channel {job.channel} is down: {state.down}")
                continue
            if self.clock() >= self.deadline:
                self._wait(job, "the run's time budget of "
                                f"{self.limits.time_budget.total_seconds():g}s was spent; "
                                "sent on a later run")
                continue
            with state.settled:
                state.in_flight += 1
            try:
                self._send(job, state)
            finally:
                with state.settled:
                    state.in_flight -= 1
                    state.settled.notify_all()
            if state.timeouts and state.down is None:
                # A channel that stopped answering: let the sends already on their way end (and
                # count for the breaker) before this lane sends again, so parallel lanes do not
                # each wait out another timeout.
                self._settle(state)

    @staticmethod
    def _settle(state: _ChannelState) -> None:
        with state.settled:
            while state.in_flight:
                state.settled.wait()

    def _send(self, job: _Job, state: _ChannelState) -> None:
        name, rule, rows = job.channel, job.rule, job.rows
        ids = tuple(r.id for r in rows)
        alerts = [_to_alert(r, self.rules[r.rule]) for r in rows]
        try:
            channel = self.channel(rule, name)
            if job.daily:
                queries = tuple(sorted({(a.rule, a.query) for a in alerts}))
                day = self.clock().astimezone(JAKARTA).date()
                channel.send_daily(DailyDigest(name, day, tuple(alerts), queries))
            elif job.digest:
                channel.send_digest(Digest(rule.name, rule.query, name, tuple(alerts)))
            elif len(alerts) > 1:
                channel.send_many(alerts)
            else:
                channel.send(alerts[0])
        except ChannelUnavailable as exc:
            self._down(name, str(exc))
            self._wait(job, f"channel {name} is down: {exc}")
            return
        except ChannelTimeout as exc:
            with self.lock:
                state.timeouts += 1
                tripped = state.timeouts >= self.limits.breaker_timeouts
            self._wait(job, f"no answer from channel {name}: {exc}")
            if tripped:
                self._down(name, f"timed out {state.timeouts} times in this run (last: {exc})")
            return
        except DeliveryError as exc:
            log.warning("alerts: sending %s via %s failed: %s", rule.name, name, exc)
            self.outcomes.put(Outcome("failed", ids, self.clock(), str(exc)))
            return
        except Exception as exc:  # a bug in a channel must not lose the alert
            log.exception("alerts: channel %s raised an unexpected error", name)
            self.outcomes.put(Outcome("failed", ids, self.clock(),
                                      f"{type(exc).__name__}: {exc}"))
            return
        self.outcomes.put(Outcome("sent", ids, self.clock()))

    def run(self, jobs: dict[str, list[_Job]], store: Store) -> None:
        """Send every job (bounded in parallel), writing outcomes in short transactions as
        they come; no warehouse connection is open while a send is under way (with a factory
        ``store``)."""
        lanes: list[list[_Job]] = []
        for name, line in jobs.items():
            first = line[0]
            try:
                width = max(1, int(self.channel(first.rule, name).concurrency))
            except ChannelUnavailable:
                width = 1
            width = min(width, max(1, self.limits.parallel), len(line))
            lanes.extend(line[i::width] for i in range(width))
        rows_by_id = {r.id: r for line in jobs.values() for job in line for r in job.rows}
        workers = max(1, min(self.limits.parallel, len(lanes)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="alerts-send") as pool:
            futures = [pool.submit(self._run_lane, lane) for lane in lanes]
            pending = list(futures)
            while pending:
                done, _ = wait(pending, timeout=self.limits.flush_seconds,
                               return_when=FIRST_COMPLETED)
                pending = [f for f in pending if f not in done]
                self._flush(store, rows_by_id)
            for f in futures:
                f.result()  # a bug in the lane itself surfaces here
        self._flush(store, rows_by_id)

    def _flush(self, store: Store, rows_by_id: dict[str, PendingAlert]) -> None:
        batch: list[Outcome] = []
        while True:
            try:
                batch.append(self.outcomes.get_nowait())
            except queue.Empty:
                break
        if not batch:
            return
        with session(store) as con:
            failed = set(record_outcomes(con, batch, self.policy.max_attempts))
        for o in batch:
            for alert_id in o.ids:
                row = rows_by_id.get(alert_id)
                rule = row.rule if row else None
                if rule is None or rule not in self.summary.rules:
                    continue
                if o.kind == "sent":
                    self.summary.rules[rule].sent += 1
                elif alert_id in failed:
                    self.summary.rules[rule].failed += 1
                    if o.kind == "failed":
                        log.error("alerts: giving up on alert %s (rule %s, channel %s) after %d "
                                  "attempts: %s", alert_id, rule, row.channel if row else "?",
                                  (row.attempts if row else 0) + 1, o.error)
