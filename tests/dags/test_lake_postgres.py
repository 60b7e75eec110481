"""DuckLake with a PostgreSQL catalog (marker ``scaleout``, ``make airflow-test-scaleout``): the
catalog several machines share. Two loads from two processes commit at once (0 lost, 0 duplicated
rows), a reader does not wait, ``pantau sql --at`` reads back in time; the same checks as
tests/warehouse/test_lake.py, whose local runs use a SQLite catalog."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from pantau.cli import cli
from tests.dags.airflow_helpers import fresh_database
from tests.warehouse.test_lake import (
    concurrent_loads,
    reader_during_load,
    settings_for,
    use_lake,
)


def lake_catalog(postgres_url: str, name: str) -> str:
    """A fresh database ``name`` on the test cluster, as a DuckLake catalog string."""
    url = urlsplit(fresh_database(postgres_url, name))
    return f"postgres:dbname={name} host={url.hostname} port={url.port} user={url.username}"


@pytest.mark.slow
@pytest.mark.scaleout
def test_two_loads_commit_at_once_into_a_postgres_catalog(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_lake(monkeypatch, tmp_path, lake_catalog(postgres_url, "pantau_lake"))
    settings = settings_for(tmp_path)
    night_1 = concurrent_loads(settings, tmp_path, n=40)
    # time travel over the PostgreSQL catalog: after night 1 there were only first versions
    runner = CliRunner()
    before = runner.invoke(cli, ["--db", str(settings.db), "sql", "--format", "csv", "--at",
                                 str(night_1), "SELECT max(version) AS v FROM articles"])
    assert before.exit_code == 0, before.output + str(before.exception)
    assert before.output.split()[-1] == "1"
    now = runner.invoke(cli, ["--db", str(settings.db), "sql", "--format", "csv",
                              "SELECT max(version) AS v FROM articles"])
    assert now.output.split()[-1] == "2"


@pytest.mark.slow
@pytest.mark.scaleout
def test_a_reader_does_not_wait_for_a_load_on_a_postgres_catalog(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_lake(monkeypatch, tmp_path, lake_catalog(postgres_url, "pantau_lake_reader"))
    reader_during_load(settings_for(tmp_path), tmp_path)
