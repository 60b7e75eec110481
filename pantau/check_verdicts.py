"""What ``pantau sources check`` found, and its verdict: the result records, the verdict per
field of a sample and per outlet (:func:`judge`), and how results are printed.

The checking itself (fetching, discovery, extraction) is :mod:`pantau.sources_check`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from core.config import Source
from core.leaks import leaked_lines

VERDICTS = ("ok", "degraded", "broken")
#: a feed or sitemap whose newest item is older than this is stale (the outlet went quiet)
STALE_AFTER = timedelta(days=2)
#: text shorter than this is no article body; shorter than OK_TEXT is suspicious
MIN_TEXT = 200
OK_TEXT = 500


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
