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

and gives one verdict, ``ok``, ``degraded`` or ``broken``, with the reason. Discovery and
extraction are the crawler's own (:mod:`spiders.discovery`, :func:`extract.extract_article`).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from protego import Protego

from core.config import Source
from core.leaks import leaked_lines
from core.urls import canonicalize_url, is_on_site
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

VERDICTS = ("ok", "degraded", "broken")
DEFAULT_SAMPLES = 3
#: a feed or sitemap whose newest item is older than this is stale (the outlet went quiet)
STALE_AFTER = timedelta(days=2)
#: children of a sitemap index read (newest first by lastmod; Google News sitemaps always)
MAX_SITEMAP_CHILDREN = 2
#: text shorter than this is no article body; shorter than OK_TEXT is suspicious
MIN_TEXT = 200
OK_TEXT = 500
MAX_CRAWL_DELAY = 5.0
#: answers worth one more try (as the crawler retries them), and the longest wait for it
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 522, 524})
MAX_RETRY_WAIT = 10.0

@dataclass
class FieldCheck:
    """One field of one sample: ``ok``, ``warn`` or ``fail``, and what was found."""

    name: str
    verdict: str
    detail: str


@dataclass
class SampleCheck:
    """One sampled article: fetched, extracted, judged field by field."""

    url: str
    status: int | None = None
    page_kind: str | None = None
    problem: str | None = None  # fetch or extraction failure: no usable article
    fields: list[FieldCheck] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if self.problem or any(f.verdict == "fail" and f.name in ("text", "page_kind")
                               for f in self.fields):
            return "fail"
        return "warn" if any(f.verdict != "ok" for f in self.fields) else "ok"


@dataclass
class DocumentCheck:
    """One feed, sitemap or listing page."""

    role: str  # feed | sitemap | listing
    url: str
    status: int | None = None
    kind: str | None = None  # rss, atom, urlset, sitemapindex, html
    items: int = 0
    newest: str | None = None  # ISO date of the newest item, when the document dates them
    age_hours: float | None = None
    problem: str | None = None


@dataclass
class RobotsCheck:
    url: str
    status: int | None = None
    problem: str | None = None
    disallowed: list[str] = field(default_factory=list)  # configured URLs robots.txt forbids
    crawl_delay: float | None = None
    sitemaps: list[str] = field(default_factory=list)


@dataclass
class OutletCheck:
    """Everything ``sources check`` found about one outlet, and its verdict."""

    name: str
    verdict: str = "ok"
    reason: str = ""
    robots: RobotsCheck | None = None
    documents: list[DocumentCheck] = field(default_factory=list)
    discovered: int = 0  # distinct URLs listed by feeds, sitemaps and listings
    on_site: int = 0
    matching: int = 0  # claimed by the outlet (on its site and matching article_pattern)
    samples: list[SampleCheck] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def samples_ok(self) -> int:
        return sum(1 for s in self.samples if s.verdict != "fail")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for sample, out in zip(self.samples, data["samples"], strict=True):
            out["verdict"] = sample.verdict
        return data


def field_checks(article: Any, source: Source) -> list[FieldCheck]:
    """Verdicts on the fields of one extracted :class:`extract.Article`."""
    text = article.text or ""
    checks = []
    size = len(text)
    checks.append(FieldCheck("text", "fail" if size < MIN_TEXT else
                             "warn" if size < OK_TEXT else "ok", f"{size} chars"))
    leaks = leaked_lines(text)
    checks.append(FieldCheck("leaks", "warn" if leaks else "ok",
                             f"{len(leaks)}: {leaks[0][:60]!r}" if leaks else "none"))
    title = (article.title or "").strip()
    checks.append(FieldCheck("title", "ok" if title else "fail", title[:70] or "missing"))
    authors = list(article.authors or [])
    checks.append(FieldCheck("authors", "ok" if authors else "warn",
                             ", ".join(authors) if authors else "none"))
    published = article.published_at
    if not published:
        checks.append(FieldCheck("time", "fail", "no published time"))
    else:
        try:
            aware = datetime.fromisoformat(published).tzinfo is not None
        except ValueError:
            aware = False
        checks.append(FieldCheck("time", "ok" if aware else "warn",
                                 published if aware else f"{published} (no UTC offset)"))
    language = article.language or "unknown"
    checks.append(FieldCheck("language", "ok" if language == source.language else "warn",
                             language if language == source.language
                             else f"{language} (configured {source.language})"))
    kind = article.page_kind
    checks.append(FieldCheck("page_kind", "ok" if kind == "article" else "fail", kind))
    return checks


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


def _without_where(problem: str | None) -> str | None:
    """A discovery message without its "feed <url>: " prefix (the report says where)."""
    return re.sub(r"^(?:feed|sitemap) \S+: ", "", problem) if problem else problem


def _age(hours: float) -> str:
    return f"{hours / 24:.0f} days" if hours >= 48 else f"{hours:.0f} hours"


def judge(result: OutletCheck, source: Source, now: datetime) -> tuple[str, str]:
    """``(verdict, reason)`` of one outlet from what was found."""
    docs = result.documents
    configured = [*source.feeds, *source.sitemaps, *source.listings]
    robots = result.robots
    if robots is not None and configured and len(robots.disallowed) == len(configured):
        return "broken", "robots.txt disallows every feed, sitemap and listing"
    read = [d for d in docs if d.status is not None and d.problem is None or d.items]
    failed = [d for d in docs if d not in read]
    if not read:
        detail = f"; {failed[0].role} {failed[0].url}: {failed[0].problem}" if failed else ""
        return "broken", f"no feed, sitemap or listing could be read{detail}"
    if result.discovered == 0:
        detail = f"; {failed[0].role} {failed[0].url}: {failed[0].problem}" if failed else ""
        return "broken", f"feeds, sitemaps and listings list no URLs (empty){detail}"
    if result.matching == 0:
        what = "match article_pattern" if source.article_pattern else "look like articles"
        return "broken", (f"none of the {result.discovered} discovered URLs {what} "
                          "(they point at listing pages or another site)")
    usable = [s for s in result.samples if s.verdict != "fail"]
    if result.samples and not usable:
        sample = result.samples[0]
        why = sample.problem or "; ".join(f"{f.name} {f.detail}" for f in sample.fields
                                          if f.verdict == "fail")
        return "broken", f"no sample article could be read ({why})"
    reasons = [f"{d.role} {d.url}: {d.problem}" for d in docs if d.problem]  # partly read too
    ages = [d.age_hours for d in docs if d.age_hours is not None and d.role != "listing"]
    if ages and min(ages) > STALE_AFTER.total_seconds() / 3600:
        reasons.append(f"newest item is {_age(min(ages))} old")
    if len(usable) < len(result.samples):
        reasons.append(f"{len(result.samples) - len(usable)} of {len(result.samples)} samples "
                       "unreadable")
    for name, label in (("time", "no published time"), ("authors", "no authors"),
                        ("leaks", "boilerplate in text"), ("text", "short text"),
                        ("title", "no title"), ("language", "other language")):
        bad = sum(1 for s in usable for f in s.fields if f.name == name and f.verdict != "ok")
        if bad:
            reasons.append(f"{label} in {bad}/{len(usable)} samples")
    if reasons:
        return "degraded", "; ".join(reasons)
    return "ok", (f"{result.matching} articles discovered, "
                  f"{len(usable)}/{len(result.samples)} samples read")


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


# --- output -------------------------------------------------------------------------------------

SUMMARY_COLUMNS = ("outlet", "verdict", "discovered", "matching", "samples_ok", "seconds",
                   "reason")


def summary_rows(results: list[OutletCheck]) -> list[tuple[Any, ...]]:
    return [(r.name, r.verdict, r.discovered, r.matching, f"{r.samples_ok}/{len(r.samples)}",
             r.seconds, r.reason) for r in results]


def details(result: OutletCheck) -> str:
    """A readable block of everything found about one outlet."""
    lines = [f"== {result.name}: {result.verdict} — {result.reason}"]
    if result.robots is not None:
        r = result.robots
        status = r.status if r.status is not None else "-"
        extra = f", disallows {', '.join(r.disallowed)}" if r.disallowed else ""
        delay = f", crawl-delay {r.crawl_delay:g}" if r.crawl_delay else ""
        lines.append(f"  robots.txt {status}{delay}{extra}" + (f" ({r.problem})" if r.problem
                                                             else ""))
    for d in result.documents:
        age = f", newest {_age(d.age_hours)} old" if d.age_hours is not None else ""
        status = d.status if d.status is not None else "-"
        problem = f"  !! {d.problem}" if d.problem else ""
        lines.append(f"  {d.role:<8} {status} {d.kind or '-':<12} {d.items:>5} items{age}  "
                     f"{d.url}{problem}")
    lines.append(f"  discovered {result.discovered} URLs, {result.on_site} on the site, "
                 f"{result.matching} claimed as articles")
    for s in result.samples:
        lines.append(f"  sample [{s.verdict}] {s.url}")
        if s.problem:
            lines.append(f"      !! {s.problem}")
        for f in s.fields:
            mark = "  " if f.verdict == "ok" else "!!" if f.verdict == "fail" else " ~"
            lines.append(f"    {mark} {f.name:<9} {f.detail}")
    return "\n".join(lines)
