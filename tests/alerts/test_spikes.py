"""Volume-spike rules: the method on simulated series, the rules file, and delivery once per
spike through the existing channels and delivery log."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from alerts.deliver import run_alerts
from alerts.rules import load_rules_file
from alerts.spike_method import SpikeMethod
from core.errors import ConfigError

from .conftest import AddArticle

START = date(2026, 10, 1)


def simulated(days: int, spikes: dict[int, int], seed: int = 4) -> dict[date, int]:
    """A noisy baseline of 0-4 articles a day, with ``spikes`` (day index: count) on top."""
    rng = random.Random(seed)
    return {START + timedelta(days=i): spikes.get(i, rng.randint(0, 4)) for i in range(days)}


def fired(method: SpikeMethod, counts: dict[date, int]) -> list[int]:
    return [(d - START).days for d in sorted(counts) if method.starts(counts, d, START)]


def test_a_spike_fires_once_on_its_first_day_not_while_it_lasts() -> None:
    counts = simulated(40, {20: 18, 21: 25, 22: 16, 33: 15})
    assert fired(SpikeMethod(), counts) == [20, 33]


def test_normal_noise_and_small_counts_never_fire() -> None:
    assert fired(SpikeMethod(), simulated(60, {})) == []
    # 4 articles on a quiet topic (baseline 0) is many times the baseline but under min_count
    quiet = {START + timedelta(days=i): 0 for i in range(30)} | {START + timedelta(days=25): 4}
    assert fired(SpikeMethod(), quiet) == []
    assert fired(SpikeMethod(min_count=3), quiet) == [25]


def test_ratio_is_against_the_baseline_median() -> None:
    flat = {START + timedelta(days=i): 10 for i in range(20)}
    flat[START + timedelta(days=18)] = 29  # 2.9x a baseline of 10
    assert fired(SpikeMethod(), flat) == []
    flat[START + timedelta(days=18)] = 30  # 3x
    assert fired(SpikeMethod(), flat) == [18]


def test_no_verdict_without_enough_history() -> None:
    counts = {START: 40, START + timedelta(days=1): 1}
    assert fired(SpikeMethod(), counts) == []  # day 0 has no baseline at all


def test_rules_file_spike_rules(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - name: banjir_spike\n    spike: ~banjir\n    baseline_days: 7\n"
                    "    ratio: 2.5\n", encoding="utf-8")
    rule = load_rules_file(path).rules[0]
    assert rule.spike == SpikeMethod(baseline_days=7, ratio=2.5, min_count=5)
    assert rule.query == "~banjir"
    path.write_text("rules:\n  - name: x\n    query: banjir\n    ratio: 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"rules.yaml:4: rule 'x': 'ratio' belongs to spike"):
        load_rules_file(path)
    path.write_text("rules:\n  - name: x\n    spike: banjir\n    min_count: 0\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="min_count must be a whole number of at least 1"):
        load_rules_file(path)


def test_spike_is_delivered_once_through_the_outbox(con: duckdb.DuckDBPyConnection,
                                                    add_article: AddArticle,
                                                    tmp_path: Path) -> None:
    # 20 quiet days (1 flood article a day), then 12 on 20 November and 14 on the 21st
    for i in range(20):
        day = datetime(2026, 10, 31, 3, tzinfo=UTC) + timedelta(days=i)
        add_article("detakpos", f"Banjir kecil {i}", "Banjir di Bekasi.", published_at=day)
    for day, n in ((20, 12), (21, 14)):
        for j in range(n):
            add_article("iphedia", f"Banjir besar {day} {j}", "Banjir merendam Jakarta.",
                        published_at=datetime(2026, 11, day, 1 + j % 12, j, tzinfo=UTC))
    add_article("iphedia", "Gempa", "Gempa di Ambon.",
                published_at=datetime(2026, 11, 20, 5, tzinfo=UTC))
    rules_path = tmp_path / "rules.yaml"
    rules_path.write_text("rules:\n  - name: banjir_spike\n    spike: banjir\n"
                          "  - name: gempa\n    query: gempa\n", encoding="utf-8")
    rules = load_rules_file(rules_path).rules
    outbox = tmp_path / "outbox.jsonl"
    night = datetime(2026, 11, 21, 19, 0, tzinfo=UTC)  # 22 Nov 02:00 WIB
    first = run_alerts(con, rules, outbox, now=night)
    assert first.rules["banjir_spike"].matched == 1  # one spike, not 26 articles
    assert first.rules["banjir_spike"].sent == 1 and first.rules["gempa"].sent == 1
    sent = [json.loads(line) for line in outbox.read_text("utf-8").splitlines()]
    spike = [s for s in sent if s["rule"] == "banjir_spike"]
    assert len(spike) == 1
    assert "12 articles on 2026-11-20" in spike[0]["snippet"]
    assert spike[0]["title"] == "Banjir besar 20 0"  # the spike's first article
    # the next nights: the spike goes on (21st), then it is judged again: nothing new
    for later in (night, night + timedelta(days=1)):
        again = run_alerts(con, rules, outbox, now=later)
        assert again.rules["banjir_spike"].matched == 0
    rows = con.execute("SELECT count(*), min(status) FROM alerts WHERE rule = 'banjir_spike'"
                       ).fetchone()
    assert rows == (1, "sent")
    assert len(outbox.read_text("utf-8").splitlines()) == len(sent)
