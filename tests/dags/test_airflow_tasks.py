"""pantau.airflow_tasks without Airflow running: the logical date reaches the crawl, the
operator alert names what failed and goes through the configured channels."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from pantau import airflow_tasks
from pantau.airflow_tasks import (
    TIME_TRAVEL_ENV,
    OutletCrawlFailed,
    crawl_outlet,
    notify_task_failure,
)


@pytest.mark.parametrize(("switch", "sent"), [("1", "2026-11-20T19:00:00+00:00"),
                                              (None, None), ("0", None)])
def test_crawl_gets_the_logical_date_only_with_time_travel(
    monkeypatch: pytest.MonkeyPatch, switch: str | None, sent: str | None
) -> None:
    seen: dict[str, Any] = {}

    def fake_crawl_step(settings: Any, run_id: str, names: list[str]) -> list[dict[str, Any]]:
        moment = settings.as_of.isoformat() if settings.as_of is not None else None
        seen.update(run_id=run_id, names=names, as_of=moment)
        return [{"source": names[0], "requests": 3, "pages": 2, "errors": 0, "bytes": 10}]

    monkeypatch.setattr("pantau.steps.crawl_step", fake_crawl_step)
    monkeypatch.delenv("PANTAU_AS_OF", raising=False)
    if switch is None:
        monkeypatch.delenv(TIME_TRAVEL_ENV, raising=False)
    else:
        monkeypatch.setenv(TIME_TRAVEL_ENV, switch)
    day = datetime(2026, 11, 21, 2, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    got = crawl_outlet("iphedia", "scheduled__x", as_of=day)
    assert seen == {"run_id": "scheduled__x", "names": ["iphedia"], "as_of": sent}
    assert got["pages"] == 2 and got["as_of"] == sent
    assert "PANTAU_AS_OF" not in os.environ  # a parameter, never the environment


@pytest.mark.parametrize("name", ["crawler2", ""])
def test_crawl_reports_the_worker_that_ran_it(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    import socket

    monkeypatch.setattr("pantau.steps.crawl_step", lambda s, r, n: [
        {"source": n[0], "requests": 1, "pages": 1, "errors": 0, "bytes": 1}])
    monkeypatch.setenv("PANTAU_WORKER_NAME", name)
    got = crawl_outlet("iphedia", "run")
    assert got["worker"] == (name or socket.gethostname())


def test_failed_outlet_fails_the_task(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pantau.steps.crawl_step", lambda s, r, n: [
        {"source": n[0], "crawl_error": "connection refused"}])
    with pytest.raises(OutletCrawlFailed, match="mati: connection refused"):
        crawl_outlet("mati", "run")


def _context(tmp: Path, exc: Exception) -> dict[str, Any]:
    ti = SimpleNamespace(dag_id="pantau_nightly", task_id="crawl", run_id="scheduled__2026",
                         map_index=2, rendered_map_index="mati", try_number=3,
                         log_url="http://af:8080/dags/pantau_nightly/runs/r/tasks/crawl/mapped/2")
    return {"ti": ti, "exception": exc}


def test_operator_alert_goes_to_the_outbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outbox = tmp_path / "outbox.jsonl"
    monkeypatch.setenv("PANTAU_OUTBOX", str(outbox))
    monkeypatch.setenv("PANTAU_DB", str(tmp_path / "w.duckdb"))
    monkeypatch.delenv("PANTAU_OPERATOR_CHANNELS", raising=False)
    notify_task_failure(_context(tmp_path, OutletCrawlFailed("mati: connection refused")))
    notify_task_failure(_context(tmp_path, OutletCrawlFailed("mati: connection refused")))
    [line] = outbox.read_text("utf-8").splitlines()  # the same failure is told once
    alert = json.loads(line)
    assert alert["rule"] == "pantau_operator" and alert["source"] == "mati"
    assert alert["title"] == ("pantau: task pantau_nightly.crawl[mati] failed "
                              "(run scheduled__2026)")
    assert alert["url"].endswith("/tasks/crawl/mapped/2")
    assert "connection refused" in alert["snippet"]


def test_operator_alert_to_a_named_channel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = tmp_path / "rules.yaml"
    ops = tmp_path / "ops.jsonl"
    rules.write_text(f"channels:\n  ops:\n    type: outbox\n    path: {ops}\n"
                     "rules:\n  - name: r\n    query: banjir\n", "utf-8")
    monkeypatch.setenv("PANTAU_RULES", str(rules))
    monkeypatch.setenv("PANTAU_OUTBOX", str(tmp_path / "default.jsonl"))
    monkeypatch.setenv("PANTAU_OPERATOR_CHANNELS", "ops")
    notify_task_failure(_context(tmp_path, RuntimeError("boom")))
    assert json.loads(ops.read_text("utf-8"))["source"] == "mati"
    assert not (tmp_path / "default.jsonl").exists()


def test_a_broken_channel_never_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("PANTAU_OUTBOX", str(blocker / "outbox.jsonl"))  # parent is a file
    notify_task_failure(_context(tmp_path, RuntimeError("boom")))
    assert "could not send the operator alert" in caplog.text


def test_queues_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert airflow_tasks.queue("crawl") == "default"
    monkeypatch.setenv("PANTAU_CRAWL_QUEUE", "crawl")
    assert airflow_tasks.queue("crawl") == "crawl"
