"""Benchmark: ``pantau sources check`` over the fixture web's 3 outlets plus 50 scale-mode outlets.

Target (issue 13): the 53 outlets are checked in under 60 s. Both fixture webs run in this
process (the shipped one and ``FixtureWeb(scale=(50, ARTICLES))``, warmed up first so that page
rendering is not timed); their sources files go into one folder, which ``pantau sources check``
reads like any sources folder. The command runs as a user runs it (``pantau.cli``, in-process),
with 3 samples per outlet and the default 4 outlets at a time.

    python bench/sources_check.py [--articles 200] [--samples 3] [--workers 4]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def run(articles: int = 200, samples: int = 3, workers: int = 4) -> tuple[float, str, int]:
    """(seconds, summary table, exit status) of one check of the 53 outlets."""
    saved = {k: os.environ.get(k) for k in ENV}
    os.environ.update(ENV)
    try:
        return _run(articles, samples, workers)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# the fixture content's last day as "now" (sent as X-Pantau-As-Of too); no politeness delay
ENV = {"PANTAU_AS_OF": "2026-11-21T07:00:00+07:00", "PANTAU_DOWNLOAD_DELAY": "0"}


def _run(articles: int, samples: int, workers: int) -> tuple[float, str, int]:
    from click.testing import CliRunner

    from fixtureweb import FixtureWeb
    from pantau.cli import cli

    with FixtureWeb() as shipped, FixtureWeb(scale=(50, articles), seed=0) as scaled, \
            tempfile.TemporaryDirectory() as tmp:
        scaled.warm()
        folder = Path(tmp)
        shipped.write_sources_yaml(folder / "1-shipped.yaml", listings=True)
        scaled.write_sources_yaml(folder / "2-scaled.yaml")
        args = ["--sources", str(folder), "--allow-private-hosts", "sources", "check",
                "--samples", str(samples), "--workers", str(workers), "-q"]
        started = time.perf_counter()
        result = CliRunner().invoke(cli, args)
        seconds = time.perf_counter() - started
    return seconds, result.stdout, result.exit_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200, help="articles per scaled outlet")
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    seconds, table, status = run(args.articles, args.samples, args.workers)
    print(table)
    print(f"53 outlets checked in {seconds:.1f} s (target < 60 s), exit status {status}")


if __name__ == "__main__":
    main()
