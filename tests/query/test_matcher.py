"""Matching queries against Indonesian text: words, phrases, prefixes, stems, the rule index."""

from __future__ import annotations

import random

import pytest

from query.matcher import Document, RuleIndex, compile_query, leaf_matches, query_stems
from query.parser import And, Not, Or, alias_node, parse_query
from query.snippet import make_snippet
from query.stem import stem_id
from query.text import fold, tokenize

TITLE = "Banjir Rendam Ratusan Rumah di Bekasi, Warga Mengungsi ke Masjid"
TEXT = (
    "Hujan deras sejak Senin malam membuat Kali Bekasi meluap. Sedikitnya 300 rumah di "
    "Perumahan Pondok Gede Permai kebanjiran hingga setinggi dada orang dewasa.\n\n"
    "Badan Penanggulangan Bencana Daerah (BPBD) Kota Bekasi mendirikan posko di masjid "
    "setempat. Air mulai surut pada Selasa siang, namun warga diminta tetap waspada karena "
    "prakiraan cuaca menunjukkan hujan lebat masih akan membanjiri kawasan Jabodetabek."
)


def matches(query: str, title: str = TITLE, text: str = TEXT, **aliases: list[str]) -> bool:
    nodes = {name: alias_node(name, entries) for name, entries in aliases.items()}
    return compile_query(parse_query(query, nodes))(Document.from_article(title, text))


def test_fold_and_tokenize() -> None:
    assert fold("KEBANJIRAN") == "kebanjiran"
    assert tokenize("Café Ibu Ani, SÉNAYAN—Jakarta") == ["cafe", "ibu", "ani", "senayan", "jakarta"]
    assert tokenize("anak-anak (5) di KM_50") == ["anak", "anak", "5", "di", "km", "50"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("banjir", True),
        ("BANJIR bekasi", True),
        ("banjir AND (Jakarta OR Bekasi)", True),
        ("banjir AND Jakarta", False),  # "Jabodetabek" is not "Jakarta": whole words only
        ("banjir NOT simulasi", True),
        ("banjir NOT Bekasi", False),
        ("bekas", False),  # no substring matches inside "Bekasi"
        ("bekas*", True),  # ...unless asked for
        ("jabo*", True),
        ('"pondok gede permai"', True),
        ('"gede pondok"', False),  # order matters
        ('"kali bekasi meluap"', True),
        ('"masjid setempat"', True),
        ('"mengungsi ke masjid"', True),  # in the title
        ('"masjid hujan"', False),  # last title word + first text word: no phrase across them
        ("kebanjiran", True),
        ("banjiri", False),
        ("~banjir", True),
        ("~membanjiri", True),
        ('~"air surut"', False),
        ('~"air mulai surut"', True),
        ("bpbd OR basarnas", True),
        ("longsor OR gempa", False),
        ("NOT longsor banjir", True),
        ("pérumahan", True),  # accent-insensitive in the query too
    ],
)
def test_matching(query: str, expected: bool) -> None:
    assert matches(query) is expected


def test_affixed_forms_share_the_stem_of_the_fulltext_search() -> None:
    assert {stem_id(w) for w in ["banjir", "kebanjiran", "membanjiri", "dibanjiri",
                                 "banjirnya", "Kebanjiran"]} == {"banjir"}
    assert stem_id("pemberantasan") != stem_id("banjir")
    # the stem matcher does not fall back to substrings
    assert not matches("~banjir", title="Banjarnegara", text="Hujan turun di Banjarnegara.")
    assert matches("~banjir", title="Warga kebanjiran", text="")


def test_aliases() -> None:
    text = "Presiden ketujuh Joko Widodo meninjau lokasi bersama Komisi Pemberantasan Korupsi."
    aliases = {"jokowi": ["Jokowi", "Joko Widodo"],
               "kpk": ["KPK", "Komisi Pemberantasan Korupsi"]}
    assert matches("@jokowi @kpk", title="", text=text, **aliases)
    assert matches("@jokowi", title="Jokowi datang", text="", **aliases)
    assert not matches("@jokowi", title="Widodo Joko", text="", **aliases)


def test_rule_index_agrees_with_evaluating_every_rule() -> None:
    vocab = ["banjir", "kebanjiran", "jakarta", "bekasi", "bogor", "gempa", "rusia", "armenia",
             "pemilu", "kpk", "bupati", "walikota", "wali", "simulasi", "longsor", "jalan"]
    rng = random.Random(7)
    queries = [
        "banjir", "banjir Jakarta", "banjir OR gempa", "~banjir NOT simulasi", "wali*",
        '"banjir jakarta"', "NOT banjir", "(kpk OR bupati) wali*", "rusia NOT armenia",
        "longsor OR (gempa AND bogor)", '~"banjir jakarta"', "NOT (jalan OR banjir)",
    ]
    index: RuleIndex[str] = RuleIndex()
    predicates = {}
    for q in queries:
        index.add(q, parse_query(q))
        predicates[q] = compile_query(parse_query(q))
    for _ in range(300):
        words = [rng.choice(vocab) for _ in range(rng.randint(0, 12))]
        doc = Document.from_article("", " ".join(words))
        assert index.match(doc) == [q for q in queries if predicates[q](doc)], words


def test_snippet_highlights_positive_terms_only() -> None:
    node = parse_query("~banjir AND Bekasi NOT simulasi")
    snippet = make_snippet(node, TITLE, TEXT)
    assert "**Bekasi**" in snippet and "**kebanjiran**" in snippet
    assert snippet.count("**") % 2 == 0
    assert len(snippet) < 300
    phrase = make_snippet(parse_query('"hujan lebat" jabo*'), TITLE, TEXT)
    assert "**hujan lebat**" in phrase and "**Jabodetabek**" in phrase
    assert phrase.startswith("…")


def test_snippet_when_only_the_title_matches() -> None:
    snippet = make_snippet(parse_query("mengungsi"), TITLE, TEXT)
    assert snippet.startswith("Banjir Rendam Ratusan Rumah di Bekasi, Warga **Mengungsi**")
    assert "Hujan deras" in snippet


def random_query(rng: random.Random, vocab: list[str], depth: int = 0) -> str:
    roll = rng.random()
    if depth >= 3 or roll < 0.35:
        word = rng.choice(vocab)
        kind = rng.random()
        if kind < 0.15:
            return f'"{word} {rng.choice(vocab)}"'
        if kind < 0.25:
            return word[:3] + "*"
        if kind < 0.35:
            return "~" + word
        return word
    if roll < 0.5:
        return "NOT " + random_query(rng, vocab, depth + 1)
    op = rng.choice([" AND ", " OR ", " "])
    parts = [random_query(rng, vocab, depth + 1) for _ in range(rng.randint(2, 3))]
    return "(" + op.join(parts) + ")"


def reference(node, doc: Document, stems: dict) -> bool:
    """Straightforward recursive evaluation, to check the optimised compiled predicates."""
    if isinstance(node, Not):
        return not reference(node.child, doc, stems)
    if isinstance(node, And):
        return all(reference(c, doc, stems) for c in node.children)
    if isinstance(node, Or):
        return any(reference(c, doc, stems) for c in node.children)
    return leaf_matches(node, doc, stems)


def test_rule_index_agrees_on_random_queries() -> None:
    vocab = ["banjir", "kebanjiran", "membanjiri", "jakarta", "bekasi", "gempa", "rusia",
             "pemilu", "kpk", "bupati", "walikota", "simulasi", "longsor", "jalan"]
    rng = random.Random(11)
    queries = list(dict.fromkeys(random_query(rng, vocab) for _ in range(150)))
    index: RuleIndex[str] = RuleIndex()
    predicates = {}
    nodes = {q: parse_query(q) for q in queries}
    stems = {q: query_stems(nodes[q]) for q in queries}
    for q in queries:
        index.add(q, nodes[q])
        predicates[q] = compile_query(nodes[q])
    for _ in range(300):
        words = [rng.choice(vocab) for _ in range(rng.randint(0, 10))]
        doc = Document.from_article(" ".join(words[:2]), " ".join(words[2:]))
        assert index.match(doc) == [q for q in queries if predicates[q](doc)], words
        assert [q for q in queries if predicates[q](doc)] == [
            q for q in queries if reference(nodes[q], doc, stems[q])], words


def test_snippet_offsets_with_accents() -> None:
    text = "Warga Pondok Labu kebanjíran lagi; Café Ibu Ani tutup sementara."
    snippet = make_snippet(parse_query("~banjir cafe"), "", text)
    assert "**kebanjíran**" in snippet and "**Café**" in snippet
