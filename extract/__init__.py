"""pantau's article extractor: trafilatura for the body, then Indonesian clean-up and metadata.

    from extract import extract_article, SiteOptions
    art = extract_article(html, url, SiteOptions.from_mapping(outlet["extract"]))
    art.to_dict()      # the contract JSON object (docs/design.md)
    art.is_article     # False for listings, galleries, video pages, live-blog shells, empty pages

Rules are data in ``extract/rules.py``; per-outlet overrides are ``SiteOptions`` fields.
"""

from .article import CONTRACT_KEYS, PAGE_KINDS, Article
from .core import extract_article
from .limits import DEFAULT_MAX_PAGE_BYTES
from .options import SiteOptions
from .pagination import PaginationInfo, find_pagination

__all__ = [
    "Article",
    "CONTRACT_KEYS",
    "DEFAULT_MAX_PAGE_BYTES",
    "PAGE_KINDS",
    "PaginationInfo",
    "SiteOptions",
    "extract_article",
    "find_pagination",
]
