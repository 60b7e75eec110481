"""The README stays true to the code: its example SQL queries and query-language examples return
rows on the demo warehouse, its CLI table names every command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alerts.rules import load_rules_file
from core.settings import REPO_ROOT
from pantau.cli import cli
from query import Document, compile_matcher, parse_query
from warehouse.db import connect_reader
from warehouse.search import search_articles

README = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")


def readme_queries() -> list[str]:
    block = re.search(r"```sql\n(.*?)```", README, re.S)
    assert block, "README has no ```sql block of example queries"
    return [q.strip() for q in block.group(1).split(";") if q.strip() and not
            all(line.startswith("--") for line in q.strip().splitlines())]


def query_examples() -> list[tuple[str, str]]:
    """(query, a title it finds) for each row of the README's query-language table."""
    table = README.split("<!-- query-examples:", 1)[1].split("\n\n", 1)[0]
    rows = re.findall(r'^\| `(.+?)` \| .+? \| "(.+?)" \|$', table, re.M)
    return [(q, title) for q, title in rows]


def test_readme_has_ten_or_more_queries() -> None:
    assert len(readme_queries()) >= 10
    assert len(query_examples()) >= 8


@pytest.mark.slow
@pytest.mark.parametrize("query", readme_queries())
def test_readme_query_returns_rows_on_the_demo_warehouse(demo_warehouse: Path,
                                                         query: str) -> None:
    con = connect_reader(demo_warehouse)
    try:
        rows = con.execute(query).fetchall()
    finally:
        con.close()
    assert rows, f"no rows on the demo warehouse: {query}"


@pytest.mark.slow
@pytest.mark.parametrize(("query", "title"), query_examples())
def test_readme_query_language_examples_on_the_demo_warehouse(
    demo_warehouse: Path, query: str, title: str
) -> None:
    """Each example finds the article the README names, and search (SQL over the index) and the
    alert matcher (in memory) agree on every article of the demo."""
    aliases = load_rules_file(REPO_ROOT / "rules.yaml").aliases
    node = parse_query(query, aliases)
    con = connect_reader(demo_warehouse)
    try:
        hits = search_articles(con, node, limit=1000)
        articles = con.execute("SELECT canonical_url, title, text FROM articles").fetchall()
    finally:
        con.close()
    assert title in [h.title for h in hits], [h.title for h in hits]
    matches = compile_matcher(node)
    in_memory = {url for url, t, text in articles if matches(Document.from_article(t, text))}
    assert {h.url for h in hits} == in_memory


def test_readme_lists_every_command() -> None:
    for name in cli.commands:
        assert f"`pantau {name}" in README, f"README's command table lacks `pantau {name}`"
