"""Canonical URLs: a table of real-world shapes (tracking, AMP, mobile, paging, ports, case)."""

from __future__ import annotations

import pytest

from extract.urls import canonicalize_url, is_on_site, site_domain

KOMPAS = "www.kompas.com"
TRIBUN = "www.tribunnews.com"

# (input URL, site_host, canonical identity, URL to request)
CASES = [
    # tracking parameters and fragments go; other parameters stay, sorted
    (
        "https://www.kompas.com/read/2026/11/20/10150011/banjir-jakarta?utm_source=fb"
        "&utm_medium=social&fbclid=IwAR0abc#komentar",
        KOMPAS,
        "https://www.kompas.com/read/2026/11/20/10150011/banjir-jakarta",
        "https://www.kompas.com/read/2026/11/20/10150011/banjir-jakarta",
    ),
    (
        "https://news.detik.com/berita/d-7650001/rapat-dpr?tag_from=wp_hl_judul&_ga=2.1",
        "news.detik.com",
        "https://news.detik.com/berita/d-7650001/rapat-dpr",
        "https://news.detik.com/berita/d-7650001/rapat-dpr",
    ),
    (
        "https://example.co.id/cari?q=pemilu&gclid=abc&msclkid=def&page=2",
        None,
        "https://example.co.id/cari?page=2&q=pemilu",
        "https://example.co.id/cari?page=2&q=pemilu",
    ),
    # whole-article-on-one-page switches are the same article; page=2 is not
    (
        "https://www.kompas.com/read/2026/11/20/10150011/banjir-jakarta?page=all",
        KOMPAS,
        "https://www.kompas.com/read/2026/11/20/10150011/banjir-jakarta",
        "https://www.kompas.com/read/2026/11/20/10150011/banjir-jakarta",
    ),
    (
        "https://news.detik.com/berita/d-7650001/rapat-dpr?single=1",
        "news.detik.com",
        "https://news.detik.com/berita/d-7650001/rapat-dpr",
        "https://news.detik.com/berita/d-7650001/rapat-dpr",
    ),
    (
        "https://www.tribunnews.com/nasional/2026/11/20/judul-berita?page=2",
        TRIBUN,
        "https://www.tribunnews.com/nasional/2026/11/20/judul-berita?page=2",
        "https://www.tribunnews.com/nasional/2026/11/20/judul-berita?page=2",
    ),
    # AMP and mobile variants map to the desktop page
    (
        "https://amp.kompas.com/read/2026/11/20/10150011/banjir-jakarta",
        KOMPAS,
        "https://www.kompas.com/read/2026/11/20/10150011/banjir-jakarta",
        "https://www.kompas.com/read/2026/11/20/10150011/banjir-jakarta",
    ),
    (
        "https://m.tribunnews.com/amp/nasional/2026/11/20/judul-berita",
        TRIBUN,
        "https://www.tribunnews.com/nasional/2026/11/20/judul-berita",
        "https://www.tribunnews.com/nasional/2026/11/20/judul-berita",
    ),
    (
        "https://www.liputan6.com/news/read/5800001/judul-berita/amp/",
        "www.liputan6.com",
        "https://www.liputan6.com/news/read/5800001/judul-berita",
        "https://www.liputan6.com/news/read/5800001/judul-berita/",
    ),
    (
        "https://beritaturki.com/2026/11/20/erdogan-bertemu-prabowo/?amp=1",
        "beritaturki.com",
        "https://beritaturki.com/2026/11/20/erdogan-bertemu-prabowo",
        "https://beritaturki.com/2026/11/20/erdogan-bertemu-prabowo/",
    ),
    (
        "https://www.iphedia.com/2026/11/wali-kota-resmikan-pasar.html?m=1",
        "www.iphedia.com",
        "https://www.iphedia.com/2026/11/wali-kota-resmikan-pasar.html?m=1",
        "https://www.iphedia.com/2026/11/wali-kota-resmikan-pasar.html?m=1",
    ),
    (
        "https://mobile.example.co.id/berita/123456/judul?outputType=amp",
        "www.example.co.id",
        "https://www.example.co.id/berita/123456/judul",
        "https://www.example.co.id/berita/123456/judul",
    ),
    # bare domain vs www: the outlet's own spelling wins
    (
        "https://kompas.com/read/2026/11/20/10150011/banjir-jakarta",
        KOMPAS,
        "https://www.kompas.com/read/2026/11/20/10150011/banjir-jakarta",
        "https://www.kompas.com/read/2026/11/20/10150011/banjir-jakarta",
    ),
    # subdomains of the outlet stay as they are
    (
        "https://nasional.kompas.com/read/2026/11/20/1/judul",
        KOMPAS,
        "https://nasional.kompas.com/read/2026/11/20/1/judul",
        "https://nasional.kompas.com/read/2026/11/20/1/judul",
    ),
    # case of scheme and host, default ports, repeated and trailing slashes
    (
        "HTTPS://WWW.Kompas.COM:443//read//2026/11/20/1/judul/",
        None,
        "https://www.kompas.com/read/2026/11/20/1/judul",
        "https://www.kompas.com/read/2026/11/20/1/judul/",
    ),
    (
        "http://Beritaturki.Localhost:80/",
        None,
        "http://beritaturki.localhost/",
        "http://beritaturki.localhost/",
    ),
    (
        "http://beritaturki.localhost:8123/2026/11/20/judul/",
        "beritaturki.localhost",
        "http://beritaturki.localhost:8123/2026/11/20/judul",
        "http://beritaturki.localhost:8123/2026/11/20/judul/",
    ),
    ("https://www.kompas.com", None, "https://www.kompas.com/", "https://www.kompas.com/"),
    # path case and percent-encoding: case kept, encoding normalised
    (
        "https://example.id/Berita/Judul%20Panjang%2fx?q=kata%20kunci",
        None,
        "https://example.id/Berita/Judul%20Panjang%2Fx?q=kata+kunci",
        "https://example.id/Berita/Judul%20Panjang%2Fx?q=kata+kunci",
    ),
    # IDN host to punycode
    (
        "https://bérita.example/a",
        None,
        "https://xn--brita-bsa.example/a",
        "https://xn--brita-bsa.example/a",
    ),
]


@pytest.mark.parametrize(("url", "site_host", "identity", "to_request"), CASES)
def test_canonical_table(url: str, site_host: str | None, identity: str, to_request: str) -> None:
    assert canonicalize_url(url, site_host) == identity
    assert canonicalize_url(url, site_host, keep_trailing_slash=True) == to_request


@pytest.mark.parametrize(("url", "site_host", "identity", "to_request"), CASES)
def test_canonical_is_idempotent(
    url: str, site_host: str | None, identity: str, to_request: str
) -> None:
    assert canonicalize_url(identity, site_host) == identity
    assert canonicalize_url(to_request, site_host) == identity


@pytest.mark.parametrize(
    "bad",
    ["ftp://example.com/x", "javascript:alert(1)", "/relative/path", "mailto:a@b.id",
     "https://user:pw@example.com/", "http://[::1/"],
)
def test_rejects_non_http_urls(bad: str) -> None:
    with pytest.raises(ValueError):
        canonicalize_url(bad)


@pytest.mark.parametrize(
    ("url", "site_host", "on_site"),
    [
        ("https://www.kompas.com/read/1", KOMPAS, True),
        ("https://nasional.kompas.com/read/1", KOMPAS, True),
        ("https://kompas.com/read/1", KOMPAS, True),
        ("https://amp.kompas.com/read/1", KOMPAS, True),
        ("https://kompas.com.evil.example/read/1", KOMPAS, False),
        ("https://notkompas.com/read/1", KOMPAS, False),
        ("https://www.tribunnews.com/x", KOMPAS, False),
        ("ftp://www.kompas.com/x", KOMPAS, False),
        ("http://beritaturki.localhost:9999/2026/x/", "beritaturki.localhost", True),
        ("http://iphedia.localhost:9999/2026/x/", "beritaturki.localhost", False),
    ],
)
def test_is_on_site(url: str, site_host: str, on_site: bool) -> None:
    assert is_on_site(url, site_host) is on_site


def test_site_domain() -> None:
    assert site_domain("www.kompas.com") == "kompas.com"
    assert site_domain("m.detik.com") == "detik.com"
    assert site_domain("news.detik.com") == "news.detik.com"
    assert site_domain("beritaturki.localhost") == "beritaturki.localhost"
