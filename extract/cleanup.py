"""Indonesian clean-up of extracted body lines, driven by the tables in ``rules.py``."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from .edge_rules import (
    BRAND_TOKEN,
    BYLINE_LINE,
    DATELINE,
    DATELINE_CITIES,
    DATELINE_COLON,
    DATELINE_NO_DASH,
    DATELINE_WORD_HYPHENS,
    HEAD_RULES,
    PAYWALL_LINE,
    TAIL_RULES,
    TRAILING_FOOTER,
    TRAILING_INITIALS,
    WIDGET_HEADING,
    credit_kinds,
)
from .names import looks_like_name, normalise_key
from .rules import LINE_RULES

log = logging.getLogger(__name__)

__all__ = ["CleanBody", "clean_body", "split_dateline", "line_rule_for", "tail_rule_for"]

_PARTS = re.compile(r"\([^()]*\)|[^,|()]+")  # "JAKARTA, KOMPAS.com", "Brand.com | Place"
_NOT_PLACE = re.compile(
    r"^(?:presiden|wakil|menteri|ketua|kepala|gubernur|bupati|wali|kapolri|kapolda|panglima|"
    r"direktur|sekretaris|anggota|juru|pak|bu|ibu|bapak|dia|ia|mereka|kami|kita|saya|"
    r"ini|itu|para|sang|the|a|an|this|that|update|live|video|foto|breaking|eksklusif|"
    r"menurut|kata|ujar|sementara|namun|tetapi|sedangkan|according|said)\b",
    re.I,
)


_DATE_PART = re.compile(r"^\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}$")
_CUT_RULES = tuple(rule for rule in LINE_RULES if rule.action == "cut")
# a headline, not a paragraph: 3-25 words, no closing full stop
_HEADLINE_LIKE = re.compile(r"^(?=(?:\S+\s+){2,24}\S+$).*[^.!\"”]$")
_OUTLET_PREFIX = re.compile(r"^[\w-]+(?:\.[a-z]{2,6})+\s*,\s*", re.I)
_URL = re.compile(r"^(?:https?://|www\.)\S+$")
_ROLE_ONLY = re.compile(
    r"^\W*(?P<role>penulis|reporter|editor|redaktur|penyunting|pewarta|fotografer|kontributor)"
    r"\W*$",
    re.I,
)


@dataclass
class CleanBody:
    """Body paragraphs after clean-up, and what was harvested from the removed lines."""

    paragraphs: list[str]
    dateline: str | None = None
    byline_names: list[str] = field(default_factory=list)
    editor_names: list[str] = field(default_factory=list)
    signatures: list[str] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)

    def credit(self, kinds: tuple[str, ...], names: str) -> None:
        """Note ``names`` credited in a removed line as each of ``kinds`` (author, editor)."""
        if "author" in kinds:
            self.byline_names.append(names)
        if "editor" in kinds:
            self.editor_names.append(names)


# a title before a name ("Ir. José Müller", "Dr. Ahmad"): a person, not a place
_TITLE_ABBREVIATION = re.compile(r"\b(?:Ir|Dr|Drs|Prof|H|Hj|KH|Mr|Mrs|Ms|St|Tn|Ny|Sdr)\.(?=\s)")


def _is_place(part: str) -> bool:
    words = part.split()
    if not 1 <= len(words) <= 4 or _NOT_PLACE.match(part) or _TITLE_ABBREVIATION.search(part):
        return False
    return all(w[:1].isupper() and not any(c.isdigit() for c in w) for w in words)


def split_dateline(
    paragraph: str, site_name: str | None = None, *, need_brand: bool = False
) -> tuple[str | None, str] | None:
    """Split a leading dateline off a paragraph.

    Returns (place or None, rest of paragraph) when the paragraph starts with a dateline such as
    "JAKARTA, KOMPAS.com -", "BERITATURKI.COM, Ankara-", "Jakarta (ANTARA) -" or "Jakarta -";
    None when it does not. ``need_brand`` accepts only datelines naming the outlet.
    """
    for pattern in (DATELINE_WORD_HYPHENS, DATELINE):
        match = pattern.match(paragraph)
        split = _split_at(match, paragraph, site_name, need_brand) if match else None
        if split is not None:
            return split
    bare = DATELINE_NO_DASH.match(paragraph)
    if bare:
        return bare["place"], paragraph[bare.end() :].strip()
    colon = None if need_brand else DATELINE_COLON.match(paragraph)
    if colon and _is_named_place(colon["place"]):
        return colon["place"], colon["rest"].strip()
    return None


def _is_named_place(part: str) -> bool:
    """A place that needs no dash to be read as one: in capitals, or a listed Indonesian city
    (a colon or a full stop after "Anies" or "Pemerintah" closes no dateline)."""
    return _is_place(part) and (part.isupper() or part.lower() in DATELINE_CITIES)


def _split_at(
    match: re.Match[str], paragraph: str, site_name: str | None, need_brand: bool
) -> tuple[str | None, str] | None:
    """(place, rest) when the text before ``match``'s dash is a dateline, else None."""
    prefix = match["prefix"].strip()
    site_key = normalise_key(site_name or "")
    place: str | None = None
    brand = False
    places = 0
    for raw in _PARTS.findall(prefix):
        part = raw.strip()
        if not part:
            continue
        key = normalise_key(part)
        if _DATE_PART.match(part):
            continue  # "ISTANBUL, 23 Februari 2016 (Antara/PRNewswire) -"
        if BRAND_TOKEN.match(part) or (site_key and key and (key == site_key or site_key in key)):
            brand = True
        elif _is_place(part):
            places += 1
            place = place or part
        else:
            return None
    rest = paragraph[match.end() :].strip()
    if not (brand or place):
        return None
    # a bare "Jakarta -" (no outlet named): short, one or two place names, no other prefix
    if not brand and (need_brand or places > 2 or len(prefix) > 30):
        return None
    if place is None:  # "KONTAN.CO.ID - JAKARTA. PT Asuransi ...": the place after the brand
        after = _PLACE_AFTER_BRAND.match(rest)
        if after and _is_named_place(after["place"]):
            return after["place"], rest[after.end() :]
    return place, rest


# a place closed by a full stop, then the first sentence: three letters at least ("PT. ..." is
# a company)
_PLACE_AFTER_BRAND = re.compile(
    r"(?P<place>[A-Z][A-Za-z]{2,}(?:\s+[A-Z][A-Za-z]+){0,2})\.\s+(?=[A-Z0-9\"“])"
)


_TEASER_PREFIX = 15  # characters of a link's key that identify it (HEADLINE_KEY)
_TEASER_MAX = 300  # a card: headline and standfirst, not a paragraph of the article
_TEASER_HEADLINE = 24  # letters and digits of a link text that reads as another article's title


def _teaser_lines(lines: list[str], anchors: frozenset[str]) -> list[bool]:
    """Which lines are teaser cards: they start with the whole text of a headline-long link on
    the page (another article's title) and are short ("Pochettino fired by Tottenham
    Pochettino took the club to the Champions League final in June")."""
    by_prefix: dict[str, list[str]] = {}
    for key in anchors:
        # a headline, not a linked name: "Presiden Joko Widodo" starting a paragraph is no teaser
        if len(key) >= _TEASER_HEADLINE:
            by_prefix.setdefault(key[:_TEASER_PREFIX], []).append(key)
    flags = []
    for line in lines:
        key = normalise_key(line)
        flags.append(
            len(line) <= _TEASER_MAX
            and any(key.startswith(k) for k in by_prefix.get(key[:_TEASER_PREFIX], ()))
        )
    return flags


def _drop_teaser_runs(
    lines: list[str], anchors: frozenset[str], result: CleanBody
) -> list[str]:
    """Drop runs of teaser cards: two or more at the start or end of the body, three or more
    anywhere (a related-stories list without any "Baca juga" marker). A lone line that starts
    with a link's text stays: articles link their own phrases; and when such lines are most of
    the text, they are the article (a digest of linked summaries), so nothing is dropped."""
    if not anchors or len(lines) < 3:
        return lines
    flags = _teaser_lines(lines, anchors)
    keep = [True] * len(lines)
    start = 0
    while start < len(lines):
        if not flags[start]:
            start += 1
            continue
        end = start
        while end < len(lines) and flags[end]:
            end += 1
        at_edge = start == 0 or end == len(lines)
        if end - start >= 3 or (at_edge and end - start >= 2):
            for index in range(start, end):
                keep[index] = False
                result.dropped.append(("teaser_run", lines[index]))
        start = end
    dropped = sum(len(line) for line, k in zip(lines, keep, strict=True) if not k)
    if dropped > 0.4 * sum(len(line) for line in lines):
        del result.dropped[len(result.dropped) - keep.count(False) :]
        return lines
    return [line for line, k in zip(lines, keep, strict=True) if k]


def tail_rule_for(line: str) -> str | None:
    """The name of the first TAIL_RULES rule matching ``line``, or None."""
    return next((rule.name for rule in TAIL_RULES if rule.pattern.search(line)), None)


def line_rule_for(line: str, extra: tuple[re.Pattern[str], ...] = ()) -> str | None:
    """The name of the first line rule that drops ``line``, or None when the line stays."""
    for rule in LINE_RULES:
        if rule.action == "drop" and rule.pattern.search(line):
            return rule.name
    for pattern in extra:
        if pattern.search(line):
            return "site:" + pattern.pattern
    return None


# "(Parwata/balipost)", "(Tribunmanado.co.id/Arthur Rompis)" closing the body
_CLOSING_CREDIT = re.compile(r"\s*[(\[]\s*[^()\[\]/,]{2,60}\s*[/,]\s*[^()\[\]/,]{2,60}[)\]]\s*$")


def _signed_with_brand(initials: str, site_name: str | None) -> str | None:
    """The reporter's name in "(Parwata/balipost)" or "(Tribunmanado.co.id/Arthur Rompis)": a
    capitalised name beside the outlet's brand, where editors' initials ("(kmb/balipost)",
    "(Cas/Isk)") stand lower-case or short."""
    parts = [part.strip() for part in re.split(r"[/,]", initials.strip().strip("()[]"))]
    site_key = normalise_key(site_name or "")
    if len(parts) != 2:
        return None
    for name, brand in (parts, parts[::-1]):
        brand_key = normalise_key(brand)
        is_brand = bool(BRAND_TOKEN.match(brand)) or (len(brand_key) >= 4 and brand_key in site_key)
        if is_brand and name[:1].isupper() and len(name) >= 4 and looks_like_name(name):
            return name
    return None


def _byline(line: str) -> tuple[tuple[str, ...], str] | None:
    """(kinds, names) of a byline line (kinds: author/editor/other, see ``credit_kinds``), or
    None if it is no byline."""
    match = BYLINE_LINE.match(line)
    if not match or len(line) > 160:
        return None
    role = " ".join(match["role"].lower().split())
    names = _OUTLET_PREFIX.sub("", match["names"].strip())  # "Tribunnews.com, Budi Santoso"
    # a colon right after the role word ("Editor: X"); "Sumber itu menambahkan, ..." is prose
    has_sep = bool(re.match(r"^\W{0,2}" + re.escape(match["role"]) + r"\s*[:：]", line, re.I))
    if role in ("oleh", "by", "laporan", "writer", "author") or not has_sep:
        first = re.split(r"\s*[,|/]\s*|\s+(?:dan|and|&)\s+", names)[0]
        if not looks_like_name(first.strip(" .")):
            return None
    return credit_kinds(role), names


def clean_body(
    lines: list[str],
    *,
    title: str | None = None,
    description: str | None = None,
    site_name: str | None = None,
    extra_drop: tuple[re.Pattern[str], ...] = (),
    anchors: frozenset[str] = frozenset(),
) -> CleanBody:
    """Apply the line rules, then dateline, standfirst and trailing-initials handling."""
    result = CleanBody(paragraphs=[])
    title_key = normalise_key(title or "")
    kept: list[str] = []
    expect_name: str | None = None
    paywalled = False
    for raw in lines:
        line = " ".join(raw.split())
        if line.startswith("|") and line.endswith("|"):  # a table row from trafilatura
            line = " ".join(cell.strip() for cell in line.strip("|").split("|") if cell.strip())
        if not line:
            continue
        if expect_name is not None:
            role, expect_name = expect_name, None
            if looks_like_name(line):
                result.credit(credit_kinds(role), line)
                result.dropped.append(("byline", line))
                continue
        role_only = _ROLE_ONLY.match(line)
        if role_only:
            # "Redaktur" / "Penulis" on its own line, the name on the next one
            expect_name = role_only["role"].lower()
            result.dropped.append(("byline", line))
            continue
        if (
            anchors
            and len(line) <= 200
            and not line.endswith(".")
            and not _URL.match(line)
            and len(normalise_key(line)) >= 15
            and normalise_key(line) in anchors
        ):
            result.dropped.append(("link_line", line))
            continue
        credit = _byline(line)
        if credit is not None:
            result.credit(*credit)
            result.dropped.append(("byline", line))
            continue
        if paywalled or (kept and len(line) <= 200 and PAYWALL_LINE.match(line)):
            # the subscription box after a preview: the rest of the article is not on the page
            paywalled = True
            result.dropped.append(("paywall", line))
            continue
        for cut in _CUT_RULES:
            shorter = cut.pattern.sub("", line).rstrip()
            if shorter != line:
                result.dropped.append((cut.name, line[len(shorter) :].strip()))
                line = shorter
        rule = line_rule_for(line, extra_drop)
        if rule:
            result.dropped.append((rule, line))
            continue
        if title_key and normalise_key(line) == title_key:
            result.dropped.append(("title_repeat", line))
            continue
        kept.append(line)

    kept = _drop_teaser_runs(kept, anchors, result)

    # kicker labels before the first paragraph ("FotoBisnis"), and a box of other stories
    # ("HEADLINE HARI INI" and its headlines)
    while len(kept) > 1:
        if any(rule.pattern.search(kept[0]) for rule in HEAD_RULES):
            result.dropped.append(("head", kept.pop(0)))
        elif WIDGET_HEADING.match(kept[0]):
            result.dropped.append(("head_widget", kept.pop(0)))
            while len(kept) > 1 and _HEADLINE_LIKE.match(kept[0]):
                result.dropped.append(("head_widget", kept.pop(0)))
        else:
            break

    # dateline: in the first paragraph, or (naming the outlet) in one of the next four, in
    # which case what precedes it is a standfirst or caption (hard-wrapped: several lines)
    for index, paragraph in enumerate(kept[:5]):
        split = split_dateline(paragraph, site_name, need_brand=index > 0)
        if split is None:
            continue
        place, rest = split
        result.dateline = place.upper() if place else None
        for dropped in kept[:index]:
            result.dropped.append(("before_dateline", dropped))
        kept = [rest, *kept[index + 1 :]] if rest else kept[index + 1 :]
        break

    # standfirst repeated as the first paragraph: its text comes back in the next paragraphs
    if len(kept) > 1:
        first = normalise_key(kept[0])
        if len(first) >= 20 and any(first in normalise_key(p) for p in kept[1:4]):
            result.dropped.append(("standfirst_repeat", kept[0]))
            kept = kept[1:]

    # trailing footers, editor initials and the TAIL_RULES lines after the last paragraph
    while kept:
        last = TRAILING_FOOTER.sub("", kept[-1])
        closing = _CLOSING_CREDIT.search(last)
        signed = _signed_with_brand(closing.group(0), site_name) if closing else None
        if closing and signed:
            result.signatures.append(signed)
            last = last[: closing.start()].rstrip()
        last = TRAILING_INITIALS.sub("", last).rstrip()
        if last != kept[-1]:
            result.dropped.append(("trailing", kept[-1][len(last) :].strip()))
        tail = tail_rule_for(last) if len(kept) > 1 else None
        if tail is not None:
            result.dropped.append((f"tail:{tail}", last))
            if tail == "signature" and len(last.split()) >= 2:
                result.signatures.append(last)  # "DINI TEJA": the reporter signs at the end
        elif last and not re.fullmatch(r"\W*", last):
            kept[-1] = last
            break
        kept.pop()
    result.paragraphs = kept
    return result
