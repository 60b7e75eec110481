"""Turning text into match tokens: case- and accent-insensitive words.

A token is a run of letters and digits (Unicode), folded to lower case with accents removed, so
``Kebanjiran``, ``KEBANJIRAN`` and ``kebanjíran`` all give ``kebanjiran``. Hyphens and other
punctuation split words: ``Nagorno-Karabakh`` is the two tokens ``nagorno karabakh`` and
``anak-anak`` is ``anak anak``. Queries are tokenised with the same function, so a query word with
punctuation inside becomes a phrase of its parts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

_WORD_RE = re.compile(r"[^\W_]+")
_COMBINING_RE = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents (``Café`` → ``cafe``)."""
    if text.isascii():
        return text.lower()
    return _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text)).casefold()


def tokenize(text: str) -> list[str]:
    """The folded word tokens of ``text``, in order."""
    return _WORD_RE.findall(fold(text))


def token_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """``(folded token, start, end)`` for each word of ``text``; offsets index the original."""
    for match in _WORD_RE.finditer(text):
        # Folding rarely splits a word (e.g. some ligatures); the parts then share its span.
        for part in _WORD_RE.findall(fold(match.group())):
            yield part, match.start(), match.end()
