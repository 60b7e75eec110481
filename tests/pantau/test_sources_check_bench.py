"""The ``sources check`` benchmark: 3 fixture outlets + 50 scale-mode outlets in under 60 s."""

from __future__ import annotations

import importlib.util
import os

from core.settings import REPO_ROOT


def test_53_outlets_are_checked_ok_in_under_a_minute() -> None:
    spec = importlib.util.spec_from_file_location("sources_check_bench",
                                                  REPO_ROOT / "bench" / "sources_check.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    before = os.environ.get("PANTAU_AS_OF")
    seconds, table, status = bench.run(articles=100)
    print(table, f"\n{seconds:.1f} s")
    assert status == 0 and "(53 rows)" in table
    assert " broken " not in table and " degraded " not in table
    assert seconds < 60
    assert os.environ.get("PANTAU_AS_OF") == before  # the benchmark leaves the environment alone
