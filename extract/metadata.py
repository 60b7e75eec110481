"""Page metadata: title, canonical URL, authors, dates, section, tags, language, site name.

One reader per field, each in its own module with its sources in order of trust (the outlet's
own XPaths, JSON-LD, the meta tags listed in ``rules.py``, then what the page shows):
``headline.read_title``, ``canonical.read_canonical``, ``credits.read_credits``,
``published.read_dates``, ``sections.read_section`` / ``read_tags``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from lxml.etree import XPath
from lxml.html import HtmlElement

from .canonical import canonicalize_url, read_canonical
from .credits import brand_names, read_credits
from .elements import PageElements
from .headline import read_title, strip_title_suffix
from .jsonld import types_of
from .language import normalise_code
from .options import SiteOptions
from .page_data import PageData, ld_text, text_of, xpath_values
from .published import read_dates
from .rules import DESCRIPTION_META, LANGUAGE_META, SITE_NAME_META
from .sections import read_section, read_tags

__all__ = ["Metadata", "read_metadata", "canonicalize_url", "strip_title_suffix", "text_of"]

_HTML_LANG = XPath("/html/@lang | /html/@xml:lang")


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
    data = PageData.read(tree, url, options, fetched_at, page)
    ld = data.ld
    meta = Metadata(
        schema_types={t for obj in data.objects for t in types_of(obj)},
        has_article_schema=data.has_article_schema,
        og_type=(data.meta(("og:type",)) or "").lower() or None,
    )
    # site name first: the title suffix is stripped with it
    publisher = ld.get("publisher")
    meta.site_name = (
        data.meta(SITE_NAME_META)
        or (ld_text(publisher) if publisher else None)
        or options.site_name
    )
    headline = read_title(data, meta.site_name)
    meta.title, meta.h1 = headline.title, headline.h1
    meta.canonical_url = read_canonical(data)

    xpath_authors = xpath_values(tree, options.author_xpath) if options.author_xpath else []
    brands = brand_names(url, meta.site_name, ld, data.metas)
    credits = read_credits(data, brands, xpath_authors)
    meta.authors, meta.editors = credits.authors, credits.editors

    meta.published_at, meta.updated_at = read_dates(data, headline.element)
    meta.section = read_section(data, meta.title)
    meta.tags = read_tags(data, headline.element, meta.title)

    # the declared language: a prior for extract.language.detect_language, not the verdict
    meta.language = normalise_code(
        ld_text(ld.get("inLanguage"))
        or next(iter(_HTML_LANG(tree)), None)
        or data.meta(LANGUAGE_META)
    )
    meta.description = ld_text(ld.get("description")) or data.meta(DESCRIPTION_META)
    return meta
