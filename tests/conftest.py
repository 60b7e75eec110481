"""Fixtures shared across the suite: the fixture web and pantau settings in a temp folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import Settings

REPO = Path(__file__).resolve().parent.parent

TEST_RULES = """\
rules:
  - name: banjir_jakarta
    query: banjir AND (Jakarta OR Bekasi)
  - name: karabakh
    query: '"Nagorno-Karabakh" OR Lavrov'
    outlets: [beritaturki, iphedia]
"""


@pytest.fixture(scope="session")
def fixture_web() -> Iterator[object]:
    """The offline fixture web, served on a free loopback port for the whole session."""
    from fixtureweb import FixtureWeb

    with FixtureWeb() as web:
        yield web


@pytest.fixture()
def pipeline_settings(tmp_path: Path, fixture_web: object) -> Settings:
    """Settings for a pipeline run against the fixture web, everything under tmp_path."""
    sources = fixture_web.write_sources_yaml(tmp_path / "sources.yaml")  # type: ignore[attr-defined]
    rules = tmp_path / "rules.yaml"
    rules.write_text(TEST_RULES, encoding="utf-8")
    return Settings(
        db=tmp_path / "data" / "pantau.duckdb",
        sources=Path(sources),
        staging=tmp_path / "data" / "staging",
        rules=rules,
        outbox=tmp_path / "data" / "outbox.jsonl",
        allow_private_hosts=True,
    )


@pytest.fixture(params=["duckdb", "ducklake"])
def warehouse_backend(request: pytest.FixtureRequest, tmp_path: Path,
                      monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test on both warehouse backends: the DuckDB file, and a DuckLake with a local
    SQLite catalog (``PANTAU_WAREHOUSE``; data files beside the test's ``PANTAU_DB``). Modules
    opt in with ``pytestmark = pytest.mark.usefixtures("warehouse_backend")``; a test of
    something only the DuckDB file has is marked ``@pytest.mark.duckdb_only("why")`` and skipped
    on the lake with that reason."""
    only = request.node.get_closest_marker("duckdb_only")
    if request.param == "ducklake" and only is not None:
        pytest.skip(f"DuckDB file only: {only.args[0]}")
    monkeypatch.delenv("PANTAU_LAKE_DATA", raising=False)
    if request.param == "ducklake":
        catalog = tmp_path / "lake-catalog.sqlite"
        monkeypatch.setenv("PANTAU_WAREHOUSE", f"ducklake:sqlite:{catalog}")
    else:
        monkeypatch.delenv("PANTAU_WAREHOUSE", raising=False)
    return str(request.param)


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse `pantau demo` builds (both nights), made once per test session on a free
    port (read it only: connect_reader)."""
    from pantau.demo import build_demo_warehouse

    return build_demo_warehouse(tmp_path_factory.mktemp("demo") / "pantau.duckdb")
