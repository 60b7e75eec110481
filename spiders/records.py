"""The staging records the spider emits (see ``staging`` for the file format)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scrapy.http import Response, TextResponse

from extract.decode import decode_page

#: headers not worth archiving (session state of the outlet, not page metadata)
DROPPED_HEADERS = frozenset({"set-cookie"})

# the keys each record must carry: staging.records.REQUIRED_KEYS (checked by
# spiders.pipelines.validate before a record is written)


def utc_now() -> str:
    """Now, ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def lower_headers(response: Response) -> dict[str, str]:
    """Response headers with lower-case names; repeated headers joined with ', '."""
    out: dict[str, str] = {}
    for name, values in response.headers.items():
        key = name.decode("latin-1").lower()
        if key in DROPPED_HEADERS:
            continue
        out[key] = ", ".join(v.decode("latin-1") for v in values)
    return out


def page_record(
    source: str, url: str, response: TextResponse, discovered_via: str, hints: dict[str, Any]
) -> dict[str, Any]:
    """A ``page`` record: ``url`` is the canonical URL, ``final_url`` where redirects ended.

    Articles split over pages get ``more_pages`` (added by the spider): pages 2..N in order,
    each ``{final_url, status, headers, encoding, html}``; the loader joins their text.

    ``html`` is decoded by ``extract.decode.decode_page`` (bytes beat a wrong charset label).
    """
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
    html, encoding = decode_page(response.body, content_type)
    return {
        "type": "page",
        "source": source,
        "url": url,
        "final_url": response.url,
        "status": response.status,
        "headers": lower_headers(response),
        "fetched_at": utc_now(),
        "encoding": encoding,
        "html": html,
        "discovered_via": discovered_via,
        "hints": hints,
    }


def error_record(
    source: str, url: str, status: int | None, error: str, role: str, discovered_via: str | None
) -> dict[str, Any]:
    """An ``error`` record for one URL that could not be fetched (or read).

    Beyond the staging contract it says which ``role`` the URL had (article, feed, sitemap,
    listing) and how an article URL was ``discovered_via``, so the loader can keep feed and
    sitemap failures apart from article failures.
    """
    return {
        "type": "error",
        "source": source,
        "url": url,
        "status": status,
        "error": " ".join(error.split())[:500],
        "fetched_at": utc_now(),
        "role": role,
        "discovered_via": discovered_via,
    }
