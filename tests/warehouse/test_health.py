"""Outlet health flags: failed crawls, quiet outlets, extraction gone bad."""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.db import connect_writer
from warehouse.health import new_flags, outlet_health

pytestmark = pytest.mark.usefixtures("warehouse_backend")


def add_run(con, run_id: str, day: int, source: str, new: int, loaded: int = 0, short: int = 0,
            undated: int = 0, error: str | None = None) -> None:  # type: ignore[no-untyped-def]
    con.execute(
        """INSERT INTO crawl_runs (run_id, source, requests, bytes, pages_fetched, new_articles,
           updated_articles, non_articles, errors, status_counts, crawl_error, loaded_at,
           articles_loaded, short_texts, missing_dates)
           VALUES (?, ?, 3, 100, 1, ?, 0, 0, 0, '{"200": 3}', ?, ?, ?, ?, ?)""",
        [run_id, source, new, error, f"2026-11-{day:02d} 19:30:00+00", loaded, short, undated],
    )


def test_flags(tmp_path: Path) -> None:
    con = connect_writer(tmp_path / "w.duckdb")
    for day in (18, 19, 20):
        add_run(con, f"n{day}", day, "sepi", new=0)
        add_run(con, f"n{day}", day, "sehat", new=5, loaded=5)
    add_run(con, "n20", 20, "rusak", new=10, loaded=10, short=6, undated=1)
    add_run(con, "n20", 20, "mati", new=0, error="connection refused")
    rows = {h.source: h for h in outlet_health(con, "n20", quiet_nights=3, min_healthy=0.8)}
    assert rows["sehat"].flags == []
    assert rows["sepi"].flags == ["no new articles for 3 runs"]
    assert rows["rusak"].flags == ["extraction health 40% (6 short texts, 1 without date)"]
    assert rows["mati"].flags == ["crawl failed"]
    assert rows["sehat"].statuses == "200:3"
    # Two quiet runs are not yet a pattern.
    assert outlet_health(con, "n19", quiet_nights=3)[0].flags == []
    con.close()


def test_new_flags_compare_with_the_outlets_previous_run(tmp_path: Path) -> None:
    con = connect_writer(tmp_path / "w.duckdb")
    for day in (17, 18, 19, 20, 21):
        add_run(con, f"n{day}", day, "sepi", new=0)
    add_run(con, "n19", 19, "rusak", new=5, loaded=5)
    add_run(con, "n20", 20, "rusak", new=5, loaded=5, short=4)
    add_run(con, "n21", 21, "rusak", new=5, loaded=5, short=4, error="timeout")
    changes = {n: {h.source: kinds for h, kinds in new_flags(con, n, quiet_nights=3)}
               for n in ("n19", "n20", "n21")}
    # quiet from its 3rd quiet run on: new on n19, still there (not new) on n20 and n21
    assert changes["n19"] == {"sepi": ["quiet"], "rusak": []}
    assert changes["n20"] == {"sepi": [], "rusak": ["extraction"]}
    assert changes["n21"] == {"sepi": [], "rusak": ["crawl_failed"]}
    # an outlet's first run has nothing to compare with: all its flags are new
    add_run(con, "n21", 21, "baru", new=0, error="dns")
    assert {h.source: k for h, k in new_flags(con, "n21")}["baru"] == ["crawl_failed"]
    con.close()


def test_quiet_counts_runs_up_to_the_one_asked_about(tmp_path: Path) -> None:
    con = connect_writer(tmp_path / "w.duckdb")
    for day in (18, 19, 20):
        add_run(con, f"n{day}", day, "sepi", new=0)
    assert outlet_health(con, "n19", quiet_nights=3)[0].flags == []
    assert outlet_health(con, "n20", quiet_nights=3)[0].kinds == ["quiet"]
    con.close()
