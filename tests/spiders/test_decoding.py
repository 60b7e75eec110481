"""HTML decoding: bytes beat a wrong charset label; unlabelled legacy pages are windows-1252."""

from __future__ import annotations

import pytest

from spiders.decoding import decode_html

TEXT = "<p>Kafe \u00e9legan \u2013 \u201cbaru\u201d dibuka</p>"


@pytest.mark.parametrize(
    ("body", "content_type", "encoding"),
    [
        (TEXT.encode("utf-8"), "text/html; charset=utf-8", "utf-8"),
        (TEXT.encode("utf-8"), "text/html; charset=iso-8859-1", "utf-8"),  # label is wrong
        (TEXT.encode("cp1252"), "text/html; charset=UTF-8", "cp1252"),  # label is wrong
        (TEXT.encode("cp1252"), "text/html", "cp1252"),  # no label at all
        (b"<meta charset='windows-1252'>" + TEXT.encode("cp1252"), None, "cp1252"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "text/html; charset=cp1252", "utf-8"),  # BOM
    ],
)
def test_decode_html(body: bytes, content_type: str | None, encoding: str) -> None:
    text, used = decode_html(body, content_type)
    assert used == encoding
    assert "Kafe \u00e9legan \u2013 \u201cbaru\u201d" in text


def test_other_declared_charsets_are_honoured() -> None:
    text = "<p>\u0416\u0438\u0437\u043d\u044c</p>"
    assert decode_html(text.encode("koi8-r"), "text/html; charset=koi8-r") == (text, "koi8-r")


def test_ascii_page_keeps_its_label() -> None:
    assert decode_html(b"<p>halo</p>", "text/html; charset=utf-8") == ("<p>halo</p>", "utf-8")
