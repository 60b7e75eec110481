"""Extract a staged page: a fetched page's record (:class:`staging.records.PageRecord`, or
anything with its fields) becomes the row the loader merges (:class:`ExtractedPage`).

The crawler usually does it already: its extraction pipeline
(``spiders.pipelines.extraction``) runs :func:`staged_extraction` on each page as it is fetched,
while other pages download, and stores the result in the record next to the raw HTML. The
load then reuses that result (:func:`reuse_staged`), but only when it was made by this very
extractor with the outlet's current extraction settings (:func:`extraction_key`); otherwise the
page is extracted again (:mod:`staging.extraction` runs many over the machine's cores). The raw
HTML always stays in the record: it is the archive.

The outlet's :class:`~extract.options.SiteOptions` come in built (once per outlet, see
``core.config.Source.site_options``), never rebuilt per page.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from extract.core import extract_article
from extract.options import SiteOptions

log = logging.getLogger(__name__)


class StagedPage(Protocol):
    """What extraction reads of a staged page record (``staging.records.PageRecord``)."""

    @property
    def source(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def final_url(self) -> str | None: ...
    @property
    def status(self) -> int | None: ...
    @property
    def fetched_at(self) -> str: ...
    @property
    def html(self) -> str: ...
    @property
    def more_pages(self) -> list[dict[str, Any]] | None: ...
    @property
    def extracted(self) -> dict[str, Any] | None: ...


@dataclass
class ExtractedPage:
    """One staged page after extraction: what the loader writes to ``pages``/``articles``."""

    source: str
    url: str
    final_url: str | None
    status: int | None
    fetched_at: str
    kind: str  # article | listing | other | empty | error
    error: str | None
    article: dict[str, Any] | None  # the contract JSON of extract_article, for articles
    canonical_url: str | None
    content_hash: str | None
    archive: str | None


def article_id(canonical_url: str) -> str:
    """A stable id for an article: the first 20 hex digits of SHA-1 of its canonical URL."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()[:20]


def content_hash(article: dict[str, Any]) -> str:
    """Hash of what a reader sees; a change means a new version of the article."""
    keys = ("title", "text", "authors", "published_at", "updated_at", "section", "tags")
    payload = json.dumps([article.get(k) for k in keys], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _same_site(a: str, b: str) -> bool:
    ha = (urlsplit(a).hostname or "").lower().removeprefix("www.")
    hb = (urlsplit(b).hostname or "").lower().removeprefix("www.")
    return bool(ha) and (ha == hb or ha.endswith("." + hb) or hb.endswith("." + ha))


def choose_canonical(page_url: str, declared: str | None) -> str:
    """The page's own canonical address: its declared one when on the same site, else its URL."""
    from extract.urls import canonicalize_url

    if declared and _same_site(declared, page_url):
        return canonicalize_url(declared)
    return canonicalize_url(page_url)


def extract_record(
    record: StagedPage, options: SiteOptions, archive: str | None
) -> ExtractedPage:
    """Extract one staged page with its outlet's ``options`` (runs in a worker process)."""
    url = record.url
    final_url = record.final_url or url
    base: dict[str, Any] = dict(
        source=record.source,
        url=url,
        final_url=final_url,
        status=record.status,
        fetched_at=record.fetched_at,
        archive=archive,
    )
    try:
        fetched = datetime.fromisoformat(record.fetched_at)
        html = record.html or ""
        # the crawler refused pages over PANTAU_MAX_PAGE_BYTES when it fetched them
        art = extract_article(
            html, final_url, source=options, fetched_at=fetched, max_bytes=max(len(html), 1)
        )
    except Exception as exc:  # one bad page must not stop the load
        log.warning("%s: extraction failed: %s", url, exc)
        return ExtractedPage(
            **base, kind="error", error=f"extraction failed: {exc}"[:500], article=None,
            canonical_url=None, content_hash=None,
        )
    data = art.to_dict()
    if art.is_article and record.more_pages:
        try:
            data["text"] = join_pages(data.get("text") or "", record.more_pages, options, fetched)
        except Exception as exc:  # keep page 1 rather than lose the article
            log.warning("%s: could not join the later pages: %s", url, exc)
    if not art.is_article:  # recorded with why pantau could not read it, where it can tell
        return ExtractedPage(
            **base, kind=art.page_kind or "other", error="; ".join(art.problems) or None,
            article=None,
            canonical_url=None, content_hash=None,
        )
    if not (data.get("text") or "").strip():
        return ExtractedPage(
            **base, kind="empty", error="no article text found", article=None,
            canonical_url=None, content_hash=None,
        )
    canonical = choose_canonical(final_url, data.get("canonical_url"))
    data["canonical_url"] = canonical
    return ExtractedPage(
        **base, kind="article", error=None, article=data, canonical_url=canonical,
        content_hash=content_hash(data),
    )


def join_pages(
    text: str, more_pages: list[dict[str, Any]], options: SiteOptions, fetched: datetime
) -> str:
    """Append the text of an article's pages 2..N (in order) to page 1's text.

    Paragraphs already present (a standfirst or lead repeated on every page) are not repeated.
    """
    seen = {p.strip() for p in text.split("\n\n") if p.strip()}
    parts = [text] if text else []
    for more in more_pages:
        page = extract_article(more.get("html") or "", more.get("final_url") or "",
                               source=options, fetched_at=fetched)
        for para in (page.text or "").split("\n\n"):
            para = para.strip()
            if para and para not in seen:
                seen.add(para)
                parts.append(para)
    return "\n\n".join(parts)


_EXTRACTION_LIBRARIES = ("trafilatura", "lxml", "lxml_html_clean", "htmldate", "courlan", "justext",
                         "charset-normalizer", "python-dateutil", "py3langid")


@cache
def extractor_fingerprint() -> str:
    """A hash of the extraction code: the ``extract`` package's files (this module among them)
    and the versions of the libraries under it. Any change to them changes the fingerprint."""
    from importlib.metadata import PackageNotFoundError, version

    import extract

    digest = hashlib.sha256()
    for name in _EXTRACTION_LIBRARIES:
        try:
            digest.update(f"{name} {version(name)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{name} -\n".encode())
    package = Path(extract.__file__).resolve().parent
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.yaml")]):
        if "__pycache__" not in path.parts:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def extraction_key(options: SiteOptions) -> str:
    """What an extraction result depends on besides the page: the code and the outlet's
    extraction settings (its ``SiteOptions``: the ``extract``, ``timezone`` and ``language`` of
    its sources.yaml entry)."""
    payload = extractor_fingerprint() + repr(options)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


_RESULT_FIELDS = ("kind", "error", "article", "canonical_url", "content_hash")


def staged_extraction(record: StagedPage, options: SiteOptions) -> dict[str, Any]:
    """Extract a page record where it is fetched; the crawler stores this as ``extracted``."""
    page = extract_record(record, options, archive=None)
    return {"key": extraction_key(options),
            **{name: getattr(page, name) for name in _RESULT_FIELDS}}


def reuse_staged(
    record: StagedPage, options: SiteOptions, archive: str | None
) -> ExtractedPage | None:
    """The record's crawl-time extraction, if it was made with the current extractor and
    settings; ``None`` when the page must be extracted (again)."""
    staged = record.extracted
    if not isinstance(staged, dict) or staged.get("key") != extraction_key(options):
        return None
    return ExtractedPage(
        source=record.source,
        url=record.url,
        final_url=record.final_url or record.url,
        status=record.status,
        fetched_at=record.fetched_at,
        archive=archive,
        kind=str(staged.get("kind")),
        error=staged.get("error"),
        article=staged.get("article"),
        canonical_url=staged.get("canonical_url"),
        content_hash=staged.get("content_hash"),
    )
