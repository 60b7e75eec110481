"""The shipped sources.yaml: valid, big enough, the outlets the project promises (no network)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.config import Source, load_sources
from extract.urls import canonicalize_url, is_on_site

SOURCES = Path(__file__).resolve().parents[2] / "sources.yaml"

NATIONAL = {
    "kompas", "detik", "tempo", "antara", "cnn_indonesia", "liputan6", "tribunnews", "republika",
    "okezone", "suara", "kumparan", "jawapos", "bisnis", "kontan", "media_indonesia",
    "the_jakarta_post",
}
SAMPLES = {"beritaturki", "iphedia"}


@pytest.fixture(scope="module")
def sources() -> list[Source]:
    return load_sources(SOURCES)


def test_at_least_25_outlets_with_the_promised_ones(sources: list[Source]) -> None:
    names = {s.name for s in sources}
    assert len(sources) >= 25
    assert names >= NATIONAL, NATIONAL - names
    assert names >= SAMPLES
    regional = names - NATIONAL - SAMPLES - {"merdeka", "sindonews", "viva", "beritasatu"}
    assert len(regional) >= 5, regional


def test_every_outlet_is_https_and_has_its_own_host(sources: list[Source]) -> None:
    hosts = [s.host for s in sources]
    assert len(hosts) == len(set(hosts))
    for source in sources:
        for url in (source.url, *source.feeds, *source.sitemaps, *source.listings):
            assert url.startswith("https://"), url
            assert is_on_site(url, source.host), url
            assert canonicalize_url(url)  # parses as an http(s) URL


def test_time_zones_cover_wib_wita_wit(sources: list[Source]) -> None:
    assert {s.timezone for s in sources} == {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}


@pytest.mark.parametrize(
    ("name", "article_url"),
    [
        ("kompas", "https://nasional.kompas.com/read/2026/11/20/10150011/judul-berita"),
        ("detik", "https://news.detik.com/berita/d-7650001/judul-berita"),
        ("antara", "https://www.antaranews.com/berita/4512345/judul-berita"),
        ("cnn_indonesia", "https://www.cnnindonesia.com/nasional/20261120101500-20-1234567/judul"),
        ("liputan6", "https://www.liputan6.com/news/read/5800001/judul-berita"),
        ("tribunnews", "https://www.tribunnews.com/nasional/2026/11/20/judul-berita"),
        ("okezone", "https://nasional.okezone.com/read/2026/11/20/337/3012345/judul-berita"),
        ("beritaturki", "https://beritaturki.com/2026/11/20/judul-berita/"),
        ("iphedia", "https://www.iphedia.com/2026/11/judul-berita.html"),
    ],
)
def test_article_patterns_accept_real_article_shapes(
    sources: list[Source], name: str, article_url: str
) -> None:
    source = next(s for s in sources if s.name == name)
    assert source.article_pattern is not None
    assert re.search(source.article_pattern, article_url)
    assert is_on_site(article_url, source.host)
