"""Paths resolved once at the entry, and a run whose every crawl failed is a failure
(issue 14, item 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from core.settings import resolve_settings

SOURCES = """\
sources:
  - name: satu
    url: http://satu.localhost:9/
    feeds: [http://satu.localhost:9/feed]
  - name: dua
    url: http://dua.localhost:9/
    feeds: [http://dua.localhost:9/feed]
"""


def test_every_path_is_absolute_after_the_entry(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PANTAU_STAGING", "stg")
    monkeypatch.setenv("PANTAU_OUTBOX", "out/o.jsonl")
    s = resolve_settings(db="rel/w.duckdb", sources="s.yaml", rules="r.yaml")
    assert s.db == tmp_path / "rel" / "w.duckdb"
    assert s.sources == tmp_path / "s.yaml" and s.rules == tmp_path / "r.yaml"
    assert s.staging == tmp_path / "stg" and s.outbox == tmp_path / "out" / "o.jsonl"
    monkeypatch.delenv("PANTAU_STAGING")
    assert resolve_settings(db="rel/w.duckdb").staging == tmp_path / "rel" / "staging"


def test_a_run_where_every_crawl_failed_exits_non_zero(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import spiders.runner
    from pantau.cli import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_text(SOURCES, "utf-8")
    (tmp_path / "r.yaml").write_text("rules:\n  - name: banjir\n    query: banjir\n", "utf-8")
    monkeypatch.setenv("PANTAU_RULES", "r.yaml")
    monkeypatch.setenv("PANTAU_HEALTH_ALERTS", "0")
    seen_staging: list[str] = []

    def crashed_crawler(argv, env, logfile, cwd, timeout):  # the crawler process died
        seen_staging.append(argv[argv.index("--staging") + 1])
        return 1

    monkeypatch.setattr(spiders.runner, "run_crawl_process", crashed_crawler)
    result = CliRunner().invoke(cli, ["--db", "rel/w.duckdb", "--sources", "s.yaml", "run"])
    assert result.exit_code != 0
    assert "every outlet's crawl failed" in str(result.exception)
    assert "satu" in result.output and "dua" in result.output  # the summary is still printed
    # the crawler was given absolute paths: a forked crawler changes its directory
    assert seen_staging and all(Path(p).is_absolute() for p in seen_staging)
    assert sorted(p.name for p in (tmp_path / "rel" / "staging").iterdir()
                  if not p.name.startswith(".")) != []
