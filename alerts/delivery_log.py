"""The delivery log: the warehouse's ``alerts`` table (one row per rule, article and channel).

A row is written ``pending`` (and committed) before anything is sent, becomes ``sent`` after a
successful send, or stays ``pending`` with ``last_error`` and ``attempts`` counted until it is
``failed`` after too many attempts. Only answers about the message count as attempts: a row
whose channel is down, did not answer, or was not reached before the run's time budget ended
stays ``pending`` with ``last_error`` starting ``waiting:`` and its attempts unchanged.
The UNIQUE (rule, article_id, channel) constraint makes
"one alert per rule, article and channel, ever" a database fact.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

import duckdb

from warehouse.db import transaction

# Lists go to DuckDB as one JSON string: binding Python lists or using executemany is orders of
# magnitude slower for thousands of values.
_IDS = "(SELECT unnest(from_json(?::JSON, '[\"VARCHAR\"]')))"
_NEW_ROWS = (
    "SELECT unnest(from_json(?::JSON, '[{\"id\": \"VARCHAR\", \"rule\": \"VARCHAR\", "
    "\"article_id\": \"VARCHAR\", \"channel\": \"VARCHAR\", \"snippet\": \"VARCHAR\"}]'), "
    "recursive := true)"
)


def _json_list(values: Iterable[str]) -> str:
    return json.dumps(sorted(set(values)))


def alert_id(rule: str, article_id: str, channel: str) -> str:
    """The stable id of an alert: a hash of (rule, article_id, channel)."""
    key = f"{rule}\x1f{article_id}\x1f{channel}".encode()
    return hashlib.sha256(key).hexdigest()[:32]


@dataclass(frozen=True)
class NewAlert:
    rule: str
    article_id: str
    channel: str
    snippet: str

    @property
    def id(self) -> str:
        return alert_id(self.rule, self.article_id, self.channel)


@dataclass(frozen=True)
class PendingAlert:
    """A pending row joined with its article (``source`` is None if the article is gone)."""

    id: str
    rule: str
    article_id: str
    channel: str
    attempts: int
    created_at: datetime
    last_attempt_at: datetime | None
    snippet: str
    source: str | None
    url: str | None
    title: str | None
    published_at: str | None
    story: str | None = None
    also: tuple[tuple[str, str], ...] = ()  # (source, url) of the story's other copies


def existing_keys(
    con: duckdb.DuckDBPyConnection, rules: Iterable[str]
) -> set[tuple[str, str, str]]:
    """``(rule, article_id, channel)`` of every alert row of these rules, whatever its status,
    and ``(rule, story, channel)`` for the story (near-duplicate cluster) of its article."""
    names = _json_list(rules)
    rows = con.execute(
        "SELECT a.rule, a.article_id, coalesce(r.cluster_id, a.article_id), a.channel "
        f"FROM alerts a LEFT JOIN articles r ON r.id = a.article_id WHERE a.rule IN {_IDS}",
        [names],
    ).fetchall()
    return {(r, a, c) for r, a, _, c in rows} | {(r, s, c) for r, _, s, c in rows}


def insert_pending(
    con: duckdb.DuckDBPyConnection,
    alerts: list[NewAlert],
    now: datetime,
    scanned: list[tuple[str, str]] | None = None,
    ruleset: str = "",
) -> int:
    """Record new alerts as pending, in one committed transaction; returns rows inserted.

    ``scanned`` (article id, content hash) are recorded in ``alert_scans`` as matched against
    ``ruleset`` in the same transaction, so a crash never leaves a match unrecorded.
    """
    if not alerts and not scanned:
        return 0
    payload = json.dumps([
        {"id": a.id, "rule": a.rule, "article_id": a.article_id, "channel": a.channel,
         "snippet": a.snippet} for a in alerts
    ], ensure_ascii=False)
    before = _count(con)
    with transaction(con):
        if alerts:
            con.execute(
                "INSERT INTO alerts (id, rule, article_id, channel, status, attempts, "
                "created_at, snippet) SELECT DISTINCT ON (id) id, rule, article_id, channel, "
                f"'pending', 0, ?, snippet FROM ({_NEW_ROWS}) n "
                "WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE a.id = n.id)",
                [now, payload],
            )
        if scanned:
            # an article scanned again is replaced, not updated in place: an UPDATE makes the
            # checkpoint rewrite its columns in every row group it touches (the history)
            con.execute(
                "CREATE OR REPLACE TEMP TABLE scanned_now AS SELECT DISTINCT ON (s[1]) "
                "s[1] AS article_id, s[2] AS content_hash, ?::VARCHAR AS ruleset, "
                "?::TIMESTAMPTZ AS scanned_at "
                "FROM (SELECT unnest(from_json(?::JSON, '[[\"VARCHAR\"]]')) AS s)",
                [ruleset, now, json.dumps(scanned)],
            )
            con.execute("DELETE FROM alert_scans "
                        "WHERE article_id IN (SELECT article_id FROM scanned_now)")
            con.execute("INSERT INTO alert_scans (article_id, content_hash, ruleset, scanned_at) "
                        "SELECT article_id, content_hash, ruleset, scanned_at FROM scanned_now")
            con.execute("DROP TABLE scanned_now")
    return _count(con) - before


def _count(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(*) FROM alerts").fetchone()
    return int(row[0]) if row else 0


def pending_alerts(con: duckdb.DuckDBPyConnection, rules: Iterable[str]) -> list[PendingAlert]:
    """Pending rows of these rules, oldest first (earlier runs' leftovers come first)."""
    names = _json_list(rules)
    rows = con.execute(
        f"""
        SELECT a.id, a.rule, a.article_id, a.channel, a.attempts, a.created_at,
               a.last_attempt_at, coalesce(a.snippet, ''), r.source, r.url, r.title,
               r.published_at_local, r.cluster_id
        FROM alerts a LEFT JOIN articles r ON r.id = a.article_id
        WHERE a.status = 'pending' AND a.rule IN {_IDS}
        ORDER BY a.created_at, a.rule, a.article_id, a.channel
        """,
        [names],
    ).fetchall()
    pending = [PendingAlert(*row) for row in rows]
    stories = {p.story for p in pending if p.story}
    if not stories:
        return pending
    copies: dict[str, list[tuple[str, str, str]]] = {}
    for story, article_id, source, url in con.execute(
        f"SELECT cluster_id, id, source, url FROM articles WHERE cluster_id IN {_IDS} "
        "ORDER BY coalesce(published_at, first_seen_at), id",
        [_json_list(stories)],
    ).fetchall():
        copies.setdefault(story, []).append((article_id, source, url))
    return [
        replace(p, also=tuple((s, u) for a, s, u in copies.get(p.story or "", ())
                              if a != p.article_id))
        for p in pending
    ]


def _set_sent(con: duckdb.DuckDBPyConnection, ids: list[str], at: datetime) -> None:
    con.execute(
        "UPDATE alerts SET status = 'sent', sent_at = ?, last_attempt_at = ?, "
        f"attempts = attempts + 1, last_error = NULL WHERE id IN {_IDS} "
        "AND status = 'pending'",
        [at, at, _json_list(ids)],
    )


def _set_attempt_failed(
    con: duckdb.DuckDBPyConnection, ids: list[str], error: str, at: datetime, max_attempts: int
) -> list[str]:
    con.execute(
        "UPDATE alerts SET attempts = attempts + 1, last_attempt_at = ?, last_error = ?, "
        "status = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE 'pending' END "
        f"WHERE id IN {_IDS} AND status = 'pending'",
        [at, error[:2000], max_attempts, _json_list(ids)],
    )
    rows = con.execute(
        f"SELECT id FROM alerts WHERE status = 'failed' AND id IN {_IDS}", [_json_list(ids)]
    ).fetchall()
    return [r[0] for r in rows]


def _set_waiting(con: duckdb.DuckDBPyConnection, ids: list[str], reason: str) -> None:
    con.execute(
        f"UPDATE alerts SET last_error = ? WHERE id IN {_IDS} AND status = 'pending'",
        [reason[:2000], _json_list(ids)],
    )


def mark_sent(con: duckdb.DuckDBPyConnection, ids: list[str], now: datetime) -> None:
    """Sent: ``sent_at`` and ``last_attempt_at`` = now, one more attempt, error cleared."""
    if not ids:
        return
    with transaction(con):
        _set_sent(con, ids, now)


def mark_attempt_failed(
    con: duckdb.DuckDBPyConnection, ids: list[str], error: str, now: datetime, max_attempts: int
) -> list[str]:
    """Count a failed attempt; rows reaching ``max_attempts`` become ``failed``.

    Returns the ids that are now ``failed``.
    """
    if not ids:
        return []
    with transaction(con):
        return _set_attempt_failed(con, ids, error, now, max_attempts)


def mark_waiting(con: duckdb.DuckDBPyConnection, ids: list[str], reason: str) -> None:
    """Pending rows that were not tried (channel down, time budget spent): ``last_error``
    says why they wait; attempts and ``last_attempt_at`` are left alone."""
    if not ids:
        return
    with transaction(con):
        _set_waiting(con, ids, reason)


@dataclass(frozen=True)
class Outcome:
    """What happened to some pending rows in a run.

    ``kind``: ``sent``; ``failed`` (an attempt counted: the channel answered about this
    message); ``gone`` (the article left the warehouse: failed at once); ``waiting`` (not
    tried or no answer: no attempt counted, ``error`` says why).
    """

    kind: str
    ids: tuple[str, ...]
    at: datetime
    error: str | None = None


def record_outcomes(
    con: duckdb.DuckDBPyConnection, outcomes: Iterable[Outcome], max_attempts: int
) -> list[str]:
    """Record outcomes in one short transaction; returns the ids that are now ``failed``."""
    failed: list[str] = []
    with transaction(con):
        for o in outcomes:
            ids = list(o.ids)
            if not ids:
                continue
            if o.kind == "sent":
                _set_sent(con, ids, o.at)
            elif o.kind == "failed":
                failed += _set_attempt_failed(con, ids, o.error or "failed", o.at, max_attempts)
            elif o.kind == "gone":
                failed += _set_attempt_failed(con, ids, o.error or "gone", o.at, 1)
            elif o.kind == "waiting":
                _set_waiting(con, ids, o.error or "waiting")
            else:
                raise ValueError(f"unknown outcome kind {o.kind!r}")
    return failed


def pending_counts(con: duckdb.DuckDBPyConnection, rules: Iterable[str]) -> dict[str, int]:
    """Number of pending rows per rule."""
    names = _json_list(rules)
    rows = con.execute(
        f"SELECT rule, count(*) FROM alerts WHERE status = 'pending' AND rule IN {_IDS} "
        "GROUP BY rule",
        [names],
    ).fetchall()
    return {r: int(n) for r, n in rows}
