"""Workers die with their parent: a killed loader or reprocess leaves no process behind
(issue 14, item 8)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.warehouse.test_crash import SOURCES, staged_run

pytestmark = pytest.mark.usefixtures("warehouse_backend")

pytestmark = pytest.mark.slow


def children_of(pid: int) -> set[int]:
    """Every descendant of ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    todo = [pid]
    while todo:
        current = todo.pop()
        for child, parent in parents.items():
            if parent == current and child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited (nobody reaped it yet)


def kill_when_workers_run(args: list[str], env: dict[str, str]) -> set[int]:
    proc = subprocess.Popen([sys.executable, "-m", "pantau", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and len(workers) < 2:
        workers = children_of(proc.pid)
        time.sleep(0.05)
    assert proc.poll() is None and len(workers) >= 2, "the workers never started"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    return workers


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and prctl are Linux")
@pytest.mark.parametrize("command", ["load", "reprocess"])
def test_killed_parent_leaves_no_worker_alive(tmp_path: Path, command: str) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text(SOURCES, "utf-8")
    staging = tmp_path / "staging"
    staged_run(staging, "r1", 0, 400, 20)
    env = {**os.environ, "PANTAU_STAGING": str(staging), "PANTAU_EXTRACT_IN_CRAWL": "0"}
    db = tmp_path / "w.duckdb"
    base = ["--db", str(db), "--sources", str(sources)]
    if command == "reprocess":  # something to reprocess: load it first
        subprocess.run([sys.executable, "-m", "pantau", *base, "load", "--workers", "1"],
                       env=env, check=True, capture_output=True, timeout=600)
    workers = kill_when_workers_run([*base, command, "--workers", "2"], env)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(p) for p in workers):
        time.sleep(0.1)
    left = [p for p in workers if alive(p)]
    for p in left:  # do not leave them behind for the rest of the suite
        os.kill(p, signal.SIGKILL)
    assert left == [], f"{len(left)} workers outlived the killed {command}"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and prctl are Linux")
@pytest.mark.parametrize("forkserver", ["1", "0"])
def test_killed_crawl_leaves_no_crawler_alive(tmp_path: Path, forkserver: str) -> None:
    import socket

    server = socket.socket()  # accepts, never answers: the crawl hangs on its first request
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    port = server.getsockname()[1]
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - name: kabar\n    url: http://kabar.localhost:{port}/\n"
                       f"    feeds: [http://kabar.localhost:{port}/feed]\n", "utf-8")
    env = {**os.environ, "PANTAU_CRAWL_FORKSERVER": forkserver}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pantau", "--db", str(tmp_path / "w.duckdb"), "--sources",
         str(sources), "--allow-private-hosts", "crawl"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        held = []
        server.settimeout(60)
        held.append(server.accept()[0])  # the crawler is running and waiting for an answer
        descendants = children_of(proc.pid)
        assert descendants, "no crawler process found"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(p) for p in descendants):
            time.sleep(0.1)
        left = [p for p in descendants if alive(p)]
        for p in left:
            os.kill(p, signal.SIGKILL)
        assert left == [], f"{len(left)} crawl processes outlived the killed crawl"
    finally:
        if proc.poll() is None:
            proc.kill()
        for c in held:
            c.close()
        server.close()
