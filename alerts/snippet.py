"""A short excerpt of an article around the words that matched, with them in ``**bold**``.

Only the query's positive terms are highlighted (never words under NOT). The excerpt comes from
the body text around the first hit; when only the title matched, it is the start of the text with
the title's hits marked in the title instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from alerts.matcher import Stemmer
from alerts.query import Leaf, Node, Phrase, Prefix, Stem, Word, positive_leaves
from alerts.stem import stem_many
from alerts.text import token_spans

_SPACE_RE = re.compile(r"\s+")
_ASCII_WORD_RE = re.compile(r"[a-z0-9]+")
SNIPPET_CHARS = 240
LEAD_CHARS = 80


def _spans(text: str) -> Iterator[tuple[str, int, int]]:
    if text.isascii():  # lower() keeps offsets: one pass over the whole text
        for match in _ASCII_WORD_RE.finditer(text.lower()):
            yield match.group(), match.start(), match.end()
    else:
        yield from token_spans(text)


def _hits(text: str, leaves: Sequence[Leaf], stemmer: Stemmer,
          window: int | None = None) -> list[tuple[int, int]]:
    """Character spans of ``text`` where a leaf matches (phrases span all their words).

    With ``window``, stops once past ``window`` characters after the first hit.
    """
    stem_words: dict[Stem, list[str]] = {}
    for leaf in leaves:
        if isinstance(leaf, Stem):
            table = stemmer(leaf.words)
            stem_words[leaf] = [table[w] for w in leaf.words]
    longest = max((len(leaf.tokens) if isinstance(leaf, Phrase) else
                   len(leaf.words) if isinstance(leaf, Stem) else 1) for leaf in leaves)
    spans: list[tuple[str, int, int]] = []
    found: list[tuple[int, int]] = []
    stems: dict[str, str] = {}
    stop = None
    source = _spans(text)
    exhausted = False
    i = 0
    while True:
        # keep enough look-ahead for the longest phrase
        while not exhausted and len(spans) < i + longest:
            nxt = next(source, None)
            if nxt is None:
                exhausted = True
            else:
                spans.append(nxt)
        if i >= len(spans):
            break
        token, start, _ = spans[i]
        if stop is not None and start > stop:
            break
        for leaf in leaves:
            n = 1
            if isinstance(leaf, Word):
                ok = token == leaf.token
            elif isinstance(leaf, Prefix):
                ok = token.startswith(leaf.prefix)
            elif isinstance(leaf, Phrase):
                n = len(leaf.tokens)
                ok = token == leaf.tokens[0] and tuple(
                    t for t, _, _ in spans[i : i + n]) == leaf.tokens
            else:
                want = stem_words[leaf]
                n = len(want)
                window_tokens = [t for t, _, _ in spans[i : i + n]]
                missing = [t for t in window_tokens if t not in stems]
                if missing:
                    stems.update(stemmer(missing))
                ok = [stems[t] for t in window_tokens] == want
            if ok:
                found.append((start, spans[i + n - 1][2]))
                if stop is None and window is not None:
                    stop = start + window
                break
        i += 1
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
    if not leaves:
        return _window_text(heading, body)
    body_hits = _hits(body, leaves, stemmer, window=SNIPPET_CHARS)
    if body_hits:
        start, end = _window(body, body_hits[0][0])
        excerpt = _mark(body, body_hits, start, end)
        return ("…" if start > 0 else "") + excerpt + ("…" if end < len(body) else "")
    title_hits = _hits(heading, leaves, stemmer)
    return _window_text(_mark(heading, title_hits, 0, len(heading)), body)


def _window_text(title: str, body: str) -> str:
    start, end = _window(body, 0)
    excerpt = body[start:end] + ("…" if end < len(body) else "")
    return f"{title} — {excerpt}" if excerpt else title
