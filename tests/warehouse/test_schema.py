"""warehouse/schema.py is the one list of the article columns: the migrated warehouse, the
export, the load's batch file and the README all agree with it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from warehouse import batch as batch_file
from warehouse import schema
from warehouse.db import connect_writer
from warehouse.export import export_articles

README = Path(__file__).resolve().parents[2] / "README.md"
MARKER = "<!-- articles-columns:"


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position", [table],
    ).fetchall()
    return dict(rows)


def _declared(con: duckdb.DuckDBPyConnection, table: str,
              columns: dict[str, str]) -> dict[str, str]:
    """The columns as DuckDB spells their types (declared through a scratch table)."""
    declared = ", ".join(f"{name} {type_}" for name, type_ in columns.items())
    con.execute(f"CREATE TEMP TABLE {table} ({declared})")
    return _columns(con, table)


@pytest.fixture()
def con(warehouse_backend: str, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A migrated warehouse on each backend (only the tests that read one run twice)."""
    con = connect_writer(tmp_path / "w.duckdb")
    yield con
    con.close()


def test_migrated_articles_match_the_schema_table(con: duckdb.DuckDBPyConnection) -> None:
    declared = _declared(con, "declared_articles",
                         {c.name: c.type for c in schema.ARTICLE_COLUMNS})
    assert _columns(con, "articles") == declared


def test_migrated_article_versions_match_the_schema_table(
    con: duckdb.DuckDBPyConnection,
) -> None:
    declared = _declared(con, "declared_versions", schema.version_columns())
    assert _columns(con, "article_versions") == declared


def test_schema_table_is_well_formed() -> None:
    names = [c.name for c in schema.ARTICLE_COLUMNS]
    assert len(names) == len(set(names))
    versions = list(schema.version_columns())
    assert len(versions) == len([c for c in schema.ARTICLE_COLUMNS if c.version]) + len(
        schema.VERSION_ONLY_COLUMNS)  # no two columns kept under one name
    for c in schema.ARTICLE_COLUMNS:
        assert c.doc and "|" not in c.doc, c.name  # a README table cell
        if c.extracted:  # read from the batch file, under its own name
            assert c.new == c.changed == f"b.{c.name}", c.name


def test_merge_reads_only_columns_the_batch_has() -> None:
    """Every batch column a schema row's SQL reads exists in the load's batch file, and the
    page's columns and the extracted article's do not share a name (one would hide the other)."""
    batch = batch_file.BATCH_COLUMNS
    assert len(batch) == (len(batch_file._PAGE_COLUMNS) + len(schema.batch_columns())
                          + len(batch_file._VALIDATOR_COLUMNS))
    read = {m for _, sql in schema.inserted() + schema.updated() + schema.versioned()
            for m in re.findall(r"\bb\.(\w+)", sql)}
    assert read and read <= set(batch), read - set(batch)
    for name, type_ in schema.batch_columns().items():
        assert batch[name] == type_


def test_export_writes_the_exported_columns_in_order(con: duckdb.DuckDBPyConnection,
                                                     tmp_path: Path) -> None:
    out = tmp_path / "a.parquet"
    export_articles(con, out, "parquet")
    written = [r[0] for r in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{out}')").fetchall()]
    assert written == schema.exported()
    assert "run_id" not in written and "id" in written


def test_batch_values_read_the_extracted_article() -> None:
    article = {"title": "Banjir", "text": "Air naik.", "authors": None, "editors": ["Rina"],
               "published_at": "2026-11-20T14:05:00+07:00", "tags": None}
    row = schema.batch_values(article)
    assert list(row) == list(schema.batch_columns())
    assert row["published_at"] == row["published_at_local"] == "2026-11-20T14:05:00+07:00"
    assert row["authors"] == [] and row["tags"] == [] and row["editors"] == ["Rina"]
    assert row["updated_at_local"] is None and row["section"] is None


def readme_block() -> str:
    text = README.read_text("utf-8")
    assert MARKER in text, f"README lacks the {MARKER} … --> table of the article columns"
    return text.split(MARKER, 1)[1].split("-->\n", 1)[1].split("\n\n", 1)[0] + "\n"


def test_readme_lists_the_article_columns() -> None:
    assert readme_block() == schema.markdown_table(), (
        "README's table of the articles columns is out of date: replace the table after "
        f"{MARKER} with the output of `python -m warehouse.schema`"
    )
