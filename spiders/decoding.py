"""Decode an HTML page: trust the bytes over a wrong label, and never guess exotic code pages.

Indonesian outlets serve UTF-8, or (old CMSs) windows-1252 — sometimes labelled wrong, sometimes
not labelled at all. Rules, in order:

1. a byte-order mark decides;
2. a body that is valid UTF-8 (and has non-ASCII bytes) is UTF-8, whatever the label says —
   cp1252 text practically never is valid UTF-8;
3. otherwise the declared charset (``Content-Type`` header, then ``<meta>``), if Python knows it
   and it is not UTF-8 (which rule 2 just ruled out);
4. otherwise windows-1252 (which also covers ASCII and ISO-8859-1).
"""

from __future__ import annotations

import codecs

from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
)

FALLBACK = "cp1252"


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str]:
    """(text, encoding used) for an HTML body and its Content-Type header value."""
    bom, _ = read_bom(body)
    if bom:
        encoding = _known(bom) or "utf-8"
        return body.decode(encoding, errors="replace").lstrip("\ufeff"), encoding
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not body.isascii():
            return text, "utf-8"
    declared = _known(http_content_type_encoding(content_type or "")) or _known(
        html_body_declared_encoding(body)
    )
    if declared and declared != "utf-8":
        return body.decode(declared, errors="replace"), declared
    if body.isascii():
        return body.decode("ascii"), declared or "utf-8"
    return body.decode(FALLBACK, errors="replace"), FALLBACK
