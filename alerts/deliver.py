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
   Digest rules send one message per rule and channel.

A crash between sending and marking can only repeat the send of that one alert; the outbox
recognises the repeated id and does not write it twice, email carries a stable Message-ID and
webhooks a stable alert id, so receivers can drop the repeat.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from alerts.channels.base import (
    Alert,
    Channel,
    ChannelTimeout,
    ChannelUnavailable,
    DeliveryError,
    Digest,
)
from alerts.channels.registry import build_channel
from alerts.delivery_log import (
    NewAlert,
    Outcome,
    PendingAlert,
    existing_keys,
    insert_pending,
    pending_alerts,
    pending_counts,
    record_outcomes,
)
from alerts.rules import Rule, ruleset_fingerprint
from core.errors import PantauError
from query.matcher import Document, RuleIndex, article_tokens
from query.snippet import ArticleText, make_snippet

log = logging.getLogger(__name__)

BATCH = 500


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


@dataclass
class RuleCounts:
    """Per rule: new matches this run, and alert rows sent / failed this run / still pending."""

    matched: int = 0
    sent: int = 0
    failed: int = 0
    pending: int = 0


@dataclass
class AlertSummary:
    """What :func:`run_alerts` did; ``rules`` maps rule name to its counts."""

    rules: dict[str, RuleCounts] = field(default_factory=dict)
    articles_scanned: int = 0

    @property
    def total(self) -> RuleCounts:
        out = RuleCounts()
        for c in self.rules.values():
            out.matched += c.matched
            out.sent += c.sent
            out.failed += c.failed
            out.pending += c.pending
        return out

    def lines(self) -> list[str]:
        """A small table for the CLI: one line per rule and a total."""
        width = max([len("rule")] + [len(r) for r in self.rules])
        head = f"{'rule':<{width}}  matched  sent  failed  pending"
        rows = [head]
        for name, c in self.rules.items():
            rows.append(f"{name:<{width}}  {c.matched:>7}  {c.sent:>4}  {c.failed:>6}  "
                        f"{c.pending:>7}")
        t = self.total
        rows.append(f"{'total':<{width}}  {t.matched:>7}  {t.sent:>4}  {t.failed:>6}  "
                    f"{t.pending:>7}")
        return rows

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _utc(value: datetime | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _article_filter(rules: list[Rule]) -> tuple[str, list[object]]:
    """SQL restricting the article scan to what at least one rule can use."""
    if all(r.outlets for r in rules):
        outlets = json.dumps(sorted({o for r in rules for o in r.outlets}))
        return " AND a.source IN (SELECT unnest(from_json(?::JSON, '[\"VARCHAR\"]')))", [outlets]
    return "", []


@dataclass
class Matches:
    """What :func:`find_matches` found."""

    alerts: list[NewAlert]
    matched: dict[str, int]  # rule -> newly matched articles
    scanned: list[tuple[str, str]]  # (article id, content hash) matched against ``ruleset``
    ruleset: str


def find_matches(
    con: duckdb.DuckDBPyConnection, rules: list[Rule], rescan: bool = False
) -> Matches:
    """New (rule, article, channel) alerts: matches without an alert row yet.

    Only articles not yet matched against these very rules (or changed since) are read, unless
    ``rescan``.
    """
    ruleset = ruleset_fingerprint(rules)
    if not rules:
        return Matches([], {}, [], ruleset)
    index: RuleIndex[int] = RuleIndex()
    for i, rule in enumerate(rules):
        index.add(i, rule.node)
    done = existing_keys(con, [r.name for r in rules])
    where, params = _article_filter(rules)
    todo = "TRUE" if rescan else (
        "(s.article_id IS NULL OR s.content_hash <> a.content_hash OR s.ruleset <> ?)")
    cursor = con.execute(
        "SELECT a.id, a.source, a.title, a.text, lower(a.section), a.language, "
        "coalesce(a.published_at, a.first_seen_at), a.content_hash, "
        "coalesce(a.cluster_id, a.id) "
        "FROM articles a LEFT JOIN alert_scans s ON s.article_id = a.id "
        # earliest first: of a story's copies, the first one matched carries the alert
        f"WHERE {todo}{where} ORDER BY coalesce(a.published_at, a.first_seen_at), a.id",
        ([] if rescan else [ruleset]) + params,
    )
    new: list[NewAlert] = []
    matched: dict[str, int] = {r.name: 0 for r in rules}
    scanned: list[tuple[str, str]] = []
    while True:
        batch = cursor.fetchmany(BATCH)
        if not batch:
            break
        docs = [article_tokens(row[2], row[3]) for row in batch]
        index.prepare(docs)  # one stemmer query for the whole batch
        for row, tokens in zip(batch, docs, strict=True):
            article_id, source, title, text, section, language, when, content_hash, story = row
            scanned.append((article_id, content_hash))
            doc = Document(tokens)
            article: ArticleText | None = None
            for i in index.match(doc):
                rule = rules[i]
                if rule.outlets and source not in rule.outlets:
                    continue
                if rule.sections and section not in rule.sections:
                    continue
                if rule.language and language != rule.language:
                    continue
                if rule.since and (when is None or when < rule.since):
                    continue
                # One alert per story: a copy of an already alerted story does not alert again.
                channels = [c for c in rule.channel_names
                            if (rule.name, article_id, c) not in done
                            and (rule.name, story, c) not in done]
                if not channels:
                    continue
                article = article or ArticleText.of(title, text)
                snippet = make_snippet(rule.node, title, text, article=article)
                matched[rule.name] += 1
                new.extend(NewAlert(rule.name, article_id, c, snippet) for c in channels)
                done.update((rule.name, story, c) for c in channels)
    return Matches(new, matched, scanned, ruleset)


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
def _session(store: Store) -> Iterator[duckdb.DuckDBPyConnection]:
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


class _ChannelState:
    def __init__(self) -> None:
        self.down: str | None = None
        self.timeouts = 0
        self.in_flight = 0
        self.settled = threading.Condition()  # notified when a send of the channel ends


class _Deliverer:
    def __init__(
        self,
        rules: list[Rule],
        outbox: Path,
        clock: Callable[[], datetime],
        channels: Mapping[str, Channel] | None,
        policy: RetryPolicy,
        limits: DeliveryLimits,
        summary: AlertSummary,
    ) -> None:
        self.rules = {r.name: r for r in rules}
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
            if rule.mode == "digest":
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
            if job.digest:
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
        with _session(store) as con:
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
    with _session(con) as c:  # the intent, in one short transaction
        found = find_matches(c, rules, rescan=rescan)
        summary.articles_scanned = len(found.scanned)
        for name, n in found.matched.items():
            summary.rules[name].matched = n
        inserted = insert_pending(c, found.alerts, now, found.scanned, found.ruleset)
        rows = pending_alerts(c, summary.rules)
    deliverer = _Deliverer(rules, Path(outbox), clock, channels, policy, limits, summary)
    try:
        deliverer.run(deliverer.plan(rows), con)
    finally:
        deliverer.close()
    with _session(con) as c:
        for name, n in pending_counts(c, summary.rules).items():
            summary.rules[name].pending = n
    t = summary.total
    log.info("alerts: %d rules, %d new or changed articles read, %d new matches (%d alert "
             "rows), %d sent, %d failed, %d pending", len(rules), summary.articles_scanned,
             t.matched, inserted, t.sent, t.failed, t.pending)
    return summary
