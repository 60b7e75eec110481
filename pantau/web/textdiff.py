"""The difference between two versions of an article, word by word, as HTML.

A "Ralat" (correction) appended or a figure changed shows as ``<ins>`` / ``<del>`` spans in the
newer text; unchanged stretches stay plain.
"""

from __future__ import annotations

import difflib
import re

from markupsafe import Markup, escape

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> Markup:
    """``new`` with the words ``old`` lacked in ``<ins>`` and those it lost in ``<del>``."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    out: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(b[j1:j2]))))
            continue
        if op in ("delete", "replace"):
            out.append(f'<del class="diff">{escape("".join(a[i1:i2]))}</del>')
        if op in ("insert", "replace"):
            out.append(f'<ins class="diff">{escape("".join(b[j1:j2]))}</ins>')
    return Markup("".join(out))


def changed(old: str, new: str) -> tuple[int, int]:
    """How many words were added and removed between ``old`` and ``new``."""
    a = (old or "").split()
    b = (new or "").split()
    added = removed = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op != "equal":
            removed += i2 - i1
            added += j2 - j1
    return added, removed
