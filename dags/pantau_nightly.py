"""
### pantau_nightly

Every night at 02:00 Asia/Jakarta: crawl each configured outlet (one mapped task per outlet, each
its own Scrapy process writing to staging), then load everything staged for this run into the
DuckDB warehouse (a single writer: pool `pantau_warehouse` of size 1), then deliver keyword alerts.

The tasks call the same step functions as the `pantau` CLI (`pantau.steps`), configured through
the environment: `PANTAU_DB`, `PANTAU_SOURCES`, `PANTAU_RULES`, `PANTAU_STAGING`, `PANTAU_OUTBOX`,
`PANTAU_ALLOW_PRIVATE_HOSTS`. Loading is idempotent: clearing and rerunning a task is safe.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, dag, get_current_context, task
from airflow.task.trigger_rule import TriggerRule

WAREHOUSE = Asset(name="pantau_warehouse", uri="file:///pantau/warehouse")

DEFAULT_ARGS = {
    "owner": "pantau",
    "retries": 2,
    "retry_delay": timedelta(minutes=2),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
    "execution_timeout": timedelta(hours=2),
}


@dag(
    dag_id="pantau_nightly",
    schedule="0 2 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Jakarta"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["pantau", "crawl", "warehouse"],
    doc_md=__doc__,
)
def pantau_nightly() -> None:
    @task
    def list_sources() -> list[str]:
        from pantau.airflow_tasks import source_names

        return source_names()

    @task(max_active_tis_per_dagrun=4)
    def crawl(source: str) -> dict:
        from pantau.airflow_tasks import crawl_outlet

        return crawl_outlet(source, get_current_context()["run_id"])

    @task(pool="pantau_warehouse", trigger_rule=TriggerRule.ALL_DONE, outlets=[WAREHOUSE])
    def load(crawled: list[dict]) -> dict:
        from pantau.airflow_tasks import load as load_run

        return load_run(get_current_context()["run_id"])

    @task
    def alerts(loaded: dict) -> dict:
        from pantau.airflow_tasks import deliver_alerts

        return deliver_alerts()

    alerts(load(crawl.expand(source=list_sources())))


pantau_nightly()
