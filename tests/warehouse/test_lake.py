"""DuckLake as the warehouse (``PANTAU_WAREHOUSE=ducklake:…``, warehouse/lake.py): the migrations
with keys taken out and recorded, time travel, moving a DuckDB file in, concurrent loads from two
processes (0 lost, 0 duplicated rows) and a reader that does not wait for a load.

These use a local SQLite catalog (several processes may write it); ``make airflow-test-scaleout``
runs the concurrent loads against a PostgreSQL catalog too (marker ``scaleout``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from core.errors import ConfigError
from core.settings import LakeConfig, Settings, lake_config
from pantau.cli import cli
from staging import StagingWriter, write_stats
from tests.readback import rows
from tests.warehouse.keys import assert_a_duplicate_is_found
from tests.warehouse.staged import PARAS, article_html
from warehouse.db import WarehouseError, connect_reader, connect_writer
from warehouse.lake import Key, LakeError, declared_keys, duplicate_keys, lake_ddl

REPO = Path(__file__).resolve().parents[2]


def use_lake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, catalog: str | None = None) -> str:
    catalog = catalog or f"sqlite:{tmp_path / 'catalog.sqlite'}"
    monkeypatch.setenv("PANTAU_WAREHOUSE", f"ducklake:{catalog}")
    monkeypatch.delenv("PANTAU_LAKE_DATA", raising=False)
    return catalog


# -- configuration and DDL ------------------------------------------------------------------


def test_lake_config_reads_the_environment(tmp_path: Path) -> None:
    db = tmp_path / "data" / "pantau.duckdb"
    assert lake_config(db, {}) is None and lake_config(db, {"PANTAU_WAREHOUSE": "duckdb"}) is None
    lake = lake_config(db, {"PANTAU_WAREHOUSE": "ducklake:sqlite:cat.sqlite"})
    assert lake == LakeConfig(catalog=f"sqlite:{Path.cwd() / 'cat.sqlite'}",
                              data_path=f"{tmp_path / 'data' / 'lake'}/")
    pg = lake_config(db, {"PANTAU_WAREHOUSE": "ducklake:postgres:dbname=p host=h",
                          "PANTAU_LAKE_DATA": "s3://bucket/pantau"})
    assert pg == LakeConfig(catalog="postgres:dbname=p host=h", data_path="s3://bucket/pantau/")
    for bad in ("ducklake:", "ducklake:mysql:x", "lake:sqlite:x"):
        with pytest.raises(ConfigError, match="PANTAU_WAREHOUSE"):
            lake_config(db, {"PANTAU_WAREHOUSE": bad})


def test_lake_ddl_takes_the_keys_out_and_names_them() -> None:
    sql, keys = lake_ddl("""
        -- a comment with PRIMARY KEY in it
        CREATE TABLE t (
            id VARCHAR PRIMARY KEY,  -- the id
            url VARCHAR NOT NULL UNIQUE,
            tags VARCHAR[] NOT NULL,
            n DECIMAL(10, 2) DEFAULT 0
        );
        CREATE TABLE u (a VARCHAR NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (a, b));
        ALTER TABLE t ADD COLUMN x INTEGER DEFAULT 0;
    """)
    assert "PRIMARY" not in sql.upper() and "UNIQUE" not in sql.upper()
    assert "id VARCHAR NOT NULL" in sql and "n DECIMAL(10, 2) DEFAULT 0" in sql
    assert keys == [Key("t", ("id",), "primary key"), Key("t", ("url",), "unique"),
                    Key("u", ("a", "b"), "primary key")]
    for unsupported in ("CREATE INDEX i ON t (url)", "CREATE SEQUENCE s",
                        "CREATE TABLE v (n INTEGER CHECK (n > 0))",
                        "CREATE TABLE w (id VARCHAR REFERENCES t (id))"):
        with pytest.raises(LakeError, match="equivalent"):
            lake_ddl(unsupported)


def test_migrations_give_the_lake_the_schema_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = ("SELECT table_name, column_name, data_type FROM information_schema.columns "
             "WHERE table_catalog = current_database() AND table_schema = 'main' "
             "AND table_name NOT IN ('schema_keys') ORDER BY ALL")
    connect_writer(tmp_path / "file.duckdb").close()
    in_file = rows(tmp_path / "file.duckdb", query)
    use_lake(monkeypatch, tmp_path)
    con = connect_writer(tmp_path / "lake.duckdb")
    try:
        assert con.execute(query).fetchall() == in_file
        keys = {(k.table, k.columns) for k in declared_keys(con)}
        assert {("articles", ("id",)), ("articles", ("canonical_url",)), ("pages", ("url",)),
                ("crawl_runs", ("run_id", "source")), ("alerts", ("rule", "article_id",
                                                               "channel"))} <= keys
        assert duplicate_keys(con) == {}
        assert_a_duplicate_is_found(con)
    finally:
        con.close()
    connect_writer(tmp_path / "lake.duckdb").close()  # opening again migrates nothing twice
    assert rows(tmp_path / "lake.duckdb", "SELECT count(*) FROM schema_migrations") == \
        rows(tmp_path / "file.duckdb", "SELECT count(*) FROM schema_migrations")



def test_a_sqlite_catalog_goes_to_wal_mode_after_a_writer_lets_go(tmp_path: Path) -> None:
    """SQLite answers "database is locked" at once, without its busy timeout, to a switch to WAL
    mode while another connection writes (the CI run where two writers opened a new lake lost
    it): the switch waits for the writer instead, and a catalog already in WAL mode is left."""
    import sqlite3
    import threading

    from warehouse.lake import _sqlite_is_wal, _sqlite_wal

    path = tmp_path / "catalog.sqlite"
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("CREATE TABLE t (i INTEGER)")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(sqlite3.OperationalError, match="locked"):  # what SQLite alone does
        sqlite3.connect(path, timeout=5).execute("PRAGMA journal_mode=WAL")
    threading.Timer(0.5, lambda: writer.execute("COMMIT")).start()
    _sqlite_wal(path)
    assert _sqlite_is_wal(path)
    writer.close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # already WAL: nothing to wait for
    started = time.monotonic()
    _sqlite_wal(path, patience=0.2)
    assert time.monotonic() - started < 0.2
    writer.execute("ROLLBACK")
    writer.close()


def test_a_sqlite_catalog_held_too_long_is_named(tmp_path: Path) -> None:
    import sqlite3

    from warehouse.lake import _sqlite_wal

    path = tmp_path / "catalog.sqlite"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("CREATE TABLE t (i INTEGER)")
    writer.execute("BEGIN IMMEDIATE")
    with pytest.raises(LakeError, match="another process holds it"):
        _sqlite_wal(path, patience=0.3)
    writer.execute("ROLLBACK")
    writer.close()

MIGRATE = """
import sys, time
from pathlib import Path
from warehouse.db import connect_writer
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.01)
connect_writer(Path(sys.argv[1])).close()
"""


@pytest.mark.slow
def test_two_writers_opening_a_new_lake_at_once_migrate_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_lake(monkeypatch, tmp_path)
    db, go = tmp_path / "pantau.duckdb", tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", MIGRATE, str(db), str(go)], cwd=REPO,
                              stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)}) for _ in range(2)]
    time.sleep(2)
    go.touch()
    for proc in procs:
        assert proc.wait(120) == 0, proc.communicate()[1][-3000:]
    assert rows(db, "SELECT count(*), count(DISTINCT version) FROM schema_migrations") == \
        rows(db, "SELECT count(*), count(*) FROM schema_migrations")
    con = connect_reader(db)
    try:
        assert duplicate_keys(con) == {}
        assert len(declared_keys(con)) == len({(k.table, k.columns) for k in declared_keys(con)})
    finally:
        con.close()


# -- staged runs of several outlets -----------------------------------------------------------

OUTLETS = {"contoh": "contoh.id", "kabar": "kabar.id"}


def sources_yaml(path: Path) -> Path:
    path.write_text("sources:\n" + "".join(
        f"  - name: {name}\n    url: https://{host}/\n    feeds: [https://{host}/rss]\n"
        for name, host in OUTLETS.items()), encoding="utf-8")
    return path


def stage_outlet(staging: Path, run_id: str, name: str, n: int, edition: int = 1) -> None:
    """``n`` article pages of outlet ``name`` for ``run_id``; ``edition`` 2 changes every text."""
    host = OUTLETS[name]
    fetched = f"2026-11-2{edition}T19:00:30+00:00"
    writer = StagingWriter(staging, run_id, name)
    for i in range(n):
        paras = PARAS if edition == 1 else [*PARAS, f"Pembaruan ke-{edition} berita {i}."]
        html = article_html(f"Berita {name} nomor {i} edisi", paras)
        writer.write({
            "type": "page", "source": name, "url": f"https://{host}/berita/{i}",
            "final_url": f"https://{host}/berita/{i}", "status": 200,
            "headers": {"content-type": "text/html; charset=utf-8"}, "fetched_at": fetched,
            "encoding": "utf-8", "html": html, "discovered_via": "feed", "hints": {},
        })
    writer.close()
    write_stats(staging, run_id, name, {
        "source": name, "run_id": run_id, "started_at": fetched, "finished_at": fetched,
        "requests": n, "bytes": 1000, "pages": n, "errors": 0, "status_counts": {"200": n},
        "crawl_error": None,
    })


def settings_for(tmp_path: Path) -> Settings:
    return Settings(db=tmp_path / "data" / "pantau.duckdb",
                    sources=sources_yaml(tmp_path / "sources.yaml"),
                    staging=tmp_path / "data" / "staging", rules=REPO / "rules.yaml",
                    outbox=tmp_path / "data" / "outbox.jsonl")


LOAD = """
import json, logging, sys, time
from pathlib import Path
logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
from core.settings import Settings
from pantau.steps import load_step
s = json.loads(sys.argv[1])
settings = Settings(db=Path(s["db"]), sources=Path(s["sources"]), staging=Path(s["staging"]),
                    rules=Path(s["rules"]), outbox=Path(s["outbox"]))
go = Path(sys.argv[3])
while not go.exists():
    time.sleep(0.01)
started = time.time()
summary = load_step(settings, sys.argv[2], workers=1)
print(json.dumps({"started": started, "ended": time.time(), "new": summary.new_articles,
                  "updated": summary.updated_articles}))
"""


def start_load(settings: Settings, run_id: str, go: Path) -> subprocess.Popen[str]:
    arg = json.dumps({k: str(getattr(settings, k)) for k in
                      ("db", "sources", "staging", "rules", "outbox")})
    return subprocess.Popen([sys.executable, "-c", LOAD, arg, run_id, str(go)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})


def finish(proc: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-3000:]
    done = dict(json.loads(out.strip().splitlines()[-1]))
    done["retries"] = err.count("commit conflicted with another writer")
    return done


def concurrent_loads(settings: Settings, tmp_path: Path, n: int) -> int:
    """Night 1 of both outlets in one load; night 2 (every text changed) of each outlet in its
    own process, both at once: the second night's loads update rows of the same tables. The
    lake's snapshot after night 1."""
    from pantau.steps import load_step

    for name in OUTLETS:
        stage_outlet(settings.staging, "night-1", name, n)
    first = load_step(settings, "night-1", workers=1)
    assert first.new_articles == 2 * n
    [(night_1,)] = rows(settings.db, "SELECT max(snapshot_id) FROM lake.snapshots()")
    go = tmp_path / "go"
    procs = {}
    for name in OUTLETS:
        stage_outlet(settings.staging, f"night-2-{name}", name, n, edition=2)
        procs[name] = start_load(settings, f"night-2-{name}", go)
    time.sleep(2)  # both have imported pantau and wait at the line
    go.touch()
    done = {name: finish(proc) for name, proc in procs.items()}
    spans = sorted((d["started"], d["ended"]) for d in done.values())
    print(f"\nconcurrent loads of {n} changed articles each: " + ", ".join(
        f"{name} {d['ended'] - d['started']:.1f} s ({d['retries']} commit retries)"
        for name, d in done.items()))
    assert spans[1][0] < spans[0][1], f"the loads did not overlap: {spans}"
    assert all(d["updated"] == n for d in done.values()), done

    # 0 lost, 0 duplicated: every article once, in its second version, its first one kept
    assert rows(settings.db, "SELECT source, count(*), count(DISTINCT canonical_url), "
                             "min(version), max(version) FROM articles GROUP BY 1 ORDER BY 1") \
        == [(name, n, n, 2, 2) for name in sorted(OUTLETS)]
    assert rows(settings.db, "SELECT count(*), count(DISTINCT (article_id, version)) "
                             "FROM article_versions") == [(2 * n, 2 * n)]
    assert rows(settings.db, "SELECT count(*) FROM pages") == [(2 * n,)]
    assert sorted(rows(settings.db, "SELECT run_id, source FROM crawl_runs")) == sorted(
        [("night-1", name) for name in OUTLETS] + [(f"night-2-{name}", name)
                                                  for name in OUTLETS])
    con = connect_reader(settings.db)
    try:
        assert duplicate_keys(con) == {}
    finally:
        con.close()
    return int(night_1)


@pytest.mark.slow
def test_two_loads_from_two_processes_commit_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_lake(monkeypatch, tmp_path)
    concurrent_loads(settings_for(tmp_path), tmp_path, n=40)


READER = """
import sys, time
from pathlib import Path
from warehouse.db import connect_reader
go = Path(sys.argv[2])
start = time.monotonic()
con = connect_reader(Path(sys.argv[1]))  # one reader (pantau sql, search …) open all along
opened = time.monotonic() - start
waits = []
while not go.exists():
    start = time.monotonic()
    n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    waits.append((time.monotonic() - start, n))
    time.sleep(0.05)
con.close()
print(max(w for w, _ in waits), len(waits), opened, sorted({n for _, n in waits}))
"""


def reader_during_load(settings: Settings, tmp_path: Path) -> None:
    """A reader process queries all through a load of 600 articles: no query waits for it, and
    it sees the lake before the load's commit, then after, nothing between.

    "Waits" is measured against the load: a reader held up by the load would wait most of its
    several seconds, while a busy shared machine stalls a query for at most about a second
    (the CI run where a 60-article load took 1.3 s saw one query of 1.02 s)."""
    from pantau.steps import load_step

    stage_outlet(settings.staging, "night-1", "contoh", 5)
    load_step(settings, "night-1", workers=1)
    stage_outlet(settings.staging, "night-2", "kabar", 600)
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(settings.db), str(stop)],
                              cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    time.sleep(3)  # the reader is querying
    started = time.monotonic()
    load_step(settings, "night-2", workers=1)
    took = time.monotonic() - started
    time.sleep(0.5)
    stop.touch()
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err[-3000:]
    slowest, queries, opened, counts = out.split(maxsplit=3)
    print(f"\nload {took:.1f} s; {queries} reader queries meanwhile, the slowest "
          f"{float(slowest):.3f} s (opening the reader {float(opened):.2f} s); counts seen "
          f"{counts}")
    assert took > 2.0, "the load is too short to tell a wait from a stall"
    assert float(slowest) < min(2.0, took / 2)
    assert counts.strip() == "[5, 605]"  # before the load's commit, then after: nothing between


@pytest.mark.slow
def test_a_reader_does_not_wait_for_a_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A DuckDB file makes readers wait for the writer (up to PANTAU_LOCK_WAIT); on a lake a
    query during a load reads the last committed snapshot at once."""
    use_lake(monkeypatch, tmp_path)
    reader_during_load(settings_for(tmp_path), tmp_path)


# -- time travel and moving a file in ---------------------------------------------------------


def test_sql_at_reads_an_earlier_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pantau.steps import load_step

    db = tmp_path / "data" / "pantau.duckdb"
    runner = CliRunner()
    connect_writer(db).close()
    refused = runner.invoke(cli, ["--db", str(db), "sql", "SELECT 1", "--at", "1"])
    assert refused.exit_code != 0 and "needs a DuckLake" in str(refused.exception)

    use_lake(monkeypatch, tmp_path)
    settings = settings_for(tmp_path)
    stage_outlet(settings.staging, "night-1", "contoh", 3)
    load_step(settings, "night-1", workers=1)
    [(snapshot, moment)] = rows(db, "SELECT snapshot_id, snapshot_time FROM lake.snapshots() "
                                    "ORDER BY snapshot_id DESC LIMIT 1")
    time.sleep(1.1)
    stage_outlet(settings.staging, "night-2", "kabar", 4)
    load_step(settings, "night-2", workers=1)

    def count(*at: str) -> str:
        result = runner.invoke(cli, ["--db", str(db), "sql", "SELECT count(*) AS n FROM articles",
                                     "--format", "csv", *at])
        assert result.exit_code == 0, result.output + str(result.exception)
        return result.output.split()[-1]

    assert count() == "7"
    assert count("--at", str(snapshot)) == "3"
    assert count("--at", moment.isoformat()) == "3"
    bad = runner.invoke(cli, ["--db", str(db), "sql", "SELECT 1", "--at", "yesterday"])
    assert bad.exit_code != 0 and "snapshot id" in str(bad.exception)


def test_migrate_warehouse_moves_a_duckdb_file_into_a_lake(
    demo_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PANTAU_WAREHOUSE", raising=False)
    db = tmp_path / "pantau.duckdb"
    shutil.copyfile(demo_warehouse, db)
    tables = ("articles", "article_versions", "pages", "crawl_runs", "alerts", "sources",
              "near_duplicates", "article_removals")
    before = {t: sorted(rows(db, f"SELECT * FROM {t}"), key=repr) for t in tables}
    assert before["articles"] and before["alerts"]
    runner = CliRunner()
    refused = runner.invoke(cli, ["--db", str(db), "migrate-warehouse"])
    assert refused.exit_code != 0 and "PANTAU_WAREHOUSE" in refused.output

    use_lake(monkeypatch, tmp_path)
    moved = runner.invoke(cli, ["--db", str(db), "migrate-warehouse"])
    assert moved.exit_code == 0, moved.output + str(moved.exception)
    assert f"articles: {len(before['articles'])} rows" in moved.output
    after = {t: sorted(rows(db, f"SELECT * FROM {t}"), key=repr) for t in tables}
    assert after == before
    again = runner.invoke(cli, ["--db", str(db), "migrate-warehouse"])
    assert again.exit_code != 0 and "already holds rows" in str(again.exception)
    # the file itself is still the DuckDB warehouse it was
    monkeypatch.delenv("PANTAU_WAREHOUSE")
    assert rows(db, "SELECT count(*) FROM articles") == [(len(before["articles"]),)]


def test_a_missing_lake_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_lake(monkeypatch, tmp_path)
    with pytest.raises(WarehouseError, match="no DuckLake warehouse here yet"):
        connect_reader(tmp_path / "pantau.duckdb")


def test_the_weekly_compaction_merges_a_lakes_small_files_and_keeps_its_snapshots(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a lake the weekly ``checkpoint`` task's CHECKPOINT is DuckLake's own maintenance: the
    small files of the nightly loads are merged (a ``merge_adjacent`` snapshot), every earlier
    snapshot stays readable (``--at``), and the size report counts the lake's data files."""
    from pantau.maintenance import compact_warehouse
    from pantau.steps import load_step

    use_lake(monkeypatch, tmp_path)
    settings = settings_for(tmp_path)
    for night in (1, 2, 3):
        stage_outlet(settings.staging, f"r{night}", "kabar", 2, edition=night)
        load_step(settings, f"r{night}", workers=1)
    con = connect_reader(settings.db)
    try:
        before = con.execute("SELECT max(snapshot_id) FROM ducklake_snapshots('lake')").fetchone()
    finally:
        con.close()
    result = compact_warehouse(settings)
    con = connect_reader(settings.db)
    try:
        changes = [r[0] for r in con.execute(
            "SELECT changes FROM ducklake_snapshots('lake') WHERE snapshot_id > ?",
            [before[0]]).fetchall()]
    finally:
        con.close()
    assert any("merge_adjacent" in change for change in changes), changes
    assert result["after"]["file_bytes"] > 0 and result["after"]["articles"] > 0
    old = connect_reader(settings.db, at=str(before[0]))
    try:
        assert old.execute("SELECT count(*) FROM articles").fetchone()[0] > 0
    finally:
        old.close()
