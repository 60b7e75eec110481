"""Re-check support in the warehouse: validators kept per page, articles marked removed on
404/410 (never deleted) and live again on a later 200, the re-check window's targets."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.warehouse.staged import PARAS, SOURCE, article_html, page, stage
from warehouse.crawler_queries import recheck_targets
from warehouse.db import connect_writer
from warehouse.loader import load_run
from warehouse.reprocess import reprocess_archive

pytestmark = pytest.mark.usefixtures("warehouse_backend")

URL = "https://contoh.id/berita/1"
ETAG = '"v1-abc"'
MODIFIED = "Fri, 20 Nov 2026 07:05:00 GMT"


def fetched(day: int) -> str:
    return f"2026-11-{day:02d}T19:00:30+00:00"


def live(day: int, url: str = URL, paragraphs: list[str] = PARAS, **headers: str) -> dict:
    record = page(url, article_html("Banjir rendam Jakarta", paragraphs), fetched(day))
    record["headers"] = {"content-type": "text/html; charset=utf-8", **headers}
    return record


def gone(day: int, status: int, url: str = URL) -> dict[str, Any]:
    return {"type": "error", "source": "contoh", "url": url, "status": status,
            "error": f"HTTP {status}", "fetched_at": fetched(day), "role": "article",
            "discovered_via": "recheck"}


@pytest.fixture()
def con(tmp_path: Path):
    c = connect_writer(tmp_path / "w.duckdb")
    yield c
    c.close()


def load(con: Any, tmp_path: Path, run_id: str, records: list[dict[str, Any]]) -> Any:
    stage(tmp_path / "staging", run_id, records)
    return load_run(con, tmp_path / "staging", run_id, [SOURCE], workers=1)


def state(con: Any) -> tuple[Any, ...]:
    return con.execute("SELECT version, removed_at, removed_status FROM articles").fetchone()


def test_validators_are_kept_for_the_next_conditional_get(tmp_path: Path, con: Any) -> None:
    load(con, tmp_path, "r1", [live(20, etag=ETAG, **{"last-modified": MODIFIED})])
    since = datetime(2026, 11, 18, tzinfo=UTC)
    assert recheck_targets(con, "contoh", since) == [
        {"url": URL, "final_url": URL, "etag": ETAG, "last_modified": MODIFIED,
         "removed": False}]
    # a failed fetch keeps the validators of the last good one, and the page's article
    load(con, tmp_path, "r2", [gone(21, 503)])
    assert con.execute("SELECT kind, etag, last_modified, article_id IS NOT NULL FROM pages"
                       ).fetchall() == [("error", ETAG, MODIFIED, True)]
    # a good fetch without validators forgets them
    load(con, tmp_path, "r3", [live(22)])
    assert con.execute("SELECT etag, last_modified FROM pages").fetchall() == [(None, None)]


def test_single_page_view_validators_are_not_the_articles(tmp_path: Path, con: Any) -> None:
    record = live(20, etag=ETAG)
    record["hints"] = {"single_page_view": URL + "?single=1"}
    load(con, tmp_path, "r1", [record])
    assert con.execute("SELECT etag FROM pages").fetchall() == [(None,)]


def test_gone_article_is_marked_removed_never_deleted(tmp_path: Path, con: Any) -> None:
    load(con, tmp_path, "r1", [live(20)])
    corrected = [*PARAS[:3], "Ralat: jumlah pengungsi yang benar adalah 1.250 orang, bukan "
                             "12.500 orang seperti ditulis sebelumnya dalam berita ini."]
    load(con, tmp_path, "r2", [live(21, paragraphs=corrected)])
    summary = load(con, tmp_path, "r3", [gone(22, 410)])
    assert summary.outlets[0].removed_articles == 1 and summary.removed_articles == 1
    seen_gone = datetime.fromisoformat(fetched(22))
    assert state(con) == (2, seen_gone, 410)
    assert con.execute("SELECT count(*) FROM article_versions").fetchone() == (1,)
    assert con.execute("SELECT removed_articles FROM crawl_runs ORDER BY run_id").fetchall() == [
        (0,), (0,), (1,)]
    # gone again later: still the first sighting, no second removal
    load(con, tmp_path, "r4", [gone(23, 404)])
    assert state(con) == (2, seen_gone, 410)
    assert con.execute("SELECT removed_at, removed_status, run_id, restored_at "
                       "FROM article_removals").fetchall() == [(seen_gone, 410, "r3", None)]
    assert recheck_targets(con, "contoh", datetime(2026, 11, 1, tzinfo=UTC))[0]["removed"]
    # back with the same text: live again, the removal closed, no new version
    load(con, tmp_path, "r5", [live(24, paragraphs=corrected)])
    assert state(con) == (2, None, None)
    assert con.execute("SELECT restored_at FROM article_removals").fetchall() == [
        (datetime.fromisoformat(fetched(24)),)]


def test_only_a_404_after_the_last_live_fetch_removes(tmp_path: Path, con: Any) -> None:
    load(con, tmp_path, "r1", [live(22)])
    load(con, tmp_path, "r2", [gone(21, 404)])  # an older run loaded late
    load(con, tmp_path, "r3", [gone(23, 500)])  # not a removal: a failure
    load(con, tmp_path, "r4", [gone(23, 404, url="https://contoh.id/berita/lain")])
    assert state(con) == (1, None, None)
    assert con.execute("SELECT count(*) FROM article_removals").fetchone() == (0,)


def test_reprocess_keeps_a_removed_article_removed(tmp_path: Path, con: Any) -> None:
    load(con, tmp_path, "r1", [live(20)])
    load(con, tmp_path, "r2", [gone(21, 404)])
    before = con.execute("SELECT kind, status, last_fetched_at FROM pages").fetchall()
    con.close()
    reprocess_archive(lambda: connect_writer(tmp_path / "w.duckdb"), tmp_path / "staging",
                      [SOURCE], workers=1)
    again = connect_writer(tmp_path / "w.duckdb")
    try:
        assert state(again)[1:] == (datetime.fromisoformat(fetched(21)), 404)
        # the page is not rolled back to the older archived 200
        assert again.execute("SELECT kind, status, last_fetched_at FROM pages").fetchall() == before
    finally:
        again.close()


def test_recheck_window_by_publication_else_first_seen(tmp_path: Path, con: Any) -> None:
    undated = page("https://contoh.id/berita/3",
                   article_html("Tanpa tanggal", PARAS[::-1]).replace(
                       '<meta property="article:published_time" '
                       'content="2026-11-20T14:05:00+07:00">', ""),
                   fetched(20))
    load(con, tmp_path, "r1", [
        live(20),  # published 20 Nov 14:05 WIB
        page("https://contoh.id/berita/2", article_html("Lama", PARAS[1:],
                                                        when="2026-11-10T08:00:00+07:00"),
             fetched(20)),
        undated,
    ])
    dated = con.execute("SELECT url, published_at IS NULL FROM articles ORDER BY url").fetchall()
    assert dated == [(URL, False), ("https://contoh.id/berita/2", False),
                     ("https://contoh.id/berita/3", True)]

    def urls(since: datetime) -> list[str]:
        return [t["url"] for t in recheck_targets(con, "contoh", since)]

    assert urls(datetime(2026, 11, 19, tzinfo=UTC)) == ["https://contoh.id/berita/3", URL]
    assert urls(datetime(2026, 11, 20, 12, tzinfo=UTC)) == ["https://contoh.id/berita/3"]
    assert urls(datetime(2026, 11, 9, tzinfo=UTC)) == [
        "https://contoh.id/berita/3", URL, "https://contoh.id/berita/2"]
    assert recheck_targets(con, "lain", datetime(2026, 11, 1, tzinfo=UTC)) == []
