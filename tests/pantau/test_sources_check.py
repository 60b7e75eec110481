"""``pantau sources check`` on the fixture web, its faults, and real saved pages on loopback."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from core.config import Source, load_sources
from core.settings import REPO_ROOT
from pantau.check_verdicts import OutletCheck, details
from pantau.cli import cli
from pantau.fetch import Fetcher
from pantau.sources_check import check_sources
from tests.realpages import needs_realpages, real_pages

NOW = datetime(2026, 11, 21, 0, 0, tzinfo=UTC)  # the fixture web's content ends on 20 Nov 2026


@pytest.fixture(scope="module")
def web() -> Iterator[Any]:
    from fixtureweb import FixtureWeb

    with FixtureWeb() as server:
        yield server


@pytest.fixture()
def clean(web: Any) -> Iterator[Any]:
    yield web
    web.clear_faults()
    for slug in web.outlets:
        web.set_robots(slug, None)


def _sources(web: Any, tmp_path: Path, **routes: bool) -> dict[str, Source]:
    path = web.write_sources_yaml(tmp_path / "sources.yaml", **routes)
    return {s.name: s for s in load_sources(path)}


def _check(source: Source, samples: int = 3, allow: bool = True) -> OutletCheck:
    [result] = check_sources([source], Fetcher(allow_private_hosts=allow), samples=samples,
                             now=NOW)
    print(details(result))
    return result


def test_the_fixture_outlets_are_ok(clean: Any, tmp_path: Path) -> None:
    sources = _sources(clean, tmp_path, listings=True)
    results = check_sources(list(sources.values()), Fetcher(allow_private_hosts=True), now=NOW)
    assert [(r.name, r.verdict) for r in results] == [(n, "ok") for n in sources]
    for result in results:
        assert result.robots is not None and result.robots.status == 200
        assert result.robots.sitemaps  # the fixture robots.txt names its sitemap
        assert {d.role for d in result.documents} == {"feed", "sitemap", "listing"}
        assert all(d.status == 200 and d.problem is None for d in result.documents)
        assert all(d.items > 0 for d in result.documents)
        assert result.matching == result.discovered > 0
        assert len(result.samples) == 3
        for sample in result.samples:
            verdicts = {f.name: f.verdict for f in sample.fields}
            assert verdicts == dict.fromkeys(
                ("text", "leaks", "title", "authors", "time", "language", "page_kind"), "ok")
        feed = next(d for d in result.documents if d.role == "feed")
        assert feed.age_hours is not None and 0 < feed.age_hours < 48


def test_feed_404_beside_a_working_sitemap_is_degraded(clean: Any, tmp_path: Path) -> None:
    source = _sources(clean, tmp_path)["detakpos"]
    clean.inject(source.feeds[0], "status", code=404)
    result = _check(source)
    assert result.verdict == "degraded"
    assert f"feed {source.feeds[0]}: HTTP 404" in result.reason


def test_feed_404_as_the_only_route_is_broken(clean: Any, tmp_path: Path) -> None:
    source = _sources(clean, tmp_path, sitemaps=False)["detakpos"]
    clean.inject(source.feeds[0], "status", code=404)
    result = _check(source)
    assert result.verdict == "broken"
    assert result.reason == ("no feed, sitemap or listing could be read; "
                             f"feed {source.feeds[0]}: HTTP 404")


def test_robots_disallow_is_broken(clean: Any, tmp_path: Path) -> None:
    source = _sources(clean, tmp_path)["iphedia"]
    clean.set_robots("iphedia", "User-agent: *\nDisallow: /\n")
    before = len(clean.requests_log)
    result = _check(source)
    assert result.verdict == "broken"
    assert result.reason == "robots.txt disallows every feed, sitemap and listing"
    assert result.robots is not None and len(result.robots.disallowed) == 2
    asked = [path for host, path, _ in clean.requests_log[before:] if host == "iphedia.localhost"]
    assert asked == ["/robots.txt"]  # nothing else was requested
    assert {d.problem for d in result.documents} == {"disallowed by robots.txt"}


def test_robots_disallowing_articles_only_is_broken_with_the_reason(
    clean: Any, tmp_path: Path
) -> None:
    source = _sources(clean, tmp_path)["beritaturki"]
    clean.set_robots("beritaturki", "User-agent: pantau\nDisallow: /2026/\n")
    result = _check(source)
    assert result.verdict == "broken"
    assert "disallowed by robots.txt" in result.reason


def test_empty_feed_is_broken(clean: Any, tmp_path: Path) -> None:
    source = _sources(clean, tmp_path, sitemaps=False)["beritaturki"]
    clean.inject(source.feeds[0], "empty")
    result = _check(source)
    assert result.verdict == "broken"
    assert result.reason == "feeds, sitemaps and listings list no URLs (empty)"
    assert result.documents[0].status == 200 and result.documents[0].items == 0


def test_discovery_of_listing_pages_only_is_broken(clean: Any, tmp_path: Path) -> None:
    source = _sources(clean, tmp_path, sitemaps=False)["iphedia"]
    clean.inject(source.feeds[0], "relink")
    result = _check(source)
    assert result.verdict == "broken"
    assert result.discovered > 0 and result.matching == 0
    assert "match article_pattern" in result.reason and not result.samples


def test_extraction_broken_by_a_layout_change_is_broken(clean: Any, tmp_path: Path) -> None:
    source = _sources(clean, tmp_path)["beritaturki"]
    host = source.url.split("//")[1].split(":")[0]
    clean.inject(f"http://{host}/*", "js_shell")  # articles only: feeds and sitemaps are XML
    result = _check(source)
    assert result.verdict == "broken"
    assert result.reason.startswith("no sample article could be read")
    assert result.matching > 0 and len(result.samples) == 3


def test_one_sample_broken_is_degraded(clean: Any, tmp_path: Path) -> None:
    source = _sources(clean, tmp_path)["detakpos"]
    first = check_sources([source], Fetcher(allow_private_hosts=True), now=NOW)[0]
    clean.inject(first.samples[0].url, "gone", code=404)
    result = _check(source)
    assert result.verdict == "degraded"
    assert "1 of 3 samples unreadable" in result.reason


def test_private_hosts_are_refused_unless_allowed(clean: Any, tmp_path: Path) -> None:
    source = _sources(clean, tmp_path)["iphedia"]
    result = _check(source, allow=False)
    assert result.verdict == "broken"
    assert "refusing to crawl loopback/private host" in result.reason


def test_cli_table_json_progress_and_exit_status(clean: Any, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = clean.write_sources_yaml(tmp_path / "sources.yaml")
    monkeypatch.setenv("PANTAU_AS_OF", "2026-11-21T07:00:00+07:00")
    monkeypatch.setenv("PANTAU_DOWNLOAD_DELAY", "0")
    runner = CliRunner()
    args = ["--sources", str(path), "--allow-private-hosts", "sources", "check"]
    ok = runner.invoke(cli, args)
    assert ok.exit_code == 0, ok.output
    assert "[3/3]" in ok.stderr
    assert "beritaturki" in ok.stdout and "(3 rows)" in ok.stdout

    clean.inject(f"{clean.base_url('iphedia')}*", "status", code=404)
    broken = runner.invoke(cli, [*args, "--json", "-q", "iphedia", "detakpos"])
    assert broken.exit_code == 1
    data = json.loads(broken.stdout)
    assert [(d["name"], d["verdict"]) for d in data] == [("iphedia", "broken"),
                                                          ("detakpos", "ok")]
    assert data[1]["samples"][0]["fields"][0]["name"] == "text"
    assert broken.stderr == ""  # -q: no progress; the error line is printed by main()


# --- real saved pages, served under their own URLs on loopback ------------------------------


class _RealSite(BaseHTTPRequestHandler):
    pages: dict[tuple[str, str], tuple[str, bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        found = self.pages.get((host, self.path))
        if found is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        content_type, body = found
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _rss(urls: list[str]) -> bytes:
    items = "".join(f"<item><title>t</title><link>{u}</link></item>" for u in urls)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}'
            "</channel></rss>").encode()


@needs_realpages
def test_real_saved_pages_on_loopback() -> None:
    """Each followed outlet: a feed listing its saved articles (their real URLs, served from
    loopback) and its saved home pages as listings; pantau finds and reads them."""
    from urllib.parse import urlsplit

    registry = {s.name: s for s in load_sources(REPO_ROOT / "sources.yaml")}
    pages: dict[tuple[str, str], tuple[str, bytes]] = {}
    sources: list[Source] = []
    by_outlet: dict[str, list[Any]] = {}
    for page in real_pages():
        if page.source is not None:
            by_outlet.setdefault(page.source, []).append(page)
    for name, saved in sorted(by_outlet.items()):
        articles = [p for p in saved if p.kind == "article"]
        if not articles:
            continue
        urls = [p.url.replace("https://", "http://") for p in articles]
        for page, url in zip(articles, urls, strict=True):
            parts = urlsplit(url)
            pages[(parts.hostname or "", parts.path)] = ("text/html", page.file.read_bytes())
        listings = []
        for page in saved:
            if page.kind == "listing" and not page.is_feed:
                parts = urlsplit(page.url.replace("https://", "http://"))
                pages[(parts.hostname or "", parts.path or "/")] = ("text/html",
                                                                   page.file.read_bytes())
                listings.append(f"http://{parts.hostname}{parts.path or '/'}")
        home = urlsplit(registry[name].url).hostname or ""
        pages[(home, "/feed.xml")] = ("application/rss+xml", _rss(urls))
        sources.append(dataclasses.replace(registry[name], url=f"http://{home}/",
                                           feeds=(f"http://{home}/feed.xml",), sitemaps=(),
                                           listings=tuple(listings)))
    _RealSite.pages = pages
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RealSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        hosts = {host for host, _ in pages}
        fetcher = Fetcher(allow_private_hosts=True,
                          connect_to={h: ("127.0.0.1", port) for h in hosts})
        results = [check_sources([s], fetcher, samples=len(by_outlet[s.name]), now=NOW)[0]
                   for s in sources]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    for result in results:
        print(details(result))
    assert [r.name for r in results if r.verdict == "broken"] == []
    listed = 0
    for result, source in zip(results, sources, strict=True):
        assert result.matching == result.discovered > 0, source.name
        feed = result.documents[0]
        assert feed.role == "feed" and feed.items == len([p for p in by_outlet[source.name]
                                                          if p.kind == "article"])
        assert all(s.problem is None for s in result.samples[:feed.items]), source.name
        assert result.samples_ok >= 1, source.name
        for doc in result.documents[1:]:
            assert doc.role == "listing" and doc.status == 200 and doc.items > 0, doc.url
            listed += 1
    assert listed >= 5  # the saved home pages of kompas, liputan6, okezone, tempo, viva, merdeka


def test_record_writes_checked_into_ok_entries_only(clean: Any, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    path = clean.write_sources_yaml(tmp_path / "sources.yaml")
    text = path.read_text(encoding="utf-8").replace(
        "- name: detakpos\n", "# the portal outlet\n- name: detakpos\n")
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("PANTAU_AS_OF", "2026-11-21T07:00:00+07:00")
    monkeypatch.setenv("PANTAU_DOWNLOAD_DELAY", "0")
    monkeypatch.setenv("PANTAU_RETRY_BACKOFF", "0")
    clean.inject(f"{clean.base_url('iphedia')}*", "status", code=503)
    args = ["--sources", str(path), "--allow-private-hosts", "sources", "check", "-q", "--record"]
    for _ in range(2):  # the second run replaces the line, it does not add a second one
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1  # iphedia broken
        assert "recorded checked: for 2 outlet(s): beritaturki, detakpos" in result.stderr
        loaded = {s.name: s for s in load_sources(path)}
        today = date.today().isoformat()
        assert loaded["beritaturki"].checked is not None
        assert loaded["beritaturki"].checked.to_dict() == {"date": today, "by": "sources-check"}
        assert loaded["iphedia"].checked is None
    after = path.read_text(encoding="utf-8")
    assert after.count("checked:") == 2 and "# the portal outlet\n- name: detakpos" in after
    assert after.replace(f"  checked: {{date: {today}, by: sources-check}}\n", "") == text


def test_a_passing_503_or_reset_is_retried_once(clean: Any, tmp_path: Path) -> None:
    source = _sources(clean, tmp_path, sitemaps=False)["detakpos"]
    clean.inject(source.feeds[0], "status", code=503, times=1)
    assert _check(source).verdict == "ok"
    clean.inject(source.feeds[0], "reset", times=1)
    assert _check(source).verdict == "ok"
    clean.inject(source.feeds[0], "status", code=503, times=2)
    result = _check(source)
    assert result.verdict == "broken" and result.reason.endswith("HTTP 503")


def test_malformed_feed_read_in_part_is_degraded_with_the_reason(clean: Any,
                                                                 tmp_path: Path) -> None:
    source = _sources(clean, tmp_path, sitemaps=False)["beritaturki"]
    clean.inject(source.feeds[0], "malformed_xml")
    result = _check(source)
    assert result.verdict == "degraded"
    assert f"feed {source.feeds[0]}: malformed XML, line " in result.reason
    assert result.matching > 0


def test_a_sitemap_index_whose_children_fail_names_the_child(clean: Any, tmp_path: Path) -> None:
    source = _sources(clean, tmp_path, feeds=False)["detakpos"]
    clean.inject(clean.base_url("detakpos") + "sitemap-news.xml", "status", code=404)
    result = _check(source)
    assert result.verdict == "broken"
    assert result.reason.endswith("sitemap-news.xml: HTTP 404")
    assert result.reason.startswith("feeds, sitemaps and listings list no URLs (empty)")
