"""Reprocess: the archive is re-extracted with the current extractor; changes become versions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import extract
import extract.staged
from tests.warehouse.staged import PARAS, SOURCE, article_html, page, stage
from warehouse.db import connect_writer
from warehouse.lake import duplicate_keys
from warehouse.loader import load_run
from warehouse.reprocess import reprocess_archive

pytestmark = pytest.mark.usefixtures("warehouse_backend")


@pytest.fixture()
def loaded(tmp_path: Path) -> tuple[Path, Path]:
    staging = tmp_path / "staging"
    url = "https://contoh.id/berita/1"
    stage(staging, "r1", [page(url, article_html("Banjir di Jakarta", PARAS),
                               "2026-11-20T19:00:30+00:00")])
    newer = [*PARAS[:3], "Paragraf tambahan pada pengambilan kedua halaman ini."]
    stage(staging, "r2", [
        page(url, article_html("Banjir di Jakarta", newer), "2026-11-21T19:00:30+00:00"),
        page("https://contoh.id/berita/2", article_html("Gempa di Bali", PARAS[::-1]),
             "2026-11-21T19:00:30+00:00"),
    ])
    db = tmp_path / "w.duckdb"
    con = connect_writer(db)
    load_run(con, staging, "r1", [SOURCE], workers=1)
    load_run(con, staging, "r2", [SOURCE], workers=1)
    con.close()
    return db, staging


def rows(db: Path) -> list[tuple[Any, ...]]:
    con = connect_writer(db)
    try:
        return con.execute("SELECT title, version, text LIKE '%tambahan%' FROM articles "
                           "ORDER BY title").fetchall()
    finally:
        con.close()


def test_reprocess_versions_changed_articles(
    loaded: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, staging = loaded
    assert rows(db) == [("Banjir di Jakarta", 2, True), ("Gempa di Bali", 1, False)]

    def reprocess() -> Any:
        return reprocess_archive(lambda: connect_writer(db), staging, [SOURCE], workers=1)

    same = reprocess()  # unchanged extractor: nothing changes
    assert (same.pages, same.articles_changed, same.articles_added) == (2, 0, 0)
    assert rows(db) == [("Banjir di Jakarta", 2, True), ("Gempa di Bali", 1, False)]

    original = extract.extract_article

    def better(*args: Any, **kwargs: Any) -> Any:
        art = original(*args, **kwargs)
        art.title = (art.title or "") + " (diperbarui)"
        return art

    monkeypatch.setattr(extract.staged, "extract_article", better)
    done = reprocess()
    assert (done.pages, done.articles_changed) == (2, 2)
    # The latest archived fetch is the one re-extracted (it has the added paragraph).
    assert rows(db) == [("Banjir di Jakarta (diperbarui)", 3, True),
                        ("Gempa di Bali (diperbarui)", 2, False)]
    con = connect_writer(db)
    versions = con.execute("SELECT count(*) FROM article_versions").fetchone()
    repeated = duplicate_keys(con)
    con.close()
    assert versions == (3,)
    assert repeated == {}  # reprocess merges by key: no second row for any key
    again = reprocess()
    assert again.articles_changed == 0
