"""The article's section (rubric) and its own tags.

Section: JSON-LD ``articleSection``, ``article:section``, the breadcrumb's last useful item,
a ``rel=category`` link. Tags: ``article:tag``, the tag box after the headline, ``news_keywords``,
JSON-LD, then ``<meta name=keywords>`` when on topic (``tags.py``)."""

from __future__ import annotations

import re
from typing import Any

from lxml.etree import XPath
from lxml.html import HtmlElement

from .elements import PageElements
from .jsonld import find_type
from .names import normalise_key
from .page_data import SIDEBAR, PageData, ld_list, ld_text, text_of
from .rules import SECTION_META
from .tags import clean_tags, is_site_list_heading, keywords_on_topic

__all__ = ["read_section", "read_tags"]

_TAG_BOX_WORDS = ("tag", "tags", "topik", "topic", "topics", "keyword", "keywords", "label",
                  "labels")  # fmt: skip

_TAG_BOX = re.compile(r"(?:^|[\s-])(?:" + "|".join(_TAG_BOX_WORDS) + r"|tagcloud\w*)(?=$|[\s-])")

_TAG_LINKS = XPath(".//a[normalize-space()]")

_CLASSED_ANCESTOR = XPath("ancestor::*[@class or @id]")

_CRUMB_ITEMS = XPath(".//a | .//li[not(.//a)] | .//span[not(*)]")

_TAG_BOX_CLASSES = ("tag", "topi", "keyword", "label", "Tag")

_TAG_BOX_IDS = ("tag",)

_CRUMB_CLASSES = ("breadcrumb", "Breadcrumb", "crumbs")

_CRUMB_IDS = ("breadcrumb",)

_HOME_CRUMBS = {"home", "beranda", "index", "indeks", "halaman utama", "depan", "news", "berita"}


_CAMEL_HUMP = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _box_words(element: HtmlElement) -> str:
    """The element's class and id as lower-case words: "detailsTag" and "tag_box" give
    "details-tag" and "tag-box"."""
    value = (element.get("class") or "") + " " + (element.get("id") or "")
    return _CAMEL_HUMP.sub("-", value).lower().replace("_", "-")


_OWN_TEXT = XPath(".//text()[not(ancestor::a)]")

# a box the site names as its own list: "tag-populer", "trending-topics", "topik_hangat"
_SITE_LIST_CLASS = re.compile(r"popul|trending|hangat|terhangat|hot-?(?:tags?|topics?)")


def _is_tag_box(element: HtmlElement) -> bool:
    return bool(_TAG_BOX.search(_box_words(element)))


def _is_post(element: HtmlElement, headline: HtmlElement | None) -> bool:
    """The page or the post itself, never a tag box: WordPress gives the post's container a
    class per tag ("post-123 type-post tag-banjir tag-jakarta")."""
    if element.tag in ("body", "article", "main"):
        return True
    return headline is not None and any(a is element for a in headline.iterancestors())


def _is_site_list(element: HtmlElement) -> bool:
    """A box of the site's popular tags ("Tag Populer", "Topik Hangat"), the same on every page:
    named so by its class or by its own heading (its text outside the links)."""
    if _SITE_LIST_CLASS.search(_box_words(element)):
        return True
    heading = " ".join(" ".join(_OWN_TEXT(element)).split()).strip(" :")
    return bool(heading) and is_site_list_heading(heading)


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
        if _is_post(element, headline) or element.tag == "a" or not _is_tag_box(element):
            continue
        if SIDEBAR(element) or page.position(element) < start or _is_site_list(element):
            continue
        links = _TAG_LINKS(element)
        texts = [text_of(a) for a in links]
        if 0 < len(texts) <= 25 and all(len(t) <= 40 for t in texts):
            if _CLASSED_ANCESTOR(element) and any(
                _is_tag_box(a) for a in element.iterancestors() if not _is_post(a, headline)
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
            name = item.get("name") or ld_text(item.get("item"))
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


def read_section(data: PageData, title: str | None) -> str | None:
    """The section the article is filed under, or None."""
    section = ld_text(data.ld.get("articleSection")) or data.meta(SECTION_META)
    if section and "," in section and isinstance(data.ld.get("articleSection"), str):
        # All in One SEO writes every category in one string: "Berita, Daerah, Papua"
        section = section.split(",")[0].strip() or section
    section = section or _breadcrumb_section(data.objects, data.page, title)
    if not section:
        category = next(
            (text for text in map(text_of, data.page.by_rel("a", "category")) if text), None
        )
        section = category if category and len(category) <= 40 else None
    return section


def read_tags(data: PageData, headline: HtmlElement | None, title: str | None) -> list[str]:
    """The article's own tags; the article's people are taken out by ``extract_article``
    (``tags.without_people``), once the body's credits and dateline are known too."""
    declared = data.metas.get("article:tag") or []
    visible = _visible_tags(data.page, headline)  # what the reader sees under the article
    tags = declared or visible
    if declared and len(visible) > len(declared):
        # an SEO plugin that writes the first tags only: the box holds all of them and more
        shown = {normalise_key(t.lstrip("#")) for t in visible}
        if {normalise_key(t) for t in declared} <= shown:
            tags = visible
    if not tags:
        tags = ld_list(data.meta(("news_keywords",)))
    if not tags:
        tags = ld_list(data.ld.get("keywords"))
    if not tags:  # many sites fill it with the same words on every page: used when on topic
        about = f"{title or ''} {data.meta(('description', 'og:description')) or ''}"
        tags = keywords_on_topic(ld_list(data.meta(("keywords",))), about)
    return clean_tags(tags)
