"""`alerts check` (dry run) and `alerts list` (recent alerts) library functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from alerts.check import check_query
from alerts.deliver import run_alerts
from alerts.listing import recent_alerts
from alerts.rules import load_rules_file, make_rule
from core.errors import ConfigError
from warehouse.db import connect_reader, connect_writer

pytestmark = pytest.mark.usefixtures("warehouse_backend")

NOW = datetime(2026, 11, 21, 23, 0, tzinfo=UTC)


@pytest.fixture
def stored(add_article) -> dict[str, str]:
    return {
        "old": add_article("detakpos", "Banjir Jakarta 2025", "Banjir besar melanda Jakarta.",
                           published_at=NOW - timedelta(days=300)),
        "new": add_article("iphedia", "Jakarta Kebanjiran Lagi", "Warga Jakarta kebanjiran.",
                           published_at=NOW - timedelta(days=1)),
        "newer": add_article("detakpos", "Banjir di Bekasi", "Perumahan di Bekasi banjir.",
                             published_at=NOW - timedelta(hours=3)),
        "other": add_article("beritaturki", "Gempa di Izmir", "Gempa mengguncang Izmir.",
                             published_at=NOW - timedelta(hours=2)),
    }


def test_check_a_query(con: duckdb.DuckDBPyConnection, stored: dict[str, str]) -> None:
    hits = check_query(con, "~banjir AND (Jakarta OR Bekasi)", days=7, now=NOW)
    assert [h.article_id for h in hits] == [stored["newer"], stored["new"]]  # newest first
    assert "**kebanjiran**" in hits[1].snippet and not hits[0].alerted
    assert len(check_query(con, "~banjir", days=None, now=NOW)) == 3
    assert len(check_query(con, "~banjir", days=None, now=NOW, limit=2)) == 2
    assert con.execute("SELECT count(*) FROM alerts").fetchone() == (0,)  # nothing written


def test_check_a_rule_by_name_applies_its_filters_and_shows_what_alerted(
    con: duckdb.DuckDBPyConnection, stored: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("aliases:\n  jabo: [Jakarta, Bekasi]\nrules:\n"
                    "  - name: banjir_detak\n    query: banjir @jabo\n"
                    "    outlets: [detakpos]\n", encoding="utf-8")
    rules = load_rules_file(path)
    hits = check_query(con, "banjir_detak", days=None, rules=rules, now=NOW)
    assert [h.article_id for h in hits] == [stored["newer"], stored["old"]]
    run_alerts(con, rules.rules, tmp_path / "o.jsonl", now=NOW)
    assert all(h.alerted for h in check_query(con, "banjir_detak", None, rules=rules, now=NOW))
    # aliases of the rules file work in ad-hoc queries too
    assert len(check_query(con, "@jabo gempa OR izmir", None, rules=rules, now=NOW)) == 1


def test_check_reports_query_errors(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ConfigError, match=r"^query: unbalanced parenthesis at 8 "):
        check_query(con, "banjir (", days=1)


def test_a_misspelt_rule_name_is_an_error_naming_the_nearest_rule(
    con: duckdb.DuckDBPyConnection, stored: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - name: banjir_jabodetabek\n    query: banjir\n"
                    "  - name: gempa\n    query: gempa\n", encoding="utf-8")
    rules = load_rules_file(path)
    with pytest.raises(ConfigError, match=r"no rule is named 'banjir_jabodetabekk'; did you "
                                          r"mean 'banjir_jabodetabek'\?"):
        check_query(con, "banjir_jabodetabekk", None, rules=rules, now=NOW)
    with pytest.raises(ConfigError, match=r"no rule is named 'banjir_bogor' \(rules: "):
        check_query(con, "banjir_bogor", None, rules=rules, now=NOW)  # '_': a rule name
    with pytest.raises(ConfigError, match=r"did you mean 'gempa'"):
        check_query(con, "gempaa", None, rules=rules, now=NOW)
    # plain words and quoted names are still queries
    assert len(check_query(con, "Izmir", None, rules=rules, now=NOW)) == 1
    assert check_query(con, '"banjir_jabodetabekk"', None, rules=rules, now=NOW) == []


def test_the_window_ends_at_the_newest_article(
    con: duckdb.DuckDBPyConnection, stored: dict[str, str]
) -> None:
    from alerts.check import check_window

    later = NOW + timedelta(days=30)  # the warehouse was loaded a month ago
    window = check_window(con, 7, now=later)
    assert window.end == NOW - timedelta(hours=2)  # the newest article ("other")
    hits = check_query(con, "~banjir", window.days, now=window.end)
    assert {h.article_id for h in hits} == {stored["new"], stored["newer"]}
    assert "the 7 days up to the newest stored article" in window.describe()
    assert check_window(con, None, now=later).describe() == "window: all stored articles"


def test_check_works_on_a_sandboxed_read_only_warehouse(tmp_path: Path, add_article) -> None:
    db = tmp_path / "w.duckdb"
    writer = connect_writer(db)
    writer.execute(
        "INSERT INTO articles (id, source, url, canonical_url, title, text, authors, "
        "published_at, tags, first_seen_at, last_seen_at, content_hash, version, run_id) "
        "VALUES ('a', 'detakpos', 'u', 'u', 'Warga kebanjiran', 'Air naik.', [], ?, [], ?, ?, "
        "'h', 1, 'r')", [NOW, NOW, NOW])
    writer.close()
    reader = connect_reader(db)
    try:
        assert [h.article_id for h in check_query(reader, "~banjir", days=3, now=NOW)] == ["a"]
    finally:
        reader.close()


def test_recent_alerts(con: duckdb.DuckDBPyConnection, stored: dict[str, str],
                       tmp_path: Path) -> None:
    rules = [make_rule("banjir", "banjir"), make_rule("gempa", "gempa")]
    run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW)
    rows = recent_alerts(con, limit=10)
    assert len(rows) == 3 and {r.status for r in rows} == {"sent"}  # "kebanjiran" is not "banjir"
    assert {r.rule for r in recent_alerts(con, 10, rule="gempa")} == {"gempa"}
    assert recent_alerts(con, 2)[0].title is not None
    assert len(recent_alerts(con, 2)) == 2
    assert recent_alerts(con, 10, status="failed") == []
    assert recent_alerts(con, 1)[0].to_dict()["created_at"].startswith("2026-11-21T23:00:00")
    with pytest.raises(ValueError, match="status must be one of"):
        recent_alerts(con, 10, status="terkirim")
