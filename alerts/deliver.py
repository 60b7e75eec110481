"""Running the alert rules over the warehouse and delivering what matched, exactly once.

:func:`run_alerts` does, in order:

1. **match**: every stored article (of the rule's outlets, sections, language, ``since``) that
   has no alert row yet for a (rule, channel) is matched against the rule. Each article is
   tokenised once per run and only evaluated against rules that could match it. Articles already
   matched against the same rules (table ``alert_scans``, keyed by the rules' fingerprint and the
   article's content hash) are skipped; changing the rules re-matches everything once, so a new
   rule alerts on the stored backlog once (``since:`` limits that).
2. **record**: each new match becomes one ``pending`` row per channel, committed before sending.
3. **deliver**: pending rows, oldest first (earlier runs' leftovers before new ones), are sent;
   a row becomes ``sent``, or stays ``pending`` with the error and one more attempt, and becomes
   ``failed`` after ``RetryPolicy.max_attempts``. A row that failed is retried after a backoff
   that doubles per attempt (``RetryPolicy``). Digest rules send one message per rule and channel.

A crash between sending and marking can only repeat the send of that one alert; the outbox
recognises the repeated id and does not write it twice, email carries a stable Message-ID and
webhooks a stable alert id, so receivers can drop the repeat.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from alerts.channels.base import Alert, Channel, ChannelUnavailable, DeliveryError, Digest
from alerts.channels.registry import build_channel
from alerts.delivery_log import (
    NewAlert,
    PendingAlert,
    existing_keys,
    insert_pending,
    mark_attempt_failed,
    mark_sent,
    pending_alerts,
    pending_counts,
)
from alerts.rules import Rule, ruleset_fingerprint
from pantau.errors import PantauError
from pantau.query.matcher import Document, RuleIndex, article_tokens
from pantau.query.snippet import ArticleText, make_snippet

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


class _Deliverer:
    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        rules: list[Rule],
        outbox: Path,
        now: datetime,
        channels: Mapping[str, Channel] | None,
        policy: RetryPolicy,
        summary: AlertSummary,
    ) -> None:
        self.con = con
        self.rules = {r.name: r for r in rules}
        self.outbox = outbox
        self.now = now
        self.given = dict(channels or {})
        self.built: dict[str, Channel] = {}
        self.policy = policy
        self.summary = summary
        self.down: dict[str, str] = {}

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

    def _failed(self, rows: list[PendingAlert], error: str) -> None:
        failed = mark_attempt_failed(self.con, [r.id for r in rows], error, self.now,
                                     self.policy.max_attempts)
        for row in rows:
            if row.id in failed:
                self.summary.rules[row.rule].failed += 1
                log.error("alerts: giving up on alert %s (rule %s, channel %s) after %d "
                          "attempts: %s", row.id, row.rule, row.channel, row.attempts + 1, error)

    def _send(self, rows: list[PendingAlert], rule: Rule, digest: bool = False) -> None:
        """Send ``rows`` (same channel): a digest, a batch, or one alert; then record it."""
        name = rows[0].channel
        if name in self.down:
            return
        gone = [r for r in rows if r.source is None]
        if gone:
            mark_attempt_failed(self.con, [r.id for r in gone], "the article is no longer in "
                                "the warehouse", self.now, 1)
            for r in gone:
                self.summary.rules[r.rule].failed += 1
            rows = [r for r in rows if r.source is not None]
            if not rows:
                return
        alerts = [_to_alert(r, self.rules[r.rule]) for r in rows]
        try:
            channel = self.channel(rule, name)
            if digest:
                channel.send_digest(Digest(rule.name, rule.query, name, tuple(alerts)))
            elif len(alerts) > 1:
                channel.send_many(alerts)
            else:
                channel.send(alerts[0])
        except ChannelUnavailable as exc:
            log.warning("alerts: channel %s unavailable, its alerts wait for the next run: %s",
                        name, exc)
            self.down[name] = str(exc)
            self._failed(rows, str(exc))
            return
        except DeliveryError as exc:
            log.warning("alerts: sending %s via %s failed: %s", rule.name, name, exc)
            self._failed(rows, str(exc))
            return
        except Exception as exc:  # a bug in a channel must not lose the alert
            log.exception("alerts: channel %s raised an unexpected error", name)
            self._failed(rows, f"{type(exc).__name__}: {exc}")
            return
        mark_sent(self.con, [r.id for r in rows], self.now)
        for r in rows:
            self.summary.rules[r.rule].sent += 1

    def deliver(self) -> None:
        rows = pending_alerts(self.con, self.rules)
        waiting = 0
        digests: dict[tuple[str, str], list[PendingAlert]] = {}
        single: dict[str, list[PendingAlert]] = {}  # per channel, oldest first
        for row in rows:
            rule = self.rules[row.rule]
            if row.channel not in rule.channel_names:
                log.warning("alerts: alert %s waits for channel '%s', which rule %s no longer "
                            "lists; left pending", row.id, row.channel, row.rule)
                continue
            if not self.policy.due(row.attempts, row.last_attempt_at, self.now):
                waiting += 1
                continue
            if rule.mode == "digest":
                digests.setdefault((row.rule, row.channel), []).append(row)
            else:
                single.setdefault(row.channel, []).append(row)
        for name, queue in single.items():
            first_rule = self.rules[queue[0].rule]
            try:
                size = max(1, self.channel(first_rule, name).batch_size)
            except ChannelUnavailable as exc:
                self.down[name] = str(exc)
                self._failed(queue[:1], str(exc))
                continue
            for i in range(0, len(queue), size):
                chunk = queue[i : i + size]
                self._send(chunk, self.rules[chunk[0].rule])
        for (rule_name, _), group in digests.items():
            self._send(group, self.rules[rule_name], digest=True)
        if waiting:
            log.info("alerts: %d alert(s) wait for their retry backoff", waiting)


def run_alerts(
    con: duckdb.DuckDBPyConnection,
    rules: list[Rule],
    outbox: Path,
    now: datetime | None = None,
    *,
    channels: Mapping[str, Channel] | None = None,
    policy: RetryPolicy | None = None,
    rescan: bool = False,
) -> AlertSummary:
    """Match ``rules`` against stored articles and deliver new and pending alerts.

    ``outbox`` is the JSONL file of the ``outbox`` channel; ``channels`` replaces channels by name
    (tests, custom channels); ``now`` (UTC if naive) stamps the rows and drives the backoff;
    ``rescan`` matches every stored article again, not only new and changed ones.
    """
    now = _utc(now)
    policy = policy or RetryPolicy()
    summary = AlertSummary(rules={r.name: RuleCounts() for r in rules})
    found = find_matches(con, rules, rescan=rescan)
    summary.articles_scanned = len(found.scanned)
    for name, n in found.matched.items():
        summary.rules[name].matched = n
    inserted = insert_pending(con, found.alerts, now, found.scanned, found.ruleset)
    deliverer = _Deliverer(con, rules, Path(outbox), now, channels, policy, summary)
    try:
        deliverer.deliver()
    finally:
        deliverer.close()
    for name, n in pending_counts(con, summary.rules).items():
        summary.rules[name].pending = n
    t = summary.total
    log.info("alerts: %d rules, %d new or changed articles read, %d new matches (%d alert "
             "rows), %d sent, %d failed, %d pending", len(rules), summary.articles_scanned,
             t.matched, inserted, t.sent, t.failed, t.pending)
    return summary
