"""Extraction at crawl time: the load reuses the crawler's results only when they are current."""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import pytest

import fixtureweb  # noqa: E402 - part of this repository: a broken fixture web fails, never skips
from core.config import Source, load_sources
from extract import SiteOptions
from extract import staged as extracting
from extract.staged import extraction_key, reuse_staged, staged_extraction
from spiders.runner import crawl_source
from staging import PageRecord, read_typed, records_path
from staging.extraction import extract_all

ARTICLE = """<html><head><title>Banjir di Bekasi</title>
<meta property="article:published_time" content="2026-11-20T08:00:00+07:00"></head><body>
<article><h1>Banjir di Bekasi</h1>
<p>Hujan deras sejak Kamis malam membuat beberapa perumahan di Bekasi terendam air setinggi
lutut orang dewasa, kata petugas badan penanggulangan bencana setempat.</p>
<p>Warga mengungsi ke masjid dan balai warga terdekat sambil menunggu air surut pada pagi hari,
sementara petugas membagikan makanan dan selimut.</p></article></body></html>"""


def _record(html: str = ARTICLE) -> PageRecord:
    return PageRecord(source="contoh", url="https://contoh.id/berita/banjir-bekasi",
                      final_url=None, status=200, fetched_at="2026-11-20T02:00:00+00:00",
                      html=html, headers={})


SOURCE = Source(name="contoh", url="https://contoh.id/", timezone="Asia/Jakarta", language="id")
OPTIONS = SOURCE.site_options


def _extracted(record: PageRecord) -> PageRecord:
    return replace(record, extracted=staged_extraction(record, OPTIONS))


def test_reused_result_equals_a_fresh_extraction() -> None:
    record = _extracted(_record())
    reused = reuse_staged(record, OPTIONS, archive="a.jsonl.gz")
    fresh = extracting.extract_record(record, OPTIONS, archive="a.jsonl.gz")
    assert reused is not None and reused.kind == "article"
    assert asdict(reused) == asdict(fresh)


def test_stale_results_are_extracted_again(monkeypatch: pytest.MonkeyPatch) -> None:
    record = _extracted(_record())
    # other extraction settings for the outlet
    assert reuse_staged(record, replace(SOURCE, timezone="Asia/Makassar").site_options,
                        None) is None
    assert reuse_staged(record, replace(SOURCE, extract={"favor": "recall"}).site_options,
                        None) is None
    # unrelated settings do not matter
    assert reuse_staged(record, replace(SOURCE, feeds=("https://contoh.id/feed",)).site_options,
                        None)
    # another extractor (code or library version)
    monkeypatch.setattr(extracting, "extractor_fingerprint", lambda: "another extractor")
    assert reuse_staged(record, OPTIONS, None) is None
    # no crawl-time result at all
    assert reuse_staged(_record(), OPTIONS, None) is None


def test_extract_all_extracts_only_what_it_cannot_reuse(monkeypatch: pytest.MonkeyPatch) -> None:
    done = _extracted(_record())
    todo = _record(ARTICLE.replace("Bekasi", "Depok"))
    calls: list[str] = []
    real = extracting.extract_record

    def counting(record: PageRecord, options: SiteOptions, archive: str | None) -> Any:
        calls.append(record.html)
        return real(record, options, archive)

    monkeypatch.setattr(extracting, "extract_record", counting)
    ticks: list[int] = []
    pages = extract_all([(done, OPTIONS, "x"), (todo, OPTIONS, "x")], workers=1,
                        progress=ticks.append)
    assert [p.article["title"] for p in pages if p.article] == ["Banjir di Bekasi",
                                                                 "Banjir di Depok"]
    assert calls == [todo.html] and sum(ticks) == 2
    calls.clear()
    extract_all([(done, OPTIONS, "x")], workers=1, reuse=False)  # reprocess: always extract
    assert calls == [done.html]


def _crawl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
           in_crawl: bool) -> list[tuple[PageRecord, SiteOptions]]:
    monkeypatch.setenv("PANTAU_EXTRACT_IN_CRAWL", "1" if in_crawl else "0")
    monkeypatch.setenv("PANTAU_DOWNLOAD_DELAY", "0")
    with fixtureweb.FixtureWeb() as web:
        [source] = [s for s in load_sources(web.write_sources_yaml(tmp_path / "s.yaml"))
                    if s.name == "iphedia"]
        stats = crawl_source(source, "n1", tmp_path / "staging", {}, allow_private_hosts=True,
                             timeout=120)
    assert not stats["crawl_error"], stats
    options = source.site_options
    records = [r for r in read_typed(records_path(tmp_path / "staging", "n1", "iphedia"))
               if isinstance(r, PageRecord)]
    return [(r, options) for r in records]


@pytest.mark.slow
def test_crawled_pages_carry_their_extraction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staged = _crawl(tmp_path / "on", monkeypatch, in_crawl=True)
    assert staged and all(r.extracted and r.extracted["key"] == extraction_key(o)
                      for r, o in staged)
    jobs = [(r, o, "archive") for r, o in staged]
    reused = extract_all(jobs, workers=1)
    fresh = extract_all(jobs, workers=1, reuse=False)
    assert [asdict(p) for p in reused] == [asdict(p) for p in fresh]
    assert sum(p.kind == "article" for p in reused) >= 10

    off = _crawl(tmp_path / "off", monkeypatch, in_crawl=False)
    assert off and not any(r.extracted for r, _ in off)
