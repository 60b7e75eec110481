"""pantau's query language: a tokenizer and a recursive-descent parser to a small AST.

One language for ``pantau search``, alert rules, ``pantau alerts check`` and export filters; the
AST compiles to an in-memory matcher (:mod:`query.matcher`, alerts) and to a SQL predicate
over the full-text index (:mod:`query.sql`, search and export).

Syntax (operators are upper case; anything else is a search word)::

    banjir                  a word (case- and accent-insensitive, whole words only)
    "banjir bandang"        a phrase: these words next to each other, in this order
    jakarta*                a prefix: any word starting with "jakarta" (jakartanews, …)
    ~banjir                 the word or any affixed form with the same stem
                            (kebanjiran, membanjiri, dibanjiri); also ~"banjir bandang"
    @jokowi                 an alias defined once in the rules file ("Jokowi" OR "Joko Widodo")
    a AND b   a b           both (juxtaposition means AND)
    a OR b                  either
    NOT a     a NOT b       without
    -a        a -b          without (as in web search engines): -Bekasi, -"Jawa Barat", -(a OR b)
    ( … )                   grouping

Precedence, tightest first: NOT, AND (also implicit), OR. So ``banjir Jakarta OR Bekasi`` is
``(banjir AND Jakarta) OR Bekasi``; write ``banjir (Jakarta OR Bekasi)`` for the other reading.

Errors are :class:`QueryError` with the 1-based column of the problem; its text reads
``unbalanced parenthesis at 14 (this '(' is never closed)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from query.text import tokenize


class QueryError(ValueError):
    """A query that cannot be parsed; ``column`` is 1-based, ``hint`` says what to fix."""

    def __init__(self, message: str, column: int, hint: str = "") -> None:
        super().__init__(f"{message} at {column}" + (f" ({hint})" if hint else ""))
        self.message = message
        self.column = column
        self.hint = hint


# ---------------------------------------------------------------------------------------------
# AST


@dataclass(frozen=True)
class Word:
    token: str


@dataclass(frozen=True)
class Phrase:
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class Prefix:
    prefix: str


@dataclass(frozen=True)
class Stem:
    """One or more words matched by their stems; several words form a phrase of stems."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Leaf = Word | Phrase | Prefix | Stem
Node = Word | Phrase | Prefix | Stem | And | Or | Not


def to_text(node: Node) -> str:
    """A canonical, fully parenthesised rendering (for tests, logs and fingerprints)."""
    if isinstance(node, Word):
        return node.token
    if isinstance(node, Phrase):
        return '"' + " ".join(node.tokens) + '"'
    if isinstance(node, Prefix):
        return node.prefix + "*"
    if isinstance(node, Stem):
        inner = " ".join(node.words)
        return "~" + (f'"{inner}"' if len(node.words) > 1 else inner)
    if isinstance(node, Not):
        return f"NOT {to_text(node.child)}"
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(to_text(c) for c in node.children) + ")"


def positive_leaves(node: Node, negated: bool = False) -> list[Leaf]:
    """Leaves not under an odd number of NOTs: the terms whose presence makes a match."""
    if isinstance(node, Not):
        return positive_leaves(node.child, not negated)
    if isinstance(node, And | Or):
        return [leaf for child in node.children for leaf in positive_leaves(child, negated)]
    return [] if negated else [node]


# ---------------------------------------------------------------------------------------------
# Tokenizer

_OPERATORS = {"AND", "OR", "NOT"}
_SPECIAL = set('()"')


@dataclass(frozen=True)
class _Tok:
    kind: str  # "(" ")" AND OR NOT TERM END
    column: int
    text: str = ""
    quoted: bool = False
    stem: bool = False
    alias: bool = False


def _lex(query: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        col = i + 1
        if ch.isspace():
            i += 1
            continue
        if ch in "()":
            toks.append(_Tok(ch, col))
            i += 1
            continue
        if ch == "-":
            if i + 1 >= n or query[i + 1].isspace() or query[i + 1] == ")":
                raise QueryError("'-' must be followed by a word, a \"phrase\" or '('", col,
                                 "write -Bekasi to leave out articles with Bekasi")
            toks.append(_Tok("NOT", col))
            i += 1
            continue
        stem = alias = False
        if ch == "~":
            stem = True
            i += 1
            if i >= n or query[i].isspace() or query[i] in "()":
                raise QueryError("'~' must be followed by a word or a quoted phrase", col)
        elif ch == "@":
            alias = True
            i += 1
        if i < n and query[i] == '"':
            if alias:
                raise QueryError("an alias name cannot be quoted", col, "write @name")
            end = query.find('"', i + 1)
            if end < 0:
                raise QueryError("unterminated quoted phrase", i + 1, "add the closing '\"'")
            if end + 1 < n and query[end + 1] == "*":
                raise QueryError("a '*' prefix works on a single word, not a quoted phrase",
                                 end + 2)
            toks.append(_Tok("TERM", col, query[i + 1 : end], quoted=True, stem=stem))
            i = end + 1
            continue
        start = i
        while i < n and not query[i].isspace() and query[i] not in _SPECIAL:
            i += 1
        text = query[start:i]
        if i < n and query[i] == '"' and text:
            raise QueryError("a quote must start a phrase", i + 1, "put a space before '\"'")
        if not stem and not alias and text in _OPERATORS:
            toks.append(_Tok(text, col))
        else:
            toks.append(_Tok("TERM", col, text, stem=stem, alias=alias))
    toks.append(_Tok("END", n + 1))
    return toks


# ---------------------------------------------------------------------------------------------
# Parser


class _Parser:
    def __init__(self, query: str, aliases: Mapping[str, Node]) -> None:
        self.toks = _lex(query)
        self.pos = 0
        self.aliases = aliases

    @property
    def tok(self) -> _Tok:
        return self.toks[self.pos]

    def parse(self) -> Node:
        if self.tok.kind == "END":
            raise QueryError("the query is empty", 1, "write at least one word")
        node = self.or_expr()
        if self.tok.kind == ")":
            raise QueryError("unbalanced parenthesis", self.tok.column,
                             "no '(' before this ')'")
        if self.tok.kind != "END":  # pragma: no cover - or_expr consumes everything else
            raise QueryError(f"unexpected {self._describe(self.tok)}", self.tok.column)
        return node

    def or_expr(self) -> Node:
        children = [self.and_expr()]
        while self.tok.kind == "OR":
            self.pos += 1
            children.append(self.and_expr())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_expr(self) -> Node:
        children = [self.unary()]
        while True:
            if self.tok.kind == "AND":
                self.pos += 1
                children.append(self.unary())
            elif self.tok.kind in ("TERM", "(", "NOT"):
                children.append(self.unary())
            else:
                break
        return children[0] if len(children) == 1 else And(tuple(children))

    def unary(self) -> Node:
        if self.tok.kind == "NOT":
            self.pos += 1
            return Not(self.unary())
        return self.primary()

    def primary(self) -> Node:
        tok = self.tok
        if tok.kind == "(":
            self.pos += 1
            if self.tok.kind == ")":
                raise QueryError("empty parentheses", tok.column, "put a word inside")
            if self.tok.kind == "END":
                raise QueryError("unbalanced parenthesis", tok.column, "this '(' is never closed")
            node = self.or_expr()
            if self.tok.kind != ")":
                if self.tok.kind == "END":
                    raise QueryError("unbalanced parenthesis", tok.column,
                                     "this '(' is never closed")
                raise QueryError(  # pragma: no cover - or_expr consumes all but ')' and END
                    f"unexpected {self._describe(self.tok)}", self.tok.column)
            self.pos += 1
            return node
        if tok.kind == "TERM":
            self.pos += 1
            return self.term(tok)
        raise QueryError(
            f"expected a word, a \"phrase\" or '(' but found {self._describe(tok)}", tok.column
        )

    def term(self, tok: _Tok) -> Node:
        if tok.alias:
            name = tok.text.lower()
            if not name:
                raise QueryError("'@' must be followed by an alias name", tok.column)
            if name not in self.aliases:
                known = ", ".join("@" + a for a in sorted(self.aliases)) or "none defined"
                raise QueryError(f"unknown alias '@{tok.text}'", tok.column, f"known: {known}")
            return self.aliases[name]
        text = tok.text
        prefix = False
        if not tok.quoted and text.endswith("*"):
            prefix = True
            text = text[:-1]
        if not tok.quoted and "*" in text:
            raise QueryError("'*' is only allowed at the end of a word (prefix search)",
                             tok.column + tok.text.index("*") + (1 if tok.stem else 0))
        tokens = tuple(tokenize(text))
        if not tokens:
            what = "the phrase" if tok.quoted else f"'{tok.text}'"
            raise QueryError(f"{what} has no letters or digits to search for", tok.column)
        if prefix:
            if tok.stem:
                raise QueryError("'~' and a '*' prefix cannot be combined", tok.column)
            if len(tokens) > 1:
                raise QueryError(f"a prefix must be a single word, not '{tok.text}'", tok.column)
            return Prefix(tokens[0])
        if tok.stem:
            return Stem(tokens)
        return Word(tokens[0]) if len(tokens) == 1 else Phrase(tokens)

    @staticmethod
    def _describe(tok: _Tok) -> str:
        if tok.kind == "END":
            return "the end of the query"
        if tok.kind in _OPERATORS:
            return tok.kind
        return f"'{tok.kind}'"


def parse_query(query: str, aliases: Mapping[str, Node] | None = None) -> Node:
    """Parse ``query`` into an AST; ``aliases`` maps lower-case alias names to their AST."""
    if not isinstance(query, str):
        raise QueryError("the query must be a string", 1)
    return _Parser(query, aliases or {}).parse()


def alias_node(name: str, entries: list[str]) -> Node:
    """The AST of an alias: its entries OR'ed; each entry is a name or phrase, ``word*`` a prefix.

    Raises :class:`QueryError` (the column is within the entry) for entries without letters.
    """
    nodes: list[Node] = []
    for entry in entries:
        text = entry.strip()
        is_prefix = text.endswith("*") and " " not in text
        tokens = tuple(tokenize(text))
        if not tokens:
            raise QueryError(f"alias '{name}': entry {entry!r} has no letters or digits", 1)
        if is_prefix and len(tokens) == 1:
            nodes.append(Prefix(tokens[0]))
        elif len(tokens) == 1:
            nodes.append(Word(tokens[0]))
        else:
            nodes.append(Phrase(tokens))
    if not nodes:
        raise QueryError(f"alias '{name}' has no entries", 1)
    return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))
