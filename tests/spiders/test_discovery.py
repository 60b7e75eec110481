"""Discovery parsers on stored documents (offline): feeds, sitemaps, listing pages."""

from __future__ import annotations

import gzip

import pytest
from scrapy.http import HtmlResponse

from spiders.discovery import (
    DiscoveryError,
    looks_like_article,
    page_links,
    parse_feed,
    parse_sitemap,
)

BASE = "https://kabarkita.example/"

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Kabar Kita</title><link>https://kabarkita.example/</link>
<item><title>Harga beras naik di Pasar Johar</title>
  <link>https://kabarkita.example/ekonomi/2026/11/20/harga-beras-naik/</link>
  <pubDate>Fri, 20 Nov 2026 09:15:00 +0700</pubDate></item>
<item><title>Relatif saja</title><link>/daerah/2026/11/20/relatif-saja/</link>
  <dc:date>2026-11-20T08:00:00+07:00</dc:date></item>
<item><title>Hanya guid</title>
  <guid>https://kabarkita.example/daerah/2026/11/19/hanya-guid/</guid></item>
<item><title>Guid bukan permalink</title><guid isPermaLink="false">abc-123</guid></item>
<item><title>Skema aneh</title><link>javascript:void(0)</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog Kabar</title>
<entry><title>Wali kota resmikan pasar</title>
  <link rel="replies" href="https://kabarkita.example/2026/11/wali.html#comments"/>
  <link rel="alternate" type="text/html" href="https://kabarkita.example/2026/11/wali.html"/>
  <published>2026-11-20T10:00:00+07:00</published><updated>2026-11-21T07:30:00+07:00</updated>
</entry>
<entry><title>Tanpa rel</title><link href="https://kabarkita.example/2026/11/tanpa-rel.html"/></entry>
</feed>"""

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://kabarkita.example/a/2026/11/20/satu/</loc><lastmod>2026-11-20T10:00:00+07:00</lastmod>
  <news:news><news:publication><news:name>Kabar Kita</news:name><news:language>id</news:language>
  </news:publication><news:publication_date>2026-11-20T09:00:00+07:00</news:publication_date>
  <news:title>Satu berita</news:title></news:news></url>
<url><loc> https://kabarkita.example/a/2026/11/19/dua/ </loc></url>
<url><lastmod>2026-11-20</lastmod></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://kabarkita.example/sitemap-2026-11.xml</loc><lastmod>2026-11-20</lastmod></sitemap>
<sitemap><loc>https://kabarkita.example/sitemap-2026-10.xml.gz</loc></sitemap>
</sitemapindex>"""


def test_rss_items_links_hints_and_relative_urls() -> None:
    found = parse_feed(RSS, BASE + "feed/").entries
    assert [c.url for c in found] == [
        "https://kabarkita.example/ekonomi/2026/11/20/harga-beras-naik/",
        "https://kabarkita.example/daerah/2026/11/20/relatif-saja/",
        "https://kabarkita.example/daerah/2026/11/19/hanya-guid/",
    ]
    assert found[0].hints == {
        "title": "Harga beras naik di Pasar Johar",
        "published": "Fri, 20 Nov 2026 09:15:00 +0700",
    }
    assert found[1].hints["published"] == "2026-11-20T08:00:00+07:00"


def test_atom_alternate_link_and_dates() -> None:
    found = parse_feed(ATOM, BASE + "feeds/posts/default").entries
    assert [c.url for c in found] == [
        "https://kabarkita.example/2026/11/wali.html",
        "https://kabarkita.example/2026/11/tanpa-rel.html",
    ]
    assert found[0].hints == {
        "title": "Wali kota resmikan pasar",
        "published": "2026-11-20T10:00:00+07:00",
        "updated": "2026-11-21T07:30:00+07:00",
    }


def test_google_news_urlset() -> None:
    doc = parse_sitemap(URLSET, BASE + "sitemap-news.xml")
    assert doc.kind == "urlset"
    assert [c.url for c in doc.entries] == [
        "https://kabarkita.example/a/2026/11/20/satu/",
        "https://kabarkita.example/a/2026/11/19/dua/",
    ]
    assert doc.entries[0].hints == {
        "lastmod": "2026-11-20T10:00:00+07:00",
        "news_published": "2026-11-20T09:00:00+07:00",
        "title": "Satu berita",
    }
    assert doc.entries[1].hints == {}


def test_sitemap_index_and_gzip() -> None:
    doc = parse_sitemap(gzip.compress(INDEX), BASE + "sitemap_index.xml")
    assert doc.kind == "sitemapindex"
    assert [(c.url, c.hints) for c in doc.entries] == [
        ("https://kabarkita.example/sitemap-2026-11.xml", {"lastmod": "2026-11-20"}),
        ("https://kabarkita.example/sitemap-2026-10.xml.gz", {}),
    ]


def test_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * 5_000_000 + b"</urlset>")
    with pytest.raises(DiscoveryError, match="gunzip"):
        parse_sitemap(bomb, BASE + "sitemap.xml.gz", max_size=1_000_000)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty"),
        (b"<html><body>Halaman tidak ditemukan</body></html>", "neither"),
        (b"\x00\x01garbage", "well-formed"),
    ],
)
def test_unreadable_documents_raise(body: bytes, message: str) -> None:
    with pytest.raises(DiscoveryError, match=message):
        parse_sitemap(body, BASE + "sitemap.xml")
    with pytest.raises(DiscoveryError):
        parse_feed(body, BASE + "feed")


def test_truncated_feed_keeps_complete_items_and_says_what_was_wrong() -> None:
    doc = parse_feed(RSS[: RSS.index(b"<item><title>Hanya guid")], BASE + "feed/")
    assert len(doc.entries) == 2
    assert doc.problem is not None and "malformed XML" in doc.problem
    assert parse_feed(RSS, BASE + "feed/").problem is None


def test_xml_entities_are_not_expanded() -> None:
    evil = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
    <rss version="2.0"><channel><item><title>&x;</title>
    <link>https://kabarkita.example/a/2026/11/20/x/</link></item></channel></rss>"""
    found = parse_feed(evil, BASE + "feed").entries
    assert "root:" not in str(found[0].hints)


def test_page_links_absolute_with_anchor_text() -> None:
    html = b"""<html><body>
    <a href="/nasional/2026/11/20/judul-berita-satu/">Judul <b>berita</b> satu</a>
    <a href="#top">ke atas</a><a href="mailto:redaksi@kabarkita.example">surel</a>
    <a href="https://lain.example/x">luar</a></body></html>"""
    response = HtmlResponse(url=BASE + "terkini/", body=html, encoding="utf-8")
    found = page_links(response)
    assert [(c.url, c.hints.get("title")) for c in found] == [
        ("https://kabarkita.example/nasional/2026/11/20/judul-berita-satu/", "Judul berita satu"),
        ("https://lain.example/x", "luar"),
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://kabarkita.example/nasional/2026/11/20/judul/", True),
        ("https://news.detik.com/berita/d-7650001/rapat-dpr-bahas-anggaran", True),
        ("https://www.iphedia.com/2026/11/wali-kota-resmikan-pasar.html", True),
        ("https://kabarkita.example/gubernur-tinjau-banjir-di-kota-lama", True),
        ("https://kabarkita.example/", False),
        ("https://kabarkita.example/kategori/nasional-dan-daerah-lain-lain", False),
        ("https://kabarkita.example/tag/banjir/", False),
        ("https://kabarkita.example/page/2/", False),
        ("https://kabarkita.example/wp-content/uploads/2026/11/foto-banjir-besar.jpg", False),
        ("https://kabarkita.example/tentang-kami", False),
    ],
)
def test_looks_like_article(url: str, expected: bool) -> None:
    assert looks_like_article(url) is expected


def listing(url: str, html: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=html.encode(), encoding="utf-8")


@pytest.mark.parametrize(
    ("url", "html", "expected"),
    [
        # WordPress: <link rel="next"> in the head
        ("https://kabarkita.example/", '<link rel="next" href="/page/2/"><a href="/x">x</a>',
         "https://kabarkita.example/page/2/"),
        # portal: "Selanjutnya" link to ?page=N
        ("https://kabarkita.example/indeks?page=2",
         '<a href="/indeks?page=1">Sebelumnya</a><a href="#">2</a>'
         '<a class="pagination__item" href="/indeks?page=3"> Selanjutnya </a>',
         "https://kabarkita.example/indeks?page=3"),
        # Blogger: "Posting Lama" with an updated-max query
        ("https://blog.example/",
         "<a class='blog-pager-newer-link' href='/'>Posting Lebih Baru</a>"
         "<a class='blog-pager-older-link' href='/search?updated-max=2026-11-15T10:00:00%2B07:00"
         "&max-results=10'>Posting Lama</a>",
         "https://blog.example/search?updated-max=2026-11-15T10:00:00%2B07:00&max-results=10"),
        # tagDiv theme: icon-only link labelled next-page
        ("https://kabarkita.example/page/2/",
         '<a href="/" aria-label="prev-page"><i></i></a><span class="current">2</span>'
         '<a href="/page/3/" aria-label="next-page"><i class="td-icon-menu-right"></i></a>',
         "https://kabarkita.example/page/3/"),
        # bare numbers only: the link to page N+1
        ("https://kabarkita.example/terkini",
         '<a href="/terkini">1</a><a href="/terkini?page=2">2</a><a href="/terkini?page=3">3</a>',
         "https://kabarkita.example/terkini?page=2"),
        # last page: nothing
        ("https://kabarkita.example/indeks?page=9",
         '<a href="/indeks?page=8">Sebelumnya</a><a href="/indeks?page=1">1</a>', None),
    ],
)
def test_next_page_url(url: str, html: str, expected: str | None) -> None:
    from spiders.discovery import next_page_url

    assert next_page_url(listing(url, html)) == expected


@pytest.mark.parametrize(
    ("url", "html", "single", "following"),
    [
        # portal: pager in the body, a "Tampilkan semua" single view, rel=next in the head
        ("https://kabar.example/berita/d-1/judul",
         '<link rel="next" href="/berita/d-1/judul?page=2">'
         '<a href="/berita/d-1/judul?page=2">2</a><a href="/berita/d-1/judul?single=1">'
         "Tampilkan semua</a>",
         "https://kabar.example/berita/d-1/judul?single=1",
         "https://kabar.example/berita/d-1/judul?page=2"),
        # WordPress <!--nextpage-->: <url>2/
        ("https://kabar.example/2026/11/20/judul/",
         '<link rel="next" href="https://kabar.example/2026/11/20/judul/2/">', None,
         "https://kabar.example/2026/11/20/judul/2/"),
        # rel=next pointing at the next ARTICLE is not a page of this one
        ("https://kabar.example/2026/11/20/judul/",
         '<link rel="next" href="https://kabar.example/2026/11/21/berita-lain/">'
         '<a href="/2026/11/21/berita-lain/?single=1">x</a>', None, None),
    ],
)
def test_article_pagination(url: str, html: str, single: str | None,
                            following: str | None) -> None:
    from spiders.discovery import article_pagination

    assert article_pagination(listing(url, html), url) == (single, following)
