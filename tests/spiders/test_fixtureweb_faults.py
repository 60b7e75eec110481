"""Every fault the fixture web can inject ends as a recorded error (or heals), never a crash,
and another outlet crawled at the same time finishes normally."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import fixtureweb  # noqa: E402 - part of this repository: a broken fixture web fails, never skips
from core.config import load_sources
from extract.urls import canonicalize_url
from spiders.runner import crawl_source
from staging import iter_records, records_path

pytestmark = pytest.mark.slow

# fault per article of detakpos and iphedia (in turn) and what must come of it:
# "page" (healed or handled) or an error whose text contains the given words
FAULTS = [
    ("status", {"code": 503, "times": 1}, "page"),  # retried, then fine
    ("status", {"code": 503, "retry_after": 3600}, "Retry-After: 3600"),
    ("status", {"code": 500}, "HTTP 500"),
    ("timeout", {"seconds": 4}, "timed out"),
    ("reset", {}, ""),
    ("truncate", {}, "truncated"),
    ("charset", {}, "page"),  # windows-1252 labelled UTF-8: decoded right anyway
    ("redirect_chain", {"hops": 3}, "page"),
    ("redirect_loop", {}, "redirect"),
    ("redirect_to", {"location": "http://127.0.0.1:1/"}, "connection refused"),
    ("gone", {"code": 410}, "HTTP 410"),
    ("gzip_bomb", {"size": 64 * 1024 * 1024}, "DOWNLOAD_MAXSIZE"),
    ("huge", {"size": 8 * 1024 * 1024}, "max size"),
]


def test_every_fault_is_recorded_and_other_outlets_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PANTAU_DOWNLOAD_TIMEOUT", "1")
    monkeypatch.setenv("PANTAU_MAX_PAGE_BYTES", str(2 * 1024 * 1024))
    staging = tmp_path / "staging"
    with fixtureweb.FixtureWeb() as web:
        sources = {s.name: s for s in load_sources(web.write_sources_yaml(tmp_path / "s.yaml"))}
        faulty, turki = [sources["detakpos"], sources["iphedia"]], sources["beritaturki"]
        by_outlet = {s.name: [canonicalize_url(a["url"], s.host) for a in web.expected_articles()
                              if a["outlet"] == s.name] for s in faulty}
        articles = [u for pair in zip(*by_outlet.values(), strict=False) for u in pair]
        assert len(articles) >= len(FAULTS)
        expectations = {}
        for url, (kind, params, outcome) in zip(articles, FAULTS, strict=False):
            times = params.pop("times", None)
            web.inject(url, kind, times=times, **params)
            expectations[url] = (kind, outcome)
        web.inject(web.base_url("detakpos") + "rss", "malformed_xml")
        turki_expected = {canonicalize_url(a["url"], turki.host) for a in web.expected_articles()
                          if a["outlet"] == "beritaturki"}

        with ThreadPoolExecutor(max_workers=3) as pool:
            futures = [pool.submit(crawl_source, s, "r1", staging, [], allow_private_hosts=True,
                                   timeout=120) for s in (*faulty, turki)]
            all_stats = [f.result() for f in futures]

    assert [s["crawl_error"] for s in all_stats] == [None, None, None]
    records = [r for s in faulty for r in iter_records(records_path(staging, "r1", s.name))]
    pages = {r["url"]: r for r in records if r["type"] == "page"}
    errors = {r["url"]: r for r in records if r["type"] == "error"}
    for url, (kind, outcome) in expectations.items():
        if outcome == "page":
            assert url in pages, f"{kind}: {errors.get(url)}"
            assert "\ufffd" not in pages[url]["html"], f"{kind}: badly decoded"
        else:
            assert url in errors, f"{kind}: no error record"
            assert outcome.lower() in errors[url]["error"].lower(), (kind, errors[url])
    # faultless articles of the same outlet are staged
    clean = {u for urls in by_outlet.values() for u in urls} - set(expectations)
    assert clean <= set(pages)
    # the malformed feed is reported; the sitemap still found every article
    [feed_error] = [r for r in errors.values() if r["role"] == "feed"]
    assert "malformed XML" in feed_error["error"]
    # the other outlet, crawled at the same time, is complete
    turki_pages = {r["url"] for r in iter_records(records_path(staging, "r1", "beritaturki"))
                   if r["type"] == "page"}
    assert turki_pages == turki_expected
