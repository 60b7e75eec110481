"""Bytes to text, the one decoder of pantau (the crawler's records, the extractor and the tools):
trust the bytes over a wrong label, and never guess exotic code pages.

Indonesian outlets serve UTF-8, or (old CMSs) windows-1252, sometimes labelled wrong, sometimes not
labelled at all. Rules, in order:

1. a byte-order mark decides;
2. a body that is valid UTF-8 is UTF-8, whatever the label says: text in a legacy code page with
   non-ASCII letters practically never is valid UTF-8;
3. otherwise the declared charset (``Content-Type`` header, then ``<meta>``) if Python knows it and
   it is not UTF-8; ``latin-1``/``ascii`` labels are read as windows-1252, as browsers do;
4. otherwise (no label, or a UTF-8 label the bytes deny) windows-1252 when the bytes hold no valid
   multi-byte UTF-8 sequence at all (an old page saved in a Western code page: "caf\\xe9",
   "\\x93kutip\\x94"), else UTF-8 with U+FFFD for the few broken bytes only.
"""

from __future__ import annotations

import codecs
import re

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

__all__ = ["decode_html", "decode_page"]

FALLBACK = "cp1252"
#: labels browsers read as windows-1252
_AS_CP1252 = frozenset({"latin-1", "iso8859-1", "ascii"})
# a valid multi-byte UTF-8 sequence: a lead byte and its continuation bytes
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_page(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text, encoding used) for an HTML body and its ``Content-Type`` header value (if any)."""
    bom, _ = read_bom(body)
    if bom:
        encoding = _known(bom) or "utf-8"
        return body.decode(encoding, errors="replace").lstrip("\ufeff"), encoding
    declared = _known(http_content_type_encoding(content_type or "")) or _known(
        html_body_declared_encoding(body[:8192]))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return text, (declared or "utf-8") if body.isascii() else "utf-8"
    if declared and declared != "utf-8":
        declared = FALLBACK if declared in _AS_CP1252 else declared
        return body.decode(declared, errors="replace"), declared
    if _UTF8_MULTIBYTE.search(body) is None:
        return body.decode(FALLBACK, errors="replace"), FALLBACK
    return body.decode("utf-8", errors="replace"), "utf-8"


def decode_html(data: bytes | str, content_type: str | None = None) -> str:
    """The text of an HTML page (already text: returned as is). Gzip is the caller's business
    (pass the uncompressed bytes)."""
    if isinstance(data, str):
        return data
    return decode_page(data, content_type)[0]
