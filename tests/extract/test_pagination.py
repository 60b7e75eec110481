"""find_pagination(): next-page and single-page-view links of multi-page articles."""

from __future__ import annotations

from pathlib import Path

from extract import PaginationInfo, find_pagination

URL = "https://www.beritaraya.com/nasional/2026/11/19/harga-naik"


def test_tribun_style_pager_from_the_corpus() -> None:
    html = (Path(__file__).parent / "corpus" / "tribun_beras.html").read_bytes()
    url = "https://www.beritaraya.com/ekonomi/2026/10/14/harga-beras-medium-naik"
    info = find_pagination(html, url)
    assert info.next_url == url + "?page=2"
    assert info.is_paginated


def test_single_page_view_and_rel_next() -> None:
    html = f"""<html><head><link rel="next" href="{URL}?page=2"></head><body>
    <p>Isi halaman pertama.</p><div class="paging"><a href="{URL}?page=1">1</a>
    <a href="{URL}?page=2">2</a><a href="{URL}?page=3">3</a></div>
    <a href="{URL}?page=all">Tampilkan Semua</a></body></html>"""
    info = find_pagination(html, URL)
    assert info.next_url == URL + "?page=2"
    assert info.single_page_url == URL + "?page=all"
    assert info.page_urls == (URL + "?page=1", URL + "?page=2", URL + "?page=3")


def test_halaman_selanjutnya_link_anywhere() -> None:
    html = '<html><body><p>Teks.</p><a href="/nasional/x/2">Halaman selanjutnya</a></body></html>'
    info = find_pagination(html, URL)
    assert info.next_url == "https://www.beritaraya.com/nasional/x/2"


def test_other_sites_and_plain_articles_are_not_paginated() -> None:
    html = """<html><body><p>Teks.</p><a href="https://lain.example/next" rel="next">Next</a>
    <a href="/tag/banjir">banjir</a></body></html>"""
    assert find_pagination(html, URL) == PaginationInfo()
    assert not find_pagination("", URL).is_paginated


def test_a_rel_next_to_the_next_post_is_no_next_page() -> None:
    """WordPress links the neighbouring post with rel=next (in <head> and by the post)."""
    url = "https://www.contoh.id/2024/12/02/banjir-rendam-padang/"
    html = ('<html><head><link rel="next" href="https://www.contoh.id/2024/12/02/harga-cabai/">'
            "</head><body><article><p>Teks.</p></article></body></html>")
    assert find_pagination(html, url).next_url is None
    for later in (url + "2/", url + "page/2/", url + "?page=2"):
        page = html.replace("https://www.contoh.id/2024/12/02/harga-cabai/", later)
        assert find_pagination(page, url).next_url == later
    # from page 2, page 3 continues the article
    two = "https://www.contoh.id/read/123/banjir/2"
    page = html.replace("https://www.contoh.id/2024/12/02/harga-cabai/",
                        "https://www.contoh.id/read/123/banjir/3")
    assert find_pagination(page, two).next_url == "https://www.contoh.id/read/123/banjir/3"
