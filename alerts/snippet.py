"""A short excerpt of an article around the words that matched, with them in ``**bold**``.

Only the query's positive terms are highlighted (never words under NOT). The excerpt comes from
the body text around the first hit; when only the title matched, it is the start of the text with
the title's hits marked in the title instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from alerts.matcher import Stemmer
from alerts.query import Leaf, Node, Phrase, Prefix, Stem, Word, positive_leaves
from alerts.stem import stem_many
from alerts.text import token_spans

_SPACE_RE = re.compile(r"\s+")
SNIPPET_CHARS = 240
LEAD_CHARS = 80


def _hits(text: str, leaves: Sequence[Leaf], stemmer: Stemmer) -> list[tuple[int, int]]:
    """Character spans of ``text`` where a leaf matches (phrases span all their words)."""
    spans = list(token_spans(text))
    if not spans:
        return []
    tokens = [t for t, _, _ in spans]
    stems: dict[str, str] = {}
    stem_leaves = [leaf for leaf in leaves if isinstance(leaf, Stem)]
    stem_words: dict[Stem, list[str]] = {}
    if stem_leaves:
        stems = stemmer(tokens)
        for stem_leaf in stem_leaves:
            table = stemmer(stem_leaf.words)
            stem_words[stem_leaf] = [table[w] for w in stem_leaf.words]
    found: list[tuple[int, int]] = []
    for i, token in enumerate(tokens):
        for leaf in leaves:
            n = 1
            if isinstance(leaf, Word):
                ok = token == leaf.token
            elif isinstance(leaf, Prefix):
                ok = token.startswith(leaf.prefix)
            elif isinstance(leaf, Phrase):
                n = len(leaf.tokens)
                ok = tuple(tokens[i : i + n]) == leaf.tokens
            else:
                want = stem_words[leaf]
                n = len(want)
                ok = [stems.get(t, t) for t in tokens[i : i + n]] == want
            if ok:
                found.append((spans[i][1], spans[i + n - 1][2]))
                break
    return found


def _mark(text: str, hits: list[tuple[int, int]], start: int, end: int) -> str:
    out: list[str] = []
    pos = start
    for a, b in hits:
        if a < pos or b > end:
            continue
        out.append(text[pos:a])
        out.append(f"**{text[a:b]}**")
        pos = b
    out.append(text[pos:end])
    return "".join(out)


def _window(text: str, first_hit: int) -> tuple[int, int]:
    start = max(0, first_hit - LEAD_CHARS)
    if start > 0:
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if space >= 0 and first_hit - space < LEAD_CHARS + 40 else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first_hit else end
    return start, end


def make_snippet(
    node: Node, title: str | None, text: str | None, stemmer: Stemmer = stem_many
) -> str:
    """The highlighted excerpt for an article matched by ``node``."""
    leaves = positive_leaves(node)
    body = _SPACE_RE.sub(" ", text or "").strip()
    heading = _SPACE_RE.sub(" ", title or "").strip()
    body_hits = _hits(body, leaves, stemmer)
    if body_hits:
        start, end = _window(body, body_hits[0][0])
        excerpt = _mark(body, body_hits, start, end)
        return ("…" if start > 0 else "") + excerpt + ("…" if end < len(body) else "")
    title_hits = _hits(heading, leaves, stemmer)
    marked_title = _mark(heading, title_hits, 0, len(heading))
    start, end = _window(body, 0)
    excerpt = body[start:end] + ("…" if end < len(body) else "")
    return f"{marked_title} — {excerpt}" if excerpt else marked_title
