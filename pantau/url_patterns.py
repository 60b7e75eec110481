r"""Learn an ``article_pattern`` from example URLs: article URLs it must take, listing URLs it
must not.

Each path segment of an article URL is generalised into a few token shapes (``2026`` -> a year
``\d{4}``, ``d-7712345`` -> ``[a-z]+-\d+``, ``slug-12345.html`` -> ``[^/]*-\d+\.html``, a plain
word -> itself or any segment). Candidate patterns are runs of consecutive tokens that contain at
least one *strong* token (digits, an id, a date, an ``.html`` name) and start with a strong token,
a literal word or one "any segment" (``(?<!/)/[^/]+/[^/]+\.html`` takes a section's articles but
not ``/page1.html``); every candidate is scored on all example URLs. The best is the one that
takes the most article URLs and no listing URL, then has the most strong tokens, the fewest
literal words (a section name seen in every example today is not a rule), the fewest leading
"any segment" tokens, then ends at the end of the URL. When no single candidate takes 95 % of
the articles, the best ones are joined with ``|`` (an outlet with an old and a new URL form), at
most three.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

TARGET_COVERAGE = 0.95
MAX_ALTERNATIVES = 3
MAX_WINDOW = 6
_YEAR = re.compile(r"(?:19|20)\d{2}")
_END = r"/?(?:[?#]|$)"
_EXTENSIONS = (".html", ".htm", ".php", ".shtml")


@dataclass(frozen=True)
class Token:
    regex: str
    strong: bool  # says "article" by itself: digits, an id, a date, a page name
    literal: bool  # spells a word of the URL


@dataclass(frozen=True)
class Candidate:
    regex: str
    strong: int
    literals: int
    tokens: int
    end_anchored: bool
    leading_any: int = 0  # "any segment" tokens before the first strong or literal one

    def key(self) -> tuple[int, int, int, bool, int]:
        return (self.strong, -self.literals, -self.leading_any, self.end_anchored, self.tokens)


@dataclass(frozen=True)
class LearnedPattern:
    """The proposal and how it did on the examples."""

    pattern: str | None
    articles: int  # article URLs given
    matched: int  # of them the pattern takes
    listings: int  # listing URLs given
    listing_hits: list[str]  # listing URLs the pattern takes (should be none)

    @property
    def coverage(self) -> float:
        return self.matched / self.articles if self.articles else 0.0

    @property
    def good(self) -> bool:
        return (self.pattern is not None and self.coverage >= TARGET_COVERAGE
                and not self.listing_hits)


def segment_tokens(segment: str) -> list[Token]:
    """The shapes one path segment may be generalised to, most specific first."""
    if segment.isdigit():
        if len(segment) == 4 and _YEAR.fullmatch(segment):
            return [Token(r"\d{4}", True, False)]
        if len(segment) <= 2:
            return [Token(r"\d{1,2}", True, False)]
        return [Token(r"\d+", True, False)]
    if m := re.fullmatch(r"([a-z]{1,4})-\d{3,}", segment):
        return [Token(re.escape(m.group(1)) + r"-\d+", True, True),
                Token(r"[a-z]+-\d+", True, False)]
    lower = segment.lower()
    ext = next((e for e in _EXTENSIONS if lower.endswith(e) and len(lower) > len(e)), "")
    stem = segment[: len(segment) - len(ext)]
    ext_rx = re.escape(ext)
    if re.fullmatch(r"\d{3,}-.+", stem):
        return [Token(r"\d+-[^/]+", True, False)]
    if re.search(r"-\d{4,}$", stem):
        return [Token(r"[^/]*-\d+" + ext_rx, True, False)]
    if ext:
        return [Token(r"[^/]+" + ext_rx, True, False)]
    if re.fullmatch(r"[a-z]{2,15}", segment):
        return [Token(r"[^/]+", False, False), Token(re.escape(segment), False, True)]
    return [Token(r"[^/]+", False, False)]


def _segments(url: str) -> tuple[list[str], bool]:
    path = urlsplit(url).path
    return [s for s in path.split("/") if s], path.endswith("/")


def candidates_for(url: str) -> set[Candidate]:
    """Every candidate pattern one article URL suggests."""
    segments, _ = _segments(url)
    shapes = [segment_tokens(s) for s in segments]
    found: set[Candidate] = set()
    for start in range(len(shapes)):
        for end in range(start + 1, min(len(shapes), start + MAX_WINDOW) + 1):
            for combo in itertools.islice(itertools.product(*shapes[start:end]), 32):
                strong = sum(t.strong for t in combo)
                if not strong:
                    continue
                leading = next(i for i, t in enumerate(combo) if t.strong or t.literal)
                if leading > 1:
                    continue
                # a leading "any segment" must not be the host: no "/" just before its "/"
                body = ("(?<!/)/" if leading else "/") + "/".join(t.regex for t in combo)
                literals = sum(t.literal for t in combo)
                n = len(combo)
                if end < len(shapes):
                    found.add(Candidate(body + "/", strong, literals, n, False, leading))
                else:
                    found.add(Candidate(body + _END, strong, literals, n, True, leading))
                    if not combo[-1].regex.endswith(("+", "}")):  # ends in a literal or .html
                        found.add(Candidate(body, strong, literals, n, False, leading))
    return found


def learn_pattern(articles: list[str], listings: list[str]) -> LearnedPattern:
    """The best pattern for these article URLs that takes none of the listing URLs."""
    articles = list(dict.fromkeys(articles))
    listings = [u for u in dict.fromkeys(listings) if u not in set(articles)]
    if not articles:
        return LearnedPattern(None, 0, 0, len(listings), [])
    pool: set[Candidate] = set()
    for url in articles:
        pool |= candidates_for(url)
    scored: list[tuple[Candidate, frozenset[int]]] = []
    for candidate in pool:
        rx = re.compile(candidate.regex)
        if any(rx.search(u) for u in listings):
            continue
        hits = frozenset(i for i, u in enumerate(articles) if rx.search(u))
        scored.append((candidate, hits))
    chosen: list[str] = []
    covered: set[int] = set()
    while scored and len(chosen) < MAX_ALTERNATIVES and \
            len(covered) < TARGET_COVERAGE * len(articles):
        best, hits = max(scored, key=lambda ch: (len(ch[1] - covered), ch[0].key(),
                                                  ch[0].regex))
        if not hits - covered:
            break
        chosen.append(best.regex)
        covered |= hits
    pattern = "|".join(chosen) or None
    if pattern is None:
        return LearnedPattern(None, len(articles), 0, len(listings), [])
    rx = re.compile(pattern)
    return LearnedPattern(
        pattern,
        len(articles),
        sum(1 for u in articles if rx.search(u)),
        len(listings),
        [u for u in listings if rx.search(u)],
    )
