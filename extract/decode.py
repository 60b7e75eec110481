"""Bytes to text: BOM, then the page's own charset declaration, then UTF-8, then what the bytes
show, as browsers do.

Bytes that are not UTF-8, with no label or a label of UTF-8, are read as windows-1252 when they
hold no valid multi-byte UTF-8 sequence at all (an old page saved in a Western code page:
"caf\xe9", "\x93kutip\x94"); a UTF-8 page with a few broken bytes stays UTF-8 with U+FFFD for
those bytes only.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["decode_html"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_html(data: bytes | str) -> str:
    """Decode an HTML page. Gzip is the caller's business (pass the uncompressed bytes)."""
    if isinstance(data, str):
        return data
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    match = _META_CHARSET.search(data[:8192])
    if match:
        name = match.group(1).decode("ascii", "ignore").lower()
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            codec = "utf-8"
        if codec in ("latin-1", "iso8859-1", "ascii"):
            codec = "cp1252"  # what browsers do for these labels
        if codec != "utf-8":
            try:  # pages labelled with a legacy charset are often UTF-8 in fact
                return data.decode("utf-8")
            except UnicodeDecodeError:
                return data.decode(codec, errors="replace")
        return _utf8_or_cp1252(data)  # labelled UTF-8: a wrong label is told by the bytes
    return _utf8_or_cp1252(data)


# a valid multi-byte UTF-8 sequence: a lead byte and its continuation bytes
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _utf8_or_cp1252(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(data) is None:
        return data.decode("cp1252", errors="replace")  # no UTF-8 in it at all: a legacy page
    return data.decode("utf-8", errors="replace")
