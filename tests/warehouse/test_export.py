"""Exports: monthly Parquet partitions of the articles (``pantau export --monthly``) and of a
window's tables (the weekly maintenance), read back as one dataset."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from tests.pantau.test_cli import pantau
from tests.warehouse.staged import PARAS, SOURCE, article_html, page, stage
from warehouse.db import connect_reader, connect_writer
from warehouse.export import export_articles, export_tables
from warehouse.loader import load_run

pytestmark = pytest.mark.usefixtures("warehouse_backend")

PUBLISHED = {"1": "2026-10-30T08:00:00+07:00", "2": "2026-11-01T06:30:00+07:00",
             "3": "2026-11-20T16:00:00+07:00"}


@pytest.fixture
def db(warehouse_backend: str, tmp_path: Path) -> Path:
    """A warehouse of three articles, on the test's backend (so one per test, not per module)."""
    tmp = tmp_path / "wh"
    stage(tmp / "staging", "r1", [
        page(f"https://contoh.id/berita/{k}", article_html(f"Berita {k}", PARAS, when),
             "2026-11-20T19:00:30+00:00") for k, when in PUBLISHED.items()])
    con = connect_writer(tmp / "w.duckdb")
    load_run(con, tmp / "staging", "r1", [SOURCE], workers=1)
    con.close()
    return tmp / "w.duckdb"


def months(folder: Path) -> dict[tuple[int, int], int]:
    rows = duckdb.sql(f"SELECT year, month, count(*) FROM read_parquet('{folder}/**/*.parquet', "
                      "hive_partitioning = true) GROUP BY ALL ORDER BY ALL").fetchall()
    return {(int(y), int(m)): int(n) for y, m, n in rows}


def test_monthly_partitions_by_publication_month_in_utc(db: Path, tmp_path: Path) -> None:
    con = connect_reader(db, sandbox=False)
    try:
        count = export_articles(con, tmp_path / "articles", "parquet", monthly=True)
        # 1 Nov 06:30 WIB is still 31 Oct in UTC
        assert count == 3 and months(tmp_path / "articles") == {(2026, 10): 2, (2026, 11): 1}
        assert (tmp_path / "articles" / "year=2026" / "month=10").is_dir()
        again = export_articles(con, tmp_path / "articles", "parquet", monthly=True)
        assert again == 3 and months(tmp_path / "articles") == {(2026, 10): 2, (2026, 11): 1}
        with pytest.raises(ValueError, match="Parquet"):
            export_articles(con, tmp_path / "x", "csv", monthly=True)
    finally:
        con.close()


def test_window_tables_monthly(db: Path, tmp_path: Path) -> None:
    con = connect_reader(db, sandbox=False)
    try:
        # crawl_runs are placed by loaded_at: the clock of this test's load
        start, end = datetime(2026, 11, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
        counts = export_tables(con, tmp_path / "out", start, end, monthly=True)
        flat = export_tables(con, tmp_path / "flat", start, end)
    finally:
        con.close()
    assert counts == flat == {"articles": 3, "article_versions": 0, "crawl_runs": 1}
    assert months(tmp_path / "out" / "articles") == {(2026, 11): 3}  # placed by last_seen_at
    assert (tmp_path / "flat" / "crawl_runs.parquet").is_file()


def test_cli_monthly_export(db: Path, tmp_path: Path) -> None:
    done = pantau("--db", str(db), "export", str(tmp_path / "a"), "--monthly")
    assert done.returncode == 0, done.stderr
    assert "3 articles written" in done.stdout and months(tmp_path / "a")
    refused = pantau("--db", str(db), "export", str(tmp_path / "b"), "--monthly",
                     "--format", "csv")
    assert refused.returncode != 0 and "Parquet" in refused.stderr
