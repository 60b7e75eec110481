"""Compaction keeps a page fetched again with identical content once, as its latest fetch, and
lists the dropped fetches; reprocess and every warehouse archive path keep working."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core.settings import Settings
from pantau.maintenance import compact_archive, missing_archives
from staging import (
    DamagedFile,
    archive_files,
    iter_records,
    read_archive_header,
    run_dir,
    week_archive_path,
)
from tests.warehouse.staged import PARAS, SOURCE, article_html, page, stage
from warehouse.db import connect_reader, connect_writer
from warehouse.loader import load_run
from warehouse.reprocess import latest_fetches, reprocess_archive

pytestmark = pytest.mark.usefixtures("warehouse_backend")

URL_A = "https://contoh.id/berita/1"
URL_B = "https://contoh.id/berita/2"
HTML_A = article_html("Banjir di Jakarta", PARAS)
HTML_A2 = article_html("Banjir di Jakarta", [*PARAS[:3], "Paragraf tambahan dari redaksi."])
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def error(url: str, fetched_at: str) -> dict[str, Any]:
    return {"type": "error", "source": "contoh", "url": url, "status": 503,
            "error": "HTTP 503", "fetched_at": fetched_at}


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(db=tmp_path / "w.duckdb", sources=tmp_path / "sources.yaml",
                    staging=tmp_path / "staging", rules=tmp_path / "rules.yaml",
                    outbox=tmp_path / "o.jsonl")


def load(settings: Settings, run_id: str, records: list[dict[str, Any]]) -> None:
    stage(settings.staging, run_id, records)  # crawl started 2026-11-20: week 47
    con = connect_writer(settings.db)
    try:
        load_run(con, settings.staging, run_id, [SOURCE], workers=1)
    finally:
        con.close()


def fetches_of(path: Path, url: str) -> list[tuple[str, str, list[dict[str, str]]]]:
    return [(r["run_id"], r["fetched_at"], r.get("duplicates", []))
            for r in iter_records(path) if r.get("type") == "page" and r["url"] == url]


def reprocessed(settings: Settings) -> tuple[int, int]:
    got = reprocess_archive(lambda: connect_writer(settings.db), settings.staging, [SOURCE],
                            workers=1)
    return got.pages, got.articles_changed


def test_identical_refetches_are_kept_once_as_the_latest(settings: Settings) -> None:
    load(settings, "r1", [page(URL_A, HTML_A, "2026-11-20T19:00:30+00:00"),
                          page(URL_B, article_html("Gempa di Bali", PARAS[::-1]),
                               "2026-11-20T19:00:31+00:00")])
    load(settings, "r2", [page(URL_A, HTML_A, "2026-11-21T19:00:30+00:00"),  # unchanged
                          error("https://contoh.id/berita/3", "2026-11-21T19:00:40+00:00")])
    load(settings, "r3", [page(URL_A, HTML_A2, "2026-11-22T19:00:30+00:00")])  # edited
    view = latest_fetches(settings.staging)
    assert reprocessed(settings) == (2, 0)

    summary = compact_archive(settings, now=NOW, after_days=0)
    assert summary.runs_compacted == ["r1", "r2", "r3"] and summary.weeks == ["2026-W47"]
    assert summary.duplicates_dropped == 1
    week = week_archive_path(settings.staging, "2026-W47")
    assert fetches_of(week, URL_A) == [
        ("r2", "2026-11-21T19:00:30+00:00",
         [{"run_id": "r1", "fetched_at": "2026-11-20T19:00:30+00:00"}]),
        ("r3", "2026-11-22T19:00:30+00:00", []),
    ]
    kinds = sorted(r["type"] for r in iter_records(week))
    assert kinds == ["archive", "error", "page", "page", "page"]
    assert summary.records == 4  # the header is not a record
    # version 1 of article A pointed at r1's file: it now names the week, which still has
    # its content (the r2 fetch)
    assert missing_archives(settings) == []
    con = connect_reader(settings.db)
    try:
        versions = con.execute("SELECT archive FROM article_versions").fetchall()
    finally:
        con.close()
    assert versions == [(str(week),)]
    assert {(u, f) for pairs in latest_fetches(settings.staging).values() for u, f in pairs} \
        == {(u, f) for pairs in view.values() for u, f in pairs}
    assert reprocessed(settings) == (2, 0)


def test_a_later_run_of_the_week_merges_with_earlier_duplicates(settings: Settings) -> None:
    load(settings, "r1", [page(URL_A, HTML_A, "2026-11-20T19:00:30+00:00")])
    load(settings, "r2", [page(URL_A, HTML_A, "2026-11-21T19:00:30+00:00")])
    compact_archive(settings, now=NOW, after_days=0)
    load(settings, "r3", [page(URL_A, HTML_A2, "2026-11-22T19:00:30+00:00")])
    load(settings, "r4", [page(URL_A, HTML_A, "2026-11-23T19:00:30+00:00")])  # edit undone
    summary = compact_archive(settings, now=NOW, after_days=0)
    assert summary.runs_compacted == ["r3", "r4"] and summary.duplicates_dropped == 1
    assert summary.files_before == 1 + 2 * 2  # the old week file, two records + two stats
    week = week_archive_path(settings.staging, "2026-W47")
    assert [r["run_id"] for r in read_archive_header(week)["runs"]] == ["r1", "r2", "r3", "r4"]
    assert fetches_of(week, URL_A) == [
        ("r3", "2026-11-22T19:00:30+00:00", []),
        ("r4", "2026-11-23T19:00:30+00:00",
         [{"run_id": "r1", "fetched_at": "2026-11-20T19:00:30+00:00"},
          {"run_id": "r2", "fetched_at": "2026-11-21T19:00:30+00:00"}]),
    ]
    assert missing_archives(settings) == []
    assert reprocessed(settings) == (1, 0)


def test_a_damaged_week_archive_is_not_rewritten(settings: Settings) -> None:
    load(settings, "r1", [page(URL_A, HTML_A, "2026-11-20T19:00:30+00:00")])
    compact_archive(settings, now=NOW, after_days=0)
    week = week_archive_path(settings.staging, "2026-W47")
    week.write_bytes(week.read_bytes()[:-20])  # torn on disk
    with pytest.raises(DamagedFile):
        list(iter_records(week, strict=True))
    load(settings, "r2", [page(URL_B, HTML_A2, "2026-11-21T19:00:30+00:00")])
    summary = compact_archive(settings, now=NOW, after_days=0)
    assert summary.runs_skipped == ["r2"] and summary.runs_compacted == []
    assert run_dir(settings.staging, "r2").is_dir()  # its pages stay where they were
    assert archive_files(settings.staging) == [week]
    assert missing_archives(settings) == []


def test_archive_is_no_run_id(settings: Settings) -> None:
    with pytest.raises(ValueError, match="reserved"):
        stage(settings.staging, "archive", [page(URL_A, HTML_A, "2026-11-20T19:00:30+00:00")])


def test_pantau_compact_command(settings: Settings) -> None:
    load(settings, "r1", [page(URL_A, HTML_A, "2026-11-20T19:00:30+00:00")])
    load(settings, "r2", [page(URL_A, HTML_A, "2026-11-21T19:00:30+00:00")])
    env = {**os.environ, "PANTAU_STAGING": str(settings.staging)}
    env.pop("PANTAU_COMPACT_AFTER_DAYS", None)

    def pantau(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pantau", "--db", str(settings.db), *args],
                              capture_output=True, text=True, env=env, timeout=120)

    waiting = pantau("compact", "--after-days", "36500")
    assert waiting.returncode == 0 and "nothing to compact (2 runs too recent" in waiting.stdout
    done = pantau("compact", "--after-days", "0")
    assert done.returncode == 0, done.stderr
    assert "2 runs compacted into 2026-W47: 4 files" in done.stdout
    assert "1 identical re-fetches dropped" in done.stdout
    assert not run_dir(settings.staging, "r1").exists()
    assert missing_archives(settings) == []
    bad = pantau("compact", "--after-days", "-1")
    assert bad.returncode != 0 and "-1" in bad.stderr
