"""Crawl ONE outlet in this process (the Twisted reactor cannot restart), then write its stats.

Started by :func:`spiders.runner.crawl_source` as ``python -m spiders.crawl_one ...``; not meant
to be run by hand, but it can be::

    python -m spiders.crawl_one --source-file s.json --run-id r1 --staging data/staging \\
        --seen-file seen.txt [--recheck-file recheck.jsonl] [--allow-private-hosts] \\
        [--timeout 3600]

Scrapy's log goes to ``<staging>/<run>/<source>.log``. The stats file is written last, also when
the crawl itself blew up (then with ``crawl_error`` set), so the runner always finds one.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.settings import Settings

from core.config import Source
from core.processes import die_with_parent
from spiders.middlewares.as_of import parse_as_of
from spiders.recheck import RecheckTarget, read_targets
from spiders.records import utc_now
from staging import run_dir, write_stats

log = logging.getLogger(__name__)


def log_path(staging: Path, run_id: str, source: str) -> Path:
    return run_dir(staging, run_id) / f"{source}.log"


def read_seen(path: Path | None) -> dict[str, str | None]:
    """``URL`` or ``URL<TAB>last fetched (ISO 8601)`` per line -> {url: time or None}."""
    seen: dict[str, str | None] = {}
    if path is None:
        return seen
    for line in path.read_text("utf-8").splitlines():
        url, _, when = line.strip().partition("\t")
        if url:
            seen[url] = when.strip() or None
    return seen


def crawl_settings(
    staging: Path,
    run_id: str,
    source: Source,
    allow_private_hosts: bool,
    timeout: float,
    cache_dir: Path | None = None,
    as_of: datetime | None = None,
) -> Settings:
    settings = Settings()
    settings.setmodule("spiders.settings", priority="project")
    settings.set("PANTAU_STAGING", str(staging), priority="cmdline")
    settings.set("PANTAU_RUN_ID", run_id, priority="cmdline")
    settings.set("PANTAU_ALLOW_PRIVATE_HOSTS", allow_private_hosts, priority="cmdline")
    if as_of is not None:  # a simulated night: the web is told the moment (middlewares.as_of)
        settings.set("PANTAU_AS_OF", as_of.isoformat(), priority="cmdline")
    settings.set("LOG_FILE", str(log_path(staging, run_id, source.name)), priority="cmdline")
    settings.set("LOG_FILE_APPEND", True, priority="cmdline")
    if cache_dir is None:
        settings.set("HTTPCACHE_ENABLED", False, priority="cmdline")
    else:
        settings.set("HTTPCACHE_DIR", str(Path(cache_dir).resolve()), priority="cmdline")
    if timeout > 0:
        # close cleanly a little before the runner's hard limit, so the stats still get written
        settings.set("CLOSESPIDER_TIMEOUT", max(1.0, timeout - min(60.0, timeout * 0.1)),
                     priority="cmdline")
    return settings


def _spider_or_none(crawler: Crawler) -> Any:
    try:
        return crawler.spider
    except RuntimeError:  # Scrapy raises when the spider was never created
        return None


def stats_from_crawler(crawler: Crawler, source: str, run_id: str, started_at: str) -> dict:
    """The stats file's content from Scrapy's counters and the spider's verdict."""
    assert crawler.stats is not None
    raw: dict[str, Any] = crawler.stats.get_stats()
    prefix = "downloader/response_status_count/"
    status_counts = {k[len(prefix):]: v for k, v in raw.items() if k.startswith(prefix)}
    pantau = {k[len("pantau/"):]: v for k, v in raw.items() if k.startswith("pantau/")}
    spider = _spider_or_none(crawler)
    if spider is None or "finish_reason" not in raw:
        crawl_error: str | None = (
            "the crawl did not run to its end (see the outlet's log file for the exception)"
        )
    else:
        crawl_error = getattr(spider, "crawl_error", None)
    return {
        "source": source,
        "run_id": run_id,
        "started_at": started_at,
        "finished_at": utc_now(),
        "requests": raw.get("downloader/request_count", 0),
        "bytes": raw.get("downloader/response_bytes", 0),
        "pages": pantau.pop("pages", 0),
        "errors": pantau.pop("errors", 0),
        "status_counts": dict(sorted(status_counts.items())),
        "robots_forbidden": raw.get("robotstxt/forbidden", 0),
        "retries": raw.get("retry/count", 0),
        "not_modified": raw.get("httpcache/revalidate", 0),
        "cache_hits": raw.get("httpcache/hit", 0),
        "finish_reason": raw.get("finish_reason"),
        "crawl_error": crawl_error,
        **process_usage(),
        **{k: pantau[k] for k in sorted(pantau)},
    }


def process_usage() -> dict[str, float]:
    """The crawl process's CPU time (s) and peak memory (resident, MiB) so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mib": round(usage.ru_maxrss / 1024, 1)}


def crawl(
    source: Source,
    run_id: str,
    staging: Path,
    seen_urls: dict[str, str | None],
    allow_private_hosts: bool,
    timeout: float,
    cache_dir: Path | None = None,
    recheck: list[RecheckTarget] | None = None,
    as_of: datetime | None = None,
) -> dict[str, Any]:
    from spiders.news import NewsSpider

    started_at = utc_now()
    run_dir(staging, run_id).mkdir(parents=True, exist_ok=True)
    settings = crawl_settings(staging, run_id, source, allow_private_hosts, timeout, cache_dir,
                              as_of)
    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    task = process.crawl(crawler, source=source, seen_urls=seen_urls, recheck=recheck or [])
    process.start(install_signal_handlers=True)
    if task.done() and not task.cancelled() and task.exception() is not None:
        raise task.exception()  # type: ignore[misc]  # e.g. the spider could not be created
    return stats_from_crawler(crawler, source.name, run_id, started_at)


def _moment(raw: str) -> datetime:
    try:
        return parse_as_of(raw)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spiders.crawl_one", description=__doc__)
    parser.add_argument("--source-file", type=Path, required=True, help="Source.to_dict() JSON")
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--staging", type=Path, required=True)
    parser.add_argument(
        "--seen-file", type=Path, help="URLs already seen, one a line (optionally TAB fetched_at)"
    )
    parser.add_argument(
        "--cache-dir", type=Path, help="HTTP cache of feeds/sitemaps/listings (none: no cache)"
    )
    parser.add_argument(
        "--recheck-file", type=Path,
        help="articles to re-check with a conditional GET, JSON lines (spiders.recheck)",
    )
    parser.add_argument("--allow-private-hosts", action="store_true")
    parser.add_argument("--timeout", type=float, default=0.0, help="seconds; 0 = none")
    parser.add_argument(
        "--as-of", type=_moment, default=None,
        help="simulations only: the moment the crawl stands for, sent as X-Pantau-As-Of",
    )
    args = parser.parse_args(argv)
    # a killed pantau (or its fork server) takes this crawl with it: no orphan keeps writing
    # into staging after the crawl lock was released
    die_with_parent(os.getppid())

    source = Source.from_dict(json.loads(args.source_file.read_text("utf-8")))
    started_at = utc_now()
    try:
        stats = crawl(
            source,
            args.run_id,
            args.staging,
            read_seen(args.seen_file),
            args.allow_private_hosts,
            args.timeout,
            args.cache_dir,
            read_targets(args.recheck_file),
            args.as_of,
        )
    except Exception as exc:  # the outlet failed; the runner reads why from the stats file
        traceback.print_exc(file=sys.stderr)
        stats = {
            "source": source.name,
            "run_id": args.run_id,
            "started_at": started_at,
            "finished_at": utc_now(),
            "requests": 0,
            "bytes": 0,
            "pages": 0,
            "errors": 0,
            "status_counts": {},
            "crawl_error": f"crawler failed: {type(exc).__name__}: {exc}".splitlines()[0],
        }
        write_stats(args.staging, args.run_id, source.name, stats)
        return 1
    write_stats(args.staging, args.run_id, source.name, stats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
