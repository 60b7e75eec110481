"""Page metadata: title, canonical URL, authors, dates, section, tags, language, site name.

Sources in order of trust: the outlet's own XPaths (SiteOptions), JSON-LD, meta tags
(Open Graph, article:*, Dublin Core, outlet-specific names), then visible markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from lxml.etree import XPath
from lxml.html import HtmlElement

from .credits import brand_names, read_credits
from .dates import ZONE_OFFSETS, parse_date, to_outlet_offset
from .elements import PageElements, has_part, xpath_text_length
from .jsonld import ARTICLE_TYPES, find_type, read_jsonld, types_of
from .language import normalise_code
from .names import normalise_key
from .options import SiteOptions
from .rules import BRAND_TOKEN
from .tags import clean_tags, keywords_on_topic

__all__ = ["Metadata", "read_metadata", "canonicalize_url", "strip_title_suffix", "text_of"]


@dataclass
class Metadata:
    """What the page says about itself (before the body is read)."""

    title: str | None = None
    canonical_url: str | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    updated_at: datetime | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    og_type: str | None = None
    schema_types: set[str] = field(default_factory=set)
    has_article_schema: bool = False
    h1: str | None = None


def text_of(element: Any) -> str:
    """Whitespace-normalised text content of an element (or a string result)."""
    if isinstance(element, str):
        return " ".join(element.split())
    return " ".join(element.text_content().split())


def _meta_map(tree: HtmlElement) -> dict[str, list[str]]:
    metas: dict[str, list[str]] = {}
    for meta in _META(tree):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content and content.strip():
            metas.setdefault(key.strip().lower(), []).append(" ".join(content.split()))
    return metas


_META = XPath("//meta[@content]")
_CANONICAL = XPath("//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href")
_H1 = XPath("//h1")
_TITLE = XPath("//title")
_ALL_LINK = XPath(
    "boolean(ancestor::a or (.//a and string-length(normalize-space()) = "
    "string-length(normalize-space(.//a[1]))))"
)
_TIME = XPath("//time[@datetime]")
_TAG_BOX_WORDS = ("tag", "tags", "topik", "topic", "topics", "keyword", "keywords", "label",
                  "labels")  # fmt: skip
_TAG_BOX = re.compile(r"(?:^|[\s-])(?:" + "|".join(_TAG_BOX_WORDS) + r"|tagcloud\w*)(?=$|[\s-])")
_HTML_LANG = XPath("/html/@lang | /html/@xml:lang")
_TAG_LINKS = XPath(".//a[normalize-space()]")
_CLASSED_ANCESTOR = XPath("ancestor::*[@class or @id]")
_CRUMB_ITEMS = XPath(".//a | .//li[not(.//a)] | .//span[not(*)]")

# Elements found by class or id: (tags or None for any, class parts, id parts), each a
# substring test like XPath's contains(@class, ...); see _by_class and PageElements.
_HEADING_TAGS = frozenset(("h1", "h2", "h3"))
_HEADING_CLASSES = ("title", "judul", "jdl", "headline")
_DATE_TAGS = frozenset(("div", "span", "p", "time", "li", "small"))
_DATE_CLASSES = ("date", "time", "Date", "publish", "tanggal", "waktu", "posted", "meta")
_DATE_IDS = ("date",)
_TAG_BOX_CLASSES = ("tag", "topi", "keyword", "label", "Tag")
_TAG_BOX_IDS = ("tag",)
_CRUMB_CLASSES = ("breadcrumb", "Breadcrumb", "crumbs")
_CRUMB_IDS = ("breadcrumb",)


def _headings(page: PageElements) -> Iterator[HtmlElement]:
    """Headline candidates: h1-h3 and title-like classes inside <body>, under 300 characters."""
    for entry in page.entries:
        if (
            entry.in_body
            and (entry.tag in _HEADING_TAGS or has_part(entry.classes, _HEADING_CLASSES))
            and xpath_text_length(entry.element) < 300
        ):
            yield entry.element


def _date_boxes(page: PageElements) -> list[HtmlElement]:
    """Short blocks whose class (or id) says date, time, publish, tanggal, ..."""
    found = page.by_class(_DATE_CLASSES, _DATE_IDS, tags=_DATE_TAGS)
    return [element for element in found if xpath_text_length(element) < 160]


_PUBLISHED_META = (
    "article:published_time", "og:published_time", "datepublished", "publishdate",
    "dtk:publishdate", "content_publisheddate", "pubdate", "publish-date", "publish_date",
    "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date",
    "article_date_original", "date", "dc.date", "tanggal",
)  # fmt: skip
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "lastmod", "last-modified",
    "dcterms.modified", "updatedate", "dtk:updatedate",
)  # fmt: skip
_HOME_CRUMBS = {"home", "beranda", "index", "indeks", "halaman utama", "depan", "news", "berita"}
_TITLE_SEP = re.compile(r"^(?P<head>.*\S)\s+[|\-–—:»·~]\s+(?P<tail>[^|»·]{1,60})$")
_TITLE_LEAD = re.compile(r"^(?P<head>[^|»·:]{1,40})(?:\s+[|\-–—:»·~]|:)\s+(?P<tail>.*\S)$")


def _host_tokens(url: str) -> set[str]:
    host = (urlsplit(url).hostname or "").lower()
    labels = [
        x
        for x in host.split(".")
        if x
        not in ("www", "m", "amp", "com", "co", "id", "net", "org", "or", "go", "ac", "tv", "news")
    ]
    return {x for x in labels if len(x) >= 4}


def _is_brand(segment: str, site_name: str | None, url: str) -> bool:
    key = normalise_key(segment)
    if not key:
        return True
    if BRAND_TOKEN.match(segment.strip()):
        return True
    if site_name:
        site = normalise_key(site_name)
        if site and (key == site or (len(site) >= 4 and site in key) or key in site):
            return True
    return any(tok in key for tok in _host_tokens(url))


_LABELLED = re.compile(r"^[\w ]{2,20}:\s+\S")
_PAGE_SUFFIX = re.compile(r"\s+(?:[-|]\s+)?(?:halaman|hal\.?|page)\s+(?:all|semua|\d+)$", re.I)


def strip_title_suffix(
    title: str, site_name: str | None, url: str, suffixes: tuple[str, ...] = ()
) -> str:
    """'Judul - Kompas.com' -> 'Judul'; also a leading 'Outlet | ' and a 'Halaman all' marker."""
    title = _PAGE_SUFFIX.sub("", " ".join(title.split()))
    for suffix in suffixes:
        if suffix and title.endswith(suffix):
            return title[: -len(suffix)].strip()
    for _ in range(3):
        match = _TITLE_SEP.match(title)
        if not match or not _is_brand(match["tail"], site_name, url):
            break
        title = match["head"]
    match = _TITLE_LEAD.match(title)
    if match and _is_brand(match["head"], site_name, url) and len(match["tail"]) > 15:
        title = match["tail"]
    return title


def canonicalize_url(url: str) -> str:
    """Map AMP and mobile variants to the canonical page; drop tracking parameters."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    labels = host.split(".")
    if labels and labels[0] in ("m", "amp", "mobile") and len(labels) >= 3:
        rest = labels[1:]
        second_level = len(rest) == 3 and rest[-2] in ("co", "or", "go", "ac", "web", "my")
        host = ".".join(["www", *rest]) if len(rest) == 2 or second_level else ".".join(rest)
    netloc = host + (f":{parts.port}" if parts.port else "")
    path = re.sub(r"/amp(?=/|$)", "", parts.path) or "/"
    path = re.sub(r"\.amp(?=\.html?$|$)", "", path)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not (
            k.lower().startswith("utm_")
            or k.lower() in ("amp", "outputtype", "fbclid", "gclid", "_gl", "page", "single")
        )
    ]
    return urlunsplit((parts.scheme, netloc, path, urlencode(query), ""))


def _first(metas: dict[str, list[str]], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        values = metas.get(key)
        if values:
            return values[0]
    return None


def _ld_text(value: Any) -> str | None:
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, list) and value:
        return _ld_text(value[0])
    if isinstance(value, dict):
        return _ld_text(value.get("name") or value.get("@id") or value.get("url"))
    return None


def _ld_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list):
        return [s for item in value for s in _ld_list(item)]
    return []


def _xpath_values(tree: HtmlElement, expr: str) -> list[str]:
    out: list[str] = []
    result = tree.xpath(expr)
    for item in result if isinstance(result, list) else [result]:
        if isinstance(item, str):
            out.append(" ".join(item.split()))
        elif hasattr(item, "text_content"):
            out.append(
                item.get("datetime") or item.get("content") or " ".join(item.text_content().split())
            )
    return [v for v in out if v]


def _date(
    candidates: list[str | None],
    options: SiteOptions,
    fetched_at: datetime | None,
    relative: bool = False,
) -> datetime | None:
    for raw in candidates:
        value = parse_date(raw, options.zone, fetched_at, relative=relative)
        if value is not None:
            return to_outlet_offset(value, options.zone)
    return None


_NEAR_TEXT = (
    "following::text()[normalize-space()][not(ancestor::script or ancestor::style)]"
    "[position() <= 30]"
)
_SIDEBAR = XPath(
    "ancestor::*[self::nav or self::aside or (self::footer and not(ancestor::article)) or "
    "self::header[contains(@class, 'site') or @id='header']]"
)
_HAS_CLOCK = re.compile(r"\d{1,2}[:.]\d{2}")


def _shows_title(element: HtmlElement, key: str) -> bool:
    """Does this heading show the title (normalise_key ``key``)?"""
    if element.tag not in ("h1", "h2", "h3") and _ALL_LINK(element):
        return False  # a teaser linking to an article, not the page's headline
    text_key = normalise_key(element.text_content())
    return len(text_key) >= 10 and (
        text_key == key
        or (key in text_key and len(text_key) <= len(key) + 40)
        or (text_key in key and len(text_key) >= 0.8 * len(key))
    )


def _headline(page: PageElements, title: str | None, h1s: list[HtmlElement]) -> HtmlElement | None:
    """The page's headline element: the heading showing the title, else the first long h1.

    ``h1s``: the page's <h1> elements. Most pages show the title in one; the wider (and much
    slower) search over other headings runs only when none does.
    """
    key = normalise_key(title or "")
    if key:
        found = next((h for h in h1s if _shows_title(h, key)), None)
        if found is None:
            found = next((h for h in _headings(page) if _shows_title(h, key)), None)
        if found is not None:
            return found
    return next((h for h in h1s if len(normalise_key(h.text_content())) >= 12), None)


def _visible_date(
    tree: HtmlElement,
    page: PageElements,
    headline: HtmlElement | None,
    options: SiteOptions,
    fetched_at: datetime | None,
) -> datetime | None:
    """The date shown on the page closest to the headline (a time of day preferred).

    Candidates: short text right after / before the headline, <time>, itemprop dates and
    elements whose class says date/time; sidebars (nav, aside, footer) are skipped.
    """
    elements: list[Any] = []
    if headline is not None:
        for text in headline.xpath(_NEAR_TEXT):
            holder = text.getparent()
            if holder is not None and text.is_tail:  # tail text belongs to the parent
                holder = holder.getparent()
            if len(text.strip()) <= 120 and holder is not None:
                elements.append(holder)
        # then the blocks just before the headline (kicker lines: "FotoBisnis | Selasa, ...")
        for ancestor in (headline, headline.getparent()):
            if ancestor is None:
                continue
            for count, sibling in enumerate(ancestor.itersiblings(preceding=True)):
                if count >= 3:
                    break
                if isinstance(sibling.tag, str) and len(sibling.text_content()) <= 150:
                    elements.append(sibling)
        # the usual case: a date and time right by the headline; the nearest one wins
        line = headline.sourceline or 0
        near: list[tuple[int, int, datetime]] = []
        for index, holder in enumerate(elements):
            raw = _machine_date(holder) or text_of(holder)
            if _HAS_CLOCK.search(raw) and not _SIDEBAR(holder):
                value = parse_date(raw, options.zone, fetched_at)
                if value is not None:
                    near.append((abs((holder.sourceline or 0) - line), index, value))
        if near:
            return to_outlet_offset(min(near, key=lambda item: item[:2])[2], options.zone)
    elements.extend(page.by_itemprop(("datePublished", "dateCreated")))
    elements.extend(_TIME(tree))
    elements.extend(_date_boxes(page))
    if not elements:
        return None
    # distance to the headline in source lines; on one-line (minified) pages the order of
    # collection decides: text right after the headline first
    anchor = (headline.sourceline or 0) if headline is not None else 0
    found: list[tuple[tuple[int, int], bool, datetime]] = []
    seen: set[Any] = set()
    for el in elements:
        if el in seen:
            continue
        seen.add(el)
        if _SIDEBAR(el):
            continue
        raw = _machine_date(el) or text_of(el)
        value = parse_date(raw, options.zone, fetched_at)
        if value is None:
            continue
        distance = (abs((el.sourceline or 0) - anchor), len(found))
        found.append((distance, bool(_HAS_CLOCK.search(raw) or "lalu" in raw), value))
    if not found:
        return None
    found.sort(key=lambda item: item[0])
    distance, has_clock, value = found[0]
    if not has_clock:
        for other_distance, other_clock, other in found[1:]:
            close = other_distance[0] <= distance[0] + 5
            if other_clock and other.date() == value.date() and close:
                return to_outlet_offset(other, options.zone)
    return to_outlet_offset(value, options.zone)


def _machine_date(element: HtmlElement) -> str | None:
    """A date in an attribute: <time datetime>, <meta content>, <abbr title> (Blogger)."""
    value = element.get("datetime") or element.get("content")
    if not value and element.tag == "abbr":
        value = element.get("title")
    return value


def _date_with_source(
    candidates: list[str | None], options: SiteOptions, fetched_at: datetime | None
) -> tuple[datetime, str] | None:
    for raw in candidates:
        value = parse_date(raw, options.zone, fetched_at, relative=False)
        if value is not None and raw:
            return to_outlet_offset(value, options.zone), raw
    return None


_LOCAL_OFFSETS = frozenset(ZONE_OFFSETS[z] for z in ("wib", "wita", "wit"))
_SAME_CLOCK = timedelta(minutes=60)


def _stated_zone(value: datetime) -> bool:
    """Did the text state its zone? Parsed dates without one carry the outlet's ZoneInfo."""
    return not isinstance(value.tzinfo, ZoneInfo)


def _choose_published(
    structured: tuple[datetime, str] | None, shown: datetime | None, zone: tzinfo
) -> datetime | None:
    """The publication time from the page's data (``structured``: value and raw text) and the
    time it shows by the headline (``shown``).

    * an explicit offset in the data is kept as an instant (a UTC time stays that instant,
      written in the outlet's offset);
    * a displayed WIB/WITA/WIT beats the outlet's default zone, and where data and display agree
      on the clock time (within an hour) but not on the offset, the displayed zone wins
      (Merdeka's ``-07:00``, detik's ``Z`` on local clock times);
    * an offset that is no Indonesian zone and not UTC, on a clock time the page shows
      without a zone, is a mislabelled local time: read in the outlet's zone;
    * data without a time of day takes the displayed time of the same day.
    """
    if structured is None:
        return shown
    value, raw = structured
    if shown is None:
        return value
    if not _HAS_CLOCK.search(raw):
        return shown if shown.date() == value.date() else value
    written = parse_date(raw, zone)  # the clock time as written, with its own offset
    if written is None:
        return value
    clock = written.replace(tzinfo=None)
    same_clock = abs(clock - shown.replace(tzinfo=None)) <= _SAME_CLOCK
    if not same_clock or written.utcoffset() == shown.utcoffset():
        return value
    if _stated_zone(shown):
        return written.replace(tzinfo=shown.tzinfo)
    offset = written.utcoffset()
    if _stated_zone(written) and offset not in _LOCAL_OFFSETS and offset != timedelta(0):
        return written.replace(tzinfo=zone)
    return value


def _is_tag_box(element: HtmlElement) -> bool:
    value = ((element.get("class") or "") + " " + (element.get("id") or "")).lower()
    return bool(_TAG_BOX.search(value.replace("_", "-")))


def _visible_tags(page: PageElements, headline: HtmlElement | None) -> list[str]:
    """Tag links: rel="tag" links, else the links of a small box whose class says tags/topik.

    A box before the headline is the site's trending or navigation list (the same on every
    page), not the article's own tags, which follow the headline.
    """
    start = page.position(headline) if headline is not None else -1
    tags = [
        text_of(a)
        for a in page.by_rel("a", "tag")
        if "category" not in (a.get("rel") or "") and page.position(a) > start
    ]
    if tags:
        return tags
    for element in page.by_class(_TAG_BOX_CLASSES, _TAG_BOX_IDS, in_body=True):
        if element.tag in ("body", "article", "main", "a") or not _is_tag_box(element):
            continue
        if _SIDEBAR(element) or page.position(element) < start:
            continue
        links = _TAG_LINKS(element)
        texts = [text_of(a) for a in links]
        if 0 < len(texts) <= 25 and all(len(t) <= 40 for t in texts):
            if _CLASSED_ANCESTOR(element) and any(
                _is_tag_box(a) for a in element.iterancestors() if a.tag != "body"
            ):
                continue  # the outermost tag box is taken
            return texts
    return []


def _breadcrumb_section(
    objects: list[dict[str, Any]],
    page: PageElements,
    title: str | None,
) -> str | None:
    crumbs: list[str] = []
    crumb_list = find_type(objects, {"breadcrumblist"})
    if crumb_list:
        items = crumb_list.get("itemListElement") or []
        items = sorted(
            (i for i in items if isinstance(i, dict)), key=lambda i: int(i.get("position") or 0)
        )
        for item in items:
            name = item.get("name") or _ld_text(item.get("item"))
            if isinstance(name, str):
                crumbs.append(" ".join(name.split()))
    if not crumbs:
        box = next(page.by_class(_CRUMB_CLASSES, _CRUMB_IDS), None)
        if box is not None:
            crumbs = [text for text in map(text_of, _CRUMB_ITEMS(box)) if text]
    title_key = normalise_key(title or "")
    useful = [
        c for c in crumbs
        if c.lower() not in _HOME_CRUMBS and normalise_key(c) != title_key and len(c) <= 40
        and not (title_key and len(normalise_key(c)) > 20 and normalise_key(c) in title_key)
    ]  # fmt: skip
    return useful[-1] if useful else None


def read_metadata(
    tree: HtmlElement,
    url: str,
    options: SiteOptions,
    fetched_at: datetime | None = None,
    page: PageElements | None = None,
) -> Metadata:
    """Read the page's own metadata; nothing from the body text yet.

    ``page``: the PageElements of ``tree`` when the caller has them already.
    """
    page = page or PageElements(tree)
    meta = Metadata()
    metas = _meta_map(tree)
    objects = read_jsonld(tree)
    article = find_type(objects, ARTICLE_TYPES)
    ld: dict[str, Any] = article or {}
    meta.schema_types = {t for obj in objects for t in types_of(obj)}
    meta.has_article_schema = article is not None
    meta.og_type = (_first(metas, ("og:type",)) or "").lower() or None

    # site name first: the title suffix is stripped with it
    publisher = ld.get("publisher")
    meta.site_name = (
        _first(metas, ("og:site_name", "application-name", "al:android:app_name"))
        or (_ld_text(publisher) if publisher else None)
        or options.site_name
    )

    h1s = _H1(tree)
    meta.h1 = next((text_of(h) for h in h1s if len(text_of(h)) >= 12), None)
    title: str | None = None
    if options.title_xpath:
        title = next(iter(_xpath_values(tree, options.title_xpath)), None)
    if not title:
        title = _ld_text(ld.get("headline")) or _ld_text(ld.get("name"))
    if not title:
        og = _first(metas, ("og:title", "twitter:title"))
        title = og and strip_title_suffix(og, meta.site_name, url, options.title_suffixes)
    if not title and meta.h1:
        title = meta.h1
    if not title:
        head = _TITLE(tree)
        if head:
            title = strip_title_suffix(
                text_of(head[0]), meta.site_name, url, options.title_suffixes
            )
    headline = _headline(page, title, h1s)
    if title and headline is not None:
        shown = text_of(headline)
        shown_key, title_key = normalise_key(shown), normalise_key(title)
        if (
            headline.tag in ("h1", "h2")
            and 12 <= len(shown) < len(title)
            and len(shown_key) >= 0.5 * len(title_key)
            and shown_key in title_key
        ):
            title = shown  # "Judul Halaman all", "Rubrik - Judul": the page shows "Judul"
        elif _LABELLED.match(shown) and shown_key.endswith(title_key) and shown_key != title_key:
            title = shown  # the page shows "FOTO: Judul" / "In Picture: Judul"
    meta.title = title or None

    canonical = next(iter(_CANONICAL(tree)), None) or _first(metas, ("og:url",))
    if not canonical:
        main = ld.get("mainEntityOfPage")
        canonical = _ld_text(main) if main else _ld_text(ld.get("url"))
    meta.canonical_url = canonicalize_url(urljoin(url, canonical.strip()) if canonical else url)

    # authors and editors
    xpath_authors = _xpath_values(tree, options.author_xpath) if options.author_xpath else []
    brands = brand_names(url, meta.site_name, ld, metas)
    credits = read_credits(tree, page, ld, metas, brands, xpath_authors)
    meta.authors, meta.editors = credits.authors, credits.editors

    # dates
    published: list[str | None] = []
    if options.date_xpath:
        published.extend(_xpath_values(tree, options.date_xpath))
    published.append(_ld_text(ld.get("datePublished")) or _ld_text(ld.get("dateCreated")))
    published.extend(metas.get(k, [None])[0] for k in _PUBLISHED_META)
    published.extend(_machine_date(el) for el in page.by_itemprop(("datePublished", "dateCreated")))
    structured = _date_with_source(published, options, fetched_at)
    displayed = _visible_date(tree, page, headline, options, fetched_at)
    meta.published_at = _choose_published(structured, displayed, options.zone)
    modified = [_ld_text(ld.get("dateModified"))]
    modified.extend(metas.get(k, [None])[0] for k in _MODIFIED_META)
    modified.extend(_machine_date(el) for el in page.by_itemprop(("dateModified",)))
    meta.updated_at = _date(modified, options, fetched_at)

    # section and tags
    section = _ld_text(ld.get("articleSection")) or _first(metas, ("article:section",))
    meta.section = section or _breadcrumb_section(objects, page, meta.title)
    if not meta.section:
        category = next((text for text in map(text_of, page.by_rel("a", "category")) if text), None)
        meta.section = category if category and len(category) <= 40 else None
    tags = metas.get("article:tag") or []
    if not tags:
        tags = _visible_tags(page, headline)
    if not tags:
        tags = _ld_list(ld.get("keywords"))
    if not tags:
        tags = _ld_list(_first(metas, ("news_keywords",)))
    if not tags:  # many sites fill it with the same words on every page: used when on topic
        about = f"{meta.title or ''} {_first(metas, ('description', 'og:description')) or ''}"
        tags = keywords_on_topic(_ld_list(_first(metas, ("keywords",))), about)
    meta.tags = clean_tags(tags, meta.authors + meta.editors)

    # the declared language: a prior for extract.language.detect_language, not the verdict
    meta.language = normalise_code(
        _ld_text(ld.get("inLanguage"))
        or next(iter(_HTML_LANG(tree)), None)
        or _first(metas, ("content-language", "language", "og:locale", "dc.language"))
    )

    meta.description = _ld_text(ld.get("description")) or _first(
        metas, ("og:description", "description", "twitter:description")
    )
    return meta
