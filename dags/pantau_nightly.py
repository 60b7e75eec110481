"""
### pantau_nightly

Every night at 02:00 Asia/Jakarta: crawl each configured outlet (one mapped task per outlet, each
its own Scrapy process writing to staging; the map index shows the outlet's name), then load
everything staged for this run into the DuckDB warehouse (a single writer: pool
`pantau_warehouse` of size 1). The load publishes the `pantau_warehouse` Asset; the
`pantau_alerts` DAG follows it and delivers keyword alerts minutes later (this DAG has no alerts
task of its own).

**Failures.** An outlet that fails fails only its own `crawl` task (retried with exponential
backoff); `load` runs anyway (`all_done`) for the outlets that crawled, so alerts still go out.
Each task that fails for good sends an operator alert (DAG, task, outlet, log URL) through the
alert channels in `PANTAU_OPERATOR_CHANNELS` (default: the JSONL outbox). `report` (all upstream
must succeed) then ends `upstream_failed`, so a partly failed night shows as a failed run.

**Logical date.** With `PANTAU_TIME_TRAVEL=1` (simulations only) each crawl sends the run's
logical date to the web (`PANTAU_AS_OF`, header `X-Pantau-As-Of`): backfills over simulated days
against the time-travelling fixture web crawl the web as it was on each day. Off by default, so
real outlets never see it.

The tasks call the same step functions as the `pantau` CLI (`pantau.steps`), configured through
the environment: `PANTAU_DB`, `PANTAU_SOURCES`, `PANTAU_RULES`, `PANTAU_STAGING`, `PANTAU_OUTBOX`,
`PANTAU_ALLOW_PRIVATE_HOSTS`. Loading is idempotent: clearing and rerunning a task is safe.

**Catch-up: off (`catchup=False`), on purpose.** A crawl fetches what is new on the outlets *now*
(whatever the logical date), so runs for missed nights would fetch nothing a single run does not.
Unpausing therefore schedules only the latest night (Airflow's rule without catch-up), never the
months since `start_date`; a manual trigger beside it queues behind it (`max_active_runs=1`).
Replaying past nights against the fixture web is an explicit backfill with time travel
(docs/airflow.md).
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Asset, dag, get_current_context, task
from airflow.task.trigger_rule import TriggerRule

from pantau.airflow_tasks import (
    WAREHOUSE_ASSET_NAME,
    WAREHOUSE_ASSET_URI,
    WAREHOUSE_POOL,
    queue,
    task_defaults,
)

WAREHOUSE = Asset(name=WAREHOUSE_ASSET_NAME, uri=WAREHOUSE_ASSET_URI)


@dag(
    dag_id="pantau_nightly",
    schedule="0 2 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Jakarta"),
    catchup=False,
    max_active_runs=1,
    default_args=task_defaults(),
    tags=["pantau", "crawl", "warehouse"],
    doc_md=__doc__,
)
def pantau_nightly() -> None:
    @task
    def list_sources() -> list[str]:
        from pantau.airflow_tasks import source_names

        return source_names()

    @task(max_active_tis_per_dagrun=4, queue=queue("crawl"),
          map_index_template="{{ task.op_kwargs['source'] }}")
    def crawl(source: str) -> dict:
        from pantau.airflow_tasks import crawl_outlet

        context = get_current_context()
        return crawl_outlet(source, context["run_id"], as_of=context.get("logical_date"))

    @task(pool=WAREHOUSE_POOL, queue=queue("warehouse"), trigger_rule=TriggerRule.ALL_DONE,
          outlets=[WAREHOUSE])
    def load(crawled: list[dict]) -> dict:
        from pantau.airflow_tasks import load as load_run

        context = get_current_context()
        summary = load_run(context["run_id"])
        context["outlet_events"][WAREHOUSE].extra = {
            k: summary[k] for k in ("run_id", "new_articles", "updated_articles")
        }
        return summary

    @task
    def report(crawled: list[dict], loaded: dict) -> dict:
        from pantau.airflow_tasks import report as summarise

        return summarise(crawled, loaded)

    crawled = crawl.expand(source=list_sources())
    report(crawled, load(crawled))

pantau_nightly()
