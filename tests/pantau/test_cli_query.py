"""The CLI speaks one query language: search, alerts check and export agree, errors point at the
column, formats hold for empty results, highlights are bold on a terminal only."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pantau.test_cli import assert_one_line_error, pantau
from tests.terminal import drain
from tests.warehouse.staged import PARAS, SOURCE, article_html, page, stage
from warehouse.db import connect_writer
from warehouse.loader import load_run

FLOOD_BEKASI = ["Ratusan rumah di Bekasi terendam banjir setelah tanggul sungai jebol pada Rabu "
                "dini hari dan air masuk ke permukiman warga hingga setinggi dada.", *PARAS[1:]]
QUAKE = ["Gempa bermagnitudo 5,2 mengguncang wilayah selatan Bali pada Kamis pagi dan membuat "
         "warga berhamburan keluar rumah, meski tidak ada laporan kerusakan berarti.", *PARAS[1:]]


@pytest.fixture(scope="module", params=["duckdb", "ducklake"])
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The warehouse on both backends (a DuckLake with a SQLite catalog: PANTAU_WAREHOUSE is set
    for the module's tests, and the pantau commands they start, while this one is in use)."""
    tmp = tmp_path_factory.mktemp("cliquery")
    env = pytest.MonkeyPatch()
    env.delenv("PANTAU_LAKE_DATA", raising=False)
    if request.param == "ducklake":
        env.setenv("PANTAU_WAREHOUSE", f"ducklake:sqlite:{tmp / 'catalog.sqlite'}")
    else:
        env.delenv("PANTAU_WAREHOUSE", raising=False)
    t = "2026-11-20T19:00:30+00:00"
    stage(tmp / "staging", "r1", [
        page("https://contoh.id/berita/1", article_html("Tanggul jebol di Bekasi", FLOOD_BEKASI,
             "2026-11-19T08:00:00+07:00"), t),
        page("https://contoh.id/berita/2", article_html("Gempa guncang Bali", QUAKE,
             "2026-11-20T09:30:00+08:00"), t),
        page("https://contoh.id/berita/3", article_html("Banjir rendam Jakarta Timur", PARAS,
             "2026-11-20T16:00:00+07:00"), t),
    ])
    con = connect_writer(tmp / "w.duckdb")
    load_run(con, tmp / "staging", "r1", [SOURCE], workers=1)
    con.close()
    yield tmp / "w.duckdb"
    env.undo()


def titles(db: Path, *args: str) -> set[str]:
    result = pantau("--db", str(db), *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return {hit["title"] for hit in json.loads(result.stdout)}


def test_search_minus_or_and_phrases(db: Path) -> None:
    assert titles(db, "search", "banjir") == {"Tanggul jebol di Bekasi",
                                              "Banjir rendam Jakarta Timur"}
    assert titles(db, "search", "banjir -Bekasi") == {"Banjir rendam Jakarta Timur"}
    assert titles(db, "search", "banjir OR gempa") == {
        "Tanggul jebol di Bekasi", "Banjir rendam Jakarta Timur", "Gempa guncang Bali"}
    assert titles(db, "search", '"tanggul sungai jebol"') == {"Tanggul jebol di Bekasi"}
    assert titles(db, "search", '"sungai tanggul"') == set()


@pytest.mark.parametrize("query", ["banjir -Bekasi", "banjir OR gempa", '"tanggul sungai jebol"',
                                   "~banjir (Jakarta OR Bali)", "gem*"])
def test_search_alerts_check_and_export_agree(db: Path, tmp_path: Path, query: str) -> None:
    searched = titles(db, "search", query, "--limit", "50")
    checked = titles(db, "alerts", "check", query, "--days", "0")
    out = tmp_path / "x.jsonl"
    exported = pantau("--db", str(db), "export", str(out), "--format", "jsonl", "--query", query)
    assert exported.returncode == 0, exported.stderr
    lines = out.read_text("utf-8").splitlines()
    assert {json.loads(line)["title"] for line in lines} == searched == checked


def test_query_errors_point_at_the_column(db: Path) -> None:
    for command in ("search", "alerts check"):
        result = pantau("--db", str(db), *command.split(), "banjir (Jakarta OR Bekasi")
        assert_one_line_error(result, "pantau: error: query: unbalanced parenthesis at 8")
    bad = pantau("--db", str(db), "export", "x.csv", "--query", "banjir)")
    assert_one_line_error(bad, "pantau: error: query: unbalanced parenthesis at 7")


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_an_empty_search_keeps_the_format(db: Path, fmt: str) -> None:
    result = pantau("--db", str(db), "search", "tsunami", "--format", fmt)
    assert result.returncode == 0, result.stderr
    if fmt == "json":
        assert json.loads(result.stdout) == []
    elif fmt == "csv":
        assert list(csv.reader(io.StringIO(result.stdout))) == [
            ["source", "published_at", "title", "snippet", "url", "score"]]
    else:
        assert result.stdout.strip() == "(0 results)"


def run_on_a_terminal(*args: str) -> str:
    """Run pantau with stdout on a pseudo-terminal; what it wrote."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "120"}
    proc = subprocess.Popen([sys.executable, "-m", "pantau", *args], stdout=follower,
                            stderr=subprocess.DEVNULL, env=env)
    os.close(follower)
    written = drain(leader)
    proc.wait(timeout=60)
    return written.decode("utf-8", "replace")


def test_highlights_are_bold_on_a_terminal_and_plain_elsewhere(db: Path) -> None:
    piped = pantau("--db", str(db), "search", "jebol")
    assert piped.returncode == 0 and "jebol" in piped.stdout
    assert "**" not in piped.stdout and "\x1b[" not in piped.stdout
    shown = run_on_a_terminal("--db", str(db), "search", "jebol")
    assert "\x1b[1mjebol\x1b[0m" in shown and "**" not in shown


def test_rules_option_in_both_positions(db: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - name: gempa_bali\n    query: gempa Bali\n", encoding="utf-8")
    before = titles(db, "alerts", "--rules", str(rules), "check", "gempa_bali", "--days", "0")
    after = titles(db, "alerts", "check", "gempa_bali", "--rules", str(rules), "--days", "0")
    assert before == after == {"Gempa guncang Bali"}
    listed = pantau("--db", str(db), "alerts", "list", "--rules", str(rules))
    assert listed.returncode == 0, listed.stderr


def test_misspelt_rule_names_the_nearest(db: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - name: banjir_jabodetabek\n    query: banjir\n",
                     encoding="utf-8")
    result = pantau("--db", str(db), "alerts", "check", "banjir_jabodetabekk", "--rules",
                    str(rules))
    assert_one_line_error(result, "no rule is named 'banjir_jabodetabekk'",
                          "did you mean 'banjir_jabodetabek'?")


def test_alerts_check_says_its_window_and_shows_older_articles(db: Path) -> None:
    # The articles are from November 2026: "the last 7 days" counts back from the newest one.
    result = pantau("--db", str(db), "alerts", "check", "banjir", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 2
    assert "window: the 7 days up to the newest stored article" in result.stderr
    assert "2026-11-13" in result.stderr and "(--days N to change, --days 0 for all)" in (
        result.stderr)


def test_default_log_level_is_warning(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    quiet = pantau("--db", str(db), "export", str(out), "--format", "csv")
    assert quiet.returncode == 0 and quiet.stderr == ""
    loud = pantau("--db", str(db), "-v", "export", str(out), "--format", "csv")
    assert "INFO" in loud.stderr


def test_format_option_on_alerts_and_load(db: Path, tmp_path: Path) -> None:
    import shutil

    if os.environ.get("PANTAU_WAREHOUSE"):
        pytest.skip("works on a copy of the warehouse file (a lake is shared by the module)")

    copy = tmp_path / "w.duckdb"
    shutil.copy(db, copy)
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - name: gempa_bali\n    query: gempa Bali\n", encoding="utf-8")
    outbox = {"PANTAU_OUTBOX": str(tmp_path / "outbox.jsonl")}
    sent = pantau("--db", str(copy), "alerts", "--rules", str(rules), "--format", "json",
                  env=outbox)
    assert sent.returncode == 0, sent.stderr
    assert json.loads(sent.stdout) == [
        {"rule": "gempa_bali", "matched": 1, "sent": 1, "failed": 0, "pending": 0}]
    table = pantau("--db", str(copy), "alerts", "--rules", str(rules), env=outbox)
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["rule", "matched", "sent", "failed", "pending"]
    assert set(lines[1]) == {"-", " "} and lines[-1].split()[0] == "total"  # header rule
    loaded = pantau("--db", str(copy), "load", "--format", "csv",
                    env={"PANTAU_STAGING": str(tmp_path / "none")})
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "run_id,source,pages,new,updated,non-articles,errors"
