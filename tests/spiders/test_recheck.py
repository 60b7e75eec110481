"""Re-checking recent articles: conditional GETs, 304 / 200 / 404-410, no double requests.

Offline tests of the spider's decisions, then one real crawl against a loopback site that
answers conditional GETs.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from scrapy.http import HtmlResponse, Request
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from core.config import Source
from spiders.news import NewsSpider
from spiders.recheck import RecheckTarget, read_targets, write_targets
from spiders.runner import crawl_source
from staging import iter_records, records_path
from tests.spiders.minisite import MiniSite

HOME = "https://www.kabarkita.example/"
SOURCE = Source(name="kabarkita", url=HOME, feeds=(HOME + "feed/",),
                article_pattern=r"/\d{4}/\d{2}/\d{2}/", recheck_days=3)
ETAG = '"e-1"'
MODIFIED = "Fri, 20 Nov 2026 07:05:00 GMT"


def art(n: int) -> str:
    return f"{HOME}a/2026/11/20/berita-{n}"


def make_spider(targets: list[RecheckTarget], seen: tuple[str, ...] = (),
                **settings: Any) -> NewsSpider:
    crawler = get_crawler(NewsSpider, settings)
    return NewsSpider.from_crawler(crawler, source=SOURCE, seen_urls=seen or
                                   tuple(t.url for t in targets), recheck=targets)


def start(spider: NewsSpider) -> list[Request]:
    async def collect() -> list[Request]:
        return [r async for r in spider.start()]

    return asyncio.run(collect())


def stat(spider: NewsSpider, key: str) -> int:
    return int(spider.crawler.stats.get_value(f"pantau/{key}", 0))  # type: ignore[union-attr]


def failure(status: int, request: Request) -> Failure:
    response = HtmlResponse(url=request.url, status=status, body=b"", request=request)
    result = Failure(HttpError(response))
    result.request = request  # type: ignore[attr-defined]
    return result


def test_rechecks_are_conditional_gets_after_discovery() -> None:
    spider = make_spider([
        RecheckTarget(art(1), final_url=art(1) + "/", etag=ETAG, last_modified=MODIFIED),
        RecheckTarget(art(2), last_modified=MODIFIED),
        RecheckTarget(art(3), etag=ETAG, removed=True),  # gone: asked without validators
        RecheckTarget(art(4)),  # nothing known: a plain GET
        RecheckTarget("https://lain.example/a/2026/11/20/x", etag=ETAG),  # not this outlet's
    ])
    requests = start(spider)
    assert [r.meta["role"] for r in requests] == ["feed"] + ["article"] * 4
    rechecks = requests[1:]
    assert [r.url for r in rechecks] == [art(1) + "/", art(2), art(3), art(4)]
    headers = [{k.decode(): v[0].decode() for k, v in r.headers.items()} for r in rechecks]
    assert headers == [{"If-None-Match": ETAG, "If-Modified-Since": MODIFIED},
                       {"If-Modified-Since": MODIFIED}, {}, {}]
    assert all(r.meta["via"] == "recheck" and r.meta["handle_httpstatus_list"] == [304]
               for r in rechecks)
    assert [r.meta["canonical"] for r in rechecks] == [art(1), art(2), art(3), art(4)]
    assert stat(spider, "recheck_requests") == 4


def test_discovery_never_requests_a_rechecked_article_again() -> None:
    from tests.spiders.test_news_spider import respond, rss

    spider = make_spider([RecheckTarget(art(1), etag=ETAG)], seen=(art(1), art(2)))
    start(spider)
    feed = respond(HOME + "feed/", rss(art(1) + "/", art(2) + "/", art(5) + "/"), role="feed")
    requested = [r.url for r in spider.parse_feed(feed) if isinstance(r, Request)]
    assert requested == [art(5) + "/"]  # 1: the recheck's; 2: seen; 5: new
    assert stat(spider, "recheck_covered") == 1


def test_over_the_limit_targets_are_left_to_discovery() -> None:
    targets = [RecheckTarget(art(n), etag=ETAG) for n in range(1, 5)]
    spider = make_spider(targets, PANTAU_MAX_RECHECKS=2)
    assert [r.meta["canonical"] for r in start(spider)[1:]] == [art(1), art(2)]
    assert stat(spider, "recheck_over_limit") == 2 and list(spider.recheck) == [art(1), art(2)]


def test_answers_304_200_and_gone() -> None:
    spider = make_spider([RecheckTarget(art(n), etag=ETAG) for n in (1, 2, 3, 4)])
    one, two, three, four = start(spider)[1:]
    assert list(spider.parse_recheck(HtmlResponse(one.url, status=304, request=one))) == []
    body = b"<html><body><p>Ralat: jumlah korban yang benar 12 orang.</p></body></html>"
    [page] = spider.parse_recheck(HtmlResponse(two.url, body=body, request=two,
                                               headers={"Content-Type": "text/html"}))
    assert page["type"] == "page" and page["url"] == art(2) and "Ralat" in page["html"]
    assert page["discovered_via"] == "recheck" and page["hints"] == {"refetch": "recheck"}
    [removed] = spider.recheck_failed(failure(410, three))
    assert (removed["type"], removed["status"], removed["url"]) == ("error", 410, art(3))
    assert removed["final_url"] == three.url and removed["discovered_via"] == "recheck"
    [failed] = spider.recheck_failed(failure(503, four))  # a failure, not a removal
    assert failed["status"] == 503
    counts = {k: stat(spider, k) for k in ("recheck_not_modified", "recheck_fetched",
                                           "recheck_gone")}
    assert counts == {"recheck_not_modified": 1, "recheck_fetched": 1, "recheck_gone": 1}


def test_targets_file_round_trip(tmp_path: Path) -> None:
    targets = [RecheckTarget(art(1), art(1) + "/", ETAG, MODIFIED, False),
               RecheckTarget(art(2), removed=True)]
    assert read_targets(write_targets(tmp_path / "r.jsonl", targets)) == targets
    assert read_targets(None) == []


# --- a real crawl ----------------------------------------------------------------------------

HOST = "kabar.localhost"
ARTICLE = "<html><body><article><p>{}</p></article></body></html>"


def test_crawl_rechecks_with_conditional_gets(tmp_path: Path) -> None:
    with MiniSite() as site:
        base = site.base(HOST)
        site.add(HOST, "/robots.txt", "User-agent: *\n", content_type="text/plain")
        site.add(HOST, "/feed/", '<?xml version="1.0"?><rss version="2.0"><channel>'
                 f"<item><title>Satu</title><link>{base}/b/2026/11/20/satu/</link></item>"
                 "</channel></rss>", content_type="application/rss+xml")
        site.add(HOST, "/b/2026/11/20/satu/", ARTICLE.format("Sama seperti kemarin."),
                 headers={"ETag": '"satu-1"'})
        site.add(HOST, "/b/2026/11/20/dua/", ARTICLE.format("Ralat: angka diperbaiki."),
                 headers={"ETag": '"dua-2"'})
        # /b/2026/11/20/tiga/ is not there any more: 404
        source = Source(name="kabar", url=base + "/", feeds=(base + "/feed/",),
                        article_pattern=r"/\d{4}/\d{2}/\d{2}/", recheck_days=2)
        urls = {n: f"{base}/b/2026/11/20/{n}" for n in ("satu", "dua", "tiga")}
        targets = [RecheckTarget(urls["satu"], urls["satu"] + "/", '"satu-1"'),
                   RecheckTarget(urls["dua"], urls["dua"] + "/", '"dua-1"'),
                   RecheckTarget(urls["tiga"], urls["tiga"] + "/", '"tiga-1"')]
        stats = crawl_source(source, "r1", tmp_path, dict.fromkeys(urls.values()),
                             allow_private_hosts=True, timeout=60, recheck=targets)
        articles = [(p, h.get("if-none-match")) for _, p, h in site.requests_with_headers
                    if p.startswith("/b/")]
    assert sorted(articles) == [("/b/2026/11/20/dua/", '"dua-1"'),
                                ("/b/2026/11/20/satu/", '"satu-1"'),
                                ("/b/2026/11/20/tiga/", '"tiga-1"')]  # each once, conditional
    assert stats["crawl_error"] is None
    assert (stats["recheck_requests"], stats["recheck_not_modified"], stats["recheck_fetched"],
            stats["recheck_gone"]) == (3, 1, 1, 1)
    assert stats["status_counts"]["304"] == 1
    records = list(iter_records(records_path(tmp_path, "r1", "kabar")))
    assert sorted((r["type"], r["url"], r["status"]) for r in records) == [
        ("error", urls["tiga"], 404), ("page", urls["dua"], 200)]  # 304: nothing staged
