"""Real pages from Indonesian outlets (../shared/realpages): titles, dates, page kinds, body.

Skipped when the shared folder is absent (a plain clone of the repository).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from statistics import mean

import pytest

from extract import extract_article

REALPAGES = Path(__file__).resolve().parents[3] / "shared" / "realpages"
pytestmark = pytest.mark.skipif(
    not (REALPAGES / "gold.json").exists(), reason=f"{REALPAGES} not present"
)


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[dict, object]]:
    gold = json.loads((REALPAGES / "gold.json").read_text(encoding="utf-8"))
    out = {}
    for key, g in gold.items():
        url = g.get("url") or re.match(r"https?://[^/]+/", g["_urls_from_mainpage"][0]).group(0)
        out[key] = (g, extract_article((REALPAGES / key).read_bytes(), url))
    return out


def _recall(got: str, want: str) -> float:
    a = Counter(t.lower() for t in re.findall(r"\w+", got))
    b = Counter(t.lower() for t in re.findall(r"\w+", want))
    return sum((a & b).values()) / max(1, sum(b.values()))


def test_listings_are_not_articles(results: dict) -> None:
    wrong = [k for k, (g, art) in results.items() if "_urls_from_mainpage" in g and art.is_article]
    assert not wrong


def test_titles_and_dates(results: dict) -> None:
    problems = []
    for key, (g, art) in results.items():
        if "_urls_from_mainpage" in g:
            continue
        if " ".join(art.title.split()).casefold() != " ".join(g["title"].split()).casefold():
            problems.append(f"{key}: title {art.title!r}")
        want = datetime.fromtimestamp(g["date"] / 1000, tz=UTC)
        # gold dates come from another scraper, some cut to the minute: same minute is right
        got = datetime.fromisoformat(art.published_at) if art.published_at else None
        if got is None or abs((got - want).total_seconds()) >= 60:
            problems.append(f"{key}: published_at {art.published_at} want {want}")
    assert not problems, "\n".join(problems)


def test_body_recall(results: dict) -> None:
    recalls = [
        _recall(art.text, g["content"])
        for g, art in results.values()
        if "_urls_from_mainpage" not in g
    ]
    assert mean(recalls) >= 0.95
