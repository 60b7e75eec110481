"""The README stays true to the code: its example queries run, its CLI table names every command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pantau.cli import cli
from tests.warehouse.staged import PARAS, SOURCE, article_html, page, stage
from warehouse.db import connect_reader, connect_writer
from warehouse.loader import load_run

README = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")


def readme_queries() -> list[str]:
    block = re.search(r"```sql\n(.*?)```", README, re.S)
    assert block, "README has no ```sql block of example queries"
    return [q.strip() for q in block.group(1).split(";") if q.strip() and not
            all(line.startswith("--") for line in q.strip().splitlines())]


def test_readme_has_ten_or_more_queries() -> None:
    assert len(readme_queries()) >= 10


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("readme")
    stage(tmp / "staging", "r1", [
        page("https://contoh.id/berita/1", article_html("Banjir di Jakarta", PARAS),
             "2026-11-20T19:00:30+00:00"),
    ])
    con = connect_writer(tmp / "w.duckdb")
    load_run(con, tmp / "staging", "r1", [SOURCE], workers=1)
    con.close()
    return tmp / "w.duckdb"


@pytest.mark.parametrize("query", readme_queries())
def test_readme_query_runs_read_only(warehouse: Path, query: str) -> None:
    con = connect_reader(warehouse)
    try:
        con.execute(query).fetchall()
    finally:
        con.close()


def test_readme_lists_every_command() -> None:
    for name in cli.commands:
        assert f"`pantau {name}" in README, f"README's command table lacks `pantau {name}`"
