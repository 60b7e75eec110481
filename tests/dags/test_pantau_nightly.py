"""The nightly and alerts DAGs: wired as designed, and really run (`airflow dags test`):
a good night, and a night on which one outlet fails."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.settings import Settings
from tests.dags.airflow_helpers import airflow_env, metadata, run_airflow
from tests.readback import rows


def test_nightly_structure(dagbag: Any) -> None:
    dag = dagbag.dags["pantau_nightly"]
    assert dag.timetable.expression == "0 2 * * *"
    assert str(dag.timetable.timezone) in ("Asia/Jakarta", "Timezone('Asia/Jakarta')")
    tasks = {t.task_id: t for t in dag.tasks}
    assert set(tasks) == {"list_sources", "crawl", "load", "report"}
    assert type(tasks["crawl"]).__name__ == "DecoratedMappedOperator"
    assert tasks["crawl"].map_index_template  # the UI and the alerts name the outlet
    assert tasks["load"].pool == "pantau_warehouse"
    assert tasks["load"].trigger_rule == "all_done"
    assert tasks["load"].upstream_task_ids == {"crawl"}
    assert [o.name for o in tasks["load"].outlets] == ["pantau_warehouse"]
    assert tasks["report"].upstream_task_ids == {"crawl", "load"}
    assert tasks["report"].trigger_rule == "all_success"  # a failed outlet fails the run
    for task in dag.tasks:
        assert task.on_failure_callback, task.task_id


def test_alerts_dag_follows_the_warehouse_asset(dagbag: Any) -> None:
    dag = dagbag.dags["pantau_alerts"]
    assert [t.task_id for t in dag.tasks] == ["deliver"]
    assets = [a.name for a in dag.timetable.asset_condition.iter_assets().values()] if hasattr(
        dag.timetable.asset_condition, "iter_assets") else []
    assert "pantau_warehouse" in assets or "pantau_warehouse" in repr(dag.timetable)
    assert "30 * * * *" in repr(dag.timetable.timetable.expression)
    # alerts are sent by pantau_alerts only
    assert all("alert" not in t.task_id for t in dagbag.dags["pantau_nightly"].tasks)


def _dag_run(home: Path, dag_id: str) -> tuple[str, str]:
    [(run_id, state)] = metadata(
        home, "SELECT run_id, state FROM dag_run WHERE dag_id = ?", dag_id)
    return run_id, state


def _states(home: Path, dag_id: str) -> dict[tuple[str, int], tuple[str, int, str | None]]:
    rows = metadata(home, "SELECT task_id, map_index, state, try_number, rendered_map_index "
                          "FROM task_instance WHERE dag_id = ?", dag_id)
    return {(t, m): (s, n, r) for t, m, s, n, r in rows}


def _expected_counts(web: Any, outlets: set[str] | None = None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for art in web.expected_articles():
        if outlets is None or art["outlet"] in outlets:
            counts[art["outlet"]] = counts.get(art["outlet"], 0) + 1
    return counts


@pytest.mark.slow
def test_nightly_then_alerts_run_the_pipeline(
    airflow_home: Path, pipeline_settings: Settings, fixture_web: Any
) -> None:
    env = airflow_env(airflow_home, pipeline_settings)
    run_airflow(["dags", "test", "pantau_nightly", "2026-11-20"], env, timeout=900)

    run_id, state = _dag_run(airflow_home, "pantau_nightly")
    states = _states(airflow_home, "pantau_nightly")
    assert state == "success", states
    crawls = {k: v for k, v in states.items() if k[0] == "crawl"}
    assert sorted(v[2] for v in crawls.values()) == sorted(fixture_web.outlets)
    assert states[("report", -1)][0] == "success"
    # the load published the warehouse asset, with its counts
    [(extra,)] = metadata(airflow_home, "SELECT e.extra FROM asset_event e JOIN asset a "
                                        "ON a.id = e.asset_id WHERE a.name = 'pantau_warehouse'")
    assert json.loads(extra)["new_articles"] > 0

    per_source = dict(rows(pipeline_settings.db,
                                 "SELECT source, count(*) FROM articles GROUP BY 1"))
    assert per_source == _expected_counts(fixture_web)
    assert rows(pipeline_settings.db, "SELECT DISTINCT run_id FROM crawl_runs") == [(run_id,)]
    assert rows(pipeline_settings.db, "SELECT count(*) FROM alerts") == [(0,)]

    # what the scheduler starts on that asset event: the alerts DAG
    run_airflow(["dags", "test", "pantau_alerts", "2026-11-20T00:30:00+00:00"], env)
    assert _dag_run(airflow_home, "pantau_alerts")[1] == "success"
    [(sent,)] = rows(pipeline_settings.db, "SELECT count(*) FROM alerts WHERE status = 'sent'")
    assert sent > 0
    lines = pipeline_settings.outbox.read_text("utf-8").splitlines()
    assert len(lines) == sent  # each alert once


@pytest.mark.slow
def test_one_failing_outlet_fails_only_its_crawl(
    airflow_home: Path, pipeline_settings: Settings, fixture_web: Any, tmp_path: Path
) -> None:
    sources = yaml.safe_load(pipeline_settings.sources.read_text("utf-8"))
    good = {s["name"] for s in sources["sources"]}
    sources["sources"].append({"name": "mati", "url": "http://mati.localhost:9/",
                               "feeds": ["http://mati.localhost:9/feed/"]})  # nothing listens
    path = tmp_path / "with_dead.yaml"
    path.write_text(yaml.safe_dump({"sources": sources["sources"]}), "utf-8")
    settings = replace(pipeline_settings, sources=path)
    env = airflow_env(airflow_home, settings,
                      AIRFLOW__API__BASE_URL="http://pantau-airflow.example:8080")
    run_airflow(["dags", "test", "pantau_nightly", "2026-11-20"], env, timeout=900, check=False)

    run_id, state = _dag_run(airflow_home, "pantau_nightly")
    states = _states(airflow_home, "pantau_nightly")
    assert state == "failed", states
    by_outlet = {v[2]: (k[1], v[0], v[1]) for k, v in states.items() if k[0] == "crawl"}
    index, dead_state, tries = by_outlet["mati"]
    assert dead_state == "failed" and tries == 2  # retried once (1 s), then failed
    assert all(by_outlet[name][1] == "success" for name in good)
    assert states[("load", -1)][0] == "success"
    assert states[("report", -1)][0] == "upstream_failed"

    per_source = dict(rows(settings.db, "SELECT source, count(*) FROM articles GROUP BY 1"))
    assert per_source == _expected_counts(fixture_web, good)
    [(error,)] = rows(settings.db, "SELECT crawl_error FROM crawl_runs WHERE source = 'mati'")
    assert error

    # exactly one operator alert for the failed task, naming DAG, task, outlet and the log URL
    # of the failed try; and one from the load's health check: the outlet's crawl failed
    operator = [json.loads(line) for line in settings.outbox.read_text("utf-8").splitlines()]
    assert {a["rule"] for a in operator} == {"pantau_operator"}, operator
    [alert] = [a for a in operator if "task" in a["title"]]
    [health] = [a for a in operator if "needs a look" in a["title"]]
    assert health["source"] == "mati" and "crawl failed" in health["title"]
    assert len(operator) == 2, operator
    assert alert["rule"] == "pantau_operator" and alert["source"] == "mati"
    assert "pantau_nightly.crawl[mati]" in alert["title"] and run_id in alert["title"]
    assert alert["url"].startswith("http://pantau-airflow.example:8080/dags/pantau_nightly/runs/")
    assert f"/tasks/crawl/mapped/{index}" in alert["url"] and "try_number=2" in alert["url"]
    assert "mati" in alert["snippet"]

    # alerts still go out for the outlets that loaded
    run_airflow(["dags", "test", "pantau_alerts", "2026-11-20T00:30:00+00:00"], env)
    [(sent,)] = rows(settings.db, "SELECT count(*) FROM alerts WHERE status = 'sent'")
    assert sent > 0
