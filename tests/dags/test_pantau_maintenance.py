"""The weekly maintenance DAG: structure, and a real run (`airflow dags test`) over a warehouse
that `pantau run` filled: staging tidied only where loaded, the loaded run compacted into its
week's archive (paths in the warehouse follow), CHECKPOINT, Parquet of the week."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from core.settings import Settings
from pantau.maintenance import missing_archives
from pantau.steps import run_step
from staging import archive_files, run_dir
from tests.dags.airflow_helpers import airflow_env, metadata, run_airflow
from warehouse.db import connect_reader


def test_maintenance_structure(dagbag: Any) -> None:
    dag = dagbag.dags["pantau_maintenance"]
    assert dag.timetable.expression == "0 4 * * 0"
    assert [t.task_id for t in dag.topological_sort()] == [
        "cleanup_staging", "compact_archive", "checkpoint", "export_week", "reprocess"]
    assert dag.params["reprocess"] is False
    assert all(t.pool == "pantau_warehouse" for t in dag.tasks)
    assert [o.name for o in dag.get_task("reprocess").outlets] == ["pantau_warehouse"]


@pytest.mark.slow
def test_maintenance_run(airflow_home: Path, pipeline_settings: Settings) -> None:
    settings = pipeline_settings
    run_step(settings, run_id="night-1")
    loaded = run_dir(settings.staging, "night-1")
    leftover = loaded / "detakpos.jsonl.gz.part"  # a crashed crawl's half-written file
    leftover.write_bytes(b"half")
    pending = run_dir(settings.staging, "night-2")  # staged, not loaded yet: must stay
    pending.mkdir()
    (pending / "iphedia.stats.json").write_text("{}", "utf-8")
    (pending / "iphedia.jsonl.gz").write_bytes(b"")

    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    staged_bytes = sum(p.stat().st_size for p in loaded.iterdir() if not p.name.endswith(".part"))
    env = airflow_env(airflow_home, settings, PANTAU_EXPORTS=str(settings.db.parent / "exports"),
                      PANTAU_COMPACT_AFTER_DAYS="0")  # night-1 is minutes old
    run_airflow(["dags", "test", "pantau_maintenance", tomorrow], env)

    states = dict(metadata(airflow_home, "SELECT task_id, state FROM task_instance "
                                         "WHERE dag_id = 'pantau_maintenance'"))
    assert states == {"cleanup_staging": "success", "compact_archive": "success",
                      "checkpoint": "success", "export_week": "success", "reprocess": "skipped"}
    assert not leftover.exists()
    assert (pending / "iphedia.jsonl.gz").exists()
    xcoms = dict(metadata(airflow_home, "SELECT task_id, value FROM xcom "
                                        "WHERE key = 'return_value'"))
    got = json.loads(xcoms["cleanup_staging"])
    assert got["removed_files"] == 1 and got["runs_kept_unloaded"] == [pending.name]
    # the loaded night went into its week's archive; the warehouse names it
    compacted = json.loads(xcoms["compact_archive"])
    assert compacted["runs_compacted"] == [loaded.name]
    assert compacted["runs_kept_unloaded"] == [pending.name]
    assert not loaded.exists()
    [week] = archive_files(settings.staging)
    assert compacted["weeks"] == [week.name.removesuffix(".jsonl.gz")]
    assert compacted["files_after"] == 1 and compacted["bytes_after"] == week.stat().st_size
    assert compacted["bytes_before"] == staged_bytes > compacted["bytes_after"]
    assert missing_archives(settings) == []

    folder = settings.db.parent / "exports" / tomorrow
    con = connect_reader(settings.db)
    try:
        [(articles,)] = con.execute("SELECT count(*) FROM articles").fetchall()
    finally:
        con.close()
    assert articles > 0
    parquet = duckdb.connect()
    exported = parquet.execute("SELECT count(*) FROM read_parquet(?)",
                               [str(folder / "articles.parquet")]).fetchone()
    assert exported == (articles,)
    runs = parquet.execute("SELECT count(*) FROM read_parquet(?)",
                           [str(folder / "crawl_runs.parquet")]).fetchone()
    assert runs and runs[0] == 3
