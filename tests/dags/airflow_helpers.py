"""Helpers for the Airflow tests: the environment pantau's DAGs read, running the ``airflow``
command, reading the metadata database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from core.settings import Settings

REPO = Path(__file__).resolve().parents[2]
AIRFLOW = str(Path(sys.executable).parent / "airflow")
DAG_FILES = sorted((REPO / "dags").glob("pantau_*.py"))

# Short, but real, retries in tests: one retry after 1 s (doubling, capped at 2 s).
FAST_RETRIES = {
    "PANTAU_TASK_RETRIES": "1",
    "PANTAU_RETRY_DELAY_SECONDS": "1",
    "PANTAU_MAX_RETRY_DELAY_SECONDS": "2",
}


def airflow_env(home: Path, settings: Settings | None = None, **extra: str) -> dict[str, str]:
    """The environment of an ``airflow`` command: this home, the repo's DAGs, pantau settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "PANTAU"))}
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=str(REPO / "dags"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        PANTAU_DOWNLOAD_DELAY="0",
        **FAST_RETRIES,
    )
    if settings is not None:
        env.update(
            PANTAU_DB=str(settings.db),
            PANTAU_SOURCES=str(settings.sources),
            PANTAU_RULES=str(settings.rules),
            PANTAU_STAGING=str(settings.staging),
            PANTAU_OUTBOX=str(settings.outbox),
            PANTAU_ALLOW_PRIVATE_HOSTS="1" if settings.allow_private_hosts else "0",
        )
    env.update(extra)
    return env


def run_airflow(
    args: list[str], env: dict[str, str], timeout: int = 600, check: bool = True
) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [AIRFLOW, *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    if check:
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def metadata(home: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Rows of a query against the Airflow metadata database of ``home``."""
    con = sqlite3.connect(home / "airflow.db")
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def fresh_database(postgres_url: str, name: str) -> str:
    """A new, empty database ``name`` on the test cluster of ``postgres_url`` (dropped first if
    an earlier test made it); its SQLAlchemy URL. Tests sharing the session's cluster each get
    their own metadata (DAG runs of one do not collide with another's logical dates)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg2

    url = urlsplit(postgres_url.replace("postgresql+psycopg2", "postgresql"))
    con = psycopg2.connect(host=url.hostname, port=url.port, user=url.username,
                           dbname=url.path.lstrip("/"))
    con.autocommit = True
    try:
        with con.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {name}")
            cur.execute(f"CREATE DATABASE {name}")
    finally:
        con.close()
    return urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}"))
