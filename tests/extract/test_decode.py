"""HTML decoding: bytes beat a wrong charset label; unlabelled legacy pages are windows-1252."""

from __future__ import annotations

import pytest

from extract.decode import decode_page as decode_html

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


def test_a_utf8_page_with_a_few_broken_bytes_stays_utf8() -> None:
    body = TEXT.encode("utf-8") + b"<p>rusak \xff di sini</p>"
    text, used = decode_html(body, None)
    assert used == "utf-8" and "\u201cbaru\u201d" in text and "rusak \ufffd di sini" in text


def test_latin1_label_reads_as_windows_1252() -> None:
    body = "<p>\u201ckutip\u201d</p>".encode("cp1252")
    text, used = decode_html(body, "text/html; charset=ISO-8859-1")
    assert (text, used) == ("<p>\u201ckutip\u201d</p>", "cp1252")


def test_the_extractor_reads_text_through_the_same_decoder() -> None:
    from extract.decode import decode_html as page_text

    assert page_text(TEXT.encode("cp1252")) == decode_html(TEXT.encode("cp1252"), None)[0]
    assert page_text(TEXT) == TEXT
