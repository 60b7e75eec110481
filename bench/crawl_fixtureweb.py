"""Crawl benchmark on the fixture web's scale mode (the issue's setting), three nights.

    python bench/crawl_fixtureweb.py [--outlets 50] [--articles 200] [--parallel 8] [--threads 16]

Same measurements as bench/crawl_throughput.py, but the outlets are the fixture web's generated
ones (WordPress / Blogger / portal archetypes, sitemap indexes, Google News sitemaps):

- night 1 (the web as of 19 Nov 23:00 WIB): pantau crawl + extraction vs the trafilatura
  baseline over the same article URLs, pages/s and ratio (target >= 2x); peak RSS;
- night 2, nothing new: requests vs feeds + sitemaps (target <=), article requests (target 0);
- night 3, the web of 20 Nov: article requests vs new + updated articles (target: equal).

The baseline resolves ``*.localhost`` to 127.0.0.1 as pantau's resolver does (RFC 6761).
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from crawl_throughput import (  # noqa: E402
    bench_arguments,
    crawl_night,
    night1_vs_baseline,
    staged,
    unthrottled,
)

from core.config import load_sources  # noqa: E402
from extract.urls import canonicalize_url  # noqa: E402

NIGHT1 = datetime.fromisoformat("2026-11-19T23:00:00+07:00")


def resolve_localhost_names() -> None:
    """Let urllib3 (the baseline) reach ``<slug>.localhost`` like pantau's resolver does."""
    original = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(host, str) and (host == "localhost" or host.endswith(".localhost")):
            host = "127.0.0.1"
        return original(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]


def main() -> None:
    parser = bench_arguments(__doc__)
    args = parser.parse_args()
    unthrottled(args.threads)
    resolve_localhost_names()

    from fixtureweb import FixtureWeb

    web = FixtureWeb(scale=(args.outlets, args.articles), seed=0, as_of=NIGHT1).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            staging = Path(tmp) / "staging"
            sources = load_sources(web.write_sources_yaml(Path(tmp) / "sources.yaml"))
            hosts = {s.name: s.host for s in sources}
            expected = web.expected_articles()
            urls = [a["url"] for a in expected]
            web.warm()
            print(f"fixture web scale mode: {args.outlets} outlets, {len(urls)} articles visible "
                  f"on night 1; {os.cpu_count()} CPUs; {args.parallel} crawl processes at once")

            night1_vs_baseline(sources, staging, urls, args.parallel, args.threads)

            seen = staged(staging, "night-1", sources)
            budget = sum(len(s.feeds) + len(s.sitemaps) + len(s.listings) for s in sources)
            web.requests_log.clear()
            crawl_night(sources, "night-2", staging, seen, args.parallel)
            paths = {urlsplit(u).path for u in urls}
            hits = [t for _, t, _ in web.requests_log if urlsplit(t).path in paths]
            print(f"night 2 (nothing new): {len(web.requests_log)} requests for {budget} "
                  f"configured feeds+sitemaps (target <= {budget}), {len(hits)} article "
                  "requests (target 0)")

            # night 3: the web one day later; the warehouse knows night 1's fetch time
            seen = {name: dict.fromkeys(urls_, NIGHT1.isoformat()) for name, urls_ in seen.items()}
            web.set_as_of(None)
            later = web.expected_articles()
            old = {canonicalize_url(a["url"], hosts[a["outlet"]]) for a in expected}
            new = [a for a in later if canonicalize_url(a["url"], hosts[a["outlet"]]) not in old]
            updated = [a for a in later
                       if canonicalize_url(a["url"], hosts[a["outlet"]]) in old
                       and a["updated_at"] and datetime.fromisoformat(a["updated_at"]) > NIGHT1]
            paths = {urlsplit(a["url"]).path for a in later}
            web.requests_log.clear()
            crawl_night(sources, "night-3", staging, seen, args.parallel)
            hits = [t for _, t, _ in web.requests_log if urlsplit(t).path in paths]
            print(f"night 3 ({len(new)} new, {len(updated)} updated): {len(hits)} article "
                  f"requests (target {len(new) + len(updated)}), {len(web.requests_log)} in all")
    finally:
        web.stop()


if __name__ == "__main__":
    main()
