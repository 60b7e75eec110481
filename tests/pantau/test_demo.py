"""`pantau demo`: serves the fixture web, runs the pipeline, prints counts and queries to try."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from warehouse.db import connect_reader

pytestmark = pytest.mark.slow


def test_demo_builds_its_warehouse_where_told(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "pantau", "--db", str(db), "demo"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    for outlet in ("beritaturki", "iphedia", "detakpos"):
        line = next((ln for ln in out.splitlines() if ln.startswith(outlet)), out)
        assert line.endswith(" ok"), line  # the health column
    assert "total" in out and "sql \"SELECT" in out
    assert out.count("== night of ") == 2  # two simulated nights
    lines = out.splitlines()
    head = lines.index(next(ln for ln in lines if ln.startswith("rule ")))
    assert set(lines[head + 1]) == {"-", " "}  # the alerts summary has a header rule
    assert db.exists() and (tmp_path / "outbox.jsonl").exists()
    con = connect_reader(db)
    per_source = dict(con.execute("SELECT source, count(*) FROM articles GROUP BY 1").fetchall())
    con.close()
    assert set(per_source) == {"beritaturki", "iphedia", "detakpos"}
    assert min(per_source.values()) >= 10


def test_demo_refuses_a_busy_port_before_loading(tmp_path: Path) -> None:
    """Article URLs contain the port: a demo on another port would store every article twice."""
    import socket

    from pantau.demo import DEMO_PORT

    db = tmp_path / "demo.duckdb"
    blocker = socket.socket()
    try:
        try:
            blocker.bind(("127.0.0.1", DEMO_PORT))
            blocker.listen()
        except OSError:
            pass  # already busy: the demo must refuse all the same
        result = subprocess.run(
            [sys.executable, "-m", "pantau", "--db", str(db), "demo"],
            capture_output=True, text=True, timeout=120,
        )
    finally:
        blocker.close()
    assert result.returncode == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and f"port {DEMO_PORT} on 127.0.0.1 is busy" in lines[0], lines
    assert "nothing was crawled or loaded" in lines[0]
    assert not db.exists()


def test_demo_warehouse_has_stories_versions_and_failed_pages(demo_warehouse: Path) -> None:
    con = connect_reader(demo_warehouse)
    try:
        [(outlets,)] = con.execute(
            "SELECT outlets FROM stories WHERE articles > 1").fetchall()
        versions = con.execute(
            "SELECT a.source, v.text FROM articles a JOIN article_versions v "
            "ON v.article_id = a.id").fetchall()
        ralat = con.execute("SELECT count(*) FROM articles WHERE text LIKE '%Ralat:%'").fetchone()
        failed = con.execute(
            "SELECT source, status, attempts FROM pages WHERE kind = 'error' AND status = 503"
        ).fetchall()
        per_url = con.execute(
            "SELECT count(*), count(DISTINCT regexp_replace(url, ':[0-9]+/', '/')) FROM articles"
        ).fetchone()
    finally:
        con.close()
    assert sorted(outlets) == ["detakpos", "iphedia"]  # the ANTARA story, syndicated
    assert [s for s, _ in versions] == ["beritaturki"] and "Ralat:" not in versions[0][1]
    assert ralat == (1,)
    assert failed == [("iphedia", 503, 2)]  # tried on both nights
    assert per_url is not None and per_url[0] == per_url[1]
