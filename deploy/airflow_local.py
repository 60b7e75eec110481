"""Start Airflow 3 locally for pantau (what ``make airflow`` runs), wait until pantau's DAGs are
listed by the REST API, print the UI address and login, and stop everything cleanly on Ctrl-C
(SIGINT) or SIGTERM.

Components, each its own process group: ``api-server`` (UI + REST API + execution API),
``scheduler`` (LocalExecutor from the repo's ``airflow.cfg``), ``dag-processor``, ``triggerer``.
Their logs go to ``<AIRFLOW_HOME>/logs/local/<component>.log``.

Usage: ``.venv/bin/python deploy/airflow_local.py [--home DIR] [--port 8080] [--state-file F]
[--fixture-web [--fixture-web-port 18766]]``.
``AIRFLOW_HOME`` defaults to the repository (``airflow.cfg`` there; metadata in ``airflow.db``).
pantau's settings come from the environment (``PANTAU_DB`` …); ``PANTAU_DB`` defaults to
``<repo>/data/pantau.duckdb``.

``--fixture-web`` (``make airflow-demo``) runs the DAGs against the offline fixture web instead of
the real outlets: it serves the fixture web as one more component (on a fixed port, default
18766, so article URLs stay the same from one start to the next), and points pantau at it:
``PANTAU_SOURCES`` = its sources file, ``PANTAU_ALLOW_PRIVATE_HOSTS=1``, ``PANTAU_TIME_TRAVEL=1``
(each night's crawl sees the fixture web as of its logical date) and, unless set,
``PANTAU_DB`` = ``<repo>/data/airflow-demo/pantau.duckdb`` (apart from ``make demo``'s; the
sources file is written beside it). With ``--state-file`` the address, login and process ids are
written there as JSON once the DAGs are visible (tests read it). Standard library only.

``--celery-workers N`` (with ``AIRFLOW__CORE__EXECUTOR=CeleryExecutor``, a broker in
``AIRFLOW__CELERY__BROKER_URL`` and a PostgreSQL metadata database; ``make
airflow-test-scaleout``) adds Celery workers as components, each its own process, the way several
machines would run them: one warehouse worker (queues ``PANTAU_WAREHOUSE_QUEUE`` and
``default``, concurrency 1: the single warehouse writer) and N crawler workers (queue
``PANTAU_CRAWL_QUEUE``, ``--crawler-concurrency`` slots each, default 1), named
``crawler1@<host>`` … and ``warehouse@<host>``. Each gets ``PANTAU_WORKER_NAME`` (``crawler1`` …),
which the crawl tasks report, so a run shows which worker crawled which outlet. The launcher waits
until every worker is ready before it writes the state file.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

log = logging.getLogger("airflow_local")

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer")
WORKER_NAME_ENV = "PANTAU_WORKER_NAME"
# The setup step serializes the DAGs itself, so the api-server alone makes the DAG list visible;
# the other components start once it is (2 cores: less contention on the way up).
FIRST = ("api-server",)
POOL = ("pantau_warehouse", 1, "pantau: the single DuckDB writer")

# One process (one import of Airflow): migrate the metadata database, create the pool, and
# serialize the DAG files, which the dag-processor would otherwise do only after its own start.
SETUP = """
import argparse, sys
from airflow.utils.db import upgradedb
from airflow.models.pool import Pool
from airflow.cli.commands.dag_command import dag_reserialize
upgradedb()
Pool.create_or_update_pool(sys.argv[1], slots=int(sys.argv[2]), description=sys.argv[3],
                           include_deferred=False)
dag_reserialize(argparse.Namespace(bundle_name=None))
"""


def component_env(home: Path, host: str, port: int) -> dict[str, str]:
    """The environment all components share (one JWT secret, one API address)."""
    env = dict(os.environ)
    url = f"http://{host}:{port}"
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=env.get("AIRFLOW__CORE__DAGS_FOLDER", str(REPO / "dags")),
        AIRFLOW__API__HOST=host,
        AIRFLOW__API__PORT=str(port),
        AIRFLOW__API__BASE_URL=url,
        AIRFLOW__CORE__EXECUTION_API_SERVER_URL=f"{url}/execution/",
        PYTHONPATH=str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""),
    )
    # The scheduler signs task tokens and the api-server checks them: one secret for all.
    env.setdefault("AIRFLOW__API_AUTH__JWT_SECRET", secrets.token_urlsafe(32))
    env.setdefault("AIRFLOW__API__SECRET_KEY", secrets.token_urlsafe(32))
    env.setdefault("PANTAU_DB", str(REPO / "data" / "pantau.duckdb"))
    return env


FIXTURE_WEB_PORT = 18766


def fixture_web_env(home: Path, port: int) -> dict[str, str]:
    """The pantau settings that point the DAGs at the fixture web served on ``port``."""
    db = Path(os.environ.get("PANTAU_DB") or REPO / "data" / "airflow-demo" / "pantau.duckdb")
    return {
        "PANTAU_SOURCES": str(db.parent / "fixtureweb-sources.yaml"),
        "PANTAU_ALLOW_PRIVATE_HOSTS": "1",
        "PANTAU_TIME_TRAVEL": "1",
        "PANTAU_DB": str(db),
    }


def expected_dags() -> set[str]:
    folder = Path(os.environ.get("AIRFLOW__CORE__DAGS_FOLDER", REPO / "dags"))
    return {p.stem for p in folder.glob("pantau_*.py")}


def request(url: str, token: str | None = None, data: Any = None, method: str | None = None,
            timeout: float = 10) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers=headers, method=method)
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (loopback only)
        raw = resp.read()
    return json.loads(raw) if raw else None


def login(home: Path, base: str) -> tuple[str, str, str]:
    """(user, password, token) of the simple auth manager's generated admin login."""
    path = home / "simple_auth_manager_passwords.json.generated"
    passwords = json.loads(path.read_text("utf-8"))
    user = "admin" if "admin" in passwords else sorted(passwords)[0]
    token = request(f"{base}/auth/token", data={"username": user, "password": passwords[user]})
    return user, passwords[user], token["access_token"]


def migrations_head() -> str | None:
    """The newest metadata migration of the installed Airflow (read from its files, no import)."""
    import importlib.util
    import re

    spec = importlib.util.find_spec("airflow")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "migrations" / "versions"
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in folder.glob("*.py"):
        text = path.read_text("utf-8")
        rev = re.search(r'^revision\s*=\s*"([0-9a-f]+)"', text, re.M)
        down = re.search(r'^down_revision\s*=\s*(.+)$', text, re.M)
        if rev:
            revisions.add(rev.group(1))
        if down:
            parents.update(re.findall(r'"([0-9a-f]+)"', down.group(1)))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def sqlite_ready(home: Path, env: dict[str, str]) -> bool:
    """Whether the default SQLite metadata database is migrated to head, has the pool and
    knows every pantau DAG file's DAG.

    Saves the ~15 s the setup step costs on every start; any other database (set by
    ``AIRFLOW__DATABASE__SQL_ALCHEMY_CONN``) always gets the setup step.
    """
    import sqlite3

    db = home / "airflow.db"
    if env.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN") or not db.exists():
        return False
    try:
        con = sqlite3.connect(db)
        try:
            [(version,)] = con.execute("SELECT version_num FROM alembic_version").fetchall()
            pools = con.execute("SELECT slots FROM slot_pool WHERE pool = ?", (POOL[0],))
            has_pool = pools.fetchone() is not None
            known = {d for (d,) in con.execute("SELECT dag_id FROM serialized_dag")}
        finally:
            con.close()
    except (sqlite3.Error, ValueError):
        return False
    return has_pool and version == migrations_head() and expected_dags() <= known


class LocalAirflow:
    """The four components as child processes; ``stop()`` ends them (TERM, then KILL)."""

    def __init__(self, home: Path, host: str, port: int,
                 fixture_web_port: int | None = None) -> None:
        self.home = home
        self.base = f"http://{host}:{port}"
        self.env = component_env(home, host, port)
        self.fixture_web_port = fixture_web_port
        if fixture_web_port is not None:
            self.env.update(fixture_web_env(home, fixture_web_port))
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def start_fixture_web(self, timeout: float = 60) -> str:
        """Serve the fixture web (one more component) and wait for its sources file."""
        assert self.fixture_web_port is not None
        sources = Path(self.env["PANTAU_SOURCES"])
        sources.unlink(missing_ok=True)
        logs = self.home / "logs" / "local"
        logs.mkdir(parents=True, exist_ok=True)
        Path(self.env["PANTAU_DB"]).parent.mkdir(parents=True, exist_ok=True)
        with (logs / "fixtureweb.log").open("ab") as out:
            self.procs["fixtureweb"] = subprocess.Popen(
                [str(BIN / "python"), "-m", "fixtureweb", "--port", str(self.fixture_web_port),
                 "--sources-out", str(sources)],
                env=self.env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, cwd=REPO,
            )
        deadline = time.monotonic() + timeout
        while not sources.exists():
            self.check_alive()
            if time.monotonic() > deadline:
                raise TimeoutError(f"the fixture web wrote no {sources} within {timeout:.0f} s")
            time.sleep(0.2)
        return f"http://<outlet>.localhost:{self.fixture_web_port}/"

    def prepare(self) -> None:
        """Migrate the metadata database and create the pool, unless that is already done."""
        self.home.mkdir(parents=True, exist_ok=True)
        if not (self.home / "airflow.cfg").exists():
            shutil.copy(REPO / "airflow.cfg", self.home / "airflow.cfg")
        if sqlite_ready(self.home, self.env):
            return
        subprocess.run([str(BIN / "python"), "-c", SETUP, *map(str, POOL)], env=self.env,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self, names: tuple[str, ...] = COMPONENTS) -> None:
        logs = self.home / "logs" / "local"
        logs.mkdir(parents=True, exist_ok=True)
        for name in names:
            out = (logs / f"{name}.log").open("ab")
            self.procs[name] = subprocess.Popen(
                [str(BIN / "airflow"), name], env=self.env, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True, cwd=self.home,
            )
            out.close()

    def celery_workers(self, crawlers: int, concurrency: int) -> dict[str, list[str]]:
        """``{name: airflow arguments}`` of the warehouse worker and ``crawlers`` crawl workers."""
        import socket

        host = socket.gethostname()
        crawl = self.env.get("PANTAU_CRAWL_QUEUE", "").strip() or "default"
        warehouse = self.env.get("PANTAU_WAREHOUSE_QUEUE", "").strip() or "default"
        # serve-logs would bind one port per machine: the api-server here reads the files itself
        common = ["celery", "worker", "--skip-serve-logs", "--without-gossip", "--without-mingle"]
        queues = ",".join(dict.fromkeys([warehouse, "default"]))
        workers = {"warehouse": [*common, "--queues", queues, "--concurrency", "1",
                                 "--celery-hostname", f"warehouse@{host}"]}
        for i in range(1, crawlers + 1):
            workers[f"crawler{i}"] = [*common, "--queues", crawl, "--concurrency",
                                      str(concurrency), "--celery-hostname", f"crawler{i}@{host}"]
        return workers

    def start_workers(self, crawlers: int, concurrency: int,
                      timeout: float = 180) -> dict[str, str]:
        """Start the Celery workers and wait until each says it is ready; their Celery names."""
        logs = self.home / "logs" / "local"
        logs.mkdir(parents=True, exist_ok=True)
        names = {}
        for name, args in self.celery_workers(crawlers, concurrency).items():
            log_file = logs / f"worker-{name}.log"
            log_file.unlink(missing_ok=True)
            with log_file.open("ab") as out:
                self.procs[f"worker-{name}"] = subprocess.Popen(
                    [str(BIN / "airflow"), *args], env={**self.env, WORKER_NAME_ENV: name},
                    stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    start_new_session=True, cwd=self.home,
                )
            names[name] = args[-1]
        deadline = time.monotonic() + timeout
        for name, celery_name in names.items():
            log_file = logs / f"worker-{name}.log"
            while f"{celery_name} ready." not in log_file.read_text("utf-8", errors="replace"):
                self.check_alive()
                if time.monotonic() > deadline:
                    raise TimeoutError(f"Celery worker {celery_name} not ready within "
                                       f"{timeout:.0f} s; see {log_file}")
                time.sleep(0.5)
        return names

    def check_alive(self) -> None:
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                raise RuntimeError(f"airflow {name} exited with {proc.returncode}; see "
                                   f"{self.home / 'logs' / 'local' / (name + '.log')}")

    def wait_for_dags(self, timeout: float) -> tuple[str, str, list[str]]:
        """Poll the REST API until every pantau DAG file's DAG is listed."""
        deadline = time.monotonic() + timeout
        want = expected_dags()
        token = user = password = None
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                if token is None:
                    user, password, token = login(self.home, self.base)
                listed = request(f"{self.base}/api/v2/dags?tags=pantau&limit=100", token)
                got = sorted(d["dag_id"] for d in listed["dags"])
                if want <= set(got):
                    assert user is not None and password is not None
                    return user, password, got
            except (OSError, urllib.error.URLError, ValueError, KeyError):
                pass
            time.sleep(0.5)
        raise TimeoutError(f"pantau's DAGs were not listed within {timeout:.0f} s; see "
                           f"{self.home / 'logs' / 'local'}")

    def stop(self, grace: float = 30) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for name, proc in self.procs.items():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("airflow %s did not stop within %.0f s: killing it", name, grace)
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        # children a component left behind in its process group (task runners, gunicorn …)
        for proc in self.procs.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path,
                        default=Path(os.environ.get("AIRFLOW_HOME") or REPO))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--ready-timeout", type=float, default=300)
    parser.add_argument("--state-file", type=Path)
    parser.add_argument("--fixture-web", action="store_true",
                        help="crawl the offline fixture web, not the real outlets (make "
                             "airflow-demo)")
    parser.add_argument("--fixture-web-port", type=int, default=FIXTURE_WEB_PORT)
    parser.add_argument("--celery-workers", type=int, default=0, metavar="N",
                        help="CeleryExecutor: start N crawl workers and one warehouse worker")
    parser.add_argument("--crawler-concurrency", type=int, default=1,
                        help="task slots per crawl worker (default 1)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    started = time.monotonic()
    airflow = LocalAirflow(args.home.resolve(), args.host, args.port,
                           args.fixture_web_port if args.fixture_web else None)
    def on_signal(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        if args.fixture_web:
            log.info("fixture web: %s (sources %s, warehouse %s)", airflow.start_fixture_web(),
                     airflow.env["PANTAU_SOURCES"], airflow.env["PANTAU_DB"])
        airflow.prepare()
        prepared = time.monotonic() - started
        airflow.start(FIRST)
        user, password, dags = airflow.wait_for_dags(args.ready_timeout)
        took = time.monotonic() - started
        airflow.start(tuple(c for c in COMPONENTS if c not in FIRST))
        workers = (airflow.start_workers(args.celery_workers, args.crawler_concurrency)
                   if args.celery_workers else {})
        log.info("Airflow is up: DAG list visible after %.1f s (metadata setup %.1f s; "
                 "AIRFLOW_HOME=%s)", took, prepared, airflow.home)
        log.info("  UI:    %s/", airflow.base)
        log.info("  login: %s / %s", user, password)
        log.info("  DAGs:  %s (new DAGs start paused: unpause them in the UI)", ", ".join(dags))
        log.info("  logs:  %s", airflow.home / "logs" / "local")
        for name in workers.values():
            log.info("  Celery worker %s ready", name)
        log.info("  times: the UI shows your browser's time zone; pick Asia/Jakarta in the "
                 "user menu (Timezone) to read nights as 02:00 WIB")
        log.info("Ctrl-C stops all components.")
        if args.state_file:
            args.state_file.write_text(json.dumps({
                "url": airflow.base, "user": user, "password": password, "dags": dags,
                "ready_seconds": round(took, 1), "home": str(airflow.home),
                "pids": {n: p.pid for n, p in airflow.procs.items()},
                "workers": workers,
                "pantau_env": {k: v for k, v in airflow.env.items() if k.startswith("PANTAU_")},
            }), "utf-8")
        while True:
            airflow.check_alive()
            time.sleep(1)
    except KeyboardInterrupt:
        log.info("stopping Airflow …")
        return 0
    except (RuntimeError, TimeoutError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        log.error("%s %s", exc, detail.decode(errors="replace")[-2000:])
        return 1
    finally:
        airflow.stop()
        log.info("Airflow stopped")


if __name__ == "__main__":
    sys.exit(main())
