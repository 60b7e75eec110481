"""Shared helpers of the extraction scorer: tokens, scores, the two extractors being compared."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import trafilatura

from extract import extract_article

TOKEN = re.compile(r"\w+", re.UNICODE)

# Strings that must never appear in extracted text (on any outlet). Matched case-sensitively,
# so "Baca juga" in a sentence ("baca juga") does not count, while the link label does.
BOILERPLATE_MARKERS: tuple[str, ...] = (
    "Baca juga:", "Baca Juga:", "BACA JUGA", "Simak juga:", "Lihat juga:", "Simak Video",
    "ADVERTISEMENT", "SCROLL TO CONTINUE", "Artikel ini telah tayang", "LEAVE A REPLY",
    "Please enter your", "Buka Komentar", "Tutup Komentar", "Write Komentar", "UU ITE (",
    "Back to Top", "Penulis:", "Reporter:", "Editor:", "(Foto:", "Foto:", "Halaman selanjutnya",
    "Google News", "Tags:", "TOPIK", "[Gambas", "Laporan Wartawan", "Tinggalkan Balasan",
)  # fmt: skip


def tokens(text: str | None) -> list[str]:
    return TOKEN.findall(text or "")


def bag_prf(predicted: str | None, expected: str | None) -> tuple[float, float, float]:
    """Token multiset precision, recall, F1 (case-insensitive)."""
    pred = Counter(t.lower() for t in tokens(predicted))
    gold = Counter(t.lower() for t in tokens(expected))
    if not pred and not gold:
        return 1.0, 1.0, 1.0
    common = sum((pred & gold).values())
    p = common / sum(pred.values()) if pred else 0.0
    r = common / sum(gold.values()) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def shingle_counts(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    toks = tokens(text)
    return Counter(tuple(toks[i : i + n]) for i in range(max(0, len(toks) - n + 1)))


def aeb_page_pr(predicted: str | None, expected: str | None) -> tuple[float, float]:
    """AEB per-page precision and recall from 4-token shingles (tp/fp/fn over their sum)."""
    pred, gold = shingle_counts(predicted), shingle_counts(expected)
    tp = sum((pred & gold).values())
    fp = sum((pred - gold).values())
    fn = sum((gold - pred).values())
    total = tp + fp + fn
    if total == 0:
        return 1.0, 1.0
    tp, fp, fn = tp / total, fp / total, fn / total
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    if not pred and not gold:
        return 1.0, 1.0
    return precision, recall


def leaks(text: str | None, markers: Iterable[str]) -> list[str]:
    return [m for m in markers if m and m in (text or "")]


def same_instant_and_offset(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return a == b
    try:
        x, y = datetime.fromisoformat(a), datetime.fromisoformat(b)
    except ValueError:
        return False
    return x == y and x.utcoffset() == y.utcoffset()


def pantau(html: bytes | str, url: str, fetched_at: datetime | None = None) -> dict[str, Any]:
    art = extract_article(html, url, fetched_at=fetched_at)
    record = art.to_dict()
    record["_is_article"] = art.is_article
    return record


def bare(html: bytes | str, url: str, fetched_at: datetime | None = None) -> dict[str, Any]:
    """Bare trafilatura 2.3.1 with its defaults, mapped onto the contract keys."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    text = trafilatura.extract(html, url=url) or ""
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    get = (lambda k: getattr(doc, k, None)) if doc is not None else (lambda k: None)
    date = get("date")
    return {
        "url": url,
        "canonical_url": get("url"),
        "title": get("title"),
        "text": text,
        "authors": [a.strip() for a in (get("author") or "").split(";") if a.strip()],
        "published_at": f"{date}T00:00:00+07:00" if date and len(date) == 10 else date,
        "updated_at": None,
        "section": (get("categories") or [None])[0],
        "tags": list(get("tags") or []),
        "language": get("language"),
        "site_name": get("sitename"),
        "dateline": None,
        "_is_article": doc is not None,
    }


EXTRACTORS = {"pantau": pantau, "trafilatura": bare}
