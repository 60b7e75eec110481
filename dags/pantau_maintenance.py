"""
### pantau_maintenance

Weekly housekeeping, Sundays 04:00 Asia/Jakarta (after the nightly run):

1. `cleanup_staging`: in runs loaded completely (every staged outlet has its `crawl_runs` row),
   remove half-written `.part` files and runs that staged nothing. Staged pages of loaded runs
   are the raw archive `reprocess` needs and stay; runs not fully loaded are left alone.
2. `compact_archive`: loaded runs crawled `PANTAU_COMPACT_AFTER_DAYS` (default 7) or more days
   ago are folded into one raw archive per ISO week, `<staging>/archive/2026-W47.jsonl.gz`
   (identical re-fetches of a page kept once); the warehouse's archive paths move to it in one
   transaction, then the run folders go. Crash-safe; XCom: files and bytes before and after.
3. `checkpoint`: `CHECKPOINT` the DuckDB warehouse (WAL into the file, freed blocks reused);
   XCom: its size on disk and per million articles before and after.
4. `export_week`: the week's articles, article versions and crawl runs as Parquet
   (`COPY … TO … (FORMAT parquet)`) under `PANTAU_EXPORTS` (default `<db folder>/exports`),
   one folder per week, e.g. `exports/2026-11-22/articles.parquet`. Rerunning overwrites it.
5. `reprocess` (param `reprocess`, off by default): re-extract every archived raw page with the
   current extractor (`pantau reprocess`) and publish the `pantau_warehouse` Asset, so
   `pantau_alerts` sees updated articles.

Tasks that open the warehouse run in the single-writer pool `pantau_warehouse`.

**Catch-up: off (`catchup=False`).** A missed Sunday is made good by the next one (cleanup,
compaction and export cover everything due), so missed weeks need no runs of their own.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Asset, Param, dag, get_current_context, task

from pantau.airflow_tasks import (
    WAREHOUSE_ASSET_NAME,
    WAREHOUSE_ASSET_URI,
    WAREHOUSE_POOL,
    queue,
    task_defaults,
)

WAREHOUSE = Asset(name=WAREHOUSE_ASSET_NAME, uri=WAREHOUSE_ASSET_URI)


@dag(
    dag_id="pantau_maintenance",
    schedule="0 4 * * 0",
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Jakarta"),
    catchup=False,
    max_active_runs=1,
    default_args=task_defaults(),
    tags=["pantau", "maintenance", "warehouse"],
    doc_md=__doc__,
    params={
        "reprocess": Param(False, type="boolean",
                           description="Re-extract every archived raw page (slow)."),
    },
)
def pantau_maintenance() -> None:
    @task(pool=WAREHOUSE_POOL, queue=queue("warehouse"))
    def cleanup_staging() -> dict:
        from pantau.airflow_tasks import cleanup_staging as cleanup

        return cleanup()

    @task(pool=WAREHOUSE_POOL, queue=queue("warehouse"))
    def compact_archive() -> dict:
        from pantau.airflow_tasks import compact_archive as compact

        return compact()

    @task(pool=WAREHOUSE_POOL, queue=queue("warehouse"))
    def checkpoint() -> dict:
        from pantau.airflow_tasks import checkpoint_warehouse

        return checkpoint_warehouse()

    @task(pool=WAREHOUSE_POOL, queue=queue("warehouse"))
    def export_week() -> dict:
        from pantau.airflow_tasks import export_week as export

        return export(get_current_context()["logical_date"])

    @task(pool=WAREHOUSE_POOL, queue=queue("warehouse"), outlets=[WAREHOUSE])
    def reprocess() -> dict:
        from pantau.airflow_tasks import reprocess as reprocess_all

        context = get_current_context()
        return reprocess_all(bool(context["params"]["reprocess"]), context["run_id"])

    cleanup_staging() >> compact_archive() >> checkpoint() >> export_week() >> reprocess()


pantau_maintenance()
