"""Email alerts against a real SMTP server (aiosmtpd) on 127.0.0.1: down for a run, then up."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
from aiosmtpd.controller import Controller

from alerts.channels.base import Alert
from alerts.channels.registry import ChannelSpec
from alerts.channels.smtp import (
    EmailChannel,
    SmtpSettings,
    smtp_settings,
    smtp_settings_from_connection,
)
from alerts.deliver import run_alerts
from alerts.rules import make_rule
from core.errors import ConfigError

NOW = datetime(2026, 11, 21, 23, 0, tzinfo=UTC)


class Inbox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        msg = email.message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append(msg)  # type: ignore[arg-type]
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_env(monkeypatch: pytest.MonkeyPatch) -> int:
    port = free_port()
    for key in ("PANTAU_SMTP_CONN_ID", "PANTAU_SMTP_USER", "PANTAU_SMTP_PASSWORD",
                "PANTAU_SMTP_SSL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("PANTAU_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PANTAU_SMTP_PORT", str(port))
    monkeypatch.setenv("PANTAU_SMTP_STARTTLS", "0")
    monkeypatch.setenv("PANTAU_SMTP_FROM", "pantau@redaksi.example")
    monkeypatch.setenv("PANTAU_SMTP_TIMEOUT", "5")
    return port


@pytest.fixture
def server(smtp_env: int) -> Iterator[tuple[Inbox, Controller]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_env)
    yield inbox, controller
    if getattr(controller, "_thread", None) is not None:
        controller.stop()


def test_smtp_down_for_one_run_then_up_each_alert_arrives_once(
    con: duckdb.DuckDBPyConnection, add_article, server: tuple[Inbox, Controller],
    tmp_path: Path
) -> None:
    inbox, controller = server
    ids = [
        add_article("detakpos", "Banjir Rendam Jakarta Utara",
                    "Air setinggi lutut menggenangi permukiman di Penjaringan, Jakarta Utara."),
        add_article("iphedia", "Tanggul Jebol, Bekasi Kebanjiran",
                    "Tanggul Kali Cikeas jebol sehingga perumahan di Bekasi kebanjiran."),
        add_article("beritaturki", "Banjir Bandang di Laut Hitam",
                    "Banjir bandang melanda provinsi di pesisir Laut Hitam, Turki."),
    ]
    spec = ChannelSpec("redaksi", "email", {"to": ["meja.metro@redaksi.example",
                                                    "piket@redaksi.example"]})
    rules = [make_rule("banjir_jabodetabek", "~banjir AND (Jakarta OR Bekasi)",
                       channels=["redaksi", "outbox"], channel_specs={"redaksi": spec})]

    down = run_alerts(con, rules, tmp_path / "outbox.jsonl", now=NOW)
    assert down.rules["banjir_jabodetabek"].matched == 2
    assert down.total.sent == 2  # the outbox still works
    assert down.total.pending == 2 and inbox.messages == []
    errors = con.execute("SELECT attempts, last_error FROM alerts WHERE channel = 'redaksi' "
                         "ORDER BY attempts").fetchall()
    assert [a for a, _ in errors] == [0, 0]  # SMTP down is no attempt: the alerts wait
    assert all(e.startswith("waiting: channel redaksi is down") and "cannot connect" in e
               for _, e in errors)

    controller.start()
    up = run_alerts(con, rules, tmp_path / "outbox.jsonl", now=NOW + timedelta(hours=1))
    assert up.total.sent == 2 and up.total.pending == 0 and up.total.matched == 0
    again = run_alerts(con, rules, tmp_path / "outbox.jsonl", now=NOW + timedelta(hours=2))
    assert again.total.sent == 0

    # zero lost, zero duplicated
    assert len(inbox.messages) == 2
    alert_ids = sorted(m["X-Pantau-Alert-Id"] for m in inbox.messages)
    expected = sorted(r[0] for r in con.execute(
        "SELECT id FROM alerts WHERE channel = 'redaksi' AND status = 'sent'").fetchall())
    assert alert_ids == expected
    assert {m["Message-ID"] for m in inbox.messages} == {
        f"<alert.{i}@redaksi.example>" for i in expected}
    assert {a for (a,) in con.execute("SELECT article_id FROM alerts").fetchall()} == set(ids[:2])
    assert all(rcpt == ["meja.metro@redaksi.example", "piket@redaksi.example"]
               for _, rcpt in inbox.envelopes)

    msg = next(m for m in inbox.messages if "Jakarta Utara" in m["Subject"])
    assert msg["Subject"] == "[pantau] banjir_jabodetabek: Banjir Rendam Jakarta Utara"
    assert msg["From"] == "pantau <pantau@redaksi.example>"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["Date"]
    plain = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "http://detakpos.localhost/read/" in plain and "*Jakarta*" in plain
    assert "<mark><strong>Jakarta</strong></mark>" in html
    assert "2026-11-20T14:05:00+07:00" in plain


def test_digest_email_is_one_message(
    con: duckdb.DuckDBPyConnection, add_article, server: tuple[Inbox, Controller],
    tmp_path: Path
) -> None:
    inbox, controller = server
    controller.start()
    for i in range(3):
        add_article("detakpos", f"Gempa Susulan {i}", f"Gempa susulan ke-{i} terasa di Cianjur.")
    spec = ChannelSpec("redaksi", "email", {"to": "piket@redaksi.example"})
    rules = [make_rule("gempa", "gempa", mode="digest", channels=["redaksi"],
                       channel_specs={"redaksi": spec})]
    assert run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW).total.sent == 3
    (msg,) = inbox.messages
    assert msg["Subject"] == "[pantau] gempa: 3 artikel baru"
    assert msg["X-Pantau-Digest-Id"]
    assert msg.get_body(("plain",)).get_content().count("http://detakpos.localhost/") == 3


def test_message_id_is_stable_per_alert() -> None:
    settings = SmtpSettings(host="127.0.0.1", port=25, starttls=False)
    channel = EmailChannel("e", ["a@b.example"], settings, sender="pantau@b.example")
    alert = Alert(id="abc123", rule="r", query="q", article_id="x", channel="e", source="s",
                  url="http://s.localhost/1", title="Judul", published_at=None,
                  snippet="**banjir** di <Jakarta> & sekitarnya", matched_at=NOW)
    first, second = channel.message_for(alert), channel.message_for(alert)
    assert first["Message-ID"] == second["Message-ID"] == "<alert.abc123@b.example>"
    other = channel.message_for(Alert(**{**alert.__dict__, "id": "def456"}))
    assert other["Message-ID"] != first["Message-ID"]
    html = first.get_body(("html",)).get_content()
    assert "&lt;Jakarta&gt; &amp; sekitarnya" in html  # escaped, never raw markup
    story = channel.message_for(Alert(**{**alert.__dict__, "also": (
        ("iphedia", "http://iphedia.localhost/2"),)}))
    assert "Juga dimuat di:\n  - iphedia: http://iphedia.localhost/2" in story.get_body(
        ("plain",)).get_content()
    assert '<a href="http://iphedia.localhost/2">iphedia</a>' in story.get_body(
        ("html",)).get_content()


def test_settings_from_environment_and_airflow_connection() -> None:
    s = smtp_settings({"PANTAU_SMTP_HOST": "mail.example", "PANTAU_SMTP_USER": "u",
                       "PANTAU_SMTP_PASSWORD": "rahasia"})
    assert (s.host, s.port, s.starttls, s.ssl, s.user) == ("mail.example", 587, True, False, "u")
    assert "rahasia" not in repr(s)
    s = smtp_settings({"PANTAU_SMTP_HOST": "mail.example", "PANTAU_SMTP_SSL": "1"})
    assert (s.port, s.starttls, s.ssl) == (465, False, True)
    with pytest.raises(ConfigError, match="PANTAU_SMTP_HOST"):
        smtp_settings({})
    with pytest.raises(ConfigError, match="port 'dua' is not a number"):
        smtp_settings({"PANTAU_SMTP_HOST": "h", "PANTAU_SMTP_PORT": "dua"})
    conn = SimpleNamespace(host="smtp.example", port=2525, login="bot", password="pw",
                           extra_dejson={"starttls": "false", "from": "alerts@example.org"})
    s = smtp_settings_from_connection(conn, "pantau_smtp")
    assert (s.host, s.port, s.user, s.password, s.starttls, s.sender) == (
        "smtp.example", 2525, "bot", "pw", False, "alerts@example.org")
