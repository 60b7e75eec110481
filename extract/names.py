"""Person names from bylines: "Penulis: A, B dan C | Editor: D" -> ["A", "B", "C"]."""

from __future__ import annotations

import re

from .rules import AUTHOR_ROLES, BYLINE_LINE

__all__ = ["names_from_byline", "clean_names", "looks_like_name", "normalise_key"]

_SPLIT = re.compile(r"\s*(?:,|;|&|\+|/|\||\band\b|\bdan\b|\bserta\b)\s*", re.I)
_SEGMENTS = re.compile(r"\s*(?:\||\n|•|·|–\s|—\s)\s*")
_NOT_NAME = re.compile(
    r"https?://|www\.|@|\.com\b|\.co\.id\b|\.id\b|\d|^(?:redaksi|admin|administrator|"
    r"tim redaksi|staff|staf|editor|reporter|penulis|wartawan|kontributor|humas|"
    r"unknown|anonim|anonymous|guest|tamu)$",
    re.I,
)
_PREFIX = re.compile(
    r"^\W*(?:(?:penulis|reporter|wartawan|pewarta|kontributor|oleh|by|writer|author|"
    r"ditulis oleh|written by|laporan wartawan(?:\s+[\w.]+)?)\b\s*[:：,]?\s*)+",
    re.I,
)
_NOT_KEY = re.compile(r"[\W_]+")  # compiled once: normalise_key runs ~100 times a page
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-Þ][\w'’.-]*|[a-z]{1,3}|[A-Z]\.?)$")


def normalise_key(text: str) -> str:
    """Lower-case letters and digits only: for comparing names, brands and titles."""
    return _NOT_KEY.sub("", text.lower())


def looks_like_name(text: str) -> bool:
    """A plausible person name: 1-6 words, capitalised, no digits, URLs or role words."""
    text = text.strip()
    if not (2 <= len(text) <= 60) or _NOT_NAME.search(text):
        return False
    words = text.split()
    if not 1 <= len(words) <= 6:
        return False
    if not words[0][:1].isupper():
        return False
    return all(_NAME_WORD.match(w) for w in words)


def clean_names(raw: list[str], brands: tuple[str, ...] = ()) -> list[str]:
    """Split, strip role prefixes, drop outlet names and non-names, de-duplicate (order kept)."""
    brand_keys = {normalise_key(b) for b in brands if b and normalise_key(b)}
    out: list[str] = []
    seen: set[str] = set()
    for item in raw:
        item = _PREFIX.sub("", " ".join(item.split()))
        for part in _SPLIT.split(item):
            part = _PREFIX.sub("", part).strip(" .:-–—()[]\"'")
            key = normalise_key(part)
            if not key or key in seen or not looks_like_name(part):
                continue
            if any(key == b or (len(b) >= 4 and b in key) for b in brand_keys):
                continue
            seen.add(key)
            out.append(part)
    return out


def names_from_byline(text: str) -> list[str]:
    """Author names from a visible byline; editors, photographers and sources are left out.

    A byline with no role word ("Ahmad Fauzi") counts as author names.
    """
    found: list[str] = []
    for segment in _SEGMENTS.split(text):
        segment = segment.strip()
        if not segment:
            continue
        match = BYLINE_LINE.match(segment)
        if match:
            role = match["role"].lower().split()[0]
            if role in AUTHOR_ROLES:
                found.append(match["names"])
        elif not re.search(r"[:：]", segment):
            found.append(segment)
    return found
