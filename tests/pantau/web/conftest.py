"""Fixtures of the web app's tests: the demo warehouse, the app in-process, and `pantau serve`
running on loopback for the browser tests."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import time
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
    with TestClient(create_app(ServeConfig(db=web_db, rules=RULES))) as c:
        yield c


@pytest.fixture(scope="session")
def served(web_db: Path) -> Iterator[str]:
    """`pantau serve` on a free loopback port (the real command, in its own process); its base
    URL."""
    exe = Path(sys.executable).with_name("pantau")
    proc = subprocess.Popen(
        [str(exe), "--db", str(web_db), "serve", "--port", "0", "--rules", str(RULES)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PANTAU_SERVE_TOKEN": ""})
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        rest = proc.stderr.read() if proc.poll() is not None else ""
        assert match, f"pantau serve did not start: {line}{rest}"
        base = f"http://127.0.0.1:{match.group(1)}"
        import httpx

        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(base + "/outlets", timeout=5).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
