"""Fixtures for the alerts tests: an in-memory warehouse and a way to add articles to it."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from warehouse.db import migrate

AddArticle = Callable[..., str]
_WIB = timezone(timedelta(hours=7))


@pytest.fixture(scope="session")
def warehouse_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty warehouse file, made once; each test gets a copy (faster than
    migrating for every test)."""
    path = tmp_path_factory.mktemp("alerts") / "template.duckdb"
    connection = duckdb.connect(str(path))
    migrate(connection)
    connection.close()
    return path


@pytest.fixture
def con(warehouse_template: Path, tmp_path: Path,
        request: pytest.FixtureRequest) -> Iterator[duckdb.DuckDBPyConnection]:
    """The test's warehouse; on both backends in modules that use ``warehouse_backend``."""
    path = tmp_path / "warehouse.duckdb"
    if "warehouse_backend" in request.fixturenames and \
            request.getfixturevalue("warehouse_backend") == "ducklake":
        from warehouse.db import connect_writer

        connection = connect_writer(path)  # a migrated DuckLake (SQLite catalog)
        yield connection
        connection.close()
        return
    shutil.copyfile(warehouse_template, path)
    connection = duckdb.connect(str(path))
    yield connection
    connection.close()


@pytest.fixture
def add_article(con: duckdb.DuckDBPyConnection) -> AddArticle:
    """Insert an article row; returns its id."""

    def add(
        source: str,
        title: str,
        text: str,
        *,
        published_at: datetime | None = datetime(2026, 11, 20, 7, 5, tzinfo=UTC),
        section: str | None = None,
        language: str = "id",
        slug: str | None = None,
    ) -> str:
        slug = slug or hashlib.sha1(f"{source}{title}".encode()).hexdigest()[:10]
        url = f"http://{source}.localhost/read/{slug}"
        article_id = hashlib.sha256(url.encode()).hexdigest()[:16]
        local = published_at.astimezone(_WIB).isoformat() if published_at else None
        con.execute(
            "INSERT INTO articles (id, source, url, canonical_url, title, text, authors, "
            "published_at, published_at_local, section, tags, language, first_seen_at, "
            "last_seen_at, content_hash, version, run_id) "
            "VALUES (?, ?, ?, ?, ?, ?, [], ?, ?, ?, [], ?, ?, ?, 'h', 1, 'run1')",
            [article_id, source, url, url, title, text, published_at, local, section, language,
             datetime(2026, 11, 21, tzinfo=UTC), datetime(2026, 11, 21, tzinfo=UTC)],
        )
        return article_id

    return add
