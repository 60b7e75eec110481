"""Alerts under failure: long outages, hung channels, time budget, parallel sends, no lock held
while sending (issue 14, items 2, 3 and 4)."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from alerts.channels.base import Alert, Channel, ChannelTimeout, ChannelUnavailable, DeliveryError
from alerts.channels.webhooks import WebhookChannel
from alerts.deliver import DeliveryLimits, run_alerts
from alerts.rules import make_rule
from warehouse.db import connect_writer

pytestmark = pytest.mark.usefixtures("warehouse_backend")

NOW = datetime(2026, 11, 21, 23, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start
        self.lock = threading.Lock()

    def __call__(self) -> datetime:
        with self.lock:
            return self.now

    def advance(self, delta: timedelta) -> None:
        with self.lock:
            self.now += delta


class Scripted(Channel):
    """A channel that is down, hangs, answers 5xx or delivers, as told."""

    def __init__(self, mode: str = "ok", clock: FakeClock | None = None,
                 cost: timedelta = timedelta(0), delay: float = 0.0, concurrency: int = 1,
                 name: str = "outbox") -> None:
        self.name = name
        self.mode = mode
        self.clock = clock
        self.cost = cost
        self.delay = delay
        self.concurrency = concurrency
        self.calls = 0
        self.sent: list[Alert] = []
        self.lock = threading.Lock()
        self.active = 0
        self.most_active = 0

    def send(self, alert: Alert) -> None:
        with self.lock:
            self.calls += 1
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        try:
            if self.delay:
                time.sleep(self.delay)
            if self.clock is not None:
                self.clock.advance(self.cost)
            if self.mode == "down":
                raise ChannelUnavailable("smtp.example:25: cannot connect: connection refused")
            if self.mode == "hung":
                raise ChannelTimeout("webhook (hook): no answer within 20s")
            if self.mode == "5xx":
                raise DeliveryError("HTTP 500 from the test server")
            with self.lock:
                self.sent.append(alert)
        finally:
            with self.lock:
                self.active -= 1


@pytest.fixture
def news(add_article) -> list[str]:
    return [add_article("detakpos", f"Banjir di kampung {i}",
                        f"Banjir merendam kampung nomor {i} di Jakarta Timur sejak pagi.")
            for i in range(14)]


def statuses(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT status, attempts, count(*) FROM alerts GROUP BY ALL "
                       "ORDER BY ALL").fetchall()


def test_a_long_channel_outage_loses_no_alert(con, news, tmp_path: Path) -> None:
    rules = [make_rule("banjir", "banjir")]
    down = Scripted("down")
    for night in range(12):  # twelve nights of SMTP down, more than max_attempts (5)
        s = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW + timedelta(days=night),
                       channels={"outbox": down})
        assert s.total.failed == 0 and s.total.pending == 14
    assert down.calls == 12  # one probe per night, the others are not even tried
    assert statuses(con) == [("pending", 0, 14)]
    # alerts list shows why they wait
    errors = {e for (e,) in con.execute("SELECT last_error FROM alerts").fetchall()}
    assert len(errors) == 1 and next(iter(errors)).startswith("waiting: channel outbox is down")
    up = Scripted("ok")
    s = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW + timedelta(days=13),
                   channels={"outbox": up})
    assert s.total.sent == 14 and len(up.sent) == 14
    assert statuses(con) == [("sent", 1, 14)]


def test_backoff_is_measured_from_the_attempt_not_the_run_start(con, news, tmp_path) -> None:
    clock = FakeClock(NOW)
    slow = Scripted("5xx", clock=clock, cost=timedelta(minutes=10))
    rules = [make_rule("banjir", "banjir kampung 3")]
    run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW, channels={"outbox": slow},
               clock=clock)
    (row,) = con.execute("SELECT attempts, last_attempt_at FROM alerts").fetchall()
    assert row == (1, NOW + timedelta(minutes=10))


def test_a_hung_channel_trips_its_breaker_and_charges_no_attempt(con, news, tmp_path) -> None:
    hung = Scripted("hung")
    rules = [make_rule("banjir", "banjir")]
    limits = DeliveryLimits(breaker_timeouts=2)
    s = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW, channels={"outbox": hung},
                   limits=limits)
    assert hung.calls == 2  # then the channel is down for this run
    assert s.total.pending == 14 and s.total.failed == 0
    assert statuses(con) == [("pending", 0, 14)]
    reasons = {e for (e,) in con.execute("SELECT last_error FROM alerts").fetchall()}
    assert any("timed out 2 times" in r for r in reasons)


def test_the_run_has_a_time_budget(con, news, tmp_path) -> None:
    clock = FakeClock(NOW)
    slow = Scripted("ok", clock=clock, cost=timedelta(minutes=1))
    rules = [make_rule("banjir", "banjir")]
    s = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW, channels={"outbox": slow},
                   clock=clock, limits=DeliveryLimits(time_budget=timedelta(minutes=5)))
    assert s.total.sent == 5 and s.total.pending == 9
    waiting = con.execute("SELECT attempts, last_error FROM alerts WHERE status = 'pending'"
                          ).fetchall()
    assert all(a == 0 and "time budget" in e for a, e in waiting)
    # the next run sends the rest
    s = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW + timedelta(days=1),
                   channels={"outbox": Scripted("ok")})
    assert s.total.sent == 9


def test_sends_run_in_parallel_with_a_bound(con, news, tmp_path) -> None:
    slow = Scripted("ok", delay=0.2, concurrency=4)
    rules = [make_rule("banjir", "banjir")]
    started = time.monotonic()
    s = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW, channels={"outbox": slow},
                   limits=DeliveryLimits(parallel=4))
    took = time.monotonic() - started
    assert s.total.sent == 14 and len({a.id for a in slow.sent}) == 14
    assert slow.most_active == 4
    assert took < 14 * 0.2 * 0.6  # 14 sends of 0.2 s: about 0.8 s with 4 at a time


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/hook"
    stop.set()
    thread.join()
    for c in held:
        c.close()
    server.close()


def test_a_webhook_that_never_answers_costs_little(con, news, tmp_path, silent_server) -> None:
    hook = WebhookChannel("outbox", silent_server, timeout=1.0)
    rules = [make_rule("banjir", "banjir")]
    started = time.monotonic()
    s = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW, channels={"outbox": hook})
    # one timeout period: 4 sends at once time out together and trip the breaker (was 14 x 1 s)
    assert time.monotonic() - started < 1.9
    assert s.total.pending == 14 and statuses(con) == [("pending", 0, 14)]


def test_sending_holds_no_warehouse_lock(con, news, tmp_path) -> None:
    """While a channel sends, another process can open the warehouse (read and write): the
    file, or the lake (the child inherits ``PANTAU_WAREHOUSE``)."""
    db = tmp_path / "warehouse.duckdb"  # the con fixture's warehouse
    con.close()
    probe = ("import sys; from warehouse.db import connect_writer; "
             "c = connect_writer(sys.argv[1]); "
             "print(c.execute('SELECT count(*) FROM alerts').fetchone()[0])")
    seen: list[str] = []

    class Probing(Channel):
        name = "outbox"

        def send(self, alert: Alert) -> None:
            done = subprocess.run([sys.executable, "-c", probe, str(db)], capture_output=True,
                                  text=True, timeout=60)
            seen.append(done.stdout.strip() or done.stderr.strip().splitlines()[-1])

    rules = [make_rule("banjir", "banjir kampung 5")]
    s = run_alerts(lambda: connect_writer(db), rules, tmp_path / "o.jsonl", now=NOW,
                   channels={"outbox": Probing()})
    assert seen == ["1"] and s.total.sent == 1
