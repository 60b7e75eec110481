"""The pantau command: contract output, read-only SQL, one-line errors without tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from warehouse.db import connect_writer

CONTRACT_KEYS = [
    "url", "canonical_url", "title", "text", "authors", "editors", "published_at", "updated_at",
    "section", "tags", "language", "site_name", "dateline", "page_kind",
]


def pantau(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PANTAU_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "pantau", *args], capture_output=True, text=True, env=full_env,
        timeout=120,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    con = connect_writer(db)
    con.execute(
        """INSERT INTO articles (id, source, url, canonical_url, title, text, authors,
            published_at, published_at_local, section, tags, language, site_name, dateline,
            first_seen_at, last_seen_at, content_hash, version, run_id, cluster_id)
        VALUES ('a1', 'contoh', 'https://contoh.id/1', 'https://contoh.id/1',
        'Banjir di Bekasi', 'Air setinggi lutut merendam permukiman warga di Bekasi.',
        ['Rina'], '2026-11-20 14:05:00+07', '2026-11-20T14:05:00+07:00', 'Metro',
        ['banjir'], 'id', 'Contoh', 'BEKASI', '2026-11-20 19:00:00+00', '2026-11-20 19:00:00+00',
        'h1', 1, 'r1', 'a1')"""  # by name: a migration that adds a column does not break it
    )
    con.close()
    return db


def test_sql_reads_and_formats(warehouse: Path) -> None:
    result = pantau("--db", str(warehouse), "sql", "SELECT id, title FROM articles", "--format",
                    "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"id": "a1", "title": "Banjir di Bekasi"}]
    table = pantau("--db", str(warehouse), "sql", "SELECT id, tags FROM articles")
    assert table.returncode == 0 and "a1" in table.stdout and "(1 row)" in table.stdout
    csv_out = pantau("--db", str(warehouse), "sql", "SELECT id FROM articles", "--format", "csv")
    assert csv_out.stdout.splitlines() == ["id", "a1"]


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ("DELETE FROM articles", "read-only"),
        ("DROP TABLE articles", "read-only"),
        ("COPY articles TO '/tmp/pantau-leak.csv'", "cannot reach files"),
        ("SELECT * FROM read_csv('/etc/passwd')", "cannot reach files"),
        ("ATTACH '/tmp/pantau-other.duckdb' AS o", "cannot reach files"),
        ("SET enable_external_access = true", "cannot reach files or change settings"),
        ("SELECT * FROM no_such_table", "no_such_table"),
    ],
)
def test_sql_refuses_writes_and_files(warehouse: Path, query: str, needle: str) -> None:
    result = pantau("--db", str(warehouse), "sql", query)
    assert_one_line_error(result, "pantau: error:", needle)
    assert not Path("/tmp/pantau-leak.csv").exists()
    count = pantau("--db", str(warehouse), "sql", "SELECT count(*) AS n FROM articles",
                   "--format", "json")
    assert json.loads(count.stdout) == [{"n": 1}]


def test_sql_without_warehouse_says_what_to_do(tmp_path: Path) -> None:
    result = pantau("--db", str(tmp_path / "none.duckdb"), "sql", "SELECT 1")
    assert_one_line_error(result, "no warehouse here yet", "pantau run")


def test_search_finds_words(warehouse: Path) -> None:
    result = pantau("--db", str(warehouse), "search", "banjir bekasi", "--format", "json")
    assert result.returncode == 0, result.stderr
    [hit] = json.loads(result.stdout)
    assert hit["title"] == "Banjir di Bekasi" and "Bekasi" in hit["snippet"]
    none = pantau("--db", str(warehouse), "search", "gempa", "--format", "json")
    assert json.loads(none.stdout) == []


def test_extract_missing_file(tmp_path: Path) -> None:
    result = pantau("extract", str(tmp_path / "nope.html"), "--json")
    assert_one_line_error(result, "nope.html: no such file")


def test_extract_prints_contract_json(tmp_path: Path) -> None:
    html = tmp_path / "page.html"
    paragraphs = "".join(
        f"<p>Paragraf ke-{i} dari berita ini menjelaskan rencana pemerintah daerah membangun "
        f"tanggul baru di sepanjang sungai untuk mencegah banjir tahunan.</p>" for i in range(5)
    )
    html.write_text(
        "<html lang='id'><head><title>Tanggul baru dibangun - Contoh</title>"
        "<meta property='article:published_time' content='2026-11-20T14:05:00+07:00'></head>"
        f"<body><article><h1>Tanggul baru dibangun</h1>{paragraphs}</article></body></html>",
        encoding="utf-8",
    )
    result = pantau("extract", str(html), "--url", "https://contoh.id/berita/1", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == CONTRACT_KEYS
    assert data["url"] == "https://contoh.id/berita/1"
    assert data["title"] == "Tanggul baru dibangun"
    assert data["published_at"] == "2026-11-20T14:05:00+07:00"


def test_malformed_sources_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "sources.yaml"
    bad.write_text("sources:\n  - name: a\n    url: https://a.id/\n    feedz: []\n")
    result = pantau("--sources", str(bad), "crawl")
    assert_one_line_error(result, f"{bad}:4", "unknown key 'feedz'")


def test_unknown_command_is_usage_error() -> None:
    result = pantau("nosuchcommand")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_export_formats(warehouse: Path, tmp_path: Path, fmt: str) -> None:
    import duckdb

    out = tmp_path / f"articles.{fmt}"
    result = pantau("--db", str(warehouse), "export", str(out), "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert "1 articles written" in result.stdout
    reader = {"parquet": "read_parquet", "csv": "read_csv", "jsonl": "read_json"}[fmt]
    rows = duckdb.sql(f"SELECT id, title FROM {reader}('{out}')").fetchall()
    assert rows == [("a1", "Banjir di Bekasi")]


def test_export_filters(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "none.jsonl"
    result = pantau("--db", str(warehouse), "export", str(out), "--format", "jsonl",
                    "--source", "lain")
    assert result.returncode == 0 and "0 articles written" in result.stdout
    out2 = tmp_path / "since.jsonl"
    later = pantau("--db", str(warehouse), "export", str(out2), "--format", "jsonl",
                   "--since", "2026-11-21")
    assert "0 articles written" in later.stdout
    bad = pantau("--db", str(warehouse), "export", str(out2), "--since", "kemarin")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_alerts_check_is_a_dry_run(warehouse: Path) -> None:
    result = pantau("--db", str(warehouse), "alerts", "check", "banjir AND Bekasi", "--days", "0",
                    "--format", "json")
    assert result.returncode == 0, result.stderr
    [hit] = json.loads(result.stdout)
    assert hit["title"] == "Banjir di Bekasi" and hit["alerted"] is False
    assert "Bekasi" in hit["snippet"] and "**" not in hit["snippet"]  # plain for programs
    listed = pantau("--db", str(warehouse), "alerts", "list", "--format", "json")
    assert listed.returncode == 0 and json.loads(listed.stdout) == []  # nothing was sent
    bad = pantau("--db", str(warehouse), "alerts", "check", "banjir AND (")
    assert_one_line_error(bad, "pantau: error: query: unbalanced parenthesis at 12")
