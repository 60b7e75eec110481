"""The nightly DAG: imports cleanly, is wired as designed, and really runs (`airflow dags test`)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pantau.settings import Settings
from warehouse.db import connect_reader

REPO = Path(__file__).resolve().parents[2]
AIRFLOW = str(Path(sys.executable).parent / "airflow")


@pytest.fixture(scope="module")
def dag() -> Any:
    os.environ.setdefault("AIRFLOW_HOME", str(REPO))
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(REPO / "dags"))
    assert bag.import_errors == {}
    return bag.dags["pantau_nightly"]


def test_structure(dag: Any) -> None:
    assert dag.timetable.expression == "0 2 * * *"
    assert str(dag.timetable.timezone) in ("Asia/Jakarta", "Timezone('Asia/Jakarta')")
    assert dag.catchup is False and dag.max_active_runs == 1
    assert dag.owner == "pantau" and dag.doc_md and "pantau" in dag.tags
    tasks = {t.task_id: t for t in dag.tasks}
    assert set(tasks) == {"list_sources", "crawl", "load", "alerts"}
    assert type(tasks["crawl"]).__name__ == "DecoratedMappedOperator"
    assert tasks["load"].pool == "pantau_warehouse"
    assert tasks["load"].upstream_task_ids == {"crawl"}
    assert tasks["alerts"].upstream_task_ids == {"load"}
    for task in dag.tasks:
        assert task.retries >= 1 and task.execution_timeout is not None


def airflow_env(home: Path, settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "PANTAU"))}
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=str(REPO / "dags"),
        PANTAU_DB=str(settings.db),
        PANTAU_SOURCES=str(settings.sources),
        PANTAU_RULES=str(settings.rules),
        PANTAU_STAGING=str(settings.staging),
        PANTAU_OUTBOX=str(settings.outbox),
        PANTAU_ALLOW_PRIVATE_HOSTS="1",
        PANTAU_DOWNLOAD_DELAY="0",
    )
    return env


def run(args: list[str], env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [AIRFLOW, *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


@pytest.mark.slow
def test_dags_test_runs_the_pipeline(
    tmp_path: Path, pipeline_settings: Settings, fixture_web: Any
) -> None:
    home = tmp_path / "airflow_home"
    home.mkdir()
    shutil.copy(REPO / "airflow.cfg", home / "airflow.cfg")
    env = airflow_env(home, pipeline_settings)
    run(["db", "migrate"], env)
    run(["pools", "set", "pantau_warehouse", "1", "pantau: the single DuckDB writer"], env)
    run(["dags", "test", "pantau_nightly", "2026-11-20"], env, timeout=900)

    meta = sqlite3.connect(home / "airflow.db")
    states = meta.execute(
        "SELECT task_id, map_index, state FROM task_instance WHERE dag_id = 'pantau_nightly'"
    ).fetchall()
    [(run_id, run_state)] = meta.execute(
        "SELECT run_id, state FROM dag_run WHERE dag_id = 'pantau_nightly'"
    ).fetchall()
    meta.close()
    assert run_state == "success", states
    crawl_maps = [s for s in states if s[0] == "crawl"]
    assert len(crawl_maps) == len(fixture_web.outlets)

    con = connect_reader(pipeline_settings.db)
    per_source = dict(con.execute("SELECT source, count(*) FROM articles GROUP BY 1").fetchall())
    runs = con.execute("SELECT DISTINCT run_id FROM crawl_runs").fetchall()
    alerts = con.execute("SELECT count(*) FROM alerts WHERE status = 'sent'").fetchone()
    con.close()
    expected = {}
    for art in fixture_web.expected_articles():
        expected[art["outlet"]] = expected.get(art["outlet"], 0) + 1
    assert per_source == expected
    assert runs == [(run_id,)]
    assert alerts and alerts[0] > 0
