"""The matching benchmark runs, and pantau agrees with the naive regex baseline match for match."""

from __future__ import annotations

import importlib.util
import random

import pytest

from core.settings import REPO_ROOT


def load_bench():
    spec = importlib.util.spec_from_file_location("alerts_match", REPO_ROOT / "bench" /
                                                  "alerts_match.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pantau_and_the_regex_baseline_find_the_same_matches() -> None:
    bench = load_bench()
    rng = random.Random(3)
    vocab = bench.make_vocabulary(rng, size=600)
    articles = bench.make_articles(rng, vocab, 80)
    queries = bench.make_rules(rng, vocab, 40)
    expected = bench.naive_scan(queries, articles)
    assert expected, "the synthetic rules should match something"
    assert bench.pantau_scan(queries, articles) == expected


def test_bench_main_small(capsys: pytest.CaptureFixture[str]) -> None:
    assert load_bench().main(["--rules", "10", "--articles", "40"]) == 0
    out = capsys.readouterr().out
    assert "identical in both" in out and "speed-up" in out
