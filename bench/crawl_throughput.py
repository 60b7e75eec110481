"""Crawl benchmark: pantau's crawl + extraction vs a plain trafilatura loop, same synthetic web.

    python bench/crawl_throughput.py [--outlets 50] [--articles 200] [--parallel 8] [--threads 16]

Serves ``outlets × articles`` synthetic articles (bench/crawl_synthweb.py) on loopback with
politeness delays off, then measures in the same run:

- pantau: ``spiders.runner.crawl_source`` per outlet (parallel subprocesses), then the loader's
  extraction step (``warehouse.loader.prepare_load``, a process pool) over the staged pages;
- baseline: ``trafilatura.fetch_url`` + ``trafilatura.extract`` over the same article URLs with
  a thread pool.

Prints pages fetched+extracted per second for both and the ratio (target: pantau >= 2x), peak
memory of the crawl processes (target < 1 GiB), and the incremental nights: a second night with
nothing new (target: requests <= feeds + sitemaps, no article request) and a night with k new
articles per outlet (target: article requests = k per outlet).
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from crawl_synthweb import SynthWeb  # noqa: E402

from core.config import Source  # noqa: E402
from staging import iter_records, records_path  # noqa: E402


def sources_for(web: SynthWeb) -> list[Source]:
    return [
        Source(
            name=o.name,
            url=web.base_url(o.index) + "/",
            feeds=(web.base_url(o.index) + "/feed/",),
            sitemaps=(web.base_url(o.index) + "/sitemap.xml",),
            article_pattern=r"/berita/\d{4}/\d{2}/\d{2}/",
        )
        for o in web.outlets
    ]


def crawl_night(
    sources: list[Source], run_id: str, staging: Path, seen: dict[str, dict[str, str]],
    parallel: int,
) -> list[dict[str, Any]]:
    from spiders.runner import crawl_source

    with ThreadPoolExecutor(max_workers=parallel) as pool:
        return list(pool.map(
            lambda s: crawl_source(s, run_id, staging, seen.get(s.name, {}),
                                   allow_private_hosts=True, timeout=3600),
            sources,
        ))


def staged(staging: Path, run_id: str, sources: list[Source]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for s in sources:
        out[s.name] = {r["url"]: r["fetched_at"] for r in iter_records(
            records_path(staging, run_id, s.name)) if r["type"] == "page"}
    return out


def baseline(urls: list[str], threads: int) -> int:
    import trafilatura
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "SSRF_PROTECTION", "off")  # the synthetic web is on loopback

    def one(url: str) -> bool:
        html = trafilatura.fetch_url(url, config=config)
        return bool(html) and bool(trafilatura.extract(html, url=url, config=config))

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return sum(pool.map(one, urls))


def bench_arguments(doc: str | None) -> argparse.ArgumentParser:
    """The options both crawl benchmarks take."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--outlets", type=int, default=50)
    parser.add_argument("--articles", type=int, default=200, help="per outlet")
    parser.add_argument("--parallel", type=int, default=8, help="crawl processes at once")
    parser.add_argument("--threads", type=int, default=16, help="baseline thread pool")
    return parser


def unthrottled(threads: int) -> None:
    """Quiet logs; politeness off: no delay, no AutoThrottle, as many connections per outlet as
    the baseline's threads (the benchmark measures throughput, not manners)."""
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("urllib3").setLevel(logging.ERROR)  # "pool is full" noise of the baseline
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    os.environ["PANTAU_DOWNLOAD_DELAY"] = "0"
    os.environ["PANTAU_AUTOTHROTTLE"] = "0"
    os.environ["PANTAU_CONCURRENCY_PER_HOST"] = str(threads)
    os.environ["PANTAU_RETRY_BACKOFF"] = "0"


def night1_vs_baseline(
    sources: list[Any], staging: Path, urls: list[str], parallel: int, threads: int
) -> None:
    """Night 1: pantau's crawl then the loader's extraction, beside the trafilatura baseline
    (``fetch_url`` + ``extract`` in a thread pool) over the same article URLs; prints both."""
    from warehouse.loader import prepare_load

    t0 = time.perf_counter()
    night1 = crawl_night(sources, "night-1", staging, {}, parallel)
    t_crawl = time.perf_counter() - t0
    prepared = prepare_load(staging, "night-1", sources, workers=os.cpu_count())
    t_pantau = time.perf_counter() - t0
    pages = sum(s["pages"] for s in night1)
    articles = sum(1 for p in prepared.pages if p.kind == "article")
    failed = [s["source"] for s in night1 if s["crawl_error"]]
    # crawl processes report their own peak (they are forked by the fork server, not by us);
    # RUSAGE_CHILDREN covers the loader's extraction workers, if any ran
    peak = max([float(s.get("peak_rss_mib") or 0) for s in night1]
               + [resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024])
    print(f"pantau crawl: {pages} pages staged in {t_crawl:.1f} s = "
          f"{pages / t_crawl:.0f} pages/s (failed outlets: {len(failed)})")
    print(f"pantau crawl+extract: {articles} articles in {t_pantau:.1f} s = "
          f"{articles / t_pantau:.0f} pages/s (extracted while crawling: "
          f"{sum(int(s.get('extracted') or 0) for s in night1)} pages)")
    t0 = time.perf_counter()
    ok = baseline(urls, threads)
    t_base = time.perf_counter() - t0
    print(f"baseline trafilatura fetch_url+extract ({threads} threads): {ok} pages "
          f"in {t_base:.1f} s = {ok / t_base:.0f} pages/s")
    if ok:
        ratio = (articles / t_pantau) / (ok / t_base)
        print(f"ratio pantau/baseline: {ratio:.2f}x (target >= 2x)")
    print(f"peak RSS of one child process (crawl or extraction worker): "
          f"{peak:.0f} MiB (target < 1024 MiB)")


def main() -> None:
    parser = bench_arguments(__doc__)
    parser.add_argument("--new", type=int, default=3, help="new articles per outlet, night 3")
    args = parser.parse_args()
    unthrottled(args.threads)


    with SynthWeb(args.outlets, args.articles) as web, tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp) / "staging"
        sources = sources_for(web)
        urls = web.article_urls()
        n = len(urls)
        print(f"synthetic web: {args.outlets} outlets x {args.articles} articles = {n}; "
              f"{os.cpu_count()} CPUs; crawl processes in parallel: {args.parallel}")

        # pantau: crawl, then the loader's extraction
        web.requests_log.clear()
        night1_vs_baseline(sources, staging, urls, args.parallel, args.threads)

        # night 2: nothing new
        seen = staged(staging, "night-1", sources)
        web.requests_log.clear()
        crawl_night(sources, "night-2", staging, seen, args.parallel)
        article_hits = [p for _, p in web.requests_log if p.startswith("/berita/")]
        budget = sum(len(s.feeds) + len(s.sitemaps) + len(s.listings) for s in sources)
        print(f"night 2 (nothing new): {len(web.requests_log)} requests for {budget} "
              f"feeds+sitemaps (target <= {budget}), {len(article_hits)} article requests "
              f"(target 0)")

        # night 3: k new articles per outlet
        for name, pages_ in staged(staging, "night-2", sources).items():
            seen[name].update(pages_)
        k = web.publish(args.new)
        web.requests_log.clear()
        crawl_night(sources, "night-3", staging, seen, args.parallel)
        article_hits = [p for _, p in web.requests_log if p.startswith("/berita/")]
        print(f"night 3 ({k} new articles): {len(article_hits)} article requests (target {k}), "
              f"{len(web.requests_log)} requests in all")


if __name__ == "__main__":
    main()
