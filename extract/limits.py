"""What pantau will not read, and why: size, binary data, and the HTML parser's own limits.

One cap on page size serves the crawler (Scrapy's DOWNLOAD_MAXSIZE) and the extractor: a page
the crawler would refuse is refused by ``pantau extract`` and ``extract_article`` too, with the
same number (``PANTAU_MAX_PAGE_BYTES``, read by ``core.settings``). A news article is a few
hundred kilobytes; 10 MiB leaves room for inline images and scripts and keeps one page's
extraction under a few seconds and a few hundred MB.
"""

from __future__ import annotations

from lxml import html as lxml_html

__all__ = ["DEFAULT_MAX_PAGE_BYTES", "binary_reason", "parser_limit_reason", "size_reason"]

DEFAULT_MAX_PAGE_BYTES = 10 * 1024 * 1024
_SNIFF = 4096
# bytes that never stand in a text page (tab, newline, form feed and carriage return do)
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x1f\x8b": "gzip data (gunzip it first)",
    b"RIFF": "a RIFF file (WebP image, audio or video)",
}


def size_reason(size: int, limit: int = DEFAULT_MAX_PAGE_BYTES) -> str | None:
    """Why a page of ``size`` bytes is not read, or None when it is within ``limit``."""
    if size <= limit:
        return None
    return (
        f"the page is {_amount(size)}, over the {_amount(limit)} limit "
        "(PANTAU_MAX_PAGE_BYTES); raise the limit to read it"
    )


def _amount(size: int) -> str:
    if size >= 1048576:
        return f"{size / 1048576:.1f} MiB"
    return f"{size / 1024:.1f} KiB" if size >= 1024 else f"{size} bytes"


def binary_reason(data: bytes | str) -> str | None:
    """Why ``data`` is not an HTML page (a PDF, an image, binary bytes), or None."""
    sample = data[:_SNIFF]
    head = sample.encode("utf-8", "surrogatepass") if isinstance(sample, str) else sample
    for signature, what in _SIGNATURES.items():
        if head.startswith(signature):
            return f"not an HTML page: {what}"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 with a byte-order mark: text, decoded by decode_html
    controls = sum(head.count(bytes([b])) for b in _CONTROL)
    if head and (b"\x00" in head or controls > 0.05 * len(head)):
        return "not an HTML page: binary data (control bytes where text should be)"
    return None


def parser_limit_reason(text: str) -> str | None:
    """Why the HTML parser read less than the page holds (its resource limits), or None.

    libxml2, under lxml and trafilatura, stops at 256 levels of nested elements and at text
    nodes of 10 MB; what lies beyond is silently left out. Called only when a page gave no
    text, so that such a page says why instead of coming back empty.
    """
    parser = lxml_html.HTMLParser()
    try:
        lxml_html.document_fromstring(text, parser=parser)
    except Exception as exc:  # noqa: BLE001 - any parser failure is the answer here
        return f"the HTML parser gave up: {exc}"
    for entry in parser.error_log:
        message = entry.message or ""
        if "Excessive depth" in message:
            return (
                "the page nests elements more than 256 levels deep; the HTML parser stops "
                "there, so its body was not read"
            )
        if "huge" in message.lower() or "RESOURCE_LIMIT" in str(entry):
            return f"the page exceeds a limit of the HTML parser ({message.strip()})"
    return None
