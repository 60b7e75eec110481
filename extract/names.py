"""Person names from bylines: "Penulis: A, B dan C | Editor: D" -> ["A", "B", "C"]."""

from __future__ import annotations

import re
from functools import lru_cache

from .edge_rules import BYLINE_LINE, TRAILING_ROLE, credit_kind, credit_kinds

__all__ = [
    "credits_from_byline",
    "clean_names",
    "looks_like_name",
    "normalise_key",
]

_SPLIT = re.compile(r"\s*(?:,|;|&|\+|/|\||\band\b|\bdan\b|\bserta\b)\s*", re.I)
_SEGMENTS = re.compile(r"\s*(?:\||\n|•|·|–\s|—\s)\s*|\s+-\s+")
_NOT_NAME = re.compile(
    r"https?://|www\.|@|\.com\b|\.co\.id\b|\.id\b|\d|^(?:redaksi|admin|administrator|"
    r"tim redaksi|staff|staf|editor|reporter|penulis|wartawan|kontributor|humas|jurnalis|"
    r"unknown|anonim|anonymous|guest|tamu|diterbitkan|dipublikasikan|diperbarui|published|"
    r"updated|posted|posted by|diposting|fotografer|photographer|kredit|credit|home|beranda|"
    r"news|berita|penyunting|redaktur|pewarta|facebook|twitter|instagram|youtube|tiktok|"
    r"whatsapp|telegram|line|google|linkedin|pinterest|"
    # news agencies sign wire copy: a source, not a person
    r"antara|reuters|afp|ap|xinhua|bernama|kyodo|anadolu|dpa|upi|tass|yonhap|aap)$|"
    # organisations, not people: "Kompas Cyber Media", "Tim Redaksi", "PT Media Group"
    r"\b(?:media|group|grup|network|cyber|digital|redaksi|desk|online|corporation|"
    r"PT|Tbk|team|tim|humas|biro)\b",
    re.I,
)
# "Kontributor Lhokseumawe, Masriadi": a contributor's place before the name
_ROLE_PLACE = re.compile(r"^\W*(?:kontributor|koresponden|wartawan)\s+[^,:]{2,30},\s*", re.I)
_PREFIX = re.compile(
    r"^\W*(?:(?:penulis|reporter|wartawan|pewarta|kontributor|koresponden|jurnalis|oleh|by|"
    r"writer|author|ditulis oleh|written by|posted by|diposting oleh|"
    r"laporan wartawan(?:\s+[\w.]+)?)\b\s*[:：,]?\s*)+",
    re.I,
)
# "Penulis Rina Ayu Editor Agus Salim": a capitalised role word followed by more text starts a
# new credit ("Redaktur & Reporter : X" is one credit)
_ROLE_SPLIT = re.compile(
    r"(?<!&)\s+(?=(?:Editor|EDITOR|Penyunting|Redaktur|Penulis|PENULIS|Reporter|REPORTER|Fotografer|"
    r"Videografer|Sumber|SUMBER)\b\s*[:：]?\s*\S|(?:Rep|Red)\s*[:：]\s*\S)"
)
# a date line read along with the credit beside it ("Editor: Sukmawati Ibrahim Senin, 2 Desember
# 2024 14:30 WITA"): the name ends where the date starts
_DATE_TAIL = re.compile(
    r"(?:\s+(?:on|pada|at|tgl\.?|tanggal|diterbitkan|published))?\s*[,|·•–—-]?\s+(?:(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)\b\s*,?\s*\d|\d{1,2}\s+(?:jan|feb|mar|apr|mei|may|jun|jul|"
    r"agu|aug|ags|sep|okt|oct|nov|des|dec)\w*\b|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}).*$",
    re.I | re.S,
)
_NOT_KEY = re.compile(r"[\W_]+")  # compiled once: normalise_key runs ~100 times a page
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-Þ][\w'’.-]*|[a-z]{1,3}|[A-Z]\.?)$")


@lru_cache(maxsize=16384)
def normalise_key(text: str) -> str:
    """Lower-case letters and digits only: for comparing names, brands and titles. Cached: a
    page's lines and link texts are compared several times each."""
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
        item = _DATE_TAIL.sub("", _PREFIX.sub("", _ROLE_PLACE.sub("", " ".join(item.split()))))
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


def credits_from_byline(text: str, *, need_role: bool = False) -> list[tuple[str, str]]:
    """(kind, names) pairs of a visible credit line; kind is 'author', 'editor' or 'other'.

    "Penulis: A, B | Editor: C" -> [("author", "A, B"), ("editor", "C")];
    "Dewi Kania Jurnalis" -> [("author", "Dewi Kania")]. A segment with no role word counts
    as authors unless ``need_role``.
    """
    found: list[tuple[str, str]] = []
    segments = [part for seg in _SEGMENTS.split(text) for part in _ROLE_SPLIT.split(seg)]
    for segment in segments:
        segment = segment.strip()
        if not segment:
            continue
        match = BYLINE_LINE.match(segment)
        if match and match["names"].strip(" :："):
            names = match["names"].strip(" :：")
            found.extend((kind, names) for kind in credit_kinds(match["role"]))
            continue
        trailing = TRAILING_ROLE.match(segment)
        if trailing and looks_like_name(trailing["names"].strip(" ,")):
            found.append((credit_kind(trailing["role"]), trailing["names"].strip(" ,")))
        elif not need_role and not re.search(r"[:：]", segment):
            found.append(("author", segment))
    # "Jurnalis yang meliput isu lingkungan sejak 2010": a role word opening a sentence (an
    # author's bio) credits nobody
    return [(kind, names) for kind, names in found if not _is_prose(names)]


_PARTICLES = frozenset(("dan", "bin", "binti", "van", "der", "den", "von", "de", "la", "al", "el"))


def _is_prose(text: str) -> bool:
    """Two or more lower-case words of four letters or more: a sentence, not a list of names."""
    words = (w.strip(".,;:()\"'“”") for w in text.split())
    lower = [w for w in words if len(w) >= 4 and w.isalpha() and w.islower()]
    return len([w for w in lower if w not in _PARTICLES]) >= 2

