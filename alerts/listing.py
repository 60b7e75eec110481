"""Recent alerts with their status: what ``pantau alerts list`` prints."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import duckdb

STATUSES = ("pending", "sent", "failed")


@dataclass(frozen=True)
class AlertRow:
    """One row of the delivery log, with its article's source, title and URL."""

    id: str
    rule: str
    channel: str
    status: str
    attempts: int
    created_at: datetime
    last_attempt_at: datetime | None
    sent_at: datetime | None
    last_error: str | None
    article_id: str
    source: str | None
    title: str | None
    url: str | None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("created_at", "last_attempt_at", "sent_at"):
            if out[key] is not None:
                out[key] = out[key].isoformat()
        return out


def recent_alerts(
    con: duckdb.DuckDBPyConnection,
    limit: int = 50,
    *,
    rule: str | None = None,
    status: str | None = None,
) -> list[AlertRow]:
    """The ``limit`` most recently created or attempted alerts, newest first.

    ``rule`` and ``status`` (pending, sent, failed) narrow the list.
    """
    if status is not None and status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    where: list[str] = []
    params: list[Any] = []
    if rule is not None:
        where.append("a.rule = ?")
        params.append(rule)
    if status is not None:
        where.append("a.status = ?")
        params.append(status)
    sql = (
        "SELECT a.id, a.rule, a.channel, a.status, a.attempts, a.created_at, a.last_attempt_at, "
        "a.sent_at, a.last_error, a.article_id, r.source, r.title, r.url "
        "FROM alerts a LEFT JOIN articles r ON r.id = a.article_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY greatest(a.created_at, coalesce(a.last_attempt_at, a.created_at)) DESC, "
        "a.rule, a.article_id, a.channel LIMIT ?"
    )
    params.append(int(limit))
    return [AlertRow(*row) for row in con.execute(sql, params).fetchall()]
