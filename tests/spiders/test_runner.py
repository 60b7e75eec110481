"""crawl_source end to end against a small loopback site: records, stats, failures."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from core.config import Source
from spiders.runner import crawl_source
from staging import iter_records, read_stats, records_path, run_dir, stats_path
from tests.spiders.minisite import MiniSite

HOST = "kabar.localhost"


def feed(*links: str) -> str:
    items = "".join(f"<item><title>Judul {i}</title><link>{u}</link></item>"
                    for i, u in enumerate(links))
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'


@pytest.fixture()
def site() -> MiniSite:
    with MiniSite() as s:
        base = s.base(HOST)
        s.add(HOST, "/robots.txt", "User-agent: *\nDisallow: /rahasia/\n",
              content_type="text/plain")
        s.add(HOST, "/feed/", feed(
            f"{base}/berita/2026/11/20/satu/?utm_source=rss",
            f"{base}/berita/2026/11/20/dua/",
            f"{base}/berita/2026/11/20/hilang/",
            f"{base}/rahasia/2026/11/20/dalam/",
            f"http://lain.localhost:{s.port}/berita/2026/11/20/luar/",
        ), content_type="application/rss+xml")
        s.add(HOST, "/berita/2026/11/20/satu/",
              "<html><body><p>Warga Semarang menanam seribu pohon.</p></body></html>")
        s.add(HOST, "/berita/2026/11/20/dua/",
              "<html><head><meta charset='windows-1252'></head>"
              "<body><p>Kafe \u00e9legan dibuka.</p></body></html>".encode("cp1252"),
              content_type="text/html")
        yield s


def source_for(site: MiniSite) -> Source:
    base = site.base(HOST)
    return Source(name="kabar", url=base + "/", feeds=(base + "/feed/",),
                  article_pattern=r"/\d{4}/\d{2}/\d{2}/")


def records(staging: Path, run_id: str, name: str = "kabar") -> list[dict]:
    return list(iter_records(records_path(staging, run_id, name)))


def test_crawl_stages_pages_and_errors_then_skips_seen(site: MiniSite, tmp_path: Path) -> None:
    source = source_for(site)
    base = site.base(HOST)
    stats = crawl_source(source, "2026-11-20T17:00:00+00:00", tmp_path, [],
                         allow_private_hosts=True, timeout=60)
    assert stats["crawl_error"] is None
    assert stats["pages"] == 2 and stats["errors"] == 1
    assert stats["status_counts"] == {"200": 4, "404": 1}  # robots, feed, 2 articles; 1 missing
    assert stats["requests"] == 5 and stats["bytes"] > 0
    assert stats["robots_forbidden"] == 1
    assert stats["source"] == "kabar" and stats["run_id"] == "2026-11-20T17:00:00+00:00"
    assert stats["started_at"] <= stats["finished_at"]
    assert read_stats(stats_path(tmp_path, stats["run_id"], "kabar")) == stats

    staged = records(tmp_path, stats["run_id"])
    pages = {r["url"]: r for r in staged if r["type"] == "page"}
    assert sorted(pages) == [f"{base}/berita/2026/11/20/dua", f"{base}/berita/2026/11/20/satu"]
    assert "Kafe \u00e9legan" in pages[f"{base}/berita/2026/11/20/dua"]["html"]
    assert pages[f"{base}/berita/2026/11/20/dua"]["encoding"] == "cp1252"
    assert pages[f"{base}/berita/2026/11/20/satu"]["final_url"] == f"{base}/berita/2026/11/20/satu/"
    [error] = [r for r in staged if r["type"] == "error"]
    assert error["url"] == f"{base}/berita/2026/11/20/hilang" and error["status"] == 404
    # nothing off the outlet's host, nothing robots.txt forbids
    assert not [h for h, _ in site.requests if h != HOST]
    assert "/rahasia/2026/11/20/dalam/" not in site.paths_requested(HOST)
    log_text = (run_dir(tmp_path, stats["run_id"]) / "kabar.log").read_text()
    assert "Spider closed (finished)" in log_text

    # next night: the staged URLs are known -> no article is fetched again
    site.requests.clear()
    again = crawl_source(source, "night-2", tmp_path, list(pages), allow_private_hosts=True,
                         timeout=60)
    assert again["pages"] == 0 and again["crawl_error"] is None
    assert again["seen_skipped"] == 2
    article_paths = [p for p in site.paths_requested(HOST) if p.startswith("/berita/")]
    assert article_paths == ["/berita/2026/11/20/hilang/"]  # the failed one is tried again


def test_private_host_refused_without_switch(site: MiniSite, tmp_path: Path) -> None:
    stats = crawl_source(source_for(site), "r1", tmp_path, [], timeout=60)
    assert stats["crawl_error"].startswith(
        "refusing to crawl loopback/private host 'kabar.localhost' (127.0.0.1"
    )
    assert "pass --allow-private-hosts (or PANTAU_ALLOW_PRIVATE_HOSTS=1)" in stats["crawl_error"]
    assert stats["requests"] == 0 and stats["pages"] == 0
    assert site.requests == []


def test_unreachable_outlet_sets_crawl_error(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://mati.localhost:{port}"
    source = Source(name="mati", url=base + "/", feeds=(base + "/feed/",),
                    sitemaps=(base + "/sitemap.xml",))
    stats = crawl_source(source, "r1", tmp_path, [], allow_private_hosts=True, timeout=60)
    assert stats["crawl_error"] is not None
    assert "connection refused" in stats["crawl_error"]
    assert stats["pages"] == 0
    assert {r["role"] for r in records(tmp_path, "r1", "mati")} == {"feed", "sitemap"}


def test_timeout_kills_and_still_writes_stats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import spiders.runner as runner

    monkeypatch.setattr(runner, "KILL_GRACE_SECONDS", 0.0)
    source = Source(name="lambat", url="http://lambat.localhost/",
                    feeds=("http://lambat.localhost/feed/",))
    stats = crawl_source(source, "r1", tmp_path, [], allow_private_hosts=True, timeout=0.2)
    assert stats["crawl_error"].startswith("crawl killed after")
    assert read_stats(stats_path(tmp_path, "r1", "lambat"))["crawl_error"] == stats["crawl_error"]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [({"run_id": ""}, ValueError), ({"timeout": 0}, ValueError), ({"source": "kompas"}, TypeError)],
)
def test_bad_arguments_raise(tmp_path: Path, kwargs: dict, error: type) -> None:
    args = {"source": Source(name="a", url="https://a.example/", feeds=("https://a.example/f",)),
            "run_id": "r", "staging": tmp_path, "seen_urls": []}
    args.update(kwargs)
    with pytest.raises(error):
        crawl_source(**args)


def test_faults_end_as_error_records_and_the_crawl_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gzip

    from tests.spiders.minisite import Page

    monkeypatch.setenv("PANTAU_MAX_PAGE_BYTES", str(1_000_000))
    html = "<html><body><p>Berita baik.</p></body></html>"
    with MiniSite() as s:
        base = s.base(HOST)
        paths = {
            "sembuh": "/berita/2026/11/20/sembuh/",  # 503 + Retry-After: 1, then fine
            "sabar": "/berita/2026/11/20/sabar/",  # 429 asking for an hour: not retried now
            "bom": "/berita/2026/11/20/bom/",  # gzip bomb
            "raksasa": "/berita/2026/11/20/raksasa/",  # 2 MB page
            "putar": "/berita/2026/11/20/putar/",  # redirect loop
            "putus": "/berita/2026/11/20/putus/",  # truncated body
            "latin": "/berita/2026/11/20/latin/",  # windows-1252, no charset anywhere
            "biasa": "/berita/2026/11/20/biasa/",
        }
        s.add(HOST, "/feed/", feed(*(base + p for p in paths.values())),
              content_type="application/rss+xml")
        s.add(HOST, "/feed-rusak/", b"<rss><channel><item><title>tanpa akhir",
              content_type="application/rss+xml")
        s.pages[(HOST, paths["sembuh"])] = [
            Page(b"sibuk", 503, headers={"Retry-After": "1"}), Page(html.encode()),
        ]
        s.add(HOST, paths["sabar"], "pelan-pelan", status=429, headers={"Retry-After": "3600"})
        s.add(HOST, paths["bom"], gzip.compress(b"\0" * 20_000_000),
              headers={"Content-Encoding": "gzip"})
        s.add(HOST, paths["raksasa"], b"<p>" + b"a" * 2_000_000 + b"</p>")
        s.add(HOST, paths["putar"], "", status=301, headers={"Location": base + "/putar-2"})
        s.add(HOST, "/putar-2", "", status=301, headers={"Location": base + paths["putar"]})
        s.add(HOST, paths["putus"], html[:20], declared_length=5000)
        s.add(HOST, paths["latin"], "<p>Caf\u00e9 \u00e0 la mode, na\u00efve</p>".encode("cp1252"),
              content_type="text/html")
        s.add(HOST, paths["biasa"], html)
        source = Source(name="kabar", url=base + "/",
                        feeds=(base + "/feed/", base + "/feed-rusak/"))
        stats = crawl_source(source, "r1", tmp_path, [], allow_private_hosts=True, timeout=90)
        requested = s.paths_requested(HOST)

    assert stats["crawl_error"] is None
    staged = records(tmp_path, "r1")
    pages = {r["url"].rsplit("/", 1)[-1]: r for r in staged if r["type"] == "page"}
    errors = {r["url"].rstrip("/").rsplit("/", 1)[-1]: r for r in staged if r["type"] == "error"}
    assert sorted(pages) == ["biasa", "latin", "sembuh"]
    assert "Caf\u00e9 \u00e0 la mode" in pages["latin"]["html"]
    assert requested.count(paths["sembuh"]) == 2
    assert requested.count(paths["sabar"]) == 1
    assert errors["sabar"]["status"] == 429 and "Retry-After: 3600" in errors["sabar"]["error"]
    assert "DOWNLOAD_MAXSIZE" in errors["bom"]["error"]
    assert "raksasa" in errors and errors["raksasa"]["status"] is None
    assert "redirect" in errors["putar"]["error"].lower()
    assert "truncated" in errors["putus"]["error"]
    assert errors["feed-rusak"]["role"] == "feed" and "XML" in errors["feed-rusak"]["error"]
    assert stats["pages"] == 3 and stats["errors"] == len(errors) == 6


def test_a_crawler_that_cannot_start_reports_why(tmp_path: Path) -> None:
    source = Source(name="rusak", url="http://rusak.localhost/",
                    feeds=("http://rusak.localhost/feed/",), article_pattern="(tanpa-tutup")
    stats = crawl_source(source, "r1", tmp_path, [], allow_private_hosts=True, timeout=60)
    assert stats["crawl_error"].startswith("crawler failed: error: missing )")
    assert read_stats(stats_path(tmp_path, "r1", "rusak"))["crawl_error"] == stats["crawl_error"]


def test_prune_cache_drops_entries_not_stored_for_a_month(tmp_path: Path) -> None:
    import os
    import time

    from spiders.runner import prune_cache

    old = tmp_path / "news" / "ab" / "ab12"
    new = tmp_path / "news" / "cd" / "cd34"
    for entry in (old, new):
        entry.mkdir(parents=True)
        (entry / "pickled_meta").write_bytes(b"x")
        (entry / "response_body").write_bytes(b"<rss/>")
    month_ago = time.time() - 31 * 86400
    os.utime(old / "pickled_meta", (month_ago, month_ago))
    assert prune_cache(tmp_path) == 1
    assert not old.exists() and new.exists()
