"""The query language: tokenizer + parser to an AST, and its errors."""

from __future__ import annotations

import pytest

from query.parser import (
    And,
    Not,
    Or,
    Phrase,
    Prefix,
    QueryError,
    Stem,
    Word,
    alias_node,
    parse_query,
    positive_leaves,
    to_text,
)


def canon(query: str) -> str:
    return to_text(parse_query(query))


def test_words_are_folded_and_juxtaposition_is_and() -> None:
    assert parse_query("Banjir") == Word("banjir")
    assert parse_query("banjir Jakarta") == And((Word("banjir"), Word("jakarta")))
    assert parse_query("Pemilu Café") == And((Word("pemilu"), Word("cafe")))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("a OR b AND c", "(a OR (b AND c))"),
        ("a b OR c", "((a AND b) OR c)"),
        ("a (b OR c)", "(a AND (b OR c))"),
        ("NOT a b", "(NOT a AND b)"),
        ("a NOT b", "(a AND NOT b)"),
        ("NOT (a OR b)", "NOT (a OR b)"),
        ("NOT NOT a", "NOT NOT a"),
        ("a AND b AND c OR d OR e", "((a AND b AND c) OR d OR e)"),
        ("banjir AND (Jakarta OR Bekasi) NOT simulasi",
         "(banjir AND (jakarta OR bekasi) AND NOT simulasi)"),
    ],
)
def test_precedence(query: str, expected: str) -> None:
    assert canon(query) == expected


def test_lower_case_operators_are_words() -> None:
    assert parse_query("banjir or longsor") == And(
        (Word("banjir"), Word("or"), Word("longsor"))
    )


def test_phrases() -> None:
    assert parse_query('"Banjir Bandang"') == Phrase(("banjir", "bandang"))
    # One quoted word is just a word; punctuation inside a word makes a phrase of its parts.
    assert parse_query('"banjir"') == Word("banjir")
    assert parse_query("Nagorno-Karabakh") == Phrase(("nagorno", "karabakh"))
    assert parse_query('"AND" OR "NOT"') == Or((Word("and"), Word("not")))


def test_prefix_stem_and_alias() -> None:
    assert parse_query("jakarta*") == Prefix("jakarta")
    assert parse_query("~banjir") == Stem(("banjir",))
    assert parse_query('~"Banjir Bandang"') == Stem(("banjir", "bandang"))
    aliases = {"jokowi": alias_node("jokowi", ["Jokowi", "Joko Widodo"])}
    assert parse_query("@Jokowi IKN", aliases) == And(
        (Or((Word("jokowi"), Phrase(("joko", "widodo")))), Word("ikn"))
    )


def test_positive_leaves_skip_negated_terms() -> None:
    node = parse_query("banjir NOT (simulasi OR latihan) NOT NOT Bekasi")
    assert positive_leaves(node) == [Word("banjir"), Word("bekasi")]
    assert isinstance(node, And) and isinstance(node.children[1], Not)


@pytest.mark.parametrize(
    ("query", "column", "fragment"),
    [
        ("", 1, "empty"),
        ("   ", 1, "empty"),
        ("banjir AND", 11, "found the end of the query"),
        ("AND banjir", 1, "found AND"),
        ("banjir OR OR longsor", 11, "found OR"),
        ("(banjir OR longsor", 1, "unbalanced parenthesis at 1 (this '(' is never closed)"),
        ("banjir (Jakarta OR (Bekasi)", 8, "unbalanced parenthesis at 8"),
        ("banjir)", 7, "unbalanced parenthesis at 7 (no '(' before this ')')"),
        ("banjir ()", 8, "empty parentheses"),
        ('banjir "bandang', 8, "unterminated"),
        ("ban*jir", 4, "only allowed at the end"),
        ("jakarta utara*", None, None),
        ("~", 1, "'~' must be followed"),
        ("~jakarta*", 1, "cannot be combined"),
        ("@jokowi", 1, "unknown alias '@jokowi'"),
        ("banjir - longsor", 8, "'-' must be followed by a word"),
        ("banjir -", 8, "'-' must be followed by a word"),
        ("banjir -?!", 9, "no letters or digits"),
        ('"Nagorno-Karabakh"*', 19, "not a quoted phrase"),
    ],
)
def test_errors_name_the_column(query: str, column: int | None, fragment: str | None) -> None:
    if column is None:
        parse_query(query)  # valid: parses without error
        return
    with pytest.raises(QueryError) as info:
        parse_query(query)
    assert info.value.column == column
    assert fragment in str(info.value)
    assert f" at {column}" in str(info.value)


def test_prefix_must_be_one_word() -> None:
    with pytest.raises(QueryError, match="single word"):
        parse_query("e-KTP*")


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("banjir -Bekasi", "(banjir AND NOT bekasi)"),
        ('banjir -"Jawa Barat"', '(banjir AND NOT "jawa barat")'),
        ("banjir -(Bekasi OR Bogor)", "(banjir AND NOT (bekasi OR bogor))"),
        ("-Bekasi banjir", "(NOT bekasi AND banjir)"),
        ("Nagorno-Karabakh", '"nagorno karabakh"'),  # a hyphen inside a word is no NOT
        ("banjir OR gempa -Bekasi", "(banjir OR (gempa AND NOT bekasi))"),
    ],
)
def test_minus_excludes_like_not(query: str, text: str) -> None:
    assert to_text(parse_query(query)) == text
