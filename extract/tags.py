"""An article's own tags: never navigation, label words, credits or UI text.

Pages put more than tags in their tag boxes and keyword fields: the box's own heading
("TAG", "Topik:"), a "More Tag" / "Hashtag Lainnya..." button, breadcrumb words ("Home",
"News"), the credits (Antara's keywords hold "Editor:B Kunto Wibisono"), a label with an empty
value ("News:"). What is left after these are removed is the article's tag list.
"""

from __future__ import annotations

import re

from .edge_rules import CREDIT_ROLES
from .names import normalise_key

__all__ = [
    "clean_tags", "is_site_list_heading", "is_site_phrase", "keywords_on_topic", "without_people"
]

_MAX_CHARS = 60
# "Topik: X", "Tag: X": the value is the tag
_TAG_LABEL = re.compile(
    r"^(?:tags?|topik|topic|topics|label|kata kunci|keywords?)\s*[:：]\s*", re.I
)
# "Editor: X", "Penulis: X": a credit, not a tag
_CREDIT_LABEL = re.compile(
    r"^(?:" + "|".join(re.escape(r) for r in CREDIT_ROLES) + r")\s*[:：]", re.I
)
# buttons, headings and navigation words that stand in tag boxes
_UI_WORDS = re.compile(
    r"^(?:more tags?|hashtag lainnya|tag lainnya|topik lainnya|lihat semua|selengkapnya|"
    r"tampilkan semua|show all|see all|view all|more|lainnya|home|beranda|index|indeks|"
    r"news|berita|tags?|topik|topics?|label)\W*$",
    re.I,
)

# the heading of a site-wide list ("TAG POPULER", "Topik Pilihan", "Trending Topic"): the whole
# list is the site's, not the article's
_SITE_LIST_HEADING = re.compile(
    r"^(?:(?:tags?|topik|topics?|hashtags?)\s+(?:populer|terpopuler|pilihan|hangat|hot|trending|"
    r"terkini|hari ini)|(?:trending|hot|popular|populer)\s+(?:tags?|topics?|topik|hashtags?))$",
    re.I,
)


# words of a news site's own search-engine phrases ("berita terkini", "portal Indonesia",
# "berita ekonomi"): a keyword made only of these, with one site word among them, is put on every
# page of the site and says nothing of the article
_SITE_WORDS = frozenset(
    "berita news portal situs online terkini terbaru terupdate terpopuler harian headline "
    "headlines breaking latest".split()
)
_GENERIC_WORDS = _SITE_WORDS | frozenset(
    "indonesia indonesian hari ini today update nasional internasional dunia daerah ekonomi "
    "bisnis olahraga politik hukum hiburan teknologi otomotif gaya hidup lifestyle sport sports "
    "kesehatan pendidikan sains keuangan finance populer terhangat viral trending hot top utama "
    "seputar kabar info informasi media dan and of".split()
)

# function words: one keyword each means the list is a sentence cut at every space
_FUNCTION_WORDS = frozenset(
    "the of a an and or to in on at for with about we is are was be by from as that this it "
    "yang dan di ke dari untuk dengan pada ini itu adalah akan tidak atau oleh dalam".split()
)


def is_site_phrase(tag: str) -> bool:
    """Whether ``tag`` is one of a site's generic search phrases, not a topic of the article."""
    words = [w.lower() for w in re.findall(r"\w+", tag)]
    return bool(words) and set(words) <= _GENERIC_WORDS and not _SITE_WORDS.isdisjoint(words)


def _before_split_sentence(raw: list[str]) -> list[str]:
    """``raw`` up to where a sentence cut into one-word keywords starts.

    Some sites fill their keyword field from the article's text, one word per comma ("cover,
    about, one-third, of, Finland`s, territory, We, ..."). A run of four or more one-word items
    with at least two function words ("of", "we", "yang") is such a sentence, not tags."""
    start = None
    for index, item in enumerate(raw + [" "]):
        single = len(item.split()) == 1
        if single and start is None:
            start = index
        elif not single and start is not None:
            run = raw[start:index]
            if len(run) >= 4 and sum(w.lower() in _FUNCTION_WORDS for w in run) >= 2:
                return raw[:start]
            start = None
    return raw


def is_site_list_heading(text: str) -> bool:
    """Whether ``text`` heads a site-wide list of tags ("TAG POPULER", "Trending Topic")."""
    return bool(_SITE_LIST_HEADING.match(" ".join(text.split())))


def clean_tags(raw: list[str], people: list[str] | None = None) -> list[str]:
    """The tags of ``raw`` that are the article's own, de-duplicated in order.

    ``people``: the article's credited authors and editors (a byline link in a tag box is no tag).
    """
    if any(is_site_list_heading(item) for item in raw):
        return []
    raw = _before_split_sentence(raw)
    out: list[str] = []
    seen: set[str] = set()
    for item in raw:
        tag = " ".join(item.split()).lstrip("#").strip()
        tag = _TAG_LABEL.sub("", tag).strip()
        if not tag or len(tag) > _MAX_CHARS or tag.endswith((":", "：")):
            continue
        if _CREDIT_LABEL.match(tag) or _UI_WORDS.match(tag) or tag.endswith(("...", "…")):
            continue
        key = normalise_key(tag)
        if not key or tag.lower() in seen:
            continue
        seen.add(tag.lower())
        out.append(tag)
    return without_people(out, people or [])


def without_people(tags: list[str], people: list[str]) -> list[str]:
    """``tags`` less the article's credited people (a byline link in a tag box is no tag)."""
    keys = {normalise_key(p) for p in people}
    return [t for t in tags if normalise_key(t) not in keys]


_WORD = re.compile(r"[^\W\d_]{4,}")


def keywords_on_topic(keywords: list[str], about: str) -> list[str]:
    """``<meta name="keywords">`` as tags only when it speaks of this article: one keyword shares
    a word of four letters or more with ``about`` (title and description). Many sites put the
    same site-wide words ("berita, berita terkini, politik") on every page; Antara and Republika
    write the article's own there ("penerbangan batal, abu vulkanik")."""
    topic = {w.lower() for w in _WORD.findall(about)}
    if any(w.lower() in topic for k in keywords for w in _WORD.findall(k)):
        # the site's own search phrases ride along ("berita terkini, portal Indonesia")
        return [k for k in keywords if not is_site_phrase(k)]
    return []
