"""Slack, Telegram and generic webhooks against a local HTTP server answering 500, then 200."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from alerts.channels.base import ChannelUnavailable, DeliveryError
from alerts.channels.registry import ChannelSpec, build_channel, check_channel_spec
from alerts.channels.webhooks import sign
from alerts.deliver import run_alerts
from alerts.rules import make_rule

NOW = datetime(2026, 11, 21, 23, 0, tzinfo=UTC)
TOKEN = "123456:rahasia-bot"


class Hook:
    """A local HTTP server; the first ``fail`` POSTs get HTTP 500, later ones 200."""

    def __init__(self) -> None:
        self.fail = 0
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.lock = threading.Lock()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with hook.lock:
                    failing = hook.fail > 0
                    if failing:
                        hook.fail -= 1
                    else:
                        hook.requests.append((self.path, dict(self.headers), body))
                if failing:
                    self.send_response(500)
                    self.end_headers()
                    self.wfile.write(b"internal error")
                    return
                reply = b'{"ok": true, "result": {}}' if "/bot" in self.path else b"ok"
                self.send_response(200)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch) -> Iterator[Hook]:
    server = Hook()
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PANTAU_SLACK_WEBHOOK_URL", f"{server.url}/services/T000/B000/xyz")
    monkeypatch.setenv("PANTAU_TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("PANTAU_HOOK_SECRET", "kunci-rahasia")
    yield server
    server.close()


def specs(url: str) -> dict[str, ChannelSpec]:
    return {
        "slack": check_channel_spec("slack", {"type": "slack"}),
        "telegram": check_channel_spec("telegram", {"type": "telegram", "chat_id": "-1001234",
                                                    "base_url": url}),
        "hook": check_channel_spec("hook", {"type": "webhook", "url": f"{url}/pantau",
                                            "secret_env": "PANTAU_HOOK_SECRET"}),
    }


@pytest.fixture
def articles(add_article) -> list[str]:
    return [
        add_article("beritaturki", "Erdogan Terima Kunjungan Menlu RI",
                    "Presiden Turki menerima Menteri Luar Negeri Indonesia di Ankara."),
        add_article("detakpos", "Indonesia dan Turki Teken Kerja Sama Pertahanan",
                    "Kedua negara sepakat memproduksi kapal bersama. Turki & Indonesia <resmi>."),
    ]


@pytest.mark.parametrize("channel", ["slack", "telegram", "hook"])
def test_500_then_200_delivers_each_alert_once(
    con: duckdb.DuckDBPyConnection, hook: Hook, articles: list[str], tmp_path: Path,
    channel: str
) -> None:
    rules = [make_rule("turki", "Turki AND Indonesia", channels=[channel],
                       channel_specs=specs(hook.url))]
    hook.fail = 2
    first = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW)
    assert first.total.matched == 2 and first.total.sent == 0 and first.total.pending == 2
    assert hook.requests == []
    errors = [e for (e,) in con.execute("SELECT last_error FROM alerts").fetchall()]
    assert all("HTTP 500" in e for e in errors)
    assert all(TOKEN not in e for e in errors)  # the bot token never lands in the log

    second = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW + timedelta(hours=1))
    assert second.total.sent == 2 and second.total.pending == 0
    third = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW + timedelta(hours=2))
    assert third.total.sent == 0
    assert len(hook.requests) == 2  # zero duplicates, zero lost
    assert con.execute("SELECT DISTINCT status, attempts FROM alerts").fetchall() == [("sent", 2)]

    bodies = [json.loads(body) for _, _, body in hook.requests]
    if channel == "slack":
        assert {p for p, _, _ in hook.requests} == {"/services/T000/B000/xyz"}
        assert any("*Turki*" in b["text"] and "&amp;" in b["text"] for b in bodies)
        assert all("<http://" in b["text"] for b in bodies)
    elif channel == "telegram":
        assert {p for p, _, _ in hook.requests} == {f"/bot{TOKEN}/sendMessage"}
        assert all(b["chat_id"] == "-1001234" and b["parse_mode"] == "HTML" for b in bodies)
        assert any("<b>Turki</b>" in b["text"] and "&lt;resmi&gt;" in b["text"] for b in bodies)
    else:
        ids = {a for (a,) in con.execute("SELECT id FROM alerts").fetchall()}
        assert {b["alert_id"] for b in bodies} == ids
        assert {b["type"] for b in bodies} == {"alert"}
        for _, headers, body in hook.requests:
            expected = "sha256=" + hmac.new(b"kunci-rahasia", body, hashlib.sha256).hexdigest()
            assert headers["X-Pantau-Signature"] == expected
            assert headers["Idempotency-Key"] == json.loads(body)["alert_id"]


def test_webhook_digest(con: duckdb.DuckDBPyConnection, hook: Hook, articles: list[str],
                        tmp_path: Path) -> None:
    rules = [make_rule("turki", "Turki", mode="digest", channels=["hook"],
                       channel_specs=specs(hook.url))]
    assert run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW).total.sent == 2
    ((_, headers, body),) = hook.requests
    payload = json.loads(body)
    assert payload["type"] == "digest" and len(payload["alerts"]) == 2
    assert headers["Idempotency-Key"] == payload["digest_id"]


def test_refused_connection_is_unavailable_and_4xx_is_an_error(hook: Hook) -> None:
    closed = Hook()
    closed.close()
    channel = build_channel(check_channel_spec("h", {"type": "webhook", "url": closed.url}),
                            Path("unused"))
    from alerts.channels.base import Alert

    alert = Alert(id="a", rule="r", query="q", article_id="x", channel="h", source="s",
                  url="http://s.localhost/1", title=None, published_at=None, snippet="",
                  matched_at=NOW)
    with pytest.raises(ChannelUnavailable, match="cannot connect"):
        channel.send(alert)
    telegram = build_channel(specs(hook.url)["telegram"], Path("unused"))
    hook.fail = 1
    with pytest.raises(DeliveryError, match="Telegram \\(telegram\\): HTTP 500") as info:
        telegram.send(alert)
    assert TOKEN not in str(info.value)


def test_missing_secret_keeps_alerts_pending(
    con: duckdb.DuckDBPyConnection, articles: list[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PANTAU_SLACK_WEBHOOK_URL", raising=False)
    rules = [make_rule("turki", "Turki", channels=["slack"],
                       channel_specs={"slack": check_channel_spec("slack", {"type": "slack"})})]
    s = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW)
    assert s.total.pending == 2 and s.total.sent == 0
    (error,) = {e for (e,) in con.execute(
        "SELECT last_error FROM alerts WHERE last_error IS NOT NULL").fetchall()}
    assert "PANTAU_SLACK_WEBHOOK_URL is not set" in error


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"type": "telegram"}, "needs 'chat_id'"),
        ({"type": "webhook"}, "needs 'url' or 'url_env'"),
        ({"type": "webhook", "url": "ftp://x"}, "'url' must be an http(s) URL"),
        ({"type": "slack", "url_env": "https://hooks.slack.com/services/x"},
         "names an environment variable"),
        ({"type": "email", "to": ["bukan-alamat"]}, "'to' must be an email address"),
        ({"type": "email", "to": "a@b.example", "password": "x"}, "unknown key 'password'"),
    ],
)
def test_channel_definition_errors(options: dict, fragment: str) -> None:
    with pytest.raises(ValueError, match=re.escape(fragment)):
        check_channel_spec("c", options)


def test_signature_helper() -> None:
    assert sign("k", b"{}") == "sha256=" + hmac.new(b"k", b"{}", hashlib.sha256).hexdigest()
