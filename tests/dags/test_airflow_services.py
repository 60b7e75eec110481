"""The real thing: Airflow's services on loopback (``deploy/airflow_local.py``, what ``make
airflow`` runs), ``pantau_nightly`` triggered through the REST API against the fixture web, the
alerts DAG started by the warehouse Asset, the warehouse compared with ``pantau run``'s, and a
clean shutdown. Marker ``airflow_services``: run with ``make airflow-test``.

The same with a PostgreSQL metadata database (marker ``scaleout``, ``make airflow-test-scaleout``)
also checks that the outlets' crawl tasks ran at the same time."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from core.settings import Settings
from pantau.steps import run_step
from tests.dags.airflow_helpers import REPO, airflow_env
from tests.readback import rows

ARTICLE_COLUMNS = ("source, url, canonical_url, title, text, authors, published_at, "
                   "published_at_local, updated_at, section, tags, language, site_name, dateline, "
                   "content_hash, version")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def api(base: str, path: str, token: str | None = None, data: Any = None,
        method: str | None = None) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps(data).encode() if data is not None else None
    req = urllib.request.Request(base + path, data=body, headers=headers, method=method)
    with urllib.request.urlopen(req, timeout=30) as resp:
        raw = resp.read()
    return json.loads(raw) if raw else None


def wait_for(what: str, check: Any, timeout: float, every: float = 2.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@pytest.mark.slow
@pytest.mark.airflow_services
def test_scheduler_runs_the_nightly_dag_via_the_rest_api(
    airflow_home: Path, pipeline_settings: Settings, tmp_path: Path
) -> None:
    scheduled_night(airflow_home, pipeline_settings, tmp_path, {})


@pytest.mark.slow
@pytest.mark.scaleout
def test_postgres_local_executor_crawls_outlets_in_parallel(
    tmp_path: Path, pipeline_settings: Settings, postgres_url: str
) -> None:
    home = tmp_path / "airflow_home"
    home.mkdir()
    crawls = scheduled_night(home, pipeline_settings, tmp_path, {
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": postgres_url,
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "8",
    })
    spans = sorted((t["start_date"], t["end_date"]) for t in crawls)
    overlapping = [a for a, b in zip(spans, spans[1:], strict=False) if b[0] < a[1]]
    assert overlapping, f"crawl tasks ran one after another: {spans}"


@contextlib.contextmanager
def airflow_services(home: Path, settings: Settings, tmp_path: Path, extra_env: dict[str, str],
                     launcher_args: tuple[str, ...] = (),
                     unpause: tuple[str, ...] = ("pantau_nightly", "pantau_alerts"),
                     ) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Airflow's services via deploy/airflow_local.py (with ``launcher_args``): (base URL,
    token, state); on leaving, SIGTERM to the launcher, which must stop every component and
    exit 0."""
    port = free_port()
    state_file = tmp_path / "airflow_state.json"
    env = airflow_env(home, settings, **extra_env)
    launcher = subprocess.Popen(
        [sys.executable, str(REPO / "deploy" / "airflow_local.py"), "--home", str(home),
         "--port", str(port), "--state-file", str(state_file), *launcher_args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    state: dict[str, Any] = {"pids": {}}
    try:
        def ready() -> dict[str, Any] | None:
            if launcher.poll() is not None:
                raise AssertionError(f"airflow_local.py exited with {launcher.returncode}: "
                                     f"{launcher.communicate()[0][-3000:]}")
            return json.loads(state_file.read_text("utf-8")) if state_file.exists() else None

        state = wait_for("the DAG list", ready, timeout=300, every=1)
        assert set(state["dags"]) >= {"pantau_nightly", "pantau_alerts", "pantau_maintenance"}
        print(f"DAG list visible after {state['ready_seconds']} s")
        base = state["url"]
        token = api(base, "/auth/token",
                    data={"username": state["user"], "password": state["password"]})[
                        "access_token"]
        # unpausing starts the latest night on the clock too (catchup=False): a second,
        # scheduler-driven run before the REST one (max_active_runs=1); both load the same web
        for dag_id in unpause:
            api(base, f"/api/v2/dags/{dag_id}", token, {"is_paused": False}, method="PATCH")
        yield base, token, state
    finally:
        if launcher.poll() is None:
            launcher.send_signal(signal.SIGTERM)
        output = launcher.communicate(timeout=120)[0]
    assert launcher.returncode == 0, output[-3000:]
    assert "Airflow stopped" in output
    for pid in state["pids"].values():  # every component is gone
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def wait_for_run(base: str, token: str, dag_id: str, run_id: str, timeout: float = 900) -> str:
    def done() -> str | None:
        got = api(base, f"/api/v2/dags/{dag_id}/dagRuns/{run_id}", token)["state"]
        return got if got in ("success", "failed") else None

    return str(wait_for(f"{dag_id} {run_id}", done, timeout=timeout))


def scheduled_night(home: Path, pipeline_settings: Settings, tmp_path: Path,
                    extra_env: dict[str, str]) -> list[dict[str, Any]]:
    """Start the services, run one night through the REST API, check it; the crawl tasks."""
    with airflow_services(home, pipeline_settings, tmp_path, extra_env) as (base, token, _):
        run = api(base, "/api/v2/dags/pantau_nightly/dagRuns", token,
                  {"logical_date": "2026-11-20T00:00:00Z", "dag_run_id": "rest__2026-11-20"})
        run_id = run["dag_run_id"]
        assert wait_for_run(base, token, "pantau_nightly", run_id) == "success"
        tis = api(base, f"/api/v2/dags/pantau_nightly/dagRuns/{run_id}/taskInstances", token)
        crawls = [t for t in tis["task_instances"] if t["task_id"] == "crawl"]
        assert len(crawls) == 3 and all(t["state"] == "success" for t in crawls)
        assert sorted(t["rendered_map_index"] for t in crawls) == [
            "beritaturki", "detakpos", "iphedia"]

        def alerts_done() -> str | None:
            runs = api(base, "/api/v2/dags/pantau_alerts/dagRuns", token)["dag_runs"]
            by_asset = [r for r in runs if r["run_type"] == "asset_triggered"]
            if by_asset and by_asset[0]["state"] in ("success", "failed"):
                return str(by_asset[0]["state"])
            return None

        assert wait_for("pantau_alerts after the load", alerts_done, timeout=600) == "success"

    # the warehouse equals what `pantau run` makes of the same web
    reference = replace(pipeline_settings, db=tmp_path / "ref" / "pantau.duckdb",
                        staging=tmp_path / "ref" / "staging", outbox=tmp_path / "ref" / "o.jsonl")
    run_step(reference, run_id="reference-night")
    query = f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY canonical_url"
    scheduled = rows(pipeline_settings.db, query)
    assert scheduled and scheduled == rows(reference.db, query)
    alert_query = "SELECT rule, article_id, channel, status FROM alerts ORDER BY ALL"
    assert rows(pipeline_settings.db, alert_query) == rows(reference.db, alert_query)
    assert rows(pipeline_settings.db, "SELECT count(*) FROM alerts")[0][0] > 0
    return crawls


@pytest.mark.slow
@pytest.mark.airflow_services
def test_backfill_of_three_days_equals_three_nights_in_a_row(
    airflow_home: Path, pipeline_settings: Settings, tmp_path: Path, fixture_web: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each backfilled run's crawl tells the fixture web its logical date itself
    (``PANTAU_TIME_TRAVEL=1`` -> ``X-Pantau-As-Of``); the web's clock never moves."""
    assert fixture_web.as_of is None
    days = ["2026-11-17", "2026-11-18", "2026-11-19"]
    # no clock-scheduled runs besides the backfill (unpausing would start the latest night)
    env = {"AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False", "PANTAU_TIME_TRAVEL": "1"}
    with airflow_services(airflow_home, pipeline_settings, tmp_path, env) as (base, token, _):
        runs, moments = backfill(base, token, days)
    # the same three nights, one after the other, the way `pantau run` does them (the moment
    # given by hand: the crawler sends it as the header, as in the Airflow crawl tasks)
    reference = replace(pipeline_settings, db=tmp_path / "ref" / "pantau.duckdb",
                        staging=tmp_path / "ref" / "staging", outbox=tmp_path / "ref" / "o.jsonl")
    for moment in moments:
        run_step(replace(reference, as_of=moment), run_id=f"night-{moment.date()}")
    assert fixture_web.as_of is None  # nobody moved the clock
    query = f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY canonical_url"
    assert rows(pipeline_settings.db, query) == rows(reference.db, query)
    per_run = "SELECT count(DISTINCT run_id), count(*), sum(new_articles), " \
              "sum(updated_articles) FROM crawl_runs"
    assert rows(pipeline_settings.db, per_run) == rows(reference.db, per_run)
    got_runs = {r[0] for r in rows(pipeline_settings.db, "SELECT DISTINCT run_id FROM crawl_runs")}
    assert got_runs == set(runs)
    # time travel was visible: not everything arrived on the first night
    new_per_night = rows(reference.db, "SELECT run_id, sum(new_articles) FROM crawl_runs "
                                    "GROUP BY 1 ORDER BY 1")
    print("new articles per night:", new_per_night)  # e.g. 27, 5, 5
    assert new_per_night[0][1] > 0 and sum(n for _, n in new_per_night[1:]) > 0


def backfill(base: str, token: str, days: list[str]) -> tuple[list[str], list[datetime]]:
    """Backfill pantau_nightly over ``days`` through the REST API; (run ids, logical dates)."""
    api(base, "/api/v2/backfills", token, {
        "dag_id": "pantau_nightly", "from_date": f"{days[0]}T00:00:00Z",
        "to_date": f"{days[-1]}T23:59:59Z", "max_active_runs": 1,
    })

    def backfilled() -> list[dict[str, Any]] | None:
        runs = api(base, "/api/v2/dags/pantau_nightly/dagRuns?order_by=logical_date",
                   token)["dag_runs"]
        runs = [r for r in runs if r["run_type"] == "backfill"]
        if len(runs) == len(days) and all(r["state"] in ("success", "failed") for r in runs):
            return runs
        return None

    runs = wait_for("the backfill runs", backfilled, timeout=1500, every=3)
    assert [r["state"] for r in runs] == ["success"] * len(days)
    moments = [datetime.fromisoformat(r["logical_date"].replace("Z", "+00:00")) for r in runs]
    # each run's crawl sent that run's logical date (PANTAU_AS_OF -> X-Pantau-As-Of)
    for run, moment in zip(runs, moments, strict=True):
        entry = api(base, f"/api/v2/dags/pantau_nightly/dagRuns/{run['dag_run_id']}/"
                          "taskInstances/crawl/xcomEntries/return_value?map_index=0", token)
        value = entry["value"]
        value = json.loads(value) if isinstance(value, str) else value
        assert value["as_of"] == moment.isoformat()
    return [r["dag_run_id"] for r in runs], moments
