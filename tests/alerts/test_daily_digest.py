"""Daily digests (`mode: daily`): one email per recipient per day, against a real SMTP server
(aiosmtpd), with the day's stories per rule and a coverage chart; never sent twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from aiosmtpd.controller import Controller

from alerts.channels.base import Alert, DailyDigest
from alerts.channels.daily_render import coverage, html_text, plain_text
from alerts.channels.registry import ChannelSpec
from alerts.deliver import run_alerts
from alerts.rules import load_rules_file, make_rule
from core.errors import ConfigError

from .conftest import AddArticle
from .test_alerts_email import Inbox, server, smtp_env  # noqa: F401 (fixtures)

NIGHT = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)  # 21 November, 02:00 WIB


def sample_digest() -> DailyDigest:
    """A digest of two rules, one story run by three outlets."""
    def alert(i: int, rule: str, source: str, title: str,
              also: tuple[tuple[str, str], ...] = ()) -> Alert:
        return Alert(f"id{i}", rule, "q", f"a{i}", "redaksi", source, f"http://x/{i}", title,
                     f"2026-11-20T0{i}:00:00+07:00", "air **banjir** naik", NIGHT, also)
    alerts = (
        alert(1, "banjir", "detakpos", "Banjir Jakarta", (("iphedia", "http://y/1"),
                                                          ("beritaturki", "http://z/1"))),
        alert(2, "banjir", "iphedia", "Banjir Bekasi"),
        alert(3, "gempa", "iphedia", "Gempa Ambon <M5>"),
    )
    return DailyDigest("redaksi", date(2026, 11, 21), alerts,
                       (("banjir", "~banjir"), ("gempa", "gempa")))


def test_digest_rendering_groups_stories_per_rule_with_coverage() -> None:
    digest = sample_digest()
    parts = digest.by_rule()
    assert [p.rule for p in parts] == ["banjir", "gempa"]
    assert coverage(parts[0]) == [("iphedia", 2), ("beritaturki", 1), ("detakpos", 1)]
    text = plain_text(digest)
    assert "== banjir (~banjir): 2 cerita ==" in text
    assert "pertama: detakpos · 2026-11-20T01:00:00+07:00" in text
    assert "juga: iphedia, beritaturki" in text and "air *banjir* naik" in text
    page = html_text(digest)
    assert 'data-rule="banjir" data-stories="2"' in page
    assert '<tr class="coverage-row" data-outlet="iphedia" data-count="2">' in page
    assert "Gempa Ambon &lt;M5&gt;" in page and "<M5>" not in page
    assert "<script" not in page and "<svg" not in page


def test_daily_digest_goes_once_a_day_per_recipient(
        con: duckdb.DuckDBPyConnection, add_article: AddArticle,
        server: tuple[Inbox, Controller], tmp_path: Path) -> None:  # noqa: F811
    inbox, controller = server
    controller.start()
    first = add_article("detakpos", "Banjir Rendam Jakarta", "Banjir merendam Jakarta Utara.",
                        published_at=datetime(2026, 11, 20, 1, tzinfo=UTC))
    copy = add_article("iphedia", "Jakarta Terendam Banjir", "Banjir merendam Jakarta Utara.",
                       published_at=datetime(2026, 11, 20, 3, tzinfo=UTC))
    con.execute("UPDATE articles SET cluster_id = ? WHERE id IN (?, ?)", [first, first, copy])
    add_article("iphedia", "Banjir Bekasi", "Banjir di Bekasi.",
                published_at=datetime(2026, 11, 20, 2, tzinfo=UTC))
    add_article("beritaturki", "Gempa Ambon", "Gempa mengguncang Ambon.",
                published_at=datetime(2026, 11, 20, 4, tzinfo=UTC))
    spec = ChannelSpec("redaksi", "email", {"to": "meja@redaksi.example"})
    specs = {"redaksi": spec}
    rules = [
        make_rule("banjir", "banjir", channels=["redaksi"], mode="daily", channel_specs=specs),
        make_rule("gempa", "gempa", channels=["redaksi"], mode="daily", channel_specs=specs),
        make_rule("bekasi", "Bekasi", channels=["redaksi"], channel_specs=specs),  # immediate
    ]
    outbox = tmp_path / "outbox.jsonl"

    night1 = run_alerts(con, rules, outbox, now=NIGHT)
    assert night1.rules["banjir"].matched == 2  # two stories (the copy joins the first)
    assert night1.total.sent == 4 and night1.total.pending == 0
    digests = [m for m in inbox.messages if m["X-Pantau-Digest-Day"]]
    assert len(digests) == 1 and len(inbox.messages) == 2  # the digest + Bekasi's own alert
    digest = digests[0]
    assert digest["X-Pantau-Digest-Day"] == "2026-11-21"
    assert digest["Subject"] == "[pantau] Ringkasan harian 2026-11-21: 3 cerita, 2 aturan"
    html = digest.get_body(("html",)).get_content()  # type: ignore[union-attr]
    plain = digest.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert 'data-rule="banjir" data-stories="2"' in html
    assert 'data-rule="gempa" data-stories="1"' in html
    assert '<tr class="coverage-row" data-outlet="iphedia" data-count="2">' in html
    assert "pertama: detakpos" in plain and "juga: iphedia" in plain

    # later the same day: a new match waits for tomorrow's digest
    add_article("detakpos", "Gempa Susulan", "Gempa susulan di Ambon.",
                published_at=datetime(2026, 11, 21, 1, tzinfo=UTC))
    later = run_alerts(con, rules, outbox, now=NIGHT + timedelta(hours=8))
    assert later.rules["gempa"].matched == 1 and later.total.sent == 0
    assert later.rules["gempa"].pending == 1 and len(inbox.messages) == 2
    # the next night: one digest with it; a rerun of that night sends nothing more
    night2 = run_alerts(con, rules, outbox, now=NIGHT + timedelta(days=1))
    assert night2.total.sent == 1 and len(inbox.messages) == 3
    assert run_alerts(con, rules, outbox, now=NIGHT + timedelta(days=1, hours=1)).total.sent == 0
    second = inbox.messages[-1]
    assert second["X-Pantau-Digest-Day"] == "2026-11-22"
    assert "Gempa Susulan" in second.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    rows = con.execute("SELECT count(*), count(DISTINCT id) FROM alerts WHERE status = 'sent'"
                       ).fetchone()
    assert rows == (5, 5)


def test_rules_file_daily_mode(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - name: x\n    query: banjir\n    mode: daily\n", "utf-8")
    assert load_rules_file(path).rules[0].mode == "daily"
    path.write_text("rules:\n  - name: x\n    query: banjir\n    mode: weekly\n", "utf-8")
    with pytest.raises(ConfigError, match="'daily' \\(one digest per recipient per day\\)"):
        load_rules_file(path)
