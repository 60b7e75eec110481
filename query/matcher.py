"""Matching parsed queries against articles, many rules at once.

An article is tokenised once into a :class:`Document` (token sequence + token set; the sorted
vocabulary and the stems are built lazily, only when a rule needs them). A query compiles to a
predicate over documents. :class:`RuleIndex` adds an inverted index from each rule's "anchors"
to the rule, so an article is only evaluated against rules that could match it. The anchors of a
query are terms of which every matching article contains at least one: a word is its own anchor,
a phrase its longest word, ``A OR B`` the anchors of both, ``A AND B`` those of the more selective
side. Queries without anchors (``NOT x``) are evaluated for every article.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from query.parser import And, Leaf, Node, Not, Or, Phrase, Prefix, Stem, Word
from query.stem import stem_many
from query.text import tokenize

# Separates title from text so that a phrase never spans the two (queries cannot produce it).
_BOUNDARY = "\x00"

Stemmer = Callable[[Iterable[str]], dict[str, str]]


def article_tokens(title: str | None, text: str | None) -> list[str]:
    """Tokens of title and text, with a boundary between them that no phrase crosses."""
    tokens = tokenize(title or "")
    tokens.append(_BOUNDARY)
    tokens.extend(tokenize(text or ""))
    return tokens


class Document:
    """One article's tokens, with lazily built lookup structures."""

    __slots__ = ("tokens", "token_set", "_vocab", "_stems", "_stem_seq", "_stem_set",
                 "_stemmer")

    def __init__(self, tokens: list[str], stemmer: Stemmer = stem_many) -> None:
        self.tokens = tokens
        self.token_set = frozenset(tokens)
        self._vocab: list[str] | None = None
        self._stems: dict[str, str] | None = None
        self._stem_seq: list[str] | None = None
        self._stem_set: frozenset[str] | None = None
        self._stemmer = stemmer

    @classmethod
    def from_article(cls, title: str | None, text: str | None,
                     stemmer: Stemmer = stem_many) -> Document:
        return cls(article_tokens(title, text), stemmer)

    def has_phrase(self, tokens: Sequence[str]) -> bool:
        if not self.token_set.issuperset(tokens):
            return False
        seq = self.tokens
        want = list(tokens)
        first, n = want[0], len(want)
        i = -1
        while True:
            try:
                i = seq.index(first, i + 1)  # C-speed scan to the next occurrence
            except ValueError:
                return False
            if seq[i : i + n] == want:
                return True

    def has_prefix(self, prefix: str) -> bool:
        if self._vocab is None:
            self._vocab = sorted(self.token_set)
        i = bisect_left(self._vocab, prefix)
        return i < len(self._vocab) and self._vocab[i].startswith(prefix)

    @property
    def stems(self) -> dict[str, str]:
        if self._stems is None:
            self._stems = self._stemmer(t for t in self.token_set if t != _BOUNDARY)
        return self._stems

    @property
    def stem_set(self) -> frozenset[str]:
        if self._stem_set is None:
            self._stem_set = frozenset(self.stems.values())
        return self._stem_set

    def has_stem_phrase(self, stems: Sequence[str]) -> bool:
        if len(stems) == 1:
            return stems[0] in self.stem_set
        if self._stem_seq is None:
            table = self.stems
            self._stem_seq = [table.get(t, t) for t in self.tokens]
        seq = self._stem_seq
        n = len(stems)
        want = list(stems)
        return any(seq[i : i + n] == want for i in range(len(seq) - n + 1) if seq[i] == stems[0])


Predicate = Callable[[Document], bool]


def query_stems(node: Node, stemmer: Stemmer = stem_many) -> dict[Stem, tuple[str, ...]]:
    """The stems of every ``~term`` of a query."""
    out: dict[Stem, tuple[str, ...]] = {}
    stack: list[Node] = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Stem):
            table = stemmer(n.words)
            out[n] = tuple(table[w] for w in n.words)
        elif isinstance(n, Not):
            stack.append(n.child)
        elif isinstance(n, And | Or):
            stack.extend(n.children)
    return out


def compile_query(node: Node, stemmer: Stemmer = stem_many) -> Predicate:
    """A predicate ``Document -> bool`` for the query ``node``."""
    stems = query_stems(node, stemmer)

    def build(n: Node) -> Predicate:
        if isinstance(n, Word):
            token = n.token
            return lambda d: token in d.token_set
        if isinstance(n, Phrase):
            tokens = n.tokens
            return lambda d: d.has_phrase(tokens)
        if isinstance(n, Prefix):
            prefix = n.prefix
            return lambda d: d.has_prefix(prefix)
        if isinstance(n, Stem):
            wanted = stems[n]
            if len(wanted) == 1:
                one = wanted[0]
                return lambda d: one in d.stem_set
            return lambda d: d.has_stem_phrase(wanted)
        if isinstance(n, Not):
            inner = build(n.child)
            return lambda d: not inner(d)
        # Plain words of an AND / OR are checked together with one set operation.
        words = frozenset(c.token for c in n.children if isinstance(c, Word))
        parts = [build(c) for c in n.children if not isinstance(c, Word)]
        if isinstance(n, And):
            if not parts:
                return lambda d: words <= d.token_set
            if not words and len(parts) == 2:
                a, b = parts
                return lambda d: a(d) and b(d)
            return lambda d: words <= d.token_set and all(p(d) for p in parts)
        if not parts:
            return lambda d: not words.isdisjoint(d.token_set)
        if not words and len(parts) == 2:
            a, b = parts
            return lambda d: a(d) or b(d)
        return lambda d: not words.isdisjoint(d.token_set) or any(p(d) for p in parts)

    return build(node)


Anchor = tuple[str, str]  # ("w", word) | ("p", prefix) | ("s", stem)


def anchors(node: Node, stems: dict[Stem, tuple[str, ...]]) -> frozenset[Anchor] | None:
    """Terms of which a matching article must contain at least one; None if there is no such
    set (the query must then be evaluated for every article)."""
    if isinstance(node, Word):
        return frozenset({("w", node.token)})
    if isinstance(node, Phrase):
        return frozenset({("w", max(node.tokens, key=len))})
    if isinstance(node, Prefix):
        return frozenset({("p", node.prefix)})
    if isinstance(node, Stem):
        return frozenset({("s", max(stems[node], key=len))})
    if isinstance(node, Not):
        return None
    parts = [anchors(c, stems) for c in node.children]
    if isinstance(node, Or):
        if any(p is None for p in parts):
            return None
        return frozenset().union(*(p for p in parts if p is not None))
    # AND: any one child's anchors will do; take the most selective (fewest, then longest).
    known = [p for p in parts if p is not None]
    if not known:
        return None
    return min(known, key=lambda p: (len(p), -min(len(t) for _, t in p)))


def leaf_matches(leaf: Leaf, doc: Document, stems: dict[Stem, tuple[str, ...]]) -> bool:
    """Whether one leaf is present in ``doc``."""
    if isinstance(leaf, Word):
        return leaf.token in doc.token_set
    if isinstance(leaf, Phrase):
        return doc.has_phrase(leaf.tokens)
    if isinstance(leaf, Prefix):
        return doc.has_prefix(leaf.prefix)
    return doc.has_stem_phrase(stems[leaf])


def matches_empty(node: Node, stemmer: Stemmer = stem_many) -> bool:
    """Whether the query matches an article with no words at all (e.g. ``NOT simulasi``)."""
    return compile_query(node, stemmer)(Document([], stemmer))


K = TypeVar("K", bound=Hashable)


@dataclass
class _Entry(Generic[K]):
    key: K
    predicate: Predicate


class RuleIndex(Generic[K]):
    """Many compiled queries with an inverted index over their positive terms.

    ``add(key, node)`` registers a query; ``match(doc)`` returns the keys whose query matches.
    """

    def __init__(self, stemmer: Stemmer = stem_many) -> None:
        self._stemmer = stemmer
        self._entries: list[_Entry[K]] = []
        self._by_word: dict[str, set[int]] = {}
        self._by_prefix: dict[str, set[int]] = {}
        self._prefix_lengths: set[int] = set()
        self._by_stem: dict[str, set[int]] = {}
        self._always: set[int] = set()
        self.needs_stems = False

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, key: K, node: Node) -> None:
        idx = len(self._entries)
        self._entries.append(_Entry(key, compile_query(node, self._stemmer)))
        if matches_empty(node, self._stemmer):
            self._always.add(idx)
        found = anchors(node, query_stems(node, self._stemmer))
        if found is None:
            self._always.add(idx)
            return
        for kind, term in found:
            if kind == "w":
                self._by_word.setdefault(term, set()).add(idx)
            elif kind == "p":
                self._by_prefix.setdefault(term, set()).add(idx)
                self._prefix_lengths.add(len(term))
            else:
                self._by_stem.setdefault(term, set()).add(idx)
                self.needs_stems = True

    def prepare(self, token_lists: Iterable[list[str]]) -> None:
        """Stem a batch of articles' words in one go (when rules use ``~``): faster than
        letting each document ask the stemmer for its own unknown words."""
        if self.needs_stems:
            self._stemmer({t for tokens in token_lists for t in tokens if t != _BOUNDARY})

    def candidates(self, doc: Document) -> set[int]:
        """Indexes of the queries that could match ``doc`` (a superset of the matches)."""
        found = set(self._always)
        tokens = doc.token_set
        by_word = self._by_word
        hits = tokens & by_word.keys()
        if hits:
            found.update(*[by_word[t] for t in hits])
        if self._by_prefix:
            by_prefix = self._by_prefix
            for n in self._prefix_lengths:
                heads = {t[:n] for t in tokens if len(t) >= n} & by_prefix.keys()
                if heads:
                    found.update(*[by_prefix[h] for h in heads])
        if self._by_stem:
            by_stem = self._by_stem
            stem_hits = doc.stem_set & by_stem.keys()
            if stem_hits:
                found.update(*[by_stem[s] for s in stem_hits])
        return found

    def match(self, doc: Document) -> list[K]:
        """Keys of the queries matching ``doc``, in the order they were added."""
        entries = self._entries
        return [entries[i].key for i in sorted(self.candidates(doc)) if entries[i].predicate(doc)]
