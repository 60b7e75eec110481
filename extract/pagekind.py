"""Is this page an article? Tells articles from listings, galleries, video pages, live-blog shells.

Decided from the page's own declarations (JSON-LD @type, og:type), the URL's shape, and how much
of the extracted text is link text (teasers) rather than running prose.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.etree import XPath
from lxml.html import HtmlElement

from .metadata import Metadata
from .names import normalise_key

__all__ = ["classify_page", "LISTING_PATH", "teaser_share", "anchor_keys"]

LISTING_PATH = re.compile(
    r"/(?:tag|tags|topik|topic|topics|kategori|category|categories|label|search|cari|pencarian|"
    r"indeks|index|arsip|archive|author|penulis|kanal|rubrik|terkini|terpopuler|populer|"
    r"latest|page)(?:/|$|\?|\.html?$)|/search\?|[?&](?:q|s|query|keyword|tag)=",
    re.I,
)
_ARTICLE_PATH = re.compile(
    r"/(?:read|berita|news|artikel|post)/|/\d{4}/\d{2}/|\d{5,}|[a-z]+(?:-[a-z0-9]+){3,}", re.I
)
_GALLERY_PATH = re.compile(
    r"/(?:foto|photo|photos|galeri|gallery|infografis|infografik|infographics?)(?:/|$)", re.I
)
_GALLERY_HOST = re.compile(r"(?:foto|photo|photos|galeri|gallery)\.", re.I)
_VIDEO_PATH = re.compile(r"/(?:video|videos|tv|vidio|watch)(?:/|$)", re.I)
_SECTION_PATH = re.compile(r"/[a-z]{2,20}/?")
_ANCHORS = XPath("//a[normalize-space()]")
HEADLINE_KEY = 15  # a link text this long (letters and digits) reads like a headline
_LISTING_TYPES = {"collectionpage", "itemlist", "searchresultspage", "profilepage"}


def anchor_keys(tree: HtmlElement) -> frozenset[str]:
    """Normalised texts (normalise_key) of all the page's links."""
    keys = {normalise_key(a.text_content()) for a in _ANCHORS(tree)}
    keys.discard("")
    return frozenset(keys)


def teaser_share(anchors: frozenset[str], paragraphs: list[str]) -> float:
    """Share of the extracted text (by characters) that is the text of a link on the page."""
    total = sum(len(p) for p in paragraphs)
    if not total:
        return 0.0
    linked = 0
    for paragraph in paragraphs:
        key = normalise_key(paragraph)
        if len(key) >= HEADLINE_KEY and key in anchors:
            linked += len(paragraph)
    return linked / total


def classify_page(
    anchors: frozenset[str],
    url: str,
    meta: Metadata,
    paragraphs: list[str],
    raw_lines: list[str] | None = None,
    captions: int = 0,
) -> str:
    """One of Article.PAGE_KINDS for this page.

    ``paragraphs`` is the cleaned body; ``raw_lines`` what the body extractor returned before
    clean-up (teaser lists are judged on it, since clean-up removes link lines); ``captions``
    the number of photo captions on the page.
    """
    text_len = sum(len(p) for p in paragraphs)
    long_paragraphs = sum(1 for p in paragraphs if len(p) >= 150)
    path = urlsplit(url).path or "/"
    query = urlsplit(url).query
    types = meta.schema_types
    declared_article = meta.has_article_schema or (meta.og_type or "") == "article"
    home = path in ("/", "") or re.fullmatch(r"/(?:index\.\w+)?", path) is not None
    # "/inggris", "/bisnis/": one plain word is a section's front page; articles have a slug,
    # a date or an id in their address
    section_front = _SECTION_PATH.fullmatch(path) is not None

    if "liveblogposting" in types and text_len < 600:
        return "liveblog"
    host = urlsplit(url).hostname or ""
    gallery_url = bool(_GALLERY_PATH.search(path) or _GALLERY_HOST.match(host))
    if (
        long_paragraphs < 2
        and text_len < 600
        and (captions >= 3 or "imagegallery" in types or (gallery_url and captions >= 1))
    ):
        return "gallery"
    share = teaser_share(anchors, [x for x in (raw_lines or paragraphs) if x.strip()])
    if share >= 0.35 and long_paragraphs < 3:
        return "listing"
    if text_len < 40:
        return (
            "empty"
            if not (_GALLERY_PATH.search(path) or _VIDEO_PATH.search(path))
            else ("gallery" if _GALLERY_PATH.search(path) else "video")
        )
    listing_url = (
        home or section_front or bool(LISTING_PATH.search(path + ("?" + query if query else "")))
    )
    listing_declared = bool(types & _LISTING_TYPES) and not meta.has_article_schema
    if (listing_declared or listing_url) and not (
        declared_article
        and meta.published_at is not None
        and text_len >= 400
        and share < 0.2
        and long_paragraphs >= 2  # running prose: a home page of headlines has none
    ):
        return "listing"
    video = (
        (meta.og_type or "").startswith("video")
        or ("videoobject" in types and not meta.has_article_schema)
        or _VIDEO_PATH.search(path)
    )
    if video and text_len < 400:
        return "video"
    if ("imagegallery" in types or _GALLERY_PATH.search(path)) and text_len < 400:
        return "gallery"
    undeclared = not declared_article and meta.published_at is None and long_paragraphs == 0
    if undeclared and (share >= 0.2 or not _ARTICLE_PATH.search(path)):
        return "listing"
    return "article"
