"""Volume-spike alerts: the new alerts of ``spike: QUERY`` rules (:mod:`alerts.spike_method`).

A spike's alert row is keyed by the rule, the first article (earliest published) matching on
the spike's first day, and the channel, in the same delivery log as every alert: a rerun of the
same night finds the row and adds nothing, and later days of the same spike do not start one,
so each spike is delivered once per channel through the existing channels.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import duckdb

from alerts.delivery_log import NewAlert, existing_keys
from alerts.rules import Rule
from query import compile_sql
from warehouse.filters import article_filters

log = logging.getLogger(__name__)

JAKARTA = ZoneInfo("Asia/Jakarta")
LOOKBACK_DAYS = 3  # complete days judged per run (a missed night is caught up)

COUNTS_SQL = """
WITH m AS ({ids})
SELECT timezone('Asia/Jakarta', a.published_at)::DATE AS day, count(*) AS n,
       arg_min(a.id, a.published_at) AS first_id, arg_min(a.title, a.published_at) AS title
FROM articles a WHERE a.id IN (SELECT id FROM m) AND a.published_at >= ?
GROUP BY ALL
"""


def _matching(con: duckdb.DuckDBPyConnection, rule: Rule,
              since: datetime) -> tuple[str, list[object]]:
    where, params = article_filters(list(rule.outlets) or None, since, None,
                                    list(rule.sections) or None, rule.language)
    from warehouse.fts import has_index

    try:
        indexed = has_index(con)
    except duckdb.Error:
        indexed = False
    predicate = compile_sql(rule.node, "a", indexed=indexed)
    predicate.prepare(con)
    return predicate.ids_query(where, params)


def daily_series(con: duckdb.DuckDBPyConnection, rule: Rule, start: date
                 ) -> dict[date, tuple[int, str, str | None]]:
    """Per Jakarta day from ``start``: (matching articles, the first one's id, its title)."""
    since = datetime.combine(start, datetime.min.time(), tzinfo=JAKARTA)
    ids, params = _matching(con, rule, since)
    rows = con.execute(COUNTS_SQL.format(ids=ids), [*params, since]).fetchall()
    return {r[0]: (int(r[1]), r[2], r[3]) for r in rows}


def first_day(con: duckdb.DuckDBPyConnection) -> date | None:
    """The Jakarta day of the warehouse's first published article."""
    row = con.execute("SELECT min(timezone('Asia/Jakarta', published_at))::DATE "
                      "FROM articles").fetchone()
    return row[0] if row and row[0] else None


def spike_alerts(con: duckdb.DuckDBPyConnection, rules: list[Rule], now: datetime,
                 lookback_days: int = LOOKBACK_DAYS) -> tuple[list[NewAlert], dict[str, int]]:
    """New alert rows for the spikes that started on the last ``lookback_days`` complete days
    (Jakarta) before ``now``; and per rule, how many spikes are new."""
    spike_rules = [r for r in rules if r.spike is not None]
    found: dict[str, int] = {r.name: 0 for r in spike_rules}
    first = first_day(con)
    if not spike_rules or first is None:
        return [], found
    today = now.astimezone(JAKARTA).date()
    judged = [today - timedelta(days=i) for i in range(lookback_days, 0, -1)]
    done = existing_keys(con, [r.name for r in spike_rules])
    new: list[NewAlert] = []
    for rule in spike_rules:
        method = rule.spike
        assert method is not None
        start = judged[0] - timedelta(days=method.baseline_days + 1)
        series = daily_series(con, rule, start)
        counts = {day: n for day, (n, _, _) in series.items()}
        for day in judged:
            if not method.starts(counts, day, first):
                continue
            _, article_id, title = series[day]
            channels = [c for c in rule.channel_names if (rule.name, article_id, c) not in done]
            if not channels:
                continue
            text = (f"Volume spike for {rule.query}: {method.describe(counts, day, first)}. "
                    f"First: {title or article_id}")
            log.info("alerts: rule %s: spike on %s (%s)", rule.name, day, text)
            found[rule.name] += 1
            new.extend(NewAlert(rule.name, article_id, c, text) for c in channels)
            done.update((rule.name, article_id, c) for c in channels)
    return new, found
