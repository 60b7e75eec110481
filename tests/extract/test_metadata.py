"""Metadata helpers: canonical URLs, title suffixes, page kinds of special pages."""

from __future__ import annotations

import pytest

from extract import extract_article
from extract.metadata import canonicalize_url, strip_title_suffix


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://amp.kompas.com/read/2026/11/19/x", "https://www.kompas.com/read/2026/11/19/x"),
        ("https://m.detik.com/news/berita/d-1/x", "https://www.detik.com/news/berita/d-1/x"),
        ("https://m.tribunnews.co.id/a/b", "https://www.tribunnews.co.id/a/b"),
        ("https://news.detik.com/berita/d-1/x/amp", "https://news.detik.com/berita/d-1/x"),
        ("https://www.x.id/amp/read/1/y", "https://www.x.id/read/1/y"),
        ("https://www.x.id/read/1?utm_source=wa&amp=1&id=3", "https://www.x.id/read/1?id=3"),
        ("https://www.x.id/read/1?page=all", "https://www.x.id/read/1"),
    ],
)
def test_canonicalize_url(url: str, canonical: str) -> None:
    assert canonicalize_url(url) == canonical


@pytest.mark.parametrize(
    ("title", "site", "url", "clean"),
    [
        ("Banjir di Bekasi - Kompas.com", None, "https://www.kompas.com/a", "Banjir di Bekasi"),
        ("Banjir di Bekasi | Detakpos", "Detakpos", "https://x.id/a", "Banjir di Bekasi"),
        (
            "KapanLagi.com: Brandon Makin Dekat",
            None,
            "https://kapanlagi.com/a",
            "Brandon Makin Dekat",
        ),
        ("Banjir di Bekasi Halaman all", None, "https://x.id/a", "Banjir di Bekasi"),
        (
            "Jokowi - Prabowo Bertemu di Solo",
            None,
            "https://x.id/a",
            "Jokowi - Prabowo Bertemu di Solo",
        ),
    ],
)
def test_strip_title_suffix(title: str, site: str | None, url: str, clean: str) -> None:
    assert strip_title_suffix(title, site, url) == clean


def test_amp_page_reports_the_canonical_page() -> None:
    html = """<html lang="id"><head><link rel="canonical" href="https://www.x.id/read/1/banjir">
    <title>Banjir</title></head><body><article><h1>Banjir Rendam Bekasi Lagi</h1>
    <p>Hujan deras sejak malam membuat ratusan rumah di Bekasi terendam banjir setinggi satu
    meter dan warga mulai mengungsi ke masjid terdekat pada Kamis pagi.</p></article>
    </body></html>"""
    art = extract_article(html, "https://amp.x.id/read/1/banjir")
    assert art.url == "https://amp.x.id/read/1/banjir"
    assert art.canonical_url == "https://www.x.id/read/1/banjir"


def test_language_from_html_lang_and_old_code() -> None:
    body = "<body><p>" + "Kalimat berita yang cukup panjang. " * 10 + "</p></body>"
    assert extract_article(f'<html lang="in-ID">{body}</html>', "https://x.id/a/1").language == "id"
    # the text decides: an Indonesian body under a template's lang="en" is Indonesian
    assert extract_article(f'<html lang="en">{body}</html>', "https://x.id/a/1").language == "id"
    assert extract_article(f"<html>{body}</html>", "https://x.id/a/1").language == "id"
