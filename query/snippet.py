"""A short excerpt of an article around the words that matched, with them in ``**bold**``.

Only the query's positive terms are highlighted (never words under NOT). The excerpt comes from
the body text around the first hit; when only the title matched, it is the title with its hits
marked followed by the start of the text.

:class:`ArticleText` tokenises an article (with character offsets) once, however many rules
matched it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from query.matcher import Stemmer
from query.parser import Leaf, Node, Phrase, Prefix, Stem, Word, positive_leaves
from query.stem import stem_many
from query.text import token_spans

_SPACE_RE = re.compile(r"\s+")
_ASCII_WORD_RE = re.compile(r"[a-z0-9]+")
SNIPPET_CHARS = 240
LEAD_CHARS = 40  # context before the first hit, so it shows early in narrow previews

Span = tuple[str, int, int]  # folded token, start, end (offsets into the original string)


def _spans(text: str) -> list[Span]:
    if text.isascii():  # lower() keeps offsets: one regex pass over the whole text
        return [(m.group(), m.start(), m.end()) for m in _ASCII_WORD_RE.finditer(text.lower())]
    return list(token_spans(text))


@dataclass(frozen=True)
class Tokens:
    """One string's tokens with offsets, the bare token list and the token set."""

    spans: list[Span]
    tokens: list[str]
    vocab: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Tokens:
        spans = _spans(text)
        tokens = [t for t, _, _ in spans]
        return cls(spans, tokens, frozenset(tokens))


@dataclass
class ArticleText:
    """An article's title and text (whitespace collapsed) and their tokens, built once."""

    title: str
    body: str
    _title: Tokens | None = field(default=None, repr=False)
    _body: Tokens | None = field(default=None, repr=False)

    @classmethod
    def of(cls, title: str | None, text: str | None) -> ArticleText:
        return cls(_SPACE_RE.sub(" ", title or "").strip(), _SPACE_RE.sub(" ", text or "").strip())

    @property
    def title_tokens(self) -> Tokens:
        if self._title is None:
            self._title = Tokens.of(self.title)
        return self._title

    @property
    def body_tokens(self) -> Tokens:
        if self._body is None:
            self._body = Tokens.of(self.body)
        return self._body


def _hits(toks: Tokens, leaves: Sequence[Leaf], stemmer: Stemmer,
          window: int | None = None) -> list[tuple[int, int]]:
    """Character spans where a leaf matches (a phrase spans all its words).

    With ``window``, stops once past ``window`` characters after the first hit.
    """
    spans, tokens, vocab = toks.spans, toks.tokens, toks.vocab
    if not spans:
        return []
    # Tokens that start a hit; phrases and stem phrases are verified at each candidate.
    single = {leaf.token for leaf in leaves if isinstance(leaf, Word)} & vocab
    prefixes = tuple(leaf.prefix for leaf in leaves if isinstance(leaf, Prefix))
    if prefixes:
        single |= {t for t in vocab if t.startswith(prefixes)}
    sequences: list[tuple[tuple[str, ...], bool]] = [
        (leaf.tokens, False) for leaf in leaves
        if isinstance(leaf, Phrase) and vocab.issuperset(leaf.tokens)
    ]
    stems: dict[str, str] = {}
    stem_leaves = [leaf for leaf in leaves if isinstance(leaf, Stem)]
    if stem_leaves:
        stems = stemmer(vocab)
        present = set(stems.values())
        for leaf in stem_leaves:
            table = stemmer(leaf.words)
            seq = tuple(table[w] for w in leaf.words)
            if len(seq) == 1:
                single |= {t for t in vocab if stems.get(t) == seq[0]}
            elif present.issuperset(seq):
                sequences.append((seq, True))
    starts = single | {seq[0] for seq, stemmed in sequences if not stemmed}
    stem_starts = {seq[0] for seq, stemmed in sequences if stemmed}
    if stem_starts:
        starts |= {t for t in vocab if stems.get(t) in stem_starts}
    if not starts:
        return []
    found: list[tuple[int, int]] = []
    stop: int | None = None
    first = min(tokens.index(t) for t in starts)  # C-speed search for the earliest candidate
    for i in range(first, len(tokens)):
        if tokens[i] not in starts:
            continue
        start = spans[i][1]
        if stop is not None and start > stop:
            break
        hit_end = spans[i][2] if tokens[i] in single else -1
        if hit_end < 0:
            for seq, stemmed in sequences:
                n = len(seq)
                window_tokens = tokens[i : i + n]
                if stemmed:
                    window_tokens = [stems.get(t, t) for t in window_tokens]
                if tuple(window_tokens) == seq:
                    hit_end = spans[i + n - 1][2]
                    break
        if hit_end >= 0:
            found.append((start, hit_end))
            if stop is None and window is not None:
                stop = start + window
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


def _with_lead(title: str, body: str) -> str:
    start, end = _window(body, 0)
    excerpt = body[start:end] + ("…" if end < len(body) else "")
    return f"{title} — {excerpt}" if excerpt else title


def make_snippet(
    node: Node,
    title: str | None,
    text: str | None,
    stemmer: Stemmer = stem_many,
    article: ArticleText | None = None,
) -> str:
    """The highlighted excerpt for an article matched by ``node``.

    Pass ``article`` (an :class:`ArticleText` of the same title and text) to reuse its tokens
    across several rules.
    """
    art = article or ArticleText.of(title, text)
    leaves = positive_leaves(node)
    if not leaves:
        return _with_lead(art.title, art.body)
    body = art.body
    body_hits = _hits(art.body_tokens, leaves, stemmer, window=SNIPPET_CHARS)
    if body_hits:
        start, end = _window(body, body_hits[0][0])
        excerpt = _mark(body, body_hits, start, end)
        return ("…" if start > 0 else "") + excerpt + ("…" if end < len(body) else "")
    title_hits = _hits(art.title_tokens, leaves, stemmer)
    return _with_lead(_mark(art.title, title_hits, 0, len(art.title)), body)
