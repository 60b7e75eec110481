"""Fixtures for the Airflow tests: a migrated Airflow home made once per session, the DagBag."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.dags.airflow_helpers import REPO, airflow_env, run_airflow


@pytest.fixture(scope="session")
def migrated_airflow_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An Airflow home with the repo's airflow.cfg, a migrated SQLite metadata database and the
    single-writer pool: made once (about 30 s), copied by each test that needs one."""
    home = tmp_path_factory.mktemp("airflow_template")
    shutil.copy(REPO / "airflow.cfg", home / "airflow.cfg")
    env = airflow_env(home)
    run_airflow(["db", "migrate"], env)
    run_airflow(["pools", "set", "pantau_warehouse", "1", "pantau: the single DuckDB writer"], env)
    return home


@pytest.fixture()
def airflow_home(tmp_path: Path, migrated_airflow_home: Path) -> Iterator[Path]:
    """A fresh copy of the migrated Airflow home for one test."""
    home = tmp_path / "airflow_home"
    shutil.copytree(migrated_airflow_home, home)
    yield home


@pytest.fixture(scope="session")
def dagbag() -> Any:
    """All DAGs of the repo, parsed the way the dag-processor parses them."""
    os.environ.setdefault("AIRFLOW_HOME", str(REPO))
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(REPO / "dags"))
    assert bag.import_errors == {}
    return bag


HEAVY_MARKERS = {
    "airflow_services": "starts Airflow's services (api-server, scheduler, ...) on loopback; "
    "minutes; `make test` and `make airflow-test` run them (PANTAU_AIRFLOW_SERVICES=1)",
    "scaleout": "PostgreSQL metadata database, LocalExecutor and CeleryExecutor with a Redis "
    "broker and several workers (run `make airflow-test-scaleout`)",
}


def pytest_configure(config: pytest.Config) -> None:
    for name, what in HEAVY_MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {what}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Heavy tests run only when asked for: ``-m airflow_services`` / ``-m scaleout`` (or env
    PANTAU_AIRFLOW_SERVICES=1 for the first)."""
    selected = config.getoption("-m") or ""
    asked = {name for name in HEAVY_MARKERS if name in selected}
    if os.environ.get("PANTAU_AIRFLOW_SERVICES") == "1":
        asked.add("airflow_services")
    for item in items:
        for name in HEAVY_MARKERS:
            if name in item.keywords and name not in asked:
                item.add_marker(pytest.mark.skip(reason=f"heavy ({name}): {HEAVY_MARKERS[name]}"))
                break


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throw-away PostgreSQL cluster on loopback (deploy/scaleout/postgres.sh)."""
    import tempfile

    script = REPO / "deploy" / "scaleout" / "postgres.sh"
    folder = Path(tempfile.mkdtemp(prefix="pantau-pg-"))  # /tmp: the postgres user can reach it
    folder.chmod(0o755)
    port = str(_free_port())
    started = subprocess.run([str(script), "start", str(folder / "cluster"), port],
                             capture_output=True, text=True, timeout=180)
    assert started.returncode == 0, started.stderr
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([str(script), "stop", str(folder / "cluster")], timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A throw-away Redis on loopback, the Celery broker (deploy/scaleout/redis.sh)."""
    import tempfile

    script = REPO / "deploy" / "scaleout" / "redis.sh"
    folder = Path(tempfile.mkdtemp(prefix="pantau-redis-"))
    started = subprocess.run([str(script), "start", str(folder), str(_free_port())],
                             capture_output=True, text=True, timeout=60)
    assert started.returncode == 0, started.stderr
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([str(script), "stop", str(folder)], timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
