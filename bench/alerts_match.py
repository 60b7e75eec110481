"""Benchmark: matching 500 alert rules against 10,000 articles, pantau vs a naive regex scan.

Both run in the same process on the same synthetic Indonesian-like corpus and rules and must find
exactly the same (rule, article) matches. The baseline is what one writes first: for each rule,
compile one case-insensitive word-boundary regex per term and scan every article with it,
evaluating AND / OR / NOT with short-circuiting. pantau tokenises each article once and only
evaluates the rules whose terms occur in it (an inverted index over the rules' positive terms).

Rules use words, phrases, prefixes and AND / OR / NOT; ``~stem`` terms are left out of the
comparison because a regex cannot express them (pantau's time with stems is printed separately).

    python bench/alerts_match.py [--rules 500] [--articles 10000] [--seed 7] [--warehouse]
                                 [--naive-rules N]

``--warehouse`` also times ``run_alerts`` end to end on an in-memory DuckDB warehouse (read,
match, record, deliver to a JSONL outbox in a temp folder).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from query.matcher import Document, RuleIndex, article_tokens  # noqa: E402
from query.parser import And, Node, Not, Or, Phrase, Prefix, Stem, Word, parse_query  # noqa: E402

COMMON = """yang dan di ke dari untuk dengan pada ini itu dalam tidak akan juga sudah telah
oleh karena bahwa masih bisa ada lebih para saat kata menurut setelah sejak hingga namun serta
warga pemerintah kota kabupaten provinsi daerah pusat negara presiden menteri gubernur bupati
wali polisi petugas tim badan dinas kantor rumah jalan sekolah pasar harga minyak beras listrik
air hujan banjir longsor gempa kebakaran kecelakaan korban luka tewas hilang evakuasi bantuan
posko pengungsi jembatan tanggul sungai kali laut pantai gunung erupsi abu cuaca angin
pemilu pilkada partai calon suara kampanye debat survei koalisi dprd dpr mpr kpu bawaslu
korupsi suap kpk kejaksaan pengadilan hakim jaksa tersangka terdakwa vonis penjara sidang
ekonomi inflasi rupiah dolar saham bank pajak anggaran investasi ekspor impor utang pertumbuhan
perang pasukan militer serangan rudal drone gencatan senjata diplomasi perundingan sanksi
rusia ukraina amerika china turki iran israel palestina gaza armenia azerbaijan nagorno karabakh
jakarta bekasi bogor depok tangerang bandung surabaya medan makassar semarang yogyakarta
denpasar palembang pekanbaru balikpapan samarinda pontianak manado ambon jayapura kupang
senin selasa rabu kamis jumat sabtu minggu pagi siang sore malam tahun bulan pekan hari
menyatakan mengatakan menjelaskan menegaskan mengungkapkan meminta menambahkan melaporkan
besar kecil baru lama tinggi rendah banyak sedikit cepat lambat penting utama resmi""".split()  # noqa: SIM905

SYLLABLES = ["ba", "ka", "ma", "ra", "sa", "ta", "la", "na", "pa", "ga", "da", "ja", "wa", "ya",
             "be", "ke", "me", "re", "se", "te", "ri", "si", "ti", "ni", "gi", "bu", "ku", "mu",
             "ru", "su", "tu", "lu", "nu", "ro", "so", "to", "ng", "an", "in", "un", "ar", "ir"]


def make_vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    words = list(dict.fromkeys(COMMON))
    seen = set(words)
    while len(words) < size:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


def make_articles(rng: random.Random, vocab: list[str], n: int) -> list[tuple[str, str]]:
    # Zipf-like: frequent function words, a long tail of rare ones.
    weights = [1.0 / (i + 1) ** 0.9 for i in range(len(vocab))]
    articles = []
    for _ in range(n):
        title_words = rng.choices(vocab, weights=weights, k=rng.randint(6, 11))
        title = " ".join(title_words).capitalize()
        paragraphs = []
        for _ in range(rng.randint(4, 8)):
            sentence_words = rng.choices(vocab, weights=weights, k=rng.randint(30, 60))
            sentence_words[0] = sentence_words[0].capitalize()
            paragraphs.append(" ".join(sentence_words) + ".")
        articles.append((title, "\n\n".join(paragraphs)))
    return articles


def make_rules(rng: random.Random, vocab: list[str], n: int) -> list[str]:
    topical = vocab[40:1200]  # skip the most frequent function words, like real rules do
    pick = lambda: rng.choice(topical)  # noqa: E731
    templates: list[Callable[[], str]] = [
        lambda: f"{pick()} AND ({pick()} OR {pick()})",
        lambda: f'"{pick()} {pick()}" OR {pick()}',
        lambda: f"{pick()[:4]}* AND {pick()}",
        lambda: f"{pick()} {pick()} NOT {pick()}",
        lambda: f"({pick()} OR {pick()}) AND ({pick()} OR {pick()}) NOT {pick()}",
        lambda: f"{pick()} OR {pick()} OR {pick()}",
        lambda: f'"{pick()} {pick()}" AND NOT ({pick()} OR {pick()})',
    ]
    return [templates[i % len(templates)]() for i in range(n)]


# -- the naive baseline --------------------------------------------------------------------------

def regex_predicate(node: Node) -> Callable[[str], bool]:
    """Evaluate a query on raw text with one compiled regex per term."""
    if isinstance(node, Word):
        rx = re.compile(rf"\b{re.escape(node.token)}\b", re.IGNORECASE)
        return lambda text: rx.search(text) is not None
    if isinstance(node, Phrase):
        rx = re.compile(r"\b" + r"\W+".join(map(re.escape, node.tokens)) + r"\b", re.IGNORECASE)
        return lambda text: rx.search(text) is not None
    if isinstance(node, Prefix):
        rx = re.compile(rf"\b{re.escape(node.prefix)}\w*", re.IGNORECASE)
        return lambda text: rx.search(text) is not None
    if isinstance(node, Stem):
        raise ValueError("a regex cannot match stems")
    if isinstance(node, Not):
        inner = regex_predicate(node.child)
        return lambda text: not inner(text)
    parts = [regex_predicate(c) for c in node.children]
    if isinstance(node, And):
        return lambda text: all(p(text) for p in parts)
    assert isinstance(node, Or)
    return lambda text: any(p(text) for p in parts)


def naive_scan(queries: list[str], articles: list[tuple[str, str]]) -> set[tuple[int, int]]:
    # A separator word between title and text, so a phrase never spans them (as in pantau).
    texts = [f"{title}\nzzpisahzz\n{text}" for title, text in articles]
    found = set()
    for r, query in enumerate(queries):
        predicate = regex_predicate(parse_query(query))
        for a, text in enumerate(texts):
            if predicate(text):
                found.add((r, a))
    return found


def pantau_scan(queries: list[str], articles: list[tuple[str, str]]) -> set[tuple[int, int]]:
    index: RuleIndex[int] = RuleIndex()
    for r, query in enumerate(queries):
        index.add(r, parse_query(query))
    found = set()
    for start in range(0, len(articles), 500):
        batch = [article_tokens(title, text) for title, text in articles[start : start + 500]]
        index.prepare(batch)
        for a, tokens in enumerate(batch, start):
            for r in index.match(Document(tokens)):
                found.add((r, a))
    return found


def timed(fn: Callable[[], set[tuple[int, int]]]) -> tuple[float, set[tuple[int, int]]]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def warehouse_run(queries: list[str], articles: list[tuple[str, str]]
                  ) -> tuple[float, int, float]:
    import tempfile
    from datetime import UTC, datetime

    import duckdb

    from alerts.deliver import run_alerts
    from alerts.rules import make_rule
    from warehouse.db import migrate

    con = duckdb.connect(":memory:")
    migrate(con)
    now = datetime(2026, 11, 21, tzinfo=UTC)
    con.execute("CREATE TEMP TABLE synth (i INTEGER, title VARCHAR, text VARCHAR)")
    con.executemany("INSERT INTO synth VALUES (?, ?, ?)",
                    [[i, t, x] for i, (t, x) in enumerate(articles)])
    con.execute(
        "INSERT INTO articles (id, source, url, canonical_url, title, text, authors, "
        "published_at, tags, first_seen_at, last_seen_at, content_hash, version, run_id) "
        "SELECT 'a' || i, 'detakpos', 'http://d/' || i, 'http://d/' || i, title, text, [], ?, "
        "[], ?, ?, 'h', 1, 'r' FROM synth", [now, now, now])
    rules = [make_rule(f"r{i}", q) for i, q in enumerate(queries)]
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        summary = run_alerts(con, rules, Path(tmp) / "outbox.jsonl", now=now)
        elapsed = time.perf_counter() - start
        start = time.perf_counter()
        run_alerts(con, rules, Path(tmp) / "outbox.jsonl", now=now)
        again = time.perf_counter() - start
    return elapsed, summary.total.sent, again


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rules", type=int, default=500)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--naive-rules", type=int, default=0,
                        help="time the slow baseline on only the first N rules and scale it "
                             "(it is linear in rules); default: all rules")
    parser.add_argument("--warehouse", action="store_true",
                        help="also time run_alerts end to end on an in-memory warehouse")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    vocab = make_vocabulary(rng)
    articles = make_articles(rng, vocab, args.articles)
    queries = make_rules(rng, vocab, args.rules)
    words = sum(len(t.split()) + len(x.split()) for t, x in articles)
    print(f"corpus: {len(articles):,} articles, {words:,} words; {len(queries)} rules")

    t_pantau, got = timed(lambda: pantau_scan(queries, articles))
    sample = queries[: args.naive_rules] if args.naive_rules else queries
    t_naive, expected = timed(lambda: naive_scan(sample, articles))
    if len(sample) < len(queries):
        # The baseline scans rule by rule, so its time is linear in the number of rules.
        print(f"naive baseline timed on the first {len(sample)} rules, scaled to {len(queries)}")
        t_naive *= len(queries) / len(sample)
        got = {(r, a) for r, a in got if r < len(sample)}
    if got != expected:
        print(f"MISMATCH: pantau {len(got)} matches, naive {len(expected)}; "
              f"only pantau: {sorted(got - expected)[:5]}, only naive: "
              f"{sorted(expected - got)[:5]}")
        return 1
    print(f"matches (rule, article) compared: {len(got):,} (identical in both)")
    print(f"naive per-rule regex scan: {t_naive:8.2f} s")
    print(f"pantau (index + tokens):   {t_pantau:8.2f} s")
    print(f"speed-up: {t_naive / t_pantau:.1f}x (target >= 5x)")

    stem_queries = [re.sub(r" AND (\w)", r" AND ~\1", q, count=1) for q in queries]
    t_stem, stem_hits = timed(lambda: pantau_scan(stem_queries, articles))
    print(f"pantau with a ~stem term in {sum(' AND ~' in q for q in stem_queries)} rules: "
          f"{t_stem:.2f} s ({len(stem_hits):,} matches)")
    if args.warehouse:
        t_wh, sent, t_again = warehouse_run(queries, articles)
        print(f"run_alerts end to end (DuckDB read, match, record, outbox): {t_wh:.2f} s, "
              f"{sent:,} alerts; next run with nothing new: {t_again:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
