"""Airflow's CeleryExecutor with several workers (marker ``scaleout``, ``make
airflow-test-scaleout``): PostgreSQL metadata database, Redis broker, one warehouse worker and two
crawl workers, each its own process (``deploy/airflow_local.py --celery-workers 2``).

One test, two nights over 20 synthetic outlets (fixture web scale mode), in the same Airflow:

1. crawl worker 2 stops consuming the ``crawl`` queue (Celery's ``cancel_consumer``): every crawl
   runs on worker 1;
2. worker 2 consumes again (``add_consumer``): the crawls spread over both workers.

Night 2 crawls a second fixture web with the same outlets and articles on another port (new URLs,
so neither night skips what the other loaded): the same work twice. The test prints which worker
crawled which outlet and the crawl phase of each night (first crawl start to last crawl end), and
checks the issue's target: with 2 workers the crawl takes at most 0.6 of the time with one.
Crawls here are politeness-bound like real ones (``PANTAU_DOWNLOAD_DELAY`` at pantau's default
0.5 s): a worker mostly waits between requests, so a second worker adds capacity even on a
2-core machine. ``PANTAU_SCALEOUT_ARTICLES`` / ``PANTAU_SCALEOUT_DOWNLOAD_DELAY`` change the
workload.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from core.settings import Settings
from tests.dags.airflow_helpers import fresh_database
from tests.dags.test_airflow_services import airflow_services, api, wait_for_run
from tests.readback import rows

OUTLETS = 20
ARTICLES = int(os.environ.get("PANTAU_SCALEOUT_ARTICLES", "20"))
# pantau's default politeness (spiders/settings.py): what a real night waits between requests
DOWNLOAD_DELAY = os.environ.get("PANTAU_SCALEOUT_DOWNLOAD_DELAY", "0.5")
TARGET = 0.6


def crawl_tasks(base: str, token: str, run_id: str) -> list[dict[str, Any]]:
    """The run's crawl task instances, each with the worker its XCom reports."""
    tis = api(base, f"/api/v2/dags/pantau_nightly/dagRuns/{run_id}/taskInstances?limit=100",
              token)["task_instances"]
    crawls = [t for t in tis if t["task_id"] == "crawl"]
    for t in crawls:
        entry = api(base, f"/api/v2/dags/pantau_nightly/dagRuns/{run_id}/taskInstances/crawl/"
                          f"xcomEntries/return_value?map_index={t['map_index']}", token)
        value = entry["value"]
        t["xcom"] = value if isinstance(value, dict) else json.loads(value)
    return crawls


def crawl_phase(crawls: list[dict[str, Any]]) -> float:
    """Seconds from the first crawl's start to the last crawl's end."""
    def moment(text: str) -> datetime:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))

    start = min(moment(t["start_date"]) for t in crawls)
    end = max(moment(t["end_date"]) for t in crawls)
    return (end - start).total_seconds()


def night(base: str, token: str, run_id: str, day: str) -> list[dict[str, Any]]:
    api(base, "/api/v2/dags/pantau_nightly/dagRuns", token,
        {"logical_date": f"{day}T00:00:00Z", "dag_run_id": run_id})
    assert wait_for_run(base, token, "pantau_nightly", run_id, timeout=1500) == "success"
    tis = api(base, f"/api/v2/dags/pantau_nightly/dagRuns/{run_id}/taskInstances?limit=100",
              token)["task_instances"]
    [load] = [t for t in tis if t["task_id"] == "load"]
    assert (load["pool"], load["queue"]) == ("pantau_warehouse", "warehouse")
    crawls = crawl_tasks(base, token, run_id)
    assert len(crawls) == OUTLETS and {t["state"] for t in crawls} == {"success"}
    assert {t["queue"] for t in crawls} == {"crawl"}
    print(f"\n{run_id}: crawl phase {crawl_phase(crawls):.1f} s")
    for t in sorted(crawls, key=lambda t: t["start_date"]):
        print(f"  {t['rendered_map_index']:<24} {t['xcom']['worker']:<10} "
              f"{t['start_date'][11:19]}-{t['end_date'][11:19]} {t['xcom']['pages']} pages")
    return crawls


def celery_control(broker: str) -> Any:
    from celery import Celery

    return Celery(broker=broker).control


@pytest.mark.slow
@pytest.mark.scaleout
@pytest.mark.timeout(3600)  # two nights of 20 politeness-bound crawls: ~10 min on 2 free cores
def test_celery_workers_share_the_crawl(
    tmp_path: Path, postgres_url: str, redis_url: str
) -> None:
    from fixtureweb import FixtureWeb

    with FixtureWeb(scale=(OUTLETS, ARTICLES), seed=0) as web_1, \
            FixtureWeb(scale=(OUTLETS, ARTICLES), seed=0) as web_2:
        sources = tmp_path / "sources.yaml"
        web_1.write_sources_yaml(sources)
        rules = tmp_path / "rules.yaml"
        rules.write_text("rules:\n  - name: banjir\n    query: banjir\n", encoding="utf-8")
        settings = Settings(db=tmp_path / "data" / "pantau.duckdb", sources=sources,
                            staging=tmp_path / "data" / "staging", rules=rules,
                            outbox=tmp_path / "data" / "outbox.jsonl", allow_private_hosts=True)
        home = tmp_path / "airflow_home"
        home.mkdir()
        metadata = fresh_database(postgres_url, "airflow_celery")
        env = {
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata,
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__CELERY__BROKER_URL": redis_url,
            "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + metadata,
            "AIRFLOW__CORE__PARALLELISM": "16",
            "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",  # only the two REST nights
            "PANTAU_CRAWL_QUEUE": "crawl",
            "PANTAU_WAREHOUSE_QUEUE": "warehouse",
            "PANTAU_DOWNLOAD_DELAY": DOWNLOAD_DELAY,
        }
        with airflow_services(home, settings, tmp_path, env,
                              launcher_args=("--celery-workers", "2"),
                              unpause=("pantau_nightly",)) as (base, token, state):
            workers = state["workers"]
            assert set(workers) == {"warehouse", "crawler1", "crawler2"}
            control = celery_control(redis_url)
            reply = control.cancel_consumer("crawl", destination=[workers["crawler2"]],
                                            reply=True, timeout=10)
            assert reply, "crawler2 did not answer cancel_consumer"

            one = night(base, token, "one-worker", "2026-11-20")
            assert {t["xcom"]["worker"] for t in one} == {"crawler1"}

            reply = control.add_consumer("crawl", destination=[workers["crawler2"]],
                                         reply=True, timeout=10)
            assert reply, "crawler2 did not answer add_consumer"
            web_2.write_sources_yaml(sources)
            two = night(base, token, "two-workers", "2026-11-21")
            by_worker: dict[str, list[str]] = {}
            for t in two:
                by_worker.setdefault(t["xcom"]["worker"], []).append(t["rendered_map_index"])
            assert set(by_worker) == {"crawler1", "crawler2"}, by_worker

    # the same work both nights: the same pages, and both nights' articles in the warehouse
    assert sorted(t["xcom"]["pages"] for t in one) == sorted(t["xcom"]["pages"] for t in two)
    per_run = dict(rows(settings.db, "SELECT run_id, sum(new_articles) FROM crawl_runs "
                                     "GROUP BY 1"))
    assert per_run["one-worker"] == per_run["two-workers"] > 0
    ratio = crawl_phase(two) / crawl_phase(one)
    print(f"crawl of {OUTLETS} outlets x {ARTICLES} articles (download delay {DOWNLOAD_DELAY} s):"
          f" 1 worker {crawl_phase(one):.1f} s, 2 workers {crawl_phase(two):.1f} s, "
          f"ratio {ratio:.2f} (target <= {TARGET}); per worker: "
          f"{ {w: len(o) for w, o in sorted(by_worker.items())} }")
    assert ratio <= TARGET
