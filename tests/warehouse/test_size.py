"""The warehouse's size on disk, per million articles, and the weekly CHECKPOINT."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.warehouse.staged import PARAS, SOURCE, article_html, page, stage
from warehouse.db import connect_writer
from warehouse.loader import load_run
from warehouse.size import compact, size_report


def test_size_per_million_articles_and_checkpoint(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    con = connect_writer(db)
    try:
        empty = size_report(con, db)
        assert empty["articles"] == 0 and empty["bytes_per_million_articles"] is None
        stage(tmp_path / "staging", "r1", [
            page(f"https://contoh.id/berita/{n}", article_html(f"Berita {n}", PARAS),
                 "2026-11-20T19:00:30+00:00") for n in range(4)])
        load_run(con, tmp_path / "staging", "r1", [SOURCE], workers=1)
        result = compact(con, db)
    finally:
        con.close()
    before, after = result["before"], result["after"]
    assert after["articles"] == 4
    assert after["wal_bytes"] == 0  # the WAL went into the file
    assert after["file_bytes"] == db.stat().st_size > 0
    assert after["bytes_per_million_articles"] == round(after["file_bytes"] * 250_000)
    assert before["file_bytes"] + before["wal_bytes"] > 0
    assert 0 <= after["free_block_share"] < 1


def test_the_weekly_compaction_deletes_retired_postings(tmp_path: Path) -> None:
    """A changed article's earlier version leaves postings the index no longer reads; the
    weekly compaction deletes them, and search answers the same before and after."""
    from warehouse.fts import INDEX_SCHEMA
    from warehouse.search import search_articles

    db = tmp_path / "w.duckdb"
    url = "https://contoh.id/berita/1"
    con = connect_writer(db)
    try:
        stage(tmp_path / "staging", "r1", [
            page(url, article_html("Banjir di Bekasi", PARAS), "2026-11-20T19:00:30+00:00")])
        load_run(con, tmp_path / "staging", "r1", [SOURCE], workers=1)
        stage(tmp_path / "staging", "r2", [
            page(url, article_html("Banjir di Bekasi", [*PARAS, "Ralat: angka diperbaiki."]),
                 "2026-11-21T19:00:30+00:00")])
        load_run(con, tmp_path / "staging", "r2", [SOURCE], workers=1)

        def postings() -> int:
            row = con.execute(f"SELECT count(*) FROM {INDEX_SCHEMA}.postings").fetchone()
            return int(row[0]) if row else 0

        hits_before = [h.url for h in search_articles(con, "banjir")]
        kept = postings()
        result = compact(con, db)
        assert result["retired_postings_deleted"] > 0
        assert postings() == kept - result["retired_postings_deleted"]
        assert [h.url for h in search_articles(con, "banjir")] == hits_before == [
            h.url for h in search_articles(con, "ralat")]
        assert compact(con, db)["retired_postings_deleted"] == 0
    finally:
        con.close()


def test_a_new_warehouse_is_written_in_the_current_storage_format(tmp_path: Path) -> None:
    """DuckDB writes the v1.0 format by default, in which every checkpoint rewrites the whole
    articles(id) index; pantau creates its files in the format of the DuckDB it pins."""
    db = tmp_path / "w.duckdb"
    con = connect_writer(db)
    try:
        version = size_report(con, db)["storage_version"]
    finally:
        con.close()
    assert version and not version.startswith("v1.0"), version


def test_the_compaction_names_a_warehouse_in_the_old_storage_format(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A file DuckDB created in its default (v1.0) format keeps it; the weekly compaction says
    so, with what to do."""
    import duckdb

    db = tmp_path / "old.duckdb"
    duckdb.connect(str(db)).close()  # made outside pantau, in DuckDB's default format
    con = connect_writer(db)
    try:
        with caplog.at_level("WARNING", logger="warehouse.size"):
            result = compact(con, db)
    finally:
        con.close()
    assert result["after"]["storage_version"].startswith("v1.0")
    assert "v1.0 storage format" in caplog.text and "docs/scale-out.md" in caplog.text


def test_the_nightly_writer_and_the_maintenance_have_their_own_memory_limits(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The load and alerts run under PANTAU_WRITER_MEMORY; migrations, the weekly compaction
    and reprocessing under PANTAU_MAINTENANCE_MEMORY."""
    monkeypatch.setenv("PANTAU_WRITER_MEMORY", "300MB")
    monkeypatch.setenv("PANTAU_MAINTENANCE_MEMORY", "700MB")
    db = tmp_path / "w.duckdb"
    limits = {}
    for maintenance in (False, True):
        con = connect_writer(db, maintenance=maintenance)
        try:
            limits[maintenance] = con.execute(
                "SELECT current_setting('memory_limit')").fetchone()[0]
        finally:
            con.close()
    assert limits == {False: "286.1 MiB", True: "667.5 MiB"}  # DuckDB's MiB of 300MB, 700MB
