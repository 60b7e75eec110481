"""Fixtures of the web app's tests: the demo warehouse, the app in-process, and `pantau serve`
running on loopback for the browser tests."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from pantau.web.app import ServeConfig, create_app

REPO = Path(__file__).resolve().parents[3]
RULES = REPO / "rules.yaml"  # the rules the demo warehouse was alerted with


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def web_db(demo_warehouse: Path) -> Path:
    return demo_warehouse


@pytest.fixture(scope="session")
def client(web_db: Path) -> Iterator[TestClient]:
    # idle_seconds=0: the app's connection closes with each request, so the tests can open
    # their own reader in this process (DuckDB shares one instance per file and process)
    with TestClient(create_app(ServeConfig(db=web_db, rules=RULES, idle_seconds=0))) as c:
        yield c


@pytest.fixture(scope="session")
def served(web_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`pantau serve` on a free loopback port (the real command, in its own process); its base
    URL. Its log (stderr) goes to a file, printed when it does not start."""
    import httpx

    exe = Path(sys.executable).with_name("pantau")
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(exe), "--db", str(web_db), "serve", "--port", "0", "--rules", str(RULES)],
            stdout=subprocess.DEVNULL, stderr=out, env={**os.environ, "PANTAU_SERVE_TOKEN": ""})
    try:
        deadline = time.monotonic() + 30
        base = ""
        while not base:
            match = re.search(r"http://127\.0\.0\.1:(\d+)/", log.read_text("utf-8", "replace"))
            if match:
                base = f"http://127.0.0.1:{match.group(1)}"
            elif proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"pantau serve did not start: {log.read_text('utf-8', 'replace')}")
            else:
                time.sleep(0.05)
        httpx.get(base + "/outlets", timeout=10).raise_for_status()
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def expected_attention(web_db: Path, query: str) -> Counter[tuple[str, str]]:
    """Articles per (Jakarta day, outlet) matching ``query``, by the alerts-check matcher and SQL:
    what the attention chart must show."""
    from alerts.check import check_query
    from warehouse.db import connect_reader

    con = connect_reader(web_db)
    try:
        hits = check_query(con, query, days=None)
        days = dict(con.execute(
            "SELECT id, strftime(timezone('Asia/Jakarta', published_at), '%Y-%m-%d') "
            "FROM articles WHERE published_at IS NOT NULL").fetchall())
    finally:
        con.close()
    return Counter((days[h.article_id], h.source) for h in hits if h.article_id in days)
