"""The server: lifecycle, Host routing, headers, HEAD, conditional GET, redirects, request log."""

from __future__ import annotations

import re
import socket

import pytest

from fixtureweb import FixtureWeb


def test_starts_on_a_free_port_and_stops_cleanly(fetch_at) -> None:
    web = FixtureWeb()
    with pytest.raises(RuntimeError, match="start"):
        _ = web.port
    web.start()
    port = web.port
    assert port > 0
    assert web.base_url("iphedia") == f"http://iphedia.localhost:{port}/"
    assert fetch_at(port, f"iphedia.localhost:{port}", "/").status == 200
    web.stop()
    web.stop()  # idempotent
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


def test_two_servers_get_different_ports() -> None:
    with FixtureWeb() as first, FixtureWeb() as second:
        assert first.port != second.port


def test_outlets_are_the_three_slugs(web: FixtureWeb) -> None:
    assert sorted(web.outlets) == ["beritaturki", "detakpos", "iphedia"]
    with pytest.raises(KeyError, match="unknown outlet"):
        web.base_url("kompas")


@pytest.mark.parametrize(("slug", "marker"), [
    ("beritaturki", "td-header-menu-wrap"),
    ("iphedia", "widget Blog"),
    ("detakpos", "detakPos"),
])
def test_host_header_routes_to_the_outlet(fetch, host, slug: str, marker: str) -> None:
    page = fetch(host(slug), "/")
    assert page.status == 200
    assert marker in page.text
    others = {"beritaturki": "td-header-menu-wrap", "iphedia": "widget Blog",
              "detakpos": "ads-scrollpage"}
    for other, other_marker in others.items():
        if other != slug:
            assert other_marker not in page.text


def test_unknown_host_is_404(fetch, web: FixtureWeb) -> None:
    assert fetch(f"kompas.localhost:{web.port}", "/").status == 404
    assert fetch(f"127.0.0.1:{web.port}", "/").status == 404


@pytest.mark.parametrize("slug", ["beritaturki", "iphedia", "detakpos"])
def test_unknown_path_is_a_themed_404(fetch, host, slug: str) -> None:
    page = fetch(host(slug), "/2019/01/tidak-ada-halaman-ini.html")
    assert page.status == 404
    assert page.headers["content-type"] == "text/html; charset=UTF-8"
    assert "<html" in page.text


@pytest.mark.parametrize("slug", ["beritaturki", "iphedia", "detakpos"])
def test_robots_txt_disallows_and_points_to_the_sitemap(fetch, host, slug: str) -> None:
    robots = fetch(host(slug), "/robots.txt")
    assert robots.status == 200
    assert robots.headers["content-type"] == "text/plain; charset=UTF-8"
    assert re.search(r"^Disallow: /\S*", robots.text, re.M)
    assert f"Sitemap: http://{host(slug)}/sitemap.xml" in robots.text.splitlines()


def test_article_headers(fetch, web: FixtureWeb) -> None:
    article = web.expected_articles()[0]
    page = fetch(article["url"])
    assert page.status == 200
    assert page.headers["content-type"] == "text/html; charset=UTF-8"
    assert int(page.headers["content-length"]) == len(page.body)
    assert page.headers["etag"].startswith('"')
    assert page.headers["last-modified"].endswith("GMT")


def test_head_sends_headers_without_body(fetch, web: FixtureWeb) -> None:
    url = web.expected_articles()[0]["url"]
    got, head = fetch(url), fetch(url, method="HEAD")
    assert head.status == 200
    assert head.body == b""
    assert head.headers["content-length"] == str(len(got.body))
    assert head.headers["etag"] == got.headers["etag"]


@pytest.mark.parametrize("which", ["article", "feed", "sitemap"])
def test_conditional_get_answers_304(fetch, web: FixtureWeb, host, which: str) -> None:
    url = {
        "article": web.expected_articles()[-1]["url"],
        "feed": f"http://{host('beritaturki')}/feed/",
        "sitemap": f"http://{host('iphedia')}/sitemap.xml",
    }[which]
    first = fetch(url)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    by_etag = fetch(url, headers={"If-None-Match": etag})
    assert by_etag.status == 304 and by_etag.body == b""
    assert by_etag.headers["etag"] == etag
    assert fetch(url, headers={"If-Modified-Since": modified}).status == 304
    older = "Mon, 01 Jan 2024 00:00:00 GMT"
    assert fetch(url, headers={"If-Modified-Since": older}).status == 200
    assert fetch(url, headers={"If-None-Match": '"something-else"'}).status == 200


def test_wordpress_redirects_a_missing_trailing_slash(fetch, web: FixtureWeb) -> None:
    article = next(a for a in web.expected_articles() if a["outlet"] == "beritaturki")
    response = fetch(article["url"].rstrip("/"))
    assert response.status == 301
    assert response.headers["location"] == article["url"]


def test_requests_log_records_host_path_and_method(fetch_at) -> None:
    with FixtureWeb() as web:
        fetch_at(web.port, f"detakpos.localhost:{web.port}", "/rss")
        fetch_at(web.port, f"iphedia.localhost:{web.port}", "/robots.txt", method="HEAD")
        assert web.requests_log == [("detakpos.localhost", "/rss", "GET"),
                                    ("iphedia.localhost", "/robots.txt", "HEAD")]


def test_cli_serves_scale_mode_with_faults(tmp_path, fetch_at) -> None:
    import subprocess
    import sys

    faults = tmp_path / "faults.yaml"
    faults.write_text("faults:\n  - {url: /robots.txt, fault: status, code: 503}\n",
                      encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "fixtureweb", "--scale", "2x5", "--seed", "1",
         "--faults", str(faults), "--sources-out", str(tmp_path / "sources.yaml")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines = []
        while not lines or not lines[-1].startswith("sources:"):
            line = process.stdout.readline()
            assert line, f"the CLI stopped early: {lines}"
            lines.append(line.strip())
        assert lines[0] == "fault: status on */robots.txt"
        base = lines[1].split(": ", 1)[1]
        port = int(base.rsplit(":", 1)[1].strip("/"))
        assert fetch_at(port, base + "robots.txt").status == 503
        assert fetch_at(port, base).status == 200
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_robots_txt_can_be_replaced_per_outlet(fetch_at) -> None:
    with FixtureWeb() as web:
        host = f"iphedia.localhost:{web.port}"
        original = fetch_at(web.port, host, "/robots.txt").text
        web.set_robots("iphedia", "User-agent: *\nCrawl-delay: 5\nDisallow: /\n")
        assert "Crawl-delay: 5" in fetch_at(web.port, host, "/robots.txt").text
        assert fetch_at(web.port, f"detakpos.localhost:{web.port}", "/robots.txt").text \
            != fetch_at(web.port, host, "/robots.txt").text
        web.set_robots("iphedia", None)
        assert fetch_at(web.port, host, "/robots.txt").text == original
        with pytest.raises(KeyError, match="unknown outlet"):
            web.set_robots("kompas", "")
