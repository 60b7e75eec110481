"""Operator alerts: outlet health flags raise one alert when they appear, through the channels."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from core.settings import Settings
from pantau.steps import health_step
from tests.warehouse.test_health import add_run
from warehouse.db import connect_writer


def _settings(tmp_path: Path) -> Settings:
    return Settings(db=tmp_path / "w.duckdb", sources=tmp_path / "sources.yaml",
                    staging=tmp_path / "staging", rules=tmp_path / "rules.yaml",
                    outbox=tmp_path / "outbox.jsonl")


def _outbox(settings: Settings) -> list[dict]:  # type: ignore[type-arg]
    if not settings.outbox.exists():
        return []
    return [json.loads(line) for line in settings.outbox.read_text("utf-8").splitlines()]


def _nights(settings: Settings, *nights: tuple[int, dict[str, dict]]) -> None:  # type: ignore[type-arg]
    con = connect_writer(settings.db)
    for day, outlets in nights:
        for source, kwargs in outlets.items():
            add_run(con, f"n{day}", day, source, **kwargs)
    con.close()


def test_a_flag_alerts_once_when_it_appears(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    healthy = {"loaded": 5, "new": 5}
    _nights(settings, (18, {"sehat": healthy, "rusak": healthy}),
            (19, {"sehat": healthy, "rusak": {**healthy, "short": 4}}),
            (20, {"sehat": healthy, "rusak": {**healthy, "short": 4}}),
            (21, {"sehat": healthy, "rusak": healthy}),
            (22, {"sehat": healthy, "rusak": {**healthy, "undated": 5}}))

    assert health_step(settings, "n18") and _outbox(settings) == []
    rows = health_step(settings, "n19")
    assert [r.source for r in rows if r.flags] == ["rusak"]
    [alert] = _outbox(settings)
    assert alert["rule"] == "pantau_operator" and alert["source"] == "rusak"
    assert "extraction health 20%" in alert["title"] and "run n19" in alert["snippet"]

    health_step(settings, "n20")  # still broken: no second alert
    health_step(settings, "n21")  # recovered
    assert len(_outbox(settings)) == 1
    health_step(settings, "n22")  # broken again: a new alert
    assert [a["source"] for a in _outbox(settings)] == ["rusak", "rusak"]
    assert len({a["alert_id"] for a in _outbox(settings)}) == 2


def test_health_alerts_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(tmp_path)
    _nights(settings, (20, {"mati": {"new": 0, "error": "connection refused"}}))
    monkeypatch.setenv("PANTAU_HEALTH_ALERTS", "0")
    assert health_step(settings, "n20")[0].flags == ["crawl failed"]
    assert _outbox(settings) == []
    monkeypatch.delenv("PANTAU_HEALTH_ALERTS")
    health_step(settings, "n20", notify=False)
    assert _outbox(settings) == []


def test_an_unknown_channel_is_logged_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    settings = _settings(tmp_path)
    _nights(settings, (20, {"mati": {"new": 0, "error": "connection refused"}}))
    monkeypatch.setenv("PANTAU_OPERATOR_CHANNELS", "outbox, pager")
    with caplog.at_level(logging.ERROR):
        health_step(settings, "n20")
    assert "names channel 'pager'" in caplog.text
    assert [a["source"] for a in _outbox(settings)] == ["mati"]  # the outbox still got it
