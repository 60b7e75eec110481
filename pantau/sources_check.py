"""``pantau sources check``: does pantau find and read an outlet's articles? Evidence per outlet.

For each outlet it fetches (with the crawler's User-Agent, robots.txt rules and private-address
guard, see :mod:`pantau.fetch`):

- robots.txt, and which configured feeds, sitemaps and listings it disallows;
- every feed, sitemap (an index: its newest children) and listing page: HTTP status, number of
  items, age of the newest item;
- the article URLs discovered, and how many the outlet claims (on its site and matching
  ``article_pattern``: :meth:`core.config.Source.claims`);
- ``samples`` of them (newest first), extracted with the outlet's own options, with a verdict per
  field: text length, leaks, title, authors, time with offset, language, page kind;

and gives one verdict, ``ok``, ``degraded`` or ``broken``, with the reason
(:mod:`pantau.check_verdicts`). Discovery and
extraction are the crawler's own (:mod:`spiders.discovery`, :func:`extract.extract_article`).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import UTC, datetime
from urllib.parse import urlsplit

from protego import Protego

from core.config import Source
from extract.urls import canonicalize_url, is_on_site
from pantau.check_verdicts import (
    DocumentCheck,
    OutletCheck,
    RobotsCheck,
    SampleCheck,
    field_checks,
    judge,
)
from pantau.fetch import Fetched, Fetcher
from spiders.discovery import (
    Candidate,
    DiscoveryError,
    looks_like_article,
    page_links,
    parse_feed,
    parse_sitemap,
)
from spiders.hintdates import newest_hint_date
from spiders.settings import ROBOTSTXT_USER_AGENT

log = logging.getLogger(__name__)

DEFAULT_SAMPLES = 3
#: children of a sitemap index read (newest first by lastmod; Google News sitemaps always)
MAX_SITEMAP_CHILDREN = 2
MAX_CRAWL_DELAY = 5.0
#: answers worth one more try (as the crawler retries them), and the longest wait for it
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 522, 524})
MAX_RETRY_WAIT = 10.0

def _without_where(problem: str | None) -> str | None:
    """A discovery message without its "feed <url>: " prefix (the report says where)."""
    return re.sub(r"^(?:feed|sitemap) \S+: ", "", problem) if problem else problem


class OutletChecker:
    """Runs the check of one outlet with one :class:`Fetcher` (see :func:`check_sources`)."""

    def __init__(self, fetcher: Fetcher, samples: int = DEFAULT_SAMPLES, delay: float = 0.0,
                 now: datetime | None = None, retry_wait: float = 0.0) -> None:
        self.fetcher = fetcher
        self.samples = samples
        self.delay = delay
        self.now = now
        self.retry_wait = retry_wait
        self._robots: dict[str, Protego | None] = {}
        self._last_request: dict[str, float] = {}

    # --- fetching, politely ---------------------------------------------------------------

    def _wait_turn(self, host: str) -> None:
        parser = self._robots.get(host)
        delay = self.delay
        if parser is not None:
            delay = max(delay, min(parser.crawl_delay(ROBOTSTXT_USER_AGENT) or 0.0,
                                   MAX_CRAWL_DELAY))
        last = self._last_request.get(host)
        if last is not None and delay > 0:
            time.sleep(max(0.0, last + delay - time.monotonic()))
        self._last_request[host] = time.monotonic()

    def _robots_for(self, url: str) -> tuple[Protego | None, Fetched | None]:
        parts = urlsplit(url)
        host = parts.netloc.lower()
        if host in self._robots:
            return self._robots[host], None
        self._wait_turn(host)
        fetched = self.fetcher.get(f"{parts.scheme}://{host}/robots.txt")
        parser = None
        if fetched.ok:
            parser = Protego.parse(fetched.body.decode("utf-8", "replace"))
        self._robots[host] = parser  # missing or unreadable robots.txt: everything allowed
        return parser, fetched

    def allowed(self, url: str) -> bool:
        parser, _ = self._robots_for(url)
        return parser is None or parser.can_fetch(url, ROBOTSTXT_USER_AGENT)

    def get(self, url: str) -> Fetched:
        """GET once more after a timeout, a dropped connection or a 5xx/429 answer (waiting
        ``retry_wait`` or the ``Retry-After`` asked for, up to 10 s), as the crawler would."""
        host = urlsplit(url).netloc.lower()
        self._wait_turn(host)
        fetched = self.fetcher.get(url)
        transient = fetched.status in RETRY_STATUSES or (
            fetched.status is None and fetched.error is not None
            and not fetched.error.startswith(("refusing", "cannot resolve", "not an http")))
        if not transient:
            return fetched
        wait = self.retry_wait
        retry_after = fetched.headers.get("retry-after", "")
        if retry_after.strip().isdigit():
            wait = max(wait, float(retry_after))
        time.sleep(min(wait, MAX_RETRY_WAIT))
        self._wait_turn(host)
        return self.fetcher.get(url)

    # --- the check ------------------------------------------------------------------------

    def check(self, source: Source) -> OutletCheck:
        started = time.monotonic()
        result = OutletCheck(source.name)
        result.robots = self._check_robots(source)
        candidates: dict[str, Candidate] = {}
        for role, urls in (("feed", source.feeds), ("sitemap", source.sitemaps),
                           ("listing", source.listings)):
            for url in urls:
                for doc, found in self._check_document(source, role, url):
                    result.documents.append(doc)
                    for candidate in found:
                        candidates.setdefault(candidate.url, candidate)
        result.discovered = len(candidates)
        on_site = [c for c in candidates.values() if is_on_site(c.url, source.host)]
        result.on_site = len(on_site)
        mine = [c for c in on_site if source.claims(c.url)
                and (source.article_pattern or looks_like_article(c.url))]
        result.matching = len(mine)
        for url in self._pick_samples(source, mine):
            result.samples.append(self._check_sample(source, url))
        result.verdict, result.reason = judge(result, source, self._now())
        result.seconds = round(time.monotonic() - started, 2)
        return result

    def _now(self) -> datetime:
        return self.now or datetime.now(UTC)

    def _check_robots(self, source: Source) -> RobotsCheck:
        parts = urlsplit(source.url)
        check = RobotsCheck(f"{parts.scheme}://{parts.netloc}/robots.txt")
        parser, fetched = self._robots_for(source.url)
        if fetched is not None:
            check.status = fetched.status
            if fetched.problem and fetched.status != 404:
                check.problem = f"{fetched.problem} (treated as: everything allowed)"
        if parser is not None:
            check.crawl_delay = parser.crawl_delay(ROBOTSTXT_USER_AGENT)
            check.sitemaps = list(parser.sitemaps)
        check.disallowed = [u for u in (*source.feeds, *source.sitemaps, *source.listings)
                            if not self.allowed(u)]
        return check

    def _check_document(self, source: Source, role: str, url: str,
                        depth: int = 0) -> list[tuple[DocumentCheck, list[Candidate]]]:
        doc = DocumentCheck(role, url)
        if not self.allowed(url):
            doc.problem = "disallowed by robots.txt"
            return [(doc, [])]
        fetched = self.get(url)
        doc.status = fetched.status
        if fetched.problem:
            doc.problem = fetched.problem
            return [(doc, [])]
        entries: list[Candidate]
        try:
            if role == "listing":
                from scrapy.http import HtmlResponse

                response = HtmlResponse(url=fetched.url, body=fetched.body,
                                        headers={"Content-Type": fetched.headers.get(
                                            "content-type", "text/html")})
                doc.kind = "html"
                links = {c.url: c for c in page_links(response) if source.claims(c.url)
                         and (source.article_pattern or looks_like_article(c.url))}
                entries = list(links.values())
            elif role == "feed":
                parsed = parse_feed(fetched.body, fetched.url)
                doc.kind, entries, doc.problem = parsed.kind, parsed.entries, parsed.problem
            else:
                parsed = parse_sitemap(fetched.body, fetched.url)
                doc.kind, entries, doc.problem = parsed.kind, parsed.entries, parsed.problem
        except (DiscoveryError, AttributeError, ValueError) as exc:
            doc.problem = _without_where(str(exc))
            return [(doc, [])]
        doc.problem = _without_where(doc.problem)
        doc.items = len(entries)
        self._date_newest(doc, entries, source.timezone)
        if doc.kind != "sitemapindex":
            return [(doc, entries)]
        out: list[tuple[DocumentCheck, list[Candidate]]] = [(doc, [])]
        if depth >= 2:
            return out
        children = [c for c in entries if is_on_site(c.url, source.host)]
        children.sort(key=lambda c: c.hints.get("lastmod", ""), reverse=True)
        news = [c for c in children if "news" in urlsplit(c.url).path.lower()]
        chosen = dict.fromkeys(c.url for c in [*news[:1], *children[:MAX_SITEMAP_CHILDREN]])
        for child_url in chosen:
            out.extend(self._check_document(source, "sitemap", child_url, depth + 1))
        return out

    def _date_newest(self, doc: DocumentCheck, entries: list[Candidate], timezone: str) -> None:
        dates = [d for c in entries if (d := newest_hint_date(c.hints, timezone)) is not None]
        if dates:
            newest = max(dates)
            doc.newest = newest.isoformat()
            doc.age_hours = round((self._now() - newest).total_seconds() / 3600, 1)

    def _pick_samples(self, source: Source, candidates: list[Candidate]) -> list[str]:
        """The newest ``samples`` distinct articles (canonical URL), undated ones last."""
        epoch = datetime.min.replace(tzinfo=UTC)
        dated = sorted(candidates, reverse=True,
                       key=lambda c: newest_hint_date(c.hints, source.timezone) or epoch)
        picked: dict[str, str] = {}
        for candidate in dated:
            try:
                canonical = canonicalize_url(candidate.url, source.host)
            except ValueError:
                continue
            picked.setdefault(canonical, candidate.url)
            if len(picked) >= self.samples:
                break
        return list(picked.values())

    def _check_sample(self, source: Source, url: str) -> SampleCheck:
        from extract import extract_article

        sample = SampleCheck(url)
        if not self.allowed(url):
            sample.problem = "disallowed by robots.txt"
            return sample
        fetched = self.get(url)
        sample.status = fetched.status
        if fetched.problem:
            sample.problem = fetched.problem
            return sample
        article = extract_article(fetched.body, fetched.url, source.site_options,
                                  fetched_at=self._now())
        sample.page_kind = article.page_kind
        sample.fields = field_checks(article, source)
        return sample


def check_sources(
    sources: Iterable[Source],
    fetcher: Fetcher,
    samples: int = DEFAULT_SAMPLES,
    workers: int = 4,
    delay: float = 0.0,
    now: datetime | None = None,
    progress: Callable[[OutletCheck, int, int], None] | None = None,
    retry_wait: float = 0.0,
) -> list[OutletCheck]:
    """Check every outlet (``workers`` outlets at a time, each one request after the other);
    results in the order of ``sources``. ``progress(result, done, total)`` after each outlet.
    ``delay``: seconds between requests to one host; ``retry_wait``: before the one retry of a
    request that timed out or got a 5xx/429."""
    todo = list(sources)
    results: dict[str, OutletCheck] = {}

    def one(source: Source) -> OutletCheck:
        try:
            return OutletChecker(fetcher, samples, delay, now, retry_wait).check(source)
        except Exception as exc:  # one outlet's surprise must not hide the others' results
            log.exception("checking %s failed", source.name)
            return OutletCheck(source.name, "broken", f"check failed: {exc!r}")

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(one, s): s for s in todo}
        for done, future in enumerate(as_completed(futures), start=1):
            result = future.result()
            results[result.name] = result
            if progress is not None:
                progress(result, done, len(todo))
    return [results[s.name] for s in todo]
