"""Compaction of the raw archive: nights the real pipeline crawled from the fixture web are folded
into one file per ISO week; reprocess reads them, every warehouse archive path resolves, a second
compaction changes nothing, and a crash between the steps leaves everything readable."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core.settings import Settings
from pantau import maintenance
from pantau.maintenance import compact_archive, missing_archives
from pantau.steps import crawl_step, reprocess_step, run_step
from staging import (
    ArchiveBusy,
    ArchiveWriter,
    archive_files,
    archive_lock,
    compaction,
    iter_records,
    list_runs,
    read_archive_header,
    read_stats,
    run_dir,
    stats_path,
    week_archive_path,
)
from tests.conftest import TEST_RULES
from warehouse import archive_paths as warehouse_archive_paths
from warehouse.db import connect_reader, connect_writer
from warehouse.reprocess import latest_fetches

pytestmark = pytest.mark.slow

# The nights crawled (as of these moments, UTC) and, in this test, also when their crawl started.
NIGHTS = {f"night-{d}": datetime(2026, 11, d, 19, 0, tzinfo=UTC) for d in (14, 15, 16, 17, 18, 19)}
NOW = datetime(2026, 11, 26, 0, 0, tzinfo=UTC)  # 7 days back: the 19th is too recent
OLD = ["night-14", "night-15", "night-16", "night-17", "night-18"]
UNLOADED = "night-unloaded"  # crawled on the 15th, never loaded
WEEKS = {"2026-W46": ["night-14", "night-15"], "2026-W47": ["night-16", "night-17", "night-18"]}


def _backdate(settings: Settings, run_id: str, moment: datetime) -> None:
    """Pretend the run's crawl started at ``moment`` (the pipeline ran today)."""
    for path in run_dir(settings.staging, run_id).glob("*.stats.json"):
        stats = read_stats(path)
        stats["started_at"] = moment.isoformat()
        path.write_text(json.dumps(stats), "utf-8")


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory, fixture_web: Any) -> Settings:
    """Six nights of the real pipeline over the time-travelling fixture web, plus a crawl that
    was never loaded; built once, copied per test."""
    tmp = tmp_path_factory.mktemp("compaction")
    rules = tmp / "rules.yaml"
    rules.write_text(TEST_RULES, encoding="utf-8")
    settings = Settings(db=tmp / "data" / "pantau.duckdb",
                        sources=Path(fixture_web.write_sources_yaml(tmp / "sources.yaml")),
                        staging=tmp / "data" / "staging", rules=rules,
                        outbox=tmp / "data" / "outbox.jsonl", allow_private_hosts=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PANTAU_DOWNLOAD_DELAY", "0")
        for run_id, moment in NIGHTS.items():
            run_step(replace(settings, as_of=moment), run_id=run_id, workers=1)
            _backdate(settings, run_id, moment)
        crawl_step(replace(settings, as_of=NIGHTS["night-19"]), UNLOADED)
        _backdate(settings, UNLOADED, NIGHTS["night-15"])
    return settings


def copy_of(nights: Settings, folder: Path) -> Settings:
    """A copy of the nights' data folder whose warehouse names the copied staging files."""
    shutil.copytree(nights.db.parent, folder / "data")
    copy = replace(nights, db=folder / "data" / "pantau.duckdb",
                   staging=folder / "data" / "staging", outbox=folder / "data" / "o.jsonl")
    con = connect_writer(copy.db)
    try:
        for table in ("pages", "articles", "article_versions"):
            con.execute(f"UPDATE {table} SET archive = replace(archive, ?, ?)",
                        [str(nights.staging), str(copy.staging)])
    finally:
        con.close()
    return copy


@pytest.fixture()
def settings(nights: Settings, tmp_path: Path) -> Settings:
    return copy_of(nights, tmp_path)


def compact(settings: Settings) -> maintenance.CompactionSummary:
    return compact_archive(settings, now=NOW, after_days=7)


@pytest.fixture(scope="module")
def reference(nights: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The nights compacted once, cleanly: what every crash-and-rerun must end with."""
    settings = copy_of(nights, tmp_path_factory.mktemp("reference"))
    compact(settings)
    return settings


def archive_paths(settings: Settings) -> Counter[str]:
    con = connect_reader(settings.db)
    try:
        rows = con.execute(
            "SELECT archive FROM pages UNION ALL SELECT archive FROM articles "
            "UNION ALL SELECT archive FROM article_versions").fetchall()
    finally:
        con.close()
    return Counter(str(Path(r[0]).relative_to(settings.staging)) for r in rows if r[0])


def reprocess_view(settings: Settings) -> set[tuple[str, str]]:
    """(url, fetched_at) of every fetch reprocess would re-extract."""
    return {pair for pairs in latest_fetches(settings.staging).values() for pair in pairs}


def week_records(path: Path) -> Counter[tuple[Any, ...]]:
    return Counter((r.get("type"), r.get("run_id"), r.get("url"), r.get("fetched_at"),
                    r.get("source")) for r in iter_records(path) if r.get("type") != "archive")


def run_records(settings: Settings, run_id: str) -> Counter[tuple[Any, ...]]:
    got: Counter[tuple[Any, ...]] = Counter()
    folder = run_dir(settings.staging, run_id)
    for path in sorted(folder.glob("*.jsonl.gz")):
        got.update((r.get("type"), run_id, r.get("url"), r.get("fetched_at"), r.get("source"))
                   for r in iter_records(path))
    got.update(("log", run_id, None, None, p.name[:-4]) for p in folder.glob("*.log"))
    return got


def final_state(settings: Settings) -> tuple[Any, ...]:
    """What must be the same after a clean compaction and after a crash plus a rerun."""
    files = sorted(str(p.relative_to(settings.staging)) for p in settings.staging.rglob("*")
                   if p.is_file() and ".crawlcache" not in p.parts and p.name != ".archive.lock")
    weeks = {p.name: week_records(p) for p in archive_files(settings.staging)}
    headers = {p.name: [r["folder"] for r in read_archive_header(p)["runs"]]
               for p in archive_files(settings.staging)}
    return files, weeks, headers, archive_paths(settings)


def test_old_loaded_nights_become_one_archive_per_week(settings: Settings) -> None:
    before_view = reprocess_view(settings)
    before_records = {w: sum((run_records(settings, r) for r in runs), Counter())
                      for w, runs in WEEKS.items()}
    old_files = [p for r in OLD for p in run_dir(settings.staging, r).iterdir()]
    assert missing_archives(settings) == []

    summary = compact(settings)

    assert sorted(summary.runs_compacted) == OLD
    assert summary.weeks == ["2026-W46", "2026-W47"]
    assert summary.runs_too_recent == 1  # night-19
    assert summary.runs_kept_unloaded == [UNLOADED]
    assert summary.files_before == len(old_files)
    assert summary.bytes_before > summary.bytes_after > 0
    assert summary.files_after == 2
    weeks = archive_files(settings.staging)
    assert [p.name for p in weeks] == ["2026-W46.jsonl.gz", "2026-W47.jsonl.gz"]
    assert summary.bytes_after == sum(p.stat().st_size for p in weeks)
    assert [p.name for p in list_runs(settings.staging)] == ["night-19", UNLOADED]

    for week, runs in WEEKS.items():
        path = week_archive_path(settings.staging, week)
        header = read_archive_header(path)
        assert header["week"] == week and [r["run_id"] for r in header["runs"]] == runs
        assert all(set(r["outlets"]) == {"beritaturki", "detakpos", "iphedia"}
                   for r in header["runs"])
        assert week_records(path) == before_records[week]  # every record, nothing twice
    assert summary.records == sum(sum(c.values()) for c in before_records.values())
    assert summary.duplicates_dropped == 0  # the crawler fetched no page twice unchanged

    # the warehouse names the week archives; every path exists
    assert missing_archives(settings) == []
    paths = archive_paths(settings)
    assert {p.split("/")[0] for p in paths} == {"archive", "night-19"}
    assert summary.archive_paths_moved == sum(n for p, n in paths.items()
                                              if p.startswith("archive/"))
    # reprocess sees the same fetches, now in the week files
    assert reprocess_view(settings) == before_view


def test_reprocess_works_from_the_compacted_archive(settings: Settings) -> None:
    """Reprocess re-reads the week archives: articles it finds missing in the warehouse (as if
    an older extractor had missed them) come back, and name the week file they came from."""
    compact(settings)
    same = reprocess_step(settings, workers=1)
    assert same.pages == len(reprocess_view(settings)) and same.articles_changed == 0

    con = connect_writer(settings.db)
    try:
        gone = con.execute(
            "DELETE FROM articles WHERE archive LIKE '%/archive/2026-W47.jsonl.gz' "
            "RETURNING canonical_url").fetchall()
    finally:
        con.close()
    assert gone
    done = reprocess_step(settings, workers=1)
    assert done.articles_added == len(gone)
    con = connect_reader(settings.db)
    try:
        back = con.execute("SELECT archive FROM articles WHERE canonical_url IN "
                           f"({', '.join('?' * len(gone))})", [g[0] for g in gone]).fetchall()
    finally:
        con.close()
    assert len(back) == len(gone)
    assert {Path(a).relative_to(settings.staging).as_posix() for (a,) in back} == {
        "archive/2026-W47.jsonl.gz"}
    assert missing_archives(settings) == []


def test_second_compaction_changes_nothing(settings: Settings) -> None:
    compact(settings)
    state = final_state(settings)
    stamps = {p: p.stat().st_mtime_ns for p in archive_files(settings.staging)}
    again = compact(settings)
    assert again.runs_compacted == [] and again.weeks == []
    assert (again.files_before, again.bytes_before, again.files_after, again.bytes_after,
            again.archive_paths_moved) == (0, 0, 0, 0, 0)
    assert final_state(settings) == state
    assert {p: p.stat().st_mtime_ns for p in archive_files(settings.staging)} == stamps


def test_a_later_compaction_adds_runs_to_their_week(
    settings: Settings, reference: Settings
) -> None:
    first = compact_archive(settings, now=NOW, after_days=10)  # crawled by the 16th 00:00
    assert first.weeks == ["2026-W46"] and sorted(first.runs_compacted) == WEEKS["2026-W46"]
    assert compact_archive(settings, now=NOW, after_days=9).runs_compacted == ["night-16"]
    w47 = week_archive_path(settings.staging, "2026-W47")
    with_one = w47.stat().st_size
    later = [p for r in ("night-17", "night-18") for p in run_dir(settings.staging, r).iterdir()]
    later_bytes = sum(p.stat().st_size for p in later)
    last = compact(settings)
    assert sorted(last.runs_compacted) == ["night-17", "night-18"]
    # the W47 file was rewritten with all three nights: it counts as replaced
    assert last.files_before == len(later) + 1 and last.files_after == 1
    assert last.bytes_before == with_one + later_bytes
    assert last.bytes_after == w47.stat().st_size
    assert [r["run_id"] for r in read_archive_header(w47)["runs"]] == WEEKS["2026-W47"]
    assert final_state(settings) == final_state(reference)  # as if compacted at once
    assert missing_archives(settings) == []


def crash_once(monkeypatch: pytest.MonkeyPatch, target: Any, name: str) -> None:
    """Make ``target.name`` raise the first time it is called (a crash at that point)."""
    original = getattr(target, name)
    calls = {"n": 0}

    def crashing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise KeyboardInterrupt(f"simulated crash in {name}")
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, crashing)


CRASH_POINTS: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    # the .part file is written and verified, not yet renamed over the week file
    "before_publish": lambda mp: crash_once(mp, ArchiveWriter, "publish"),
    # week files published, warehouse paths not moved yet
    "before_transaction": lambda mp: crash_once(mp, warehouse_archive_paths, "move_archive_paths"),
    # paths moved (committed), no run folder deleted yet
    "before_deletion": lambda mp: crash_once(mp, compaction, "_remove_run"),
    # a run folder renamed to .compacted-*, its deletion interrupted
    "mid_deletion": lambda mp: crash_once(mp, compaction.shutil, "rmtree"),
}


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_a_crash_at_any_step_leaves_everything_readable_and_a_rerun_finishes(
    settings: Settings, reference: Settings, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    view = reprocess_view(settings)
    with monkeypatch.context() as mp:
        CRASH_POINTS[point](mp)
        with pytest.raises(KeyboardInterrupt, match="simulated crash"):
            compact(settings)
    assert missing_archives(settings) == []  # every archive path still names a file
    assert reprocess_view(settings) == view  # and reprocess reads every fetch

    again = compact(settings)
    assert again.weeks == ["2026-W46", "2026-W47"]
    assert missing_archives(settings) == []
    assert reprocess_view(settings) == view
    assert final_state(settings) == final_state(reference)
    assert not list(settings.staging.glob(".compacted-*"))
    assert not list((settings.staging / "archive").glob("*.part"))


def test_not_loaded_runs_and_unknown_files_are_never_compacted(settings: Settings) -> None:
    stray = run_dir(settings.staging, "night-14") / "notes.txt"
    stray.write_text("catatan operator", "utf-8")
    # an outlet of night-15 that staged but was not loaded (no crawl_runs row)
    extra = stats_path(settings.staging, "night-15", "tambahan")
    extra.write_text(json.dumps({"run_id": "night-15", "source": "tambahan",
                                 "started_at": NIGHTS["night-15"].isoformat()}), "utf-8")
    summary = compact_archive(settings, now=NOW, after_days=0)
    assert summary.runs_skipped == ["night-14"]
    assert sorted(summary.runs_kept_unloaded) == ["night-15", UNLOADED]
    assert sorted(summary.runs_compacted) == ["night-16", "night-17", "night-18", "night-19"]
    assert stray.exists() and extra.exists()
    assert (run_dir(settings.staging, UNLOADED)).is_dir()
    assert missing_archives(settings) == []


def test_compaction_waits_for_a_running_reprocess(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PANTAU_LOCK_WAIT", "0.5")
    with archive_lock(settings.staging, exclusive=False, wait_seconds=1), \
            pytest.raises(ArchiveBusy, match="reprocess or another compaction"):
        compact(settings)
    assert compact(settings).runs_compacted  # the lock is free again
