"""extract_article(): one HTML page in, one Article out."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from urllib.parse import urlsplit

from lxml.etree import XPath

from .article import Article
from .body import extract_body_lines
from .cleanup import clean_body, line_rule_for
from .dates import format_date
from .decode import decode_html
from .elements import PageElements
from .language import detect_language
from .limits import DEFAULT_MAX_PAGE_BYTES, binary_reason, parser_limit_reason, size_reason
from .metadata import read_metadata
from .names import clean_names, normalise_key
from .options import SiteOptions
from .pagekind import anchor_keys, classify_page
from .tags import without_people
from .tree import parse_html

log = logging.getLogger(__name__)

__all__ = ["extract_article"]

_DEFAULT = SiteOptions()
_INNERMOST_CAPTION = XPath(
    "not(ancestor::figcaption or .//figcaption or .//*[contains(@class, 'caption')])"
)
_COMPILED: dict[tuple[str, ...], tuple[re.Pattern[str], ...]] = {}


def _drop_patterns(options: SiteOptions) -> tuple[re.Pattern[str], ...]:
    if options.drop_lines not in _COMPILED:
        _COMPILED[options.drop_lines] = tuple(re.compile(p, re.I) for p in options.drop_lines)
    return _COMPILED[options.drop_lines]


def _captions(page: PageElements) -> list[str]:
    """Photo captions (counted for page kinds; a gallery's text): the texts of <figcaption>s and
    of the innermost elements classed caption outside them, 30 characters or longer."""
    captions = [
        " ".join(entry.element.text_content().split())
        for entry in page.entries
        if entry.tag == "figcaption"
        or ("caption" in entry.classes and _INNERMOST_CAPTION(entry.element))
    ]
    # "… Telah dibaca 5k kali": a popular-list teaser classed caption, not a photo's caption
    return [c for c in captions if len(c) >= 30 and line_rule_for(c) != "read_count"]


def extract_article(
    html: str | bytes,
    url: str,
    source: SiteOptions | None = None,
    fetched_at: datetime | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_PAGE_BYTES,
) -> Article:
    """Extract the article text and metadata of one page.

    ``html``: the page (str, or bytes decoded by BOM / meta charset / UTF-8; gunzip first).
    ``url``: where the page was fetched. ``source``: the outlet's options (timezone, language,
    overrides). ``fetched_at``: when the page was fetched, for relative dates ("2 jam lalu").
    Never raises on bad HTML: an unreadable page gives an Article with page_kind "empty" and,
    where pantau can tell, ``problems`` saying why (over ``max_bytes``, binary data, nesting
    deeper than the HTML parser reads).
    """
    options = source or _DEFAULT
    refused = size_reason(len(html), max_bytes) or binary_reason(html)
    if refused:
        return _empty(url, options, [refused])
    decoded = decode_html(html)
    tree = parse_html(decoded)
    if tree is None:
        return _empty(url, options, [])
    page = PageElements(tree)  # of the untouched page: extract_body_lines prunes the tree
    meta = read_metadata(tree, url, options, fetched_at, page)
    anchors = anchor_keys(tree)
    captions = _captions(page)
    lines = extract_body_lines(tree, url, options, anchors, page)
    body = clean_body(
        lines,
        title=meta.title,
        description=meta.description,
        site_name=meta.site_name,
        extra_drop=_drop_patterns(options),
        anchors=anchors,
    )
    brands = tuple(b for b in (meta.site_name, urlsplit(url).hostname) if b)
    editor_keys = {normalise_key(n) for n in meta.editors}
    editors = meta.editors + [
        n for n in clean_names(body.editor_names, brands) if normalise_key(n) not in editor_keys
    ]
    editor_keys |= {normalise_key(n) for n in editors}
    # credits in the page's head, then bylines in the body, then a signature after the body
    authors = (
        meta.authors
        or clean_names(body.byline_names, brands)
        or [n for n in clean_names(body.signatures, brands) if normalise_key(n) not in editor_keys]
    )
    if body.dateline:  # "Laporan: Fatih Ramadhan, Istanbul": the report's place is no person
        place = normalise_key(body.dateline)
        authors = [n for n in authors if normalise_key(n) != place]
    tags = without_people(meta.tags, authors + editors)
    page_kind = classify_page(anchors, url, meta, body.paragraphs, lines, len(captions))
    paragraphs = body.paragraphs
    if page_kind == "gallery" and captions:
        paragraphs = list(dict.fromkeys(captions))  # a gallery's text is its captions
    if page_kind not in ("article", "gallery"):
        authors, editors = [], []  # a listing's bylines belong to the articles it lists
    text = "\n\n".join(paragraphs)
    language = detect_language(
        f"{meta.title or ''}\n{text}",
        meta.language,
        options.language,
        judge=page_kind == "article",
    )
    log.debug(
        "%s: %s, %d paragraphs, dropped %d lines",
        url,
        page_kind,
        len(body.paragraphs),
        len(body.dropped),
    )
    problems: list[str] = []
    if not text and page_kind == "empty":
        problems = [r for r in (parser_limit_reason(decoded),) if r]
    return Article(
        url=url,
        canonical_url=meta.canonical_url,
        title=meta.title or meta.h1,
        text=text,
        authors=authors,
        editors=editors,
        published_at=format_date(meta.published_at),
        updated_at=format_date(meta.updated_at),
        section=meta.section,
        tags=tags,
        language=language,
        site_name=meta.site_name,
        dateline=body.dateline,
        page_kind=page_kind,
        description=meta.description,
        problems=problems,
    )


def _empty(url: str, options: SiteOptions, problems: list[str]) -> Article:
    return Article(
        url=url,
        canonical_url=url,
        language=options.language,
        page_kind="empty",
        problems=problems,
    )
