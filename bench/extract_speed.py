"""Extraction throughput: pantau's extract_article vs bare trafilatura.extract, same pages.

    python bench/extract_speed.py [--rounds N] [--workers N] [--fixtureweb]

Pages: the test corpus, ../shared/realpages and ../shared/aeb (whatever is present), decoded to
str first so both extractors get the same input; with --fixtureweb instead the article pages of
a scale-mode fixture web (2 generated outlets, as of the crawl benchmark's first night), the
pages the crawl throughput target is measured on. Prints pages per CPU-second on one core (the
two extractors alternate page by page) and pages per wall-clock second on all cores (a process
pool, best of A/B rounds), and pantau's ratio to trafilatura; the target is >= 0.8x.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import logging
import os
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import trafilatura

from extract import extract_article

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
NIGHT1 = datetime.fromisoformat("2026-11-19T23:00:00+07:00")  # as bench/crawl_fixtureweb.py


def load_pages() -> list[tuple[str, str]]:
    pages: list[tuple[str, str]] = []
    for path in sorted((REPO / "tests" / "extract" / "corpus").glob("*.html")):
        pages.append((path.read_text(encoding="utf-8"), f"https://corpus.localhost/{path.stem}"))
    for path in sorted((SHARED / "realpages").glob("*/*.html")):
        html = path.read_bytes().decode("utf-8", errors="replace")
        pages.append((html, f"https://realpages.localhost/{path.stem}"))
    for path in sorted((SHARED / "aeb" / "html").glob("*.html.gz")):
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        pages.append((html, f"https://aeb.localhost/{path.stem}"))
    return pages


def load_fixtureweb_pages(articles_per_outlet: int = 100) -> list[tuple[str, str]]:
    """The visible article pages of a scale-mode fixture web, fetched over loopback."""
    from fixtureweb import FixtureWeb

    pages: list[tuple[str, str]] = []
    with FixtureWeb(scale=(2, articles_per_outlet), seed=0, as_of=NIGHT1) as web:
        for url in (a["url"] for a in web.expected_articles()):
            parts = urlsplit(url)  # <slug>.localhost: loopback, routed by the Host header
            connection = http.client.HTTPConnection("127.0.0.1", parts.port, timeout=30)
            try:
                connection.request("GET", parts.path or "/", headers={"Host": parts.netloc})
                response = connection.getresponse()
                body = response.read()
            finally:
                connection.close()
            if response.status != 200:
                raise RuntimeError(f"{url}: HTTP {response.status} from the fixture web")
            pages.append((body.decode("utf-8", errors="replace"), url))
    return pages


def run_pantau(page: tuple[str, str]) -> int:
    return len(extract_article(page[0], page[1]).text)


def run_trafilatura(page: tuple[str, str]) -> int:
    return len(trafilatura.extract(page[0], url=page[1]) or "")


RUNNERS = {"pantau": run_pantau, "trafilatura": run_trafilatura}


def single_core(pages: list[tuple[str, str]], rounds: int) -> dict[str, float]:
    """Pages per CPU-second of this process; both extractors alternate page by page (their
    order flips each round), so a busy machine slows both alike."""
    spent = {name: 0.0 for name in RUNNERS}
    names = list(RUNNERS)
    for round_ in range(rounds):
        for page in pages:
            for name in names if round_ % 2 == 0 else reversed(names):
                start = time.process_time()
                RUNNERS[name](page)
                spent[name] += time.process_time() - start
    return {name: rounds * len(pages) / seconds for name, seconds in spent.items()}


def all_cores(pages: list[tuple[str, str]], workers: int, rounds: int) -> dict[str, float]:
    """Pages per wall-clock second through a process pool; best of ``rounds`` A/B runs."""
    best = {name: float("inf") for name in RUNNERS}
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(run_pantau, pages[: workers * 2], chunksize=1))  # warm up imports
        list(pool.map(run_trafilatura, pages[: workers * 2], chunksize=1))
        for round_ in range(rounds):
            order = list(RUNNERS) if round_ % 2 == 0 else list(reversed(RUNNERS))
            for name in order:
                start = time.perf_counter()
                list(pool.map(RUNNERS[name], pages, chunksize=4))
                best[name] = min(best[name], time.perf_counter() - start)
    return {name: len(pages) / seconds for name, seconds in best.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--fixtureweb", action="store_true", help="the fixture web's article pages instead"
    )
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page
    pages = load_fixtureweb_pages() if args.fixtureweb else load_pages()
    source = (
        "fixture web articles"
        if args.fixtureweb
        else "corpus + realpages + aeb, whatever is present"
    )
    for page in pages[:5]:  # warm up both in this process
        run_pantau(page), run_trafilatura(page)
    one = single_core(pages, args.rounds)
    many = all_cores(pages, args.workers, args.rounds)
    print(f"pages: {len(pages)}  ({source})")
    print(f"{'':<22} {'pantau':>10} {'trafilatura':>12} {'ratio':>7}")
    for label, rates in (("1 core, pages/s", one), (f"{args.workers} cores, pages/s", many)):
        ratio = rates["pantau"] / rates["trafilatura"]
        print(f"{label:<22} {rates['pantau']:>10.1f} {rates['trafilatura']:>12.1f} {ratio:>6.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
