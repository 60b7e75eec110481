"""Outlet health counts discovery failures and error rates (issue 14, item 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from staging import StagingWriter, write_stats
from tests.warehouse.staged import PARAS, SOURCE, article_html, page
from warehouse.crawler_queries import seen_urls
from warehouse.db import connect_writer
from warehouse.health import outlet_health
from warehouse.loader import load_run

pytestmark = pytest.mark.usefixtures("warehouse_backend")

T = "2026-11-20T19:00:30+00:00"
FEEDS = ["https://contoh.id/rss", "https://contoh.id/sitemap.xml", "https://contoh.id/indeks"]


def error(url: str, role: str, status: int | None = 503) -> dict:
    return {"type": "error", "source": "contoh", "url": url, "status": status,
            "error": f"HTTP {status}" if status else "connection refused", "fetched_at": T,
            "role": role}


def stage_bad_night(staging: Path, run_id: str, requests: int = 38) -> None:
    records = [page("https://contoh.id/berita/1", article_html("Banjir di Jakarta", PARAS), T),
               page("https://contoh.id/berita/2", article_html("Dapur umum", PARAS[::-1]), T)]
    records += [error(u, r) for u, r in zip(FEEDS, ["feed", "sitemap", "listing"],
                                            strict=True)]
    records += [error(f"https://contoh.id/berita/x{i}", "article") for i in range(28)]
    writer = StagingWriter(staging, run_id, "contoh")
    for r in records:
        writer.write(r)
    writer.close()
    write_stats(staging, run_id, "contoh", {
        "source": "contoh", "run_id": run_id, "started_at": T, "finished_at": T,
        "requests": requests, "bytes": 5000, "pages": 2, "errors": 31,
        "status_counts": {"200": 7, "503": 31}, "crawl_error": None,
        "feed_requests": 1, "sitemap_requests": 1, "listing_requests": 1,
    })


def test_31_errors_in_38_requests_is_not_ok(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    stage_bad_night(staging, "r1")
    con = connect_writer(tmp_path / "w.duckdb")
    try:
        load_run(con, staging, "r1", [SOURCE], workers=1)
        [health] = outlet_health(con, "r1")
        assert health.errors == 31
        assert "31 errors in 38 requests (82%)" in health.flags
        assert "errors" in health.kinds and "discovery" in health.kinds
        assert any("3 of 3 feed/sitemap/listing fetches failed" in f for f in health.flags)
        # the failed feed, sitemap and listing are in `pages`, told apart from article errors
        rows = con.execute("SELECT url, kind, status, error FROM pages "
                           "WHERE kind = 'discovery_error' ORDER BY url").fetchall()
        assert [r[0] for r in rows] == sorted(FEEDS)
        assert all(r[2] == 503 and "503" in r[3] for r in rows)
        # and they never count as seen articles
        assert not set(FEEDS) & set(seen_urls(con, "contoh", max_attempts=1))
    finally:
        con.close()


def test_a_few_errors_are_still_ok(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    stage_bad_night(staging, "r1", requests=1000)
    con = connect_writer(tmp_path / "w.duckdb")
    try:
        load_run(con, staging, "r1", [SOURCE], workers=1)
        [health] = outlet_health(con, "r1")
        assert "errors" not in health.kinds  # 31 of 1000
    finally:
        con.close()
