"""
### pantau_alerts

Delivers keyword alerts (`pantau alerts`): matches the rules in `PANTAU_RULES` against articles
not yet alerted and sends them through their channels, exactly once per (rule, article, channel).

**When.** As soon as the warehouse changes: the nightly `load` (and a maintenance reprocess)
publish the `pantau_warehouse` Asset, and this DAG runs minutes later. It also runs hourly on the
clock, so alerts whose channel was down are retried (with the delivery log's backoff) even on
days without a load. It is the only place alerts are sent from; `pantau_nightly` has no alerts
task, so nothing is delivered twice and a slow channel never holds up the nightly run.

`deliver` writes the delivery log into the warehouse, so it runs in the single-writer pool
`pantau_warehouse` (size 1) like the load.

**Catch-up: off (`catchup=False`).** One run delivers everything pending, so missed hours need no
runs of their own.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Asset, AssetOrTimeSchedule, CronTriggerTimetable, dag, task

from pantau.airflow_tasks import (
    WAREHOUSE_ASSET_NAME,
    WAREHOUSE_ASSET_URI,
    WAREHOUSE_POOL,
    queue,
    task_defaults,
)

WAREHOUSE = Asset(name=WAREHOUSE_ASSET_NAME, uri=WAREHOUSE_ASSET_URI)


@dag(
    dag_id="pantau_alerts",
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable("30 * * * *", timezone="Asia/Jakarta"), assets=WAREHOUSE
    ),
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Jakarta"),
    catchup=False,
    max_active_runs=1,
    default_args=task_defaults(),
    tags=["pantau", "alerts"],
    doc_md=__doc__,
)
def pantau_alerts() -> None:
    @task(pool=WAREHOUSE_POOL, queue=queue("warehouse"))
    def deliver() -> dict:
        from pantau.airflow_tasks import deliver_alerts

        return deliver_alerts()

    deliver()


pantau_alerts()
