"""Injected faults, each seen through plain http.client the way a crawler would meet it."""

from __future__ import annotations

import gzip
import http.client
import socket
import struct
import time
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from fixtureweb import FixtureWeb
from fixtureweb.gzipbomb import GIB, MIB, gzip_bomb_bytes
from tests.fixtureweb.conftest import Fetched

CURLY = "“perlu”"  # in a beritaturki article: bytes differ between UTF-8 and windows-1252


@pytest.fixture(scope="module")
def faulty() -> Iterator[FixtureWeb]:
    with FixtureWeb() as web:
        yield web


@pytest.fixture(autouse=True)
def _no_faults_left(faulty: FixtureWeb) -> Iterator[None]:
    faulty.clear_faults()
    yield
    faulty.clear_faults()


def _get(web: FixtureWeb, url: str, method: str = "GET", timeout: float = 10) -> Fetched:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection("127.0.0.1", web.port, timeout=timeout)
    try:
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target, headers={"Host": parts.netloc})
        response = connection.getresponse()
        body = response.read()
        return Fetched(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        connection.close()


def _follow(web: FixtureWeb, url: str, limit: int = 10) -> tuple[Fetched, list[str]]:
    """GET following redirects (at most ``limit``); returns the last answer and the chain."""
    chain = [url]
    for _ in range(limit + 1):
        answer = _get(web, chain[-1])
        if answer.status not in (301, 302, 303, 307, 308):
            return answer, chain
        chain.append(urljoin(chain[-1], answer.headers["location"]))
    raise RuntimeError(f"more than {limit} redirects: {chain[:4]} ...")


def _article(web: FixtureWeb, outlet: str = "beritaturki", containing: str = "") -> str:
    return next(a["url"] for a in web.expected_articles()
                if a["outlet"] == outlet and containing in a["text"])


@pytest.mark.parametrize(("code", "retry_after"), [(500, None), (503, 120), (429, 30)])
def test_status_faults_with_optional_retry_after(faulty: FixtureWeb, code: int,
                                                 retry_after: int | None) -> None:
    url = faulty.base_url("detakpos") + "rss"
    faulty.inject(url, "status", code=code, retry_after=retry_after)
    answer = _get(faulty, url)
    assert answer.status == code
    assert answer.headers.get("retry-after") == (str(retry_after) if retry_after else None)
    # other outlets and other paths are untouched
    assert _get(faulty, faulty.base_url("iphedia") + "robots.txt").status == 200
    assert _get(faulty, faulty.base_url("detakpos") + "sitemap.xml").status == 200


def test_times_heals_the_fault_and_counts_hits(faulty: FixtureWeb) -> None:
    url = _article(faulty, "iphedia")
    fault = faulty.inject(url, "status", code=503, times=2)
    assert [_get(faulty, url).status for _ in range(3)] == [503, 503, 200]
    assert fault.hits == 2 and not fault.active


def test_patterns_paths_prefixes_queries_and_newest_wins(faulty: FixtureWeb) -> None:
    faulty.inject("/robots.txt", "gone", code=404)  # that path on every outlet
    for slug in faulty.outlets:
        assert _get(faulty, faulty.base_url(slug) + "robots.txt").status == 404
    faulty.inject(faulty.base_url("iphedia") + "*", "status", code=500)  # the whole host
    assert _get(faulty, faulty.base_url("iphedia") + "robots.txt").status == 500
    assert _get(faulty, faulty.base_url("iphedia") + "2026/11/x.html").status == 500
    assert _get(faulty, faulty.base_url("detakpos") + "robots.txt").status == 404
    faulty.clear_faults()
    faulty.inject(faulty.base_url("detakpos") + "indeks?page=2", "status", code=503)
    assert _get(faulty, faulty.base_url("detakpos") + "indeks?page=2").status == 503
    assert _get(faulty, faulty.base_url("detakpos") + "indeks").status == 200
    assert [f.kind for f in faulty.faults] == ["status"]


def test_bad_fault_requests_say_what_to_fix(faulty: FixtureWeb) -> None:
    with pytest.raises(ValueError, match="unknown fault 'explode'"):
        faulty.inject("/rss", "explode")
    with pytest.raises(ValueError, match="unknown parameter.*allowed: code, retry_after"):
        faulty.inject("/rss", "status", retry=3)
    with pytest.raises(ValueError, match="404 or 410"):
        faulty.inject("/rss", "gone", code=500)
    with pytest.raises(ValueError, match="path starting with '/'"):
        faulty.inject("rss", "reset")
    with pytest.raises(ValueError, match="times"):
        faulty.inject("/rss", "reset", times=0)
    with pytest.raises(ValueError, match="'kompas.localhost': not an outlet.*beritaturki"):
        faulty.inject("http://kompas.localhost:1/rss", "reset")
    with pytest.raises(ValueError, match="not an outlet"):
        faulty.inject("http://example.com/rss", "reset")


def test_timeout_outlasts_the_client_then_heals(faulty: FixtureWeb) -> None:
    url = faulty.base_url("beritaturki") + "feed/"
    faulty.inject(url, "timeout", seconds=1.5, times=1)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        _get(faulty, url, timeout=0.3)
    assert time.monotonic() - started < 1.0
    assert _get(faulty, url).status == 200


def test_a_hanging_request_does_not_block_stop() -> None:
    web = FixtureWeb().start()
    url = web.base_url("iphedia") + "sitemap.xml"
    web.inject(url, "timeout", seconds=60)
    with pytest.raises(TimeoutError):
        _get(web, url, timeout=0.2)
    started = time.monotonic()
    web.stop()
    assert time.monotonic() - started < 2


def test_reset_closes_the_connection_without_a_response(faulty: FixtureWeb) -> None:
    url = _article(faulty, "detakpos")
    faulty.inject(url, "reset", times=1)
    with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected)):
        _get(faulty, url)
    assert _get(faulty, url).status == 200


def test_truncate_promises_more_bytes_than_it_sends(faulty: FixtureWeb) -> None:
    url = _article(faulty, "iphedia")
    full = _get(faulty, url).body
    faulty.inject(url, "truncate", keep=1000)
    with pytest.raises(http.client.IncompleteRead) as caught:
        _get(faulty, url)
    assert caught.value.partial == full[:1000]
    assert caught.value.expected == len(full) - 1000


def test_charset_mislabelled_windows_1252_page(faulty: FixtureWeb) -> None:
    url = _article(faulty, "beritaturki", CURLY)
    faulty.inject(url, "charset")
    answer = _get(faulty, url)
    assert answer.headers["content-type"] == "text/html; charset=UTF-8"
    with pytest.raises(UnicodeDecodeError):
        answer.body.decode("utf-8")
    text = answer.body.decode("windows-1252")
    assert CURLY in text and '<meta charset="UTF-8"' in text


def test_charset_missing_everywhere(faulty: FixtureWeb) -> None:
    url = _article(faulty, "beritaturki", CURLY)
    faulty.inject(url, "charset", declared=None)
    answer = _get(faulty, url)
    assert answer.headers["content-type"] == "text/html"
    text = answer.body.decode("windows-1252")
    assert CURLY in text and "charset" not in text.lower()


def test_redirect_chain_ends_on_the_page(faulty: FixtureWeb) -> None:
    url = _article(faulty, "detakpos")
    page = _get(faulty, url)
    fault = faulty.inject(url, "redirect_chain", hops=4)
    final, chain = _follow(faulty, url)
    assert len(chain) == 5 and chain[-1].endswith("fw_hop=4")
    assert final.status == 200 and final.body == page.body
    assert fault.hits == 1  # the hops are not counted as new requests
    faulty.inject(url, "redirect_chain", hops=15)
    with pytest.raises(RuntimeError, match="more than 10 redirects"):
        _follow(faulty, url)


def test_redirect_loop_never_ends(faulty: FixtureWeb) -> None:
    url = faulty.base_url("iphedia") + "feeds/posts/default?alt=rss"
    fault = faulty.inject(url, "redirect_loop", times=2)
    seen = [url]
    for _ in range(4):
        answer = _get(faulty, seen[-1])
        assert answer.status == 302
        seen.append(urljoin(url, answer.headers["location"]))
    assert seen[1] == seen[3] == url + "&fw_loop=1" and seen[2] == seen[4] == url + "&fw_loop=2"
    with pytest.raises(RuntimeError, match="redirects"):
        _follow(faulty, url)
    assert fault.hits == 2  # only the entries into the loop count ...
    assert _get(faulty, url).status == 200  # ... so the third entry sees the feed


def test_redirect_to_a_private_or_foreign_host(faulty: FixtureWeb) -> None:
    url = _article(faulty, "iphedia")
    faulty.inject(url, "redirect_to")
    assert _get(faulty, url).headers["location"] == "http://127.0.0.1:1/"
    faulty.inject(url, "redirect_to", location="http://example.invalid/x", code=301)
    answer = _get(faulty, url)
    assert (answer.status, answer.headers["location"]) == (301, "http://example.invalid/x")


@pytest.mark.parametrize("code", [404, 410])
def test_gone_serves_the_themed_not_found_page(faulty: FixtureWeb, code: int) -> None:
    url = _article(faulty, "beritaturki")
    faulty.inject(url, "gone", code=code)
    answer = _get(faulty, url)
    assert answer.status == code and "td-header-menu-wrap" in answer.text


@pytest.mark.parametrize("path", ["rss", "sitemap.xml", "sitemap-news.xml"])
def test_malformed_xml_does_not_parse(faulty: FixtureWeb, path: str) -> None:
    url = faulty.base_url("detakpos") + path
    ET.fromstring(_get(faulty, url).body)
    faulty.inject(url, "malformed_xml")
    answer = _get(faulty, url)
    assert answer.status == 200 and answer.body.startswith(b"<?xml")
    with pytest.raises(ET.ParseError):
        ET.fromstring(answer.body)


def test_gzip_bomb_is_small_on_the_wire_and_huge_inflated(faulty: FixtureWeb) -> None:
    url = _article(faulty, "detakpos")
    faulty.inject(url, "gzip_bomb")
    answer = _get(faulty, url)
    assert answer.headers["content-encoding"] == "gzip"
    assert len(answer.body) < 2 * MIB
    assert struct.unpack("<I", answer.body[-4:])[0] == GIB % 2**32
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    head = inflater.decompress(answer.body, 16 * MIB)
    assert len(head) == 16 * MIB and head == bytes(16 * MIB)  # and it would keep going


@pytest.mark.parametrize("size", [5 * MIB + 123, 100])
def test_gzip_bomb_bytes_are_a_valid_gzip_member(size: int) -> None:
    assert gzip.decompress(gzip_bomb_bytes(size)) == bytes(size)


def test_huge_page_is_streamed_with_its_length(faulty: FixtureWeb) -> None:
    url = _article(faulty, "iphedia")
    faulty.inject(url, "huge")
    parts = urlsplit(url)
    connection = http.client.HTTPConnection("127.0.0.1", faulty.port, timeout=10)
    try:
        connection.request("GET", parts.path, headers={"Host": parts.netloc})
        response = connection.getresponse()
        assert int(response.headers["Content-Length"]) == 50 * MIB
        total, first = 0, b""
        while chunk := response.read(MIB):
            first = first or chunk
            total += len(chunk)
    finally:
        connection.close()
    assert total == 50 * MIB and first.startswith(b"<!DOCTYPE html>")


def test_head_gets_fault_headers_without_body(faulty: FixtureWeb) -> None:
    url = _article(faulty, "iphedia")
    faulty.inject(url, "huge", size=10 * MIB)
    answer = _get(faulty, url, method="HEAD")
    assert answer.status == 200 and answer.body == b""
    assert answer.headers["content-length"] == str(10 * MIB)


def test_faults_from_a_yaml_file(faulty: FixtureWeb, tmp_path: Path) -> None:
    rss = faulty.base_url("detakpos") + "rss"
    (tmp_path / "faults.yaml").write_text(
        "faults:\n"
        f"  - {{url: '{rss}', fault: status, code: 503, retry_after: 5, times: 1}}\n"
        "  - {url: /robots.txt, fault: reset}\n", encoding="utf-8")
    added = faulty.load_faults(tmp_path / "faults.yaml")
    assert [f.kind for f in added] == ["status", "reset"]
    assert _get(faulty, rss).headers["retry-after"] == "5"
    with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected)):
        _get(faulty, faulty.base_url("iphedia") + "robots.txt")
    (tmp_path / "bad.yaml").write_text("faults:\n  - {url: /rss, fault: status, cod: 1}\n",
                                       encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.yaml: fault #1: .*unknown parameter"):
        faulty.load_faults(tmp_path / "bad.yaml")


def test_unknown_hosts_are_never_faulted(faulty: FixtureWeb) -> None:
    faulty.inject("/*", "reset")
    answer = _get(faulty, f"http://kompas.localhost:{faulty.port}/")
    assert answer.status == 404
    with socket.create_connection(("127.0.0.1", faulty.port), timeout=2):
        pass
