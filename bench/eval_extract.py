"""Score pantau's extractor against bare trafilatura 2.3.1, side by side, from the same run.

    python bench/eval_extract.py [--only corpus|realpages|aeb] [--workers N] [-v]

Datasets:
  (a) corpus     tests/extract/corpus/<case>.html + <case>.json (expected contract JSON)
  (b) realpages  ../shared/realpages (gold.json): body recall, title, date, listings
  (c) aeb        ../shared/aeb: Article Extraction Benchmark, 4-token shingle P/R/F1
Missing shared folders are skipped with a note. Prints tables; exit code 0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from statistics import mean
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_common import (  # noqa: E402
    BOILERPLATE_MARKERS,
    EXTRACTORS,
    aeb_page_pr,
    bag_prf,
    leaks,
    same_instant_and_offset,
)

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "extract" / "corpus"
SHARED = Path(__file__).resolve().parents[2] / "shared"
REALPAGES = SHARED / "realpages"
AEB = SHARED / "aeb"


def _run(job: tuple[str, str, bytes, str, str | None]) -> tuple[str, str, dict[str, Any]]:
    name, key, html, url, fetched = job
    fetched_at = datetime.fromisoformat(fetched) if fetched else None
    return name, key, EXTRACTORS[name](html, url, fetched_at)


def run_all(
    pages: list[tuple[str, bytes, str, str | None]], workers: int
) -> dict[str, dict[str, dict[str, Any]]]:
    jobs = [(name, key, html, url, f) for key, html, url, f in pages for name in EXTRACTORS]
    out: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in EXTRACTORS}
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_run, jobs, chunksize=4))
    else:
        results = [_run(job) for job in jobs]
    for name, key, record in results:
        out[name][key] = record
    return out


def table(title: str, rows: list[tuple[str, Callable[[str], str]]]) -> None:
    print(f"\n== {title}")
    print(f"{'metric':<38} {'pantau':>12} {'trafilatura':>12}")
    for label, cell in rows:
        print(f"{label:<38} {cell('pantau'):>12} {cell('trafilatura'):>12}")


def pct(values: list[bool]) -> str:
    return f"{100 * sum(values) / len(values):.1f}%" if values else "n/a"


def norm_title(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def norm_names(names: list[str]) -> list[str]:
    return sorted(" ".join(n.split()).casefold() for n in names)


# ------------------------------------------------------------------------------------- corpus
def eval_corpus(workers: int, verbose: bool) -> dict[str, Any] | None:
    cases = sorted(CORPUS.glob("*.json"))
    if not cases:
        print("\n== (a) corpus: no cases under tests/extract/corpus, skipped")
        return None
    pages, expected = [], {}
    for case in cases:
        exp = json.loads(case.read_text(encoding="utf-8"))
        html = case.with_suffix(".html").read_bytes()
        meta = exp.pop("_meta", {})
        expected[case.stem] = (exp, meta)
        pages.append((case.stem, html, exp["url"], meta.get("fetched_at")))
    results = run_all(pages, workers)
    scores: dict[str, Any] = {}
    for name, recs in results.items():
        s: dict[str, list[Any]] = {k: [] for k in
            ("p", "r", "f", "leak", "title", "authors", "published", "section", "tags",
             "dateline", "kind")}  # fmt: skip
        for key, (exp, meta) in expected.items():
            got = recs[key]
            is_article = meta.get("is_article", True)
            s["kind"].append(got["_is_article"] == is_article)
            if not is_article:
                continue
            p, r, f = bag_prf(got["text"], exp["text"])
            s["p"].append(p), s["r"].append(r), s["f"].append(f)
            markers = list(BOILERPLATE_MARKERS) + list(meta.get("boilerplate", []))
            leaked = leaks(got["text"], markers)
            s["leak"].append(bool(leaked))
            s["title"].append(norm_title(got["title"]) == norm_title(exp["title"]))
            s["authors"].append(norm_names(got["authors"]) == norm_names(exp["authors"]))
            s["published"].append(same_instant_and_offset(got["published_at"], exp["published_at"]))
            s["section"].append(norm_title(got["section"]) == norm_title(exp["section"]))
            s["tags"].append(norm_names(got["tags"]) == norm_names(exp["tags"]))
            s["dateline"].append(norm_title(got["dateline"]) == norm_title(exp["dateline"]))
            if verbose and name == "pantau":
                problems = [
                    k
                    for k in ("title", "authors", "published", "section", "tags", "dateline")
                    if not s[k][-1]
                ]
                if f < 0.97 or leaked or problems:
                    print(f"  {key}: F1 {f:.3f} leaks {leaked} wrong {problems}")
                    for k in problems:
                        field = {"published": "published_at"}.get(k, k)
                        print(f"      {field}: got {got[field]!r} want {exp[field]!r}")
        scores[name] = s
    n = len(expected)
    articles = sum(1 for exp, meta in expected.values() if meta.get("is_article", True))
    table(f"(a) corpus: {n} pages ({articles} articles)", [
        ("text precision (token, mean)", lambda x: f"{mean(scores[x]['p']):.3f}"),
        ("text recall (token, mean)", lambda x: f"{mean(scores[x]['r']):.3f}"),
        ("text F1 (token, mean)", lambda x: f"{mean(scores[x]['f']):.3f}"),
        ("pages leaking boilerplate", lambda x: f"{sum(scores[x]['leak'])}/{articles}"),
        ("title exact", lambda x: pct(scores[x]["title"])),
        ("authors exact", lambda x: pct(scores[x]["authors"])),
        ("published_at instant+offset", lambda x: pct(scores[x]["published"])),
        ("section", lambda x: pct(scores[x]["section"])),
        ("tags", lambda x: pct(scores[x]["tags"])),
        ("dateline", lambda x: pct(scores[x]["dateline"])),
        ("page kind (article or not) right", lambda x: pct(scores[x]["kind"])),
    ])  # fmt: skip
    return scores


# ---------------------------------------------------------------------------------- realpages
_GOLD_DATELINE = re.compile(r"^[^\n]{0,60}?\s(?:-|–|—|--)\s")
_GOLD_INITIALS = re.compile(r"\s*\((?:[a-z]{1,6}/)+[a-z]{1,6}\)\s*$|\s*\(\w{2,5}\)\s*$")


def _strip_gold(content: str) -> str:
    content = _GOLD_DATELINE.sub("", content.strip(), count=1)
    return _GOLD_INITIALS.sub("", content)


def eval_realpages(workers: int, verbose: bool) -> dict[str, Any] | None:
    gold_file = REALPAGES / "gold.json"
    if not gold_file.exists():
        print(f"\n== (b) realpages: {REALPAGES} not found, skipped")
        return None
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    pages = []
    for key, g in gold.items():
        url = g.get("url")
        if not url:  # a listing: its own address is the outlet's home page
            first = (g.get("_urls_from_mainpage") or ["http://unknown.invalid/"])[0]
            url = re.match(r"https?://[^/]+/", first).group(0)  # type: ignore[union-attr]
        pages.append((key, (REALPAGES / key).read_bytes(), url, None))
    results = run_all(pages, workers)
    scores: dict[str, Any] = {}
    for name, recs in results.items():
        s: dict[str, list[Any]] = {
            k: [] for k in ("r", "p", "leak", "title", "date", "listing", "kind")
        }
        for key, g in gold.items():
            got = recs[key]
            if "_urls_from_mainpage" in g:
                s["listing"].append(not got["_is_article"])
                if verbose and name == "pantau" and got["_is_article"]:
                    print(f"  {key}: listing taken for an article")
                continue
            s["kind"].append(got["_is_article"])
            p, r, _ = bag_prf(got["text"], _strip_gold(g["content"]))
            s["r"].append(r), s["p"].append(p)
            leaked = leaks(got["text"], BOILERPLATE_MARKERS)
            s["leak"].append(bool(leaked))
            title_ok = norm_title(got["title"]) == norm_title(g["title"])
            s["title"].append(title_ok)
            want = datetime.fromtimestamp(g["date"] / 1000, tz=UTC)
            got_date = got["published_at"]
            try:
                date_ok = (
                    got_date is not None
                    and abs((datetime.fromisoformat(got_date) - want).total_seconds()) < 60
                )
            except ValueError:
                date_ok = False
            s["date"].append(date_ok)
            if verbose and name == "pantau" and (r < 0.97 or leaked or not title_ok or not date_ok):
                title_note = "ok" if title_ok else f"{got['title']!r} want {g['title']!r}"
                date_note = "ok" if date_ok else f"{got_date} want {want.isoformat()}"
                print(f"  {key}: recall {r:.3f} precision {p:.3f} leaks {leaked}"
                      f" title {title_note} date {date_note}")
        scores[name] = s
    def share(key: str) -> Callable[[str], str]:
        return lambda x: f"{sum(scores[x][key])}/{len(scores[x][key])}"

    table(f"(b) realpages: {len(gold)} pages", [
        ("body recall vs gold (token, mean)", lambda x: f"{mean(scores[x]['r']):.3f}"),
        ("body precision vs gold (token, mean)", lambda x: f"{mean(scores[x]['p']):.3f}"),
        ("articles leaking boilerplate", share("leak")),
        ("title right", share("title")),
        ("date right (same instant)", share("date")),
        ("listings recognised", share("listing")),
        ("gold articles taken as articles", share("kind")),
    ])
    return scores


# ---------------------------------------------------------------------------------------- aeb
def eval_aeb(workers: int, verbose: bool) -> dict[str, Any] | None:
    truth_file = AEB / "ground-truth.json"
    if not truth_file.exists():
        print(f"\n== (c) aeb: {AEB} not found, skipped")
        return None
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    pages = []
    for key, t in truth.items():
        html = gzip.decompress((AEB / "html" / f"{key}.html.gz").read_bytes())
        pages.append((key, html.decode("utf-8", errors="replace"), t.get("url") or "", None))
    results = run_all(pages, workers)  # type: ignore[arg-type]
    scores: dict[str, Any] = {}
    for name, recs in results.items():
        ps, rs, exact = [], [], []
        for key, t in truth.items():
            p, r = aeb_page_pr(recs[key]["text"], t["articleBody"])
            ps.append(p), rs.append(r)
            exact.append(
                re.findall(r"\w+", recs[key]["text"] or "") == re.findall(r"\w+", t["articleBody"])
            )
        P, R = mean(ps), mean(rs)
        scores[name] = {
            "P": P,
            "R": R,
            "F1": 2 * P * R / (P + R) if P + R else 0.0,
            "acc": sum(exact) / len(exact),
            "pages": dict(zip(truth, zip(ps, rs, strict=False), strict=False)),
        }
    if verbose:
        worse = sorted(
            truth,
            key=lambda k: (
                sum(scores["pantau"]["pages"][k]) - sum(scores["trafilatura"]["pages"][k])
            ),
        )[:8]
        for k in worse:
            print(
                f"  {k}: pantau P/R {scores['pantau']['pages'][k]} "
                f"trafilatura {scores['trafilatura']['pages'][k]}"
            )
    table(f"(c) AEB: {len(truth)} pages (4-token shingles)", [
        ("precision", lambda x: f"{scores[x]['P']:.3f}"),
        ("recall", lambda x: f"{scores[x]['R']:.3f}"),
        ("F1", lambda x: f"{scores[x]['F1']:.3f}"),
        ("accuracy (exact token list)", lambda x: f"{scores[x]['acc']:.3f}"),
    ])  # fmt: skip
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("corpus", "realpages", "aeb"))
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("-v", "--verbose", action="store_true", help="list pantau's misses")
    args = parser.parse_args(argv)
    for name, fn in (("corpus", eval_corpus), ("realpages", eval_realpages), ("aeb", eval_aeb)):
        if args.only in (None, name):
            fn(args.workers, args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
