"""The spider's decisions on stored responses (offline): what it requests, skips and records."""

from __future__ import annotations

from typing import Any

from scrapy.http import HtmlResponse, Request, Response, XmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionRefusedError
from twisted.python.failure import Failure

from core.config import Source
from spiders.middlewares.private_hosts import PrivateHostRefused
from spiders.news import NewsSpider

HOME = "https://www.kabarkita.example/"
SOURCE = Source(
    name="kabarkita",
    url=HOME,
    feeds=(HOME + "feed/",),
    sitemaps=(HOME + "sitemap_index.xml",),
    listings=(HOME + "terkini/",),
    article_pattern=r"/\d{4}/\d{2}/\d{2}/",
)


def make_spider(source: Source = SOURCE, seen: tuple[str, ...] = (), **settings: Any) -> NewsSpider:
    crawler = get_crawler(NewsSpider, settings)
    spider = NewsSpider.from_crawler(crawler, source=source, seen_urls=seen)
    return spider


def respond(
    request_or_url: Request | str, body: bytes, cls: type = XmlResponse, **meta: Any
) -> Response:
    request = request_or_url if isinstance(request_or_url, Request) else Request(request_or_url)
    request.meta.update(meta)
    return cls(url=request.url, body=body, request=request, encoding="utf-8")


def rss(*links: str) -> bytes:
    items = "".join(f"<item><title>t</title><link>{u}</link></item>" for u in links)
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


def requests_of(results: list[Any]) -> list[str]:
    return [r.url for r in results if isinstance(r, Request)]


async def collect_start(spider: NewsSpider) -> list[Request]:
    return [r async for r in spider.start()]


def test_start_requests_every_discovery_document() -> None:
    import asyncio

    spider = make_spider()
    requests = asyncio.run(collect_start(spider))
    assert [(r.url, r.meta["role"]) for r in requests] == [
        (HOME + "feed/", "feed"),
        (HOME + "sitemap_index.xml", "sitemap"),
        (HOME + "terkini/", "listing"),
    ]


def test_feed_keeps_new_onsite_matching_articles_once() -> None:
    spider = make_spider(seen=("https://www.kabarkita.example/a/2026/11/19/lama",))
    body = rss(
        HOME + "a/2026/11/20/baru/?utm_source=rss",
        "https://kabarkita.example/a/2026/11/20/baru/#x",  # same article, other spelling
        "https://amp.kabarkita.example/a/2026/11/19/lama/",  # seen (canonical form)
        HOME + "tentang-kami/",  # does not match article_pattern
        "https://lain.example/a/2026/11/20/luar/",  # off-site
        "https://daerah.kabarkita.example/a/2026/11/20/sub/",  # subdomain: on site
    )
    results = list(spider.parse_feed(respond(HOME + "feed/", body, role="feed")))
    assert requests_of(results) == [
        HOME + "a/2026/11/20/baru/",
        "https://daerah.kabarkita.example/a/2026/11/20/sub/",
    ]
    assert results[0].meta["canonical"] == HOME + "a/2026/11/20/baru"
    assert results[0].meta["via"] == "feed"
    stats = spider.crawler.stats.get_stats()
    assert stats["pantau/seen_skipped"] == 1
    assert stats["pantau/pattern_skipped"] == 1
    assert stats["pantau/offsite_skipped"] == 1
    assert spider.crawl_error is None


def test_sitemap_index_follows_newest_children_within_limit() -> None:
    spider = make_spider(PANTAU_SITEMAP_MAX_CHILDREN=2)
    body = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://www.kabarkita.example/sm-2026-09.xml</loc><lastmod>2026-09-30</lastmod></sitemap>
    <sitemap><loc>https://www.kabarkita.example/sm-2026-11.xml</loc><lastmod>2026-11-20</lastmod></sitemap>
    <sitemap><loc>https://evil.example/sm.xml</loc><lastmod>2026-12-01</lastmod></sitemap>
    <sitemap><loc>https://www.kabarkita.example/sm-2026-10.xml</loc><lastmod>2026-10-31</lastmod></sitemap>
    </sitemapindex>"""
    results = list(spider.parse_sitemap(respond(HOME + "sitemap_index.xml", body, role="sitemap")))
    assert requests_of(results) == [HOME + "sm-2026-11.xml", HOME + "sm-2026-10.xml"]
    assert all(r.meta["role"] == "sitemap" and r.meta["sitemap_depth"] == 1 for r in results)


def test_news_sitemap_articles_carry_hints() -> None:
    spider = make_spider()
    body = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>https://www.kabarkita.example/a/2026/11/20/satu/</loc>
      <news:news><news:publication_date>2026-11-20T09:00:00+07:00</news:publication_date>
      <news:title>Satu</news:title></news:news></url></urlset>"""
    results = list(spider.parse_sitemap(respond(HOME + "sm.xml", body, role="sitemap")))
    assert requests_of(results) == [HOME + "a/2026/11/20/satu/"]
    assert results[0].meta["hints"] == {
        "news_published": "2026-11-20T09:00:00+07:00", "title": "Satu",
    }
    assert results[0].meta["via"] == "sitemap"


def test_listing_without_pattern_uses_article_heuristic() -> None:
    source = Source(name="kabarkita", url=HOME, listings=(HOME + "terkini/",))
    spider = make_spider(source)
    html = b"""<a href="/kategori/nasional/">Nasional</a>
    <a href="/nasional/gubernur-tinjau-banjir-di-kota-lama">Gubernur tinjau banjir</a>
    <a href="/tag/banjir/">banjir</a><a href="/tentang-kami">Tentang</a>"""
    response = respond(HOME + "terkini/", html, HtmlResponse, role="listing")
    results = list(spider.parse_listing(response))
    assert requests_of(results) == [HOME + "nasional/gubernur-tinjau-banjir-di-kota-lama"]
    assert results[0].meta["via"] == "listing"


def test_article_response_becomes_page_record() -> None:
    spider = make_spider()
    request = Request(
        HOME + "a/2026/11/20/baru/",
        meta={"canonical": HOME + "a/2026/11/20/baru", "via": "feed", "hints": {"title": "Baru"}},
    )
    body = b"<html><body><p>Pemerintah kota menambah armada bus.</p></body></html>"
    response = HtmlResponse(
        url=HOME + "a/2026/11/20/baru/", body=body, request=request,
        headers={"Content-Type": "text/html; charset=utf-8", "Set-Cookie": "sid=1", "ETag": '"v1"'},
    )
    [record] = list(spider.parse_article(response))
    assert record["type"] == "page"
    assert record["url"] == HOME + "a/2026/11/20/baru"
    assert record["final_url"] == HOME + "a/2026/11/20/baru/"
    assert record["status"] == 200 and record["encoding"] == "utf-8"
    assert "armada bus" in record["html"]
    assert record["headers"] == {"content-type": "text/html; charset=utf-8", "etag": '"v1"'}
    assert record["discovered_via"] == "feed" and record["hints"] == {"title": "Baru"}
    assert record["fetched_at"].endswith("+00:00")


def _failure(exc: Exception, request: Request) -> Failure:
    failure = Failure(exc)
    failure.request = request  # type: ignore[attr-defined]
    return failure


def test_article_http_404_becomes_error_record_robots_does_not() -> None:
    from scrapy.exceptions import IgnoreRequest

    spider = make_spider()
    request = Request(HOME + "a/2026/11/20/hilang/",
                      meta={"canonical": HOME + "a/2026/11/20/hilang", "via": "sitemap"})
    response = HtmlResponse(url=request.url, status=404, body=b"", request=request)
    [record] = list(spider.article_failed(_failure(HttpError(response), request)))
    assert record["type"] == "error" and record["status"] == 404
    assert record["url"] == HOME + "a/2026/11/20/hilang"
    assert record["error"] == "HTTP 404" and record["role"] == "article"
    robots = _failure(IgnoreRequest("Forbidden by robots.txt"), request)
    assert list(spider.article_failed(robots)) == []
    assert spider.crawler.stats.get_value("pantau/robots_forbidden") == 1


def test_crawl_error_when_no_discovery_document_is_readable() -> None:
    spider = make_spider()
    feed = Request(HOME + "feed/", meta={"role": "feed"})
    records = list(spider.discovery_failed(_failure(ConnectionRefusedError(), feed)))
    assert records[0]["role"] == "feed" and records[0]["error"] == "connection refused"
    bad = respond(HOME + "sitemap_index.xml", b"<html>not xml</html>", role="sitemap")
    list(spider.parse_sitemap(bad))
    assert spider.crawl_error == (
        "no feed, sitemap or listing could be read; first failure: "
        f"feed {HOME}feed/: connection refused"
    )
    list(spider.parse_feed(respond(HOME + "feed/", rss(), role="feed")))  # an empty feed is fine
    assert spider.crawl_error is None


def test_private_host_refusal_is_the_crawl_error() -> None:
    spider = make_spider()
    feed = Request(HOME + "feed/", meta={"role": "feed"})
    message = "refusing to crawl loopback/private host 'x' (127.0.0.1, loopback); pass ..."
    list(spider.discovery_failed(_failure(PrivateHostRefused(message), feed)))
    assert spider.crawl_error == message


def listing_page(url: str, article_paths: list[str], next_href: str | None, page: int) -> Response:
    links = "".join(f'<a href="{p}">Judul berita {p}</a>' for p in article_paths)
    nxt = f'<a href="{next_href}">Selanjutnya</a>' if next_href else ""
    request = Request(url, meta={"role": "listing", "listing_page": page})
    return HtmlResponse(url=url, body=(links + nxt).encode(), request=request, encoding="utf-8")


def test_listing_pagination_follows_while_new_and_stops_at_seen() -> None:
    source = Source(name="kabarkita", url=HOME, listings=(HOME + "indeks",),
                    article_pattern=r"/\d{4}/\d{2}/\d{2}/")
    seen = (HOME + "a/2026/11/18/lama-1", HOME + "a/2026/11/18/lama-2")
    spider = make_spider(source, seen=seen)
    page1 = listing_page(HOME + "indeks", ["/a/2026/11/20/baru-1/", "/a/2026/11/20/baru-2/"],
                         "/indeks?page=2", 1)
    out1 = list(spider.parse_listing(page1))
    assert [r.url for r in out1] == [
        HOME + "a/2026/11/20/baru-1/", HOME + "a/2026/11/20/baru-2/", HOME + "indeks?page=2",
    ]
    assert out1[-1].meta["role"] == "listing" and out1[-1].meta["listing_page"] == 2
    # page 2 mixes one new and one seen article: still something new -> page 3 is read
    page2 = listing_page(HOME + "indeks?page=2", ["/a/2026/11/19/baru-3/", "/a/2026/11/18/lama-1/"],
                         "/indeks?page=3", 2)
    out2 = list(spider.parse_listing(page2))
    assert [r.url for r in out2] == [HOME + "a/2026/11/19/baru-3/", HOME + "indeks?page=3"]
    # page 3 has only seen articles: discovery stops going deeper
    page3 = listing_page(HOME + "indeks?page=3", ["/a/2026/11/18/lama-2/"], "/indeks?page=4", 3)
    assert list(spider.parse_listing(page3)) == []


def test_listing_pagination_is_bounded() -> None:
    source = Source(name="kabarkita", url=HOME, listings=(HOME + "indeks",))
    spider = make_spider(source, PANTAU_LISTING_MAX_PAGES=2)
    page2 = listing_page(HOME + "indeks?page=2", ["/a/2026/11/19/judul-berita-yang-baru/"],
                         "/indeks?page=3", 2)
    assert [r.url for r in spider.parse_listing(page2)] == [
        HOME + "a/2026/11/19/judul-berita-yang-baru/"
    ]


def test_seen_article_with_newer_lastmod_is_fetched_again() -> None:
    seen = {
        HOME + "a/2026/11/20/diubah": "2026-11-20T05:00:00+00:00",
        HOME + "a/2026/11/20/tetap": "2026-11-20T05:00:00+00:00",
        HOME + "a/2026/11/20/tanpa-waktu": None,
    }
    spider = make_spider(seen=seen)  # type: ignore[arg-type]
    body = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>https://www.kabarkita.example/a/2026/11/20/diubah/</loc>
         <lastmod>2026-11-20T14:30:00+07:00</lastmod></url>
    <url><loc>https://www.kabarkita.example/a/2026/11/20/tetap/</loc>
         <lastmod>2026-11-20T11:00:00+07:00</lastmod></url>
    <url><loc>https://www.kabarkita.example/a/2026/11/20/tanpa-waktu/</loc>
         <lastmod>2026-11-21</lastmod></url>
    </urlset>"""
    results = list(spider.parse_sitemap(respond(HOME + "sitemap.xml", body, role="sitemap")))
    assert requests_of(results) == [HOME + "a/2026/11/20/diubah/"]
    assert results[0].meta["hints"]["refetch"] == "updated"
    stats = spider.crawler.stats.get_stats()
    assert stats["pantau/updated_refetches"] == 1 and stats["pantau/seen_skipped"] == 2


def test_child_sitemaps_carry_their_lastmod_for_the_cache() -> None:
    spider = make_spider()
    body = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://www.kabarkita.example/sm-news.xml</loc>
             <lastmod>2026-11-20T10:00:00+07:00</lastmod></sitemap></sitemapindex>"""
    [child] = list(spider.parse_sitemap(respond(HOME + "sitemap.xml", body, role="sitemap")))
    assert child.meta["sitemap_lastmod"].isoformat() == "2026-11-20T03:00:00+00:00"
