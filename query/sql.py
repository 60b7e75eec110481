"""A query AST as a SQL predicate over ``articles``, exact and answered from the full-text index.

The predicate means what the in-memory matcher (:mod:`query.matcher`) means, article for
article: a word is a whole word (case- and accent-insensitive), a phrase its words next to each
other in the title or in the text, ``jakarta*`` a word starting with "jakarta", ``~banjir`` any
word with banjir's Indonesian stem. The full-text index (:mod:`warehouse.fts`: the words of
every article, and the stem of every indexed word) answers words, prefixes and stems by
lookups. Phrases need word positions, which the index does not keep: the index gives the
articles holding all of a phrase's words, and a regular expression over the title and text of
those candidates only (:meth:`SqlPredicate.ids_query`) confirms the phrase; a phrase of stems
(``~"banjir bandang"``) is confirmed by a SQL function running the in-memory matcher
(registered on the connection by :meth:`SqlPredicate.prepare`).

Without the index (a warehouse never loaded, or indexed by an older pantau) every leaf is
checked on the text itself: the same answers, more slowly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb

from query.matcher import Document, Stemmer
from query.parser import And, Node, Not, Or, Phrase, Prefix, Stem, Word, positive_leaves
from query.stem import stem_many

INDEX_SCHEMA = "fts_main_articles"
STEM_PHRASE_FUNCTION = "pantau_has_stem_phrase"

_NOT_WORD = r"[^\pL\pN]"  # RE2: anything but a letter or digit (what splits tokens)


@dataclass(frozen=True)
class SqlPredicate:
    """A query as SQL over the ``articles`` row alias it was compiled for.

    ``sql`` / ``params``: the whole predicate (``narrow AND exact``), usable in any WHERE.
    ``narrow_sql`` / ``narrow_params``: index lookups only, cheap, true for every match (and a
    few more articles). ``exact_sql`` / ``exact_params``: the exact check, costly (regular
    expressions over the text), meant for the narrowed candidates: :meth:`ids_query` runs it
    on them only. ``rank_terms`` and ``rank_stems`` are the query's positive words and stems,
    whose index entries rank a match (BM25).
    Parameters are positional (``?``), in the order of their SQL.
    """

    narrow_sql: str
    narrow_params: list[object]
    exact_sql: str
    exact_params: list[object]
    row: str = "a"
    rank_terms: list[str] = field(default_factory=list)  # indexed words that rank a match
    rank_stems: list[str] = field(default_factory=list)  # ... and stems (all their words)
    needs_function: bool = False

    @property
    def sql(self) -> str:
        return f"({self.narrow_sql} AND {self.exact_sql})"

    @property
    def params(self) -> list[object]:
        return [*self.narrow_params, *self.exact_params]

    def ids_query(
        self, filters: list[str] | None = None, filter_params: list[object] | None = None
    ) -> tuple[str, list[object]]:
        """``SELECT id`` of the matching articles (also meeting ``filters``, SQL conditions on
        ``articles``), the exact check running on the index's candidates only."""
        where = " AND ".join([self.narrow_sql, *(filters or [])])
        sql = (f"WITH pantau_candidates AS MATERIALIZED (SELECT * FROM articles {self.row} "
               f"WHERE {where}) SELECT {self.row}.id FROM pantau_candidates {self.row} "
               f"WHERE {self.exact_sql}")
        return sql, [*self.narrow_params, *(filter_params or []), *self.exact_params]

    def prepare(self, con: duckdb.DuckDBPyConnection) -> None:
        """Register the SQL function the predicate calls, if any, on ``con``."""
        if self.needs_function:
            register_functions(con)


def _has_stem_phrase(title: str, text: str, stems: list[str]) -> bool:
    return Document.from_article(title, text).has_stem_phrase(stems)


def register_functions(con: duckdb.DuckDBPyConnection) -> None:
    """Make ``pantau_has_stem_phrase(title, text, stems)`` known to ``con`` (idempotent)."""
    row = con.execute(
        "SELECT count(*) FROM duckdb_functions() WHERE function_name = ?", [STEM_PHRASE_FUNCTION]
    ).fetchone()
    if row and row[0]:
        return
    con.create_function(
        STEM_PHRASE_FUNCTION, _has_stem_phrase,
        ["VARCHAR", "VARCHAR", "VARCHAR[]"], "BOOLEAN",  # type: ignore[list-item, arg-type]
        side_effects=False,
    )


def _words_regex(tokens: Iterable[str], prefix: bool = False) -> str:
    body = f"{_NOT_WORD}+".join(re.escape(t) for t in tokens)
    return f"(?:^|{_NOT_WORD}){body}" + ("" if prefix else f"(?:{_NOT_WORD}|$)")


class _Compiler:
    """Two passes over the AST: ``narrow`` (index lookups, a superset of the matches) and
    ``exact`` (the meaning itself, as the in-memory matcher has it)."""

    def __init__(self, row: str, indexed: bool, stemmer: Stemmer) -> None:
        self.row = row
        self.indexed = indexed
        self.stemmer = stemmer
        self.params: list[object] = []
        self.needs_function = False
        self.title = f"coalesce({row}.title, '')"
        self.text = f"coalesce({row}.text, '')"

    def in_index(self, terms: Iterable[str] = (), stems: Iterable[str] = (),
                 prefix: str | None = None) -> str:
        """The row's article has every one of ``terms`` (indexed words), a word of each of
        ``stems``, or a word starting with ``prefix``, in the index. Integer ids throughout
        (postings by word id and docid), then one mapping of docids to article ids."""
        ix = INDEX_SCHEMA
        postings_of = (f"SELECT docid FROM {ix}.postings "
                       f"WHERE termid IN (SELECT termid FROM {ix}.dict")
        if prefix is not None:
            self.params.append(prefix)
            docids = f"{postings_of} WHERE starts_with(term, ?))"
        elif stems:
            roots = sorted(set(stems))
            self.params.append(roots)
            docids = f"{postings_of} WHERE list_contains(?, stem))"
            if len(roots) > 1:
                docids = (f"SELECT p.docid FROM {ix}.postings p JOIN {ix}.dict w USING (termid) "
                          f"WHERE list_contains(?, w.stem) GROUP BY p.docid "
                          f"HAVING count(DISTINCT w.stem) = {len(roots)}")
        else:
            words = sorted(set(terms))
            self.params.append(words)
            docids = f"{postings_of} WHERE list_contains(?, term))"
            if len(words) > 1:  # one posting per (word, article), one dict entry per word
                docids += f" GROUP BY docid HAVING count(*) = {len(words)}"
        return f"{self.row}.id IN (SELECT name FROM {ix}.docs WHERE docid IN ({docids}))"

    def folded_match(self, column: str, pattern: str) -> str:
        """``pattern`` (folded words) found in ``column`` folded: lower case, accents stripped.
        ASCII text (nearly all) is matched case-insensitively as it is, skipping the costly
        folding."""
        self.params += ["(?i)" + pattern, pattern]
        return (f"(CASE WHEN strlen({column}) = length({column}) "
                f"THEN regexp_matches({column}, ?) "
                f"ELSE regexp_matches(strip_accents(lower({column})), ?) END)")

    def regex(self, pattern: str) -> str:
        return (f"({self.folded_match(self.title, pattern)} OR "
                f"{self.folded_match(self.text, pattern)})")

    def stem_phrase(self, stems: tuple[str, ...]) -> str:
        self.needs_function = True
        self.params.append(list(stems))
        return (f"{STEM_PHRASE_FUNCTION}(coalesce({self.row}.title, ''), "
                f"coalesce({self.row}.text, ''), ?)")

    def stems_of(self, words: Iterable[str]) -> list[str]:
        table = self.stemmer(list(words))
        return [table[w] for w in words]

    def narrow(self, node: Node) -> str | None:
        """Index lookups true for every article ``node`` matches; None: no narrowing."""
        if not self.indexed or isinstance(node, Not):
            return None
        if isinstance(node, Word):
            return self.in_index(terms=[node.token])
        if isinstance(node, Phrase):
            return self.in_index(terms=node.tokens)
        if isinstance(node, Prefix):
            return self.in_index(prefix=node.prefix)
        if isinstance(node, Stem):
            return self.in_index(stems=self.stems_of(node.words))
        assert isinstance(node, And | Or)
        if isinstance(node, Or):
            mark = len(self.params)
            parts = []
            for child in node.children:
                part = self.narrow(child)
                if part is None:  # one branch unknown: the whole OR is
                    del self.params[mark:]
                    return None
                parts.append(part)
            return "(" + " OR ".join(parts) + ")"
        # the AND's words in one lookup (articles holding all of them), the rest one by one
        words = [c.token for c in node.children if isinstance(c, Word)]
        known = [self.in_index(terms=words)] if len(words) > 1 else []
        rest = [c for c in node.children if not (len(words) > 1 and isinstance(c, Word))]
        known += [p for p in (self.narrow(c) for c in rest) if p is not None]
        return "(" + " AND ".join(known) + ")" if known else None

    def answered_by_index(self, node: Node) -> bool:
        """Whether :meth:`narrow` is already the exact meaning (words, prefixes, single stems,
        and AND/OR of them): then the exact check adds nothing."""
        if isinstance(node, Word | Prefix):
            return True
        if isinstance(node, Stem):
            return len(node.words) == 1
        if isinstance(node, And | Or):
            return all(self.answered_by_index(c) for c in node.children)
        return False

    def exact(self, node: Node) -> str:
        if isinstance(node, Word):
            if self.indexed:
                return self.in_index(terms=[node.token])  # the index holds the words
            return self.regex(_words_regex([node.token]))
        if isinstance(node, Phrase):
            return self.regex(_words_regex(node.tokens))
        if isinstance(node, Prefix):
            if self.indexed:
                return self.in_index(prefix=node.prefix)
            return self.regex(_words_regex([node.prefix], prefix=True))
        if isinstance(node, Stem):
            stems = tuple(self.stems_of(node.words))
            if self.indexed and len(stems) == 1:
                return self.in_index(stems=stems)  # ... and the stem of every word
            return self.stem_phrase(stems)
        if isinstance(node, Not):
            return f"(NOT {self.exact(node.child)})"
        joiner = " AND " if isinstance(node, And) else " OR "
        assert isinstance(node, And | Or)
        return "(" + joiner.join(self.exact(c) for c in node.children) + ")"


def ranking_terms(node: Node, stemmer: Stemmer = stem_many) -> tuple[list[str], list[str]]:
    """(words, stems) whose index entries rank a match (BM25): the query's positive words
    (phrases: each of their words) and stems."""
    words: set[str] = set()
    stem_words: list[str] = []
    for leaf in positive_leaves(node):
        if isinstance(leaf, Word):
            words.add(leaf.token)
        elif isinstance(leaf, Phrase):
            words.update(leaf.tokens)
        elif isinstance(leaf, Stem):
            stem_words.extend(leaf.words)
    table = stemmer(stem_words)
    return sorted(words), sorted({table[w] for w in stem_words})


def compile_sql(
    node: Node, row: str = "a", *, indexed: bool = True, stemmer: Stemmer = stem_many
) -> SqlPredicate:
    """The SQL predicate for ``node`` over ``articles AS <row>`` (``indexed``: the full-text index
    ``fts_main_articles`` exists and covers the articles)."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", row):
        raise ValueError(f"row alias {row!r} must be a SQL identifier")
    compiler = _Compiler(row, indexed, stemmer)
    narrow = compiler.narrow(node) or "true"
    narrow_params, compiler.params = compiler.params, []
    exact = "true" if indexed and compiler.answered_by_index(node) else compiler.exact(node)
    words, stems = ranking_terms(node, stemmer)
    return SqlPredicate(narrow, narrow_params, exact, compiler.params, row, words, stems,
                        compiler.needs_function)
