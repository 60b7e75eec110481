"""DAG hygiene: every DAG file imports fast, touches neither network nor warehouse while being
parsed, and declares the policy operators rely on (owner, tags, docs, no catchup, one active
run; retries with exponential backoff and a timeout on every task)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.dags.airflow_helpers import DAG_FILES, REPO, airflow_env

IMPORT_BUDGET_S = 2.0
HEAVY_MODULES = ("duckdb", "scrapy", "trafilatura", "twisted", "spiders", "extract", "warehouse",
                 "alerts", "fixtureweb", "pantau.steps")

# Runs in a fresh interpreter: import Airflow and build a one-task DAG first (Airflow's own cost,
# not the DAG file's), then forbid sockets, then import each DAG file and time it; report what
# each import pulled in.
PROBE = r"""
import importlib.util, json, socket, sys, time
import pendulum, airflow.sdk, airflow.task.trigger_rule  # the cost of Airflow itself
from airflow.sdk import DAG, Asset, task  # ... including what @task loads lazily
with DAG("warm_up", schedule=None):
    task(lambda: None, task_id="t")()

attempts = []
def refuse(*args, **kwargs):
    attempts.append(repr(args[:2]))
    raise OSError("network access while parsing a DAG file")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

report = {}
for path in sys.argv[1:]:
    before = set(sys.modules)
    started = time.perf_counter()
    spec = importlib.util.spec_from_file_location("probe_" + path.rsplit("/", 1)[-1][:-3], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    report[path] = {"seconds": time.perf_counter() - started,
                    "new_modules": sorted(set(sys.modules) - before)}
report["_network_attempts"] = attempts
print(json.dumps(report))
"""


def test_there_are_dag_files() -> None:
    names = {p.stem for p in DAG_FILES}
    assert {"pantau_nightly", "pantau_alerts", "pantau_maintenance"} <= names


def test_dag_files_import_fast_without_network_or_warehouse(tmp_path: Path) -> None:
    db = tmp_path / "never" / "pantau.duckdb"
    env = airflow_env(
        tmp_path / "airflow_home", PANTAU_DB=str(db), PANTAU_SOURCES=str(tmp_path / "missing.yaml"),
        PANTAU_RULES=str(tmp_path / "missing_rules.yaml"), PANTAU_STAGING=str(tmp_path / "st"),
    )
    (tmp_path / "airflow_home").mkdir()
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *map(str, DAG_FILES)],
        env=env, capture_output=True, text=True, timeout=300, cwd=REPO,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report.pop("_network_attempts") == []
    for path, got in report.items():
        assert got["seconds"] < IMPORT_BUDGET_S, f"{path} took {got['seconds']:.2f} s to import"
        heavy = [m for m in got["new_modules"] if m.split(".")[0] in HEAVY_MODULES
                 or m in HEAVY_MODULES]
        assert heavy == [], f"{path} imports {heavy} at parse time; import them inside tasks"
    # nothing was created or opened: no warehouse, no staging folder
    assert not db.parent.exists() and not (tmp_path / "st").exists()


def test_each_dag_declares_the_operating_policy(dagbag: Any) -> None:
    assert {d for d in dagbag.dags} >= {"pantau_nightly", "pantau_alerts", "pantau_maintenance"}
    for dag_id, dag in dagbag.dags.items():
        assert dag_id.startswith("pantau_")
        assert dag.owner == "pantau", dag_id
        assert dag.tags and "pantau" in dag.tags, dag_id
        assert dag.doc_md and dag_id in dag.doc_md, dag_id
        assert dag.catchup is False, dag_id
        assert "Catch-up: off (`catchup=False`)" in dag.doc_md, f"{dag_id}: say why"
        assert dag.max_active_runs == 1, dag_id


def test_airflow_cfg_decides_catchup_and_explains_the_ui_time_zone() -> None:
    """New DAGs default to no catch-up too; the UI time zone is the browser's in Airflow 3 (the
    2.x option [webserver] default_ui_timezone is gone): airflow.cfg says so instead of setting
    an option Airflow ignores."""
    import configparser

    text = (REPO / "airflow.cfg").read_text("utf-8")
    cfg = configparser.ConfigParser()
    cfg.read_string(text)
    assert cfg.get("scheduler", "catchup_by_default") == "False"
    assert not cfg.has_option("webserver", "default_ui_timezone")
    assert "Asia/Jakarta" in text and "browser" in text


def test_each_task_retries_with_backoff_and_has_a_timeout(dagbag: Any) -> None:
    for dag in dagbag.dags.values():
        for task in dag.tasks:
            where = f"{dag.dag_id}.{task.task_id}"
            assert task.retries >= 1, where
            assert task.retry_exponential_backoff > 1, f"{where}: no exponential backoff"
            assert task.max_retry_delay is not None, where
            assert isinstance(task.execution_timeout, timedelta), where
            assert task.execution_timeout <= timedelta(hours=6), where


def test_retry_policy_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from pantau.airflow_tasks import task_defaults

    monkeypatch.setenv("PANTAU_TASK_RETRIES", "3")
    monkeypatch.setenv("PANTAU_RETRY_DELAY_SECONDS", "1.5")
    monkeypatch.setenv("PANTAU_TASK_TIMEOUT_MINUTES", "10")
    got = task_defaults()
    assert got["retries"] == 3 and got["retry_delay"] == timedelta(seconds=1.5)
    assert got["execution_timeout"] == timedelta(minutes=10)
    monkeypatch.setenv("PANTAU_RETRY_DELAY_SECONDS", "soon")
    from core.errors import PantauError

    with pytest.raises(PantauError, match="PANTAU_RETRY_DELAY_SECONDS"):
        task_defaults()


def test_writers_share_the_single_writer_pool(dagbag: Any) -> None:
    writers = {("pantau_nightly", "load"), ("pantau_alerts", "deliver")}
    for dag_id, task_id in writers:
        assert dagbag.dags[dag_id].get_task(task_id).pool == "pantau_warehouse"
