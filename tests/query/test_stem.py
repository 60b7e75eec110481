"""``~word`` uses the very stemmer of the warehouse's full-text index."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from query.stem import stem_id, stem_many
from query.text import tokenize
from warehouse.db import migrate
from warehouse.fts import INDEX_SCHEMA, refresh_index

TEXT = ("Ratusan rumah kebanjiran setelah hujan deras membanjiri permukiman. Pemerintah kota "
        "menyalurkan bantuan, sementara petugas memberantas pungutan liar di posko pengungsian. "
        "Warga Kampung Pulo dibanjiri air kiriman dari Bogor; banjirnya surut keesokan harinya. "
        "Café di tepi Ciliwung ikut terendam, kata pemiliknya kepada wartawan.")


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A migrated, empty warehouse."""
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(connection)
    yield connection
    connection.close()


def test_stem_id_equals_the_fulltext_index_terms(con: duckdb.DuckDBPyConnection) -> None:
    now = datetime(2026, 11, 21, tzinfo=UTC)
    con.execute(
        "INSERT INTO articles (id, source, url, canonical_url, title, text, authors, tags, "
        "first_seen_at, last_seen_at, content_hash, version, run_id) VALUES "
        "('a', 'detakpos', 'u', 'u', 'Banjir Kiriman', ?, [], [], ?, ?, 'h', 1, 'r')",
        [TEXT, now, now])
    refresh_index(con)
    indexed = {t for (t,) in con.execute(
        f"SELECT stem FROM {INDEX_SCHEMA}.term_stems").fetchall()}
    ours = {stem_id(w) for w in tokenize("Banjir Kiriman " + TEXT)}
    assert ours == indexed
    assert {stem_id(w) for w in ["kebanjiran", "membanjiri", "dibanjiri", "banjirnya"]} == {
        "banjir"}


def test_stem_many_batches_and_caches() -> None:
    words = ["kebanjiran", "pemberantasan", "menyelesaikan", "jakarta", "2026"]
    first = stem_many(words)
    assert first == stem_many(words)
    assert first["kebanjiran"] == "banjir" and first["jakarta"] == "jakarta"
    assert first["2026"] == "2026"
