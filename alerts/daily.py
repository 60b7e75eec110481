"""Daily digests (rules with ``mode: daily``): one message per recipient (channel) per day.

The day's digest of a channel gathers the pending alerts of every daily rule that lists the
channel, grouped per rule and story (:mod:`alerts.channels.daily_render`). It is sent on the
first run of a day (Asia/Jakarta) that has any; alerts matched later that day wait, pending,
for the next day's digest. "Sent today" is read from the delivery log itself (an alert of a daily
rule on that channel with ``sent_at`` today), so nothing else records it and a rerun of the
night sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import duckdb

from alerts.rules import Rule

JAKARTA = ZoneInfo("Asia/Jakarta")


def sent_today(con: duckdb.DuckDBPyConnection, rules: list[Rule], now: datetime) -> frozenset[str]:
    """Channels whose daily digest already went out on ``now``'s day (Jakarta)."""
    daily = sorted(r.name for r in rules if r.mode == "daily")
    if not daily:
        return frozenset()
    rows = con.execute(
        "SELECT DISTINCT channel FROM alerts WHERE list_contains(?, rule) AND status = 'sent' "
        "AND timezone('Asia/Jakarta', sent_at)::DATE = ?",
        [daily, now.astimezone(JAKARTA).date()]).fetchall()
    return frozenset(r[0] for r in rows)
