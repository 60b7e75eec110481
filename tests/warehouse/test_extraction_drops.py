"""Extraction verdict drops: an outlet whose articles read worse tonight than in its last runs
is named in the health report and raises one operator alert."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.settings import Settings
from warehouse.db import connect_writer
from warehouse.extraction_drops import ExtractionStats, drop_reasons, extraction_drops

pytestmark = pytest.mark.usefixtures("warehouse_backend")

GOOD = ("Hujan deras mengguyur Jakarta sejak pagi dan membuat banyak ruas jalan tergenang. " * 12)
SHORT = "Hujan deras mengguyur Jakarta."
LEAKY = GOOD + "\nBaca juga: Banjir Rendam Bekasi"


def add_run(con, run_id: str, day: int, source: str, texts: list[str], dated: bool = True,
            non_articles: int = 0) -> None:  # type: ignore[no-untyped-def]
    when = f"2026-11-{day:02d} 19:30:00+00"
    con.execute(
        """INSERT INTO crawl_runs (run_id, source, requests, bytes, pages_fetched, new_articles,
           updated_articles, non_articles, errors, status_counts, crawl_error, loaded_at,
           articles_loaded, short_texts, missing_dates)
           VALUES (?, ?, 3, 100, 1, ?, 0, ?, 0, '{}', NULL, ?, ?, 0, 0)""",
        [run_id, source, len(texts), non_articles, when, len(texts)],
    )
    for i, text in enumerate(texts):
        url = f"https://{source}.id/{run_id}/{i}"
        con.execute(
            """INSERT INTO articles (id, source, url, canonical_url, title, text, authors,
               published_at, tags, first_seen_at, last_seen_at, content_hash, version, run_id)
               VALUES (?, ?, ?, ?, 't', ?, [], ?, [], ?, ?, 'h', 1, ?)""",
            [url, source, url, url, text, when if dated else None, when, when, run_id],
        )


@pytest.fixture()
def con(tmp_path: Path):  # type: ignore[no-untyped-def]
    con = connect_writer(tmp_path / "w.duckdb")
    for day in (16, 17, 18, 19):
        for source in ("stabil", "rusak", "kosong"):
            add_run(con, f"n{day}", day, source, [GOOD] * 4)
    yield con
    con.close()


def test_text_shorter_dates_missing_leaks_appearing(con) -> None:  # type: ignore[no-untyped-def]
    add_run(con, "n20", 20, "stabil", [GOOD] * 4)
    add_run(con, "n20", 20, "rusak", [SHORT, SHORT, SHORT, LEAKY, LEAKY], dated=False)
    add_run(con, "n20", 20, "kosong", [GOOD] * 4, non_articles=6)
    drops = extraction_drops(con, "n20")
    assert set(drops) == {"rusak", "kosong"}
    text = "; ".join(drops["rusak"])
    assert "text shorter: median" in text and "dates missing: 0% dated (was 100%)" in text
    assert "leaks appearing: 40% with page furniture in the text (was 0%)" in text
    assert drops["kosong"] == ["60% of fetched pages not read as articles (was 0%)"]


def test_too_few_articles_give_no_verdict() -> None:
    before = ExtractionStats(10, 2000, 1.0, 0.0, 0.0)
    assert drop_reasons(ExtractionStats(2, 10, 0.0, 1.0, 1.0), before) == []
    assert drop_reasons(ExtractionStats(5, 1900, 0.9, 0.1, 0.1), before) == []  # small changes


def test_health_report_names_the_outlet_and_alerts_once(con, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pantau.steps import health_step

    settings = Settings(db=tmp_path / "w.duckdb", sources=tmp_path / "s.yaml",
                        staging=tmp_path / "staging", rules=tmp_path / "rules.yaml",
                        outbox=tmp_path / "outbox.jsonl", allow_private_hosts=False)
    add_run(con, "n20", 20, "stabil", [GOOD] * 4)
    add_run(con, "n20", 20, "rusak", [SHORT] * 4)
    add_run(con, "n20", 20, "kosong", [GOOD] * 4)
    add_run(con, "n21", 21, "rusak", [SHORT] * 4)  # still broken the next night
    con.close()
    rows = {h.source: h for h in health_step(settings, "n20")}
    assert rows["stabil"].flags == [] and rows["kosong"].flags == []
    assert rows["rusak"].kinds == ["extraction_drop"]
    assert rows["rusak"].flags[0].startswith("extraction dropped (layout change?): text shorter")
    alerts = [json.loads(line) for line in settings.outbox.read_text().splitlines()]
    assert [a["source"] for a in alerts] == ["rusak"]
    assert "rusak" in alerts[0]["title"] and "text shorter" in alerts[0]["title"]
    health_step(settings, "n21")  # the drop lasts: reported again, not alerted again
    assert len(settings.outbox.read_text().splitlines()) == 1


def test_loads_record_how_their_articles_read(tmp_path: Path) -> None:
    """The load keeps each run's text/date/leak figures in crawl_runs, so the nightly check
    reads one row per run instead of the outlet's articles; both give the same verdict."""
    from core.config import Source
    from tests.warehouse.staged import PARAS, article_html, page, stage
    from warehouse import extraction_drops as drops_module
    from warehouse.loader import load_run

    staging = tmp_path / "staging"
    source = Source(name="contoh", url="https://contoh.id/", feeds=("https://contoh.id/rss",))
    con = connect_writer(tmp_path / "w.duckdb")
    for day, paragraphs in ((18, PARAS), (19, PARAS), (20, PARAS[:1])):
        stage(staging, f"n{day}", [page(f"https://contoh.id/berita/{day}-{i}",
                                        article_html(f"Berita {day} {i}", paragraphs),
                                        f"2026-11-{day:02d}T19:00:30+00:00") for i in range(4)])
        load_run(con, staging, f"n{day}", [source], workers=1)
    recorded = con.execute("SELECT run_id, written_median_text, written_dated, written_leaky "
                           "FROM crawl_runs ORDER BY run_id").fetchall()
    assert [r[0] for r in recorded] == ["n18", "n19", "n20"]
    assert all(r[1] and r[2] == 1.0 and r[3] == 0.0 for r in recorded)
    for runs in (["n20"], ["n18", "n19"]):
        from_rows = drops_module._recorded_stats(con, "contoh", runs)
        con.execute("UPDATE crawl_runs SET written_median_text = NULL")  # as if loaded before
        from_articles = drops_module._stats(con, "contoh", runs)
        con.execute("UPDATE crawl_runs c SET written_median_text = r.m FROM (VALUES "
                    + ", ".join(f"('{r[0]}', {r[1]})" for r in recorded)
                    + ") r(run_id, m) WHERE c.run_id = r.run_id")
        assert from_rows == from_articles, runs
    con.close()
