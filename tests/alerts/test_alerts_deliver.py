"""run_alerts on an in-memory warehouse: exactly-once delivery, retries, filters, digests."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

import alerts.sending
from alerts.channels.base import Alert, Channel, ChannelUnavailable, DeliveryError, Digest
from alerts.channels.outbox import OutboxChannel
from alerts.deliver import RetryPolicy, run_alerts
from alerts.delivery_log import alert_id
from alerts.rules import make_rule

pytestmark = pytest.mark.usefixtures("warehouse_backend")

NOW = datetime(2026, 11, 21, 23, 0, tzinfo=UTC)


class Recorder(Channel):
    """Records what it is asked to send; fails the first ``fail`` calls."""

    def __init__(self, name: str = "outbox", fail: int = 0, down: bool = False) -> None:
        self.name = name
        self.fail = fail
        self.down = down
        self.calls = 0
        self.sent: list[Alert] = []
        self.digests: list[Digest] = []

    def _attempt(self) -> None:
        self.calls += 1
        if self.calls <= self.fail:
            if self.down:
                raise ChannelUnavailable("connection refused")
            raise DeliveryError("HTTP 500 from the test server")

    def send(self, alert: Alert) -> None:
        self._attempt()
        self.sent.append(alert)

    def send_digest(self, digest: Digest) -> None:
        self._attempt()
        self.digests.append(digest)


def outbox_lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "SELECT rule, article_id, channel, status, attempts, last_error IS NULL, "
        "sent_at IS NOT NULL FROM alerts ORDER BY rule, article_id"
    ).fetchall()


@pytest.fixture
def news(add_article) -> dict[str, str]:
    return {
        "banjir": add_article(
            "detakpos", "Banjir Rendam Jakarta Timur",
            "Hujan deras sejak malam membuat kawasan Kampung Melayu kebanjiran. "
            "Ratusan warga mengungsi ke posko di Jalan Jatinegara Barat."),
        "simulasi": add_article(
            "iphedia", "Simulasi Banjir di Bekasi",
            "Petugas BPBD menggelar simulasi penanganan banjir di Bekasi Utara."),
        "bekasi": add_article(
            "iphedia", "Bekasi Dilanda Banjir Lagi",
            "Kali Bekasi meluap dan membanjiri perumahan di Bekasi Timur pada Rabu dini hari."),
        "karabakh": add_article(
            "beritaturki", "Rusia Tarik Pasukan dari Nagorno-Karabakh",
            "Moskow menyatakan pasukan penjaga perdamaian Rusia meninggalkan Nagorno-Karabakh."),
        "pemilu": add_article(
            "detakpos", "KPU Tetapkan Jadwal Pilkada",
            "Komisi Pemilihan Umum menetapkan jadwal pemungutan suara di 37 provinsi."),
    }


def test_alerts_fire_once_and_second_run_sends_nothing(
    con: duckdb.DuckDBPyConnection, news: dict[str, str], tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox.jsonl"
    rules = [make_rule("banjir_jabodetabek", "~banjir AND (Jakarta OR Bekasi) NOT simulasi"),
             make_rule("karabakh", '"Nagorno-Karabakh" AND Rusia')]
    summary = run_alerts(con, rules, outbox, now=NOW)
    assert summary.rules["banjir_jabodetabek"].matched == 2
    assert summary.rules["banjir_jabodetabek"].sent == 2
    assert summary.rules["karabakh"].sent == 1
    assert summary.total.pending == 0 and summary.total.failed == 0
    assert summary.articles_scanned == 5

    lines = outbox_lines(outbox)
    assert sorted((line["rule"], line["article_id"]) for line in lines) == sorted([
        ("banjir_jabodetabek", news["banjir"]), ("banjir_jabodetabek", news["bekasi"]),
        ("karabakh", news["karabakh"])])
    first = next(line for line in lines if line["article_id"] == news["banjir"])
    assert set(first) == {"alert_id", "rule", "article_id", "source", "url", "title",
                          "published_at", "snippet", "matched_at", "outlets", "also"}
    assert first["outlets"] == ["detakpos"] and first["also"] == []
    assert first["alert_id"] == alert_id("banjir_jabodetabek", news["banjir"], "outbox")
    assert first["source"] == "detakpos"
    assert first["published_at"] == "2026-11-20T14:05:00+07:00"
    assert "**kebanjiran**" in first["snippet"]
    assert first["matched_at"] == "2026-11-21T23:00:00+00:00"
    assert all(r[3:] == ("sent", 1, True, True) for r in rows(con))

    again = run_alerts(con, rules, outbox, now=NOW + timedelta(hours=1))
    assert again.total.matched == 0 and again.total.sent == 0
    assert len(outbox_lines(outbox)) == 3
    assert "rule" in str(again) and "total" in str(again)


def test_new_article_later_alerts_once(
    con: duckdb.DuckDBPyConnection, news: dict[str, str], add_article, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox.jsonl"
    rules = [make_rule("pilkada", "pilkada OR pemilu")]
    assert run_alerts(con, rules, outbox, now=NOW).total.sent == 1
    add_article("iphedia", "Pemilu Ulang di Dua TPS", "KPU Kabupaten Bogor menggelar pemilu "
                "ulang di dua TPS.")
    summary = run_alerts(con, rules, outbox, now=NOW + timedelta(days=1))
    assert summary.total.matched == 1 and summary.total.sent == 1
    assert len(outbox_lines(outbox)) == 2


def test_outlets_filter(con: duckdb.DuckDBPyConnection, news: dict[str, str],
                        tmp_path: Path) -> None:
    outbox = tmp_path / "outbox.jsonl"
    rules = [make_rule("banjir_iphedia", "banjir", outlets=["iphedia"]),
             make_rule("banjir_semua", "banjir")]
    summary = run_alerts(con, rules, outbox, now=NOW)
    assert summary.rules["banjir_iphedia"].sent == 2
    assert summary.rules["banjir_semua"].sent == 3
    sources = {line["source"] for line in outbox_lines(outbox) if line["rule"] == "banjir_iphedia"}
    assert sources == {"iphedia"}


def test_only_outlet_rules_scan_only_their_outlets(
    con: duckdb.DuckDBPyConnection, news: dict[str, str], tmp_path: Path
) -> None:
    summary = run_alerts(con, [make_rule("rusia", "Rusia", outlets=["beritaturki"])],
                         tmp_path / "o.jsonl", now=NOW)
    assert summary.articles_scanned == 1 and summary.total.sent == 1


def test_since_sections_and_language(con: duckdb.DuckDBPyConnection, add_article,
                                     tmp_path: Path) -> None:
    add_article("detakpos", "Banjir lama", "Banjir tahun lalu.",
                published_at=datetime(2025, 12, 1, tzinfo=UTC), section="Nasional")
    new = add_article("detakpos", "Banjir baru", "Banjir pekan ini.",
                      published_at=datetime(2026, 11, 20, tzinfo=UTC), section="Metro")
    add_article("detakpos", "Flood news", "Banjir in English text.", language="en")
    rules = [make_rule("baru", "banjir", since=datetime(2026, 11, 1), language="id"),
             make_rule("metro", "banjir", sections=["metro"])]
    run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW)
    got = con.execute("SELECT rule, article_id FROM alerts ORDER BY rule").fetchall()
    assert got == [("baru", new), ("metro", new)]


def test_channel_failing_once_delivers_once_with_attempts_counted(
    con: duckdb.DuckDBPyConnection, news: dict[str, str], tmp_path: Path
) -> None:
    flaky = Recorder(fail=1)
    rules = [make_rule("rusia", "Rusia")]
    first = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW, channels={"outbox": flaky})
    assert first.total.sent == 0 and first.total.pending == 1 and flaky.sent == []
    (row,) = con.execute("SELECT status, attempts, last_error FROM alerts").fetchall()
    assert row == ("pending", 1, "HTTP 500 from the test server")

    # Too soon: the backoff (1 minute after the first failure) has not passed.
    soon = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW + timedelta(seconds=10),
                      channels={"outbox": flaky})
    assert soon.total.sent == 0 and flaky.calls == 1

    later = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW + timedelta(minutes=2),
                       channels={"outbox": flaky})
    assert later.total.sent == 1 and later.total.pending == 0 and later.total.matched == 0
    assert [a.article_id for a in flaky.sent] == [news["karabakh"]]
    (row,) = con.execute("SELECT status, attempts, last_error, sent_at FROM alerts").fetchall()
    assert row == ("sent", 2, None, NOW + timedelta(minutes=2))

    run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW + timedelta(hours=5),
               channels={"outbox": flaky})
    assert len(flaky.sent) == 1 and flaky.calls == 2


def test_failed_after_max_attempts(con: duckdb.DuckDBPyConnection, news: dict[str, str],
                                   tmp_path: Path) -> None:
    broken = Recorder(fail=100)
    rules = [make_rule("rusia", "Rusia")]
    policy = RetryPolicy(max_attempts=3, backoff=timedelta(0))
    outcomes = []
    for hour in range(5):
        s = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW + timedelta(hours=hour),
                       channels={"outbox": broken}, policy=policy)
        outcomes.append((s.total.failed, s.total.pending))
    assert outcomes == [(0, 1), (0, 1), (1, 0), (0, 0), (0, 0)]
    assert broken.calls == 3
    assert con.execute("SELECT status, attempts FROM alerts").fetchall() == [("failed", 3)]


def test_unavailable_channel_is_skipped_for_the_rest_of_the_run(
    con: duckdb.DuckDBPyConnection, news: dict[str, str], tmp_path: Path
) -> None:
    down = Recorder(fail=1, down=True)
    rules = [make_rule("banjir", "banjir")]
    s = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW, channels={"outbox": down})
    assert s.total.matched == 3 and s.total.pending == 3 and down.calls == 1
    attempts = sorted(a for (a,) in con.execute("SELECT attempts FROM alerts").fetchall())
    assert attempts == [0, 0, 0]  # a channel that is down is not an answer about the message
    s = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW + timedelta(hours=1),
                   channels={"outbox": down})
    assert s.total.sent == 3 and len(down.sent) == 3
    assert len({a.id for a in down.sent}) == 3


def test_pending_from_earlier_runs_go_first(
    con: duckdb.DuckDBPyConnection, news: dict[str, str], add_article, tmp_path: Path
) -> None:
    channel = Recorder(fail=1)
    rules = [make_rule("rusia", "Rusia OR Moskow")]
    run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW, channels={"outbox": channel})
    fresh = add_article("detakpos", "Moskow Umumkan Gencatan Senjata", "Pemerintah Rusia ...")
    run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW + timedelta(hours=1),
               channels={"outbox": channel})
    assert [a.article_id for a in channel.sent] == [news["karabakh"], fresh]


def test_digest_mode_sends_one_message_per_rule_and_run(
    con: duckdb.DuckDBPyConnection, news: dict[str, str], tmp_path: Path
) -> None:
    channel = Recorder()
    rules = [make_rule("banjir", "banjir", mode="digest")]
    s = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW, channels={"outbox": channel})
    assert s.total.sent == 3
    assert len(channel.digests) == 1 and len(channel.digests[0].alerts) == 3

    outbox = tmp_path / "digest.jsonl"
    con.execute("DELETE FROM alerts")
    run_alerts(con, rules, outbox, now=NOW, rescan=True)
    lines = outbox_lines(outbox)
    assert len(lines) == 3 and len({line["digest_id"] for line in lines}) == 1


def test_crash_after_writing_the_outbox_does_not_duplicate(
    con: duckdb.DuckDBPyConnection, news: dict[str, str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    outbox = tmp_path / "outbox.jsonl"
    rules = [make_rule("banjir", "banjir")]

    def crash(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt("killed between send and mark")

    with monkeypatch.context() as m:
        m.setattr(alerts.sending, "record_outcomes", crash)
        with pytest.raises(KeyboardInterrupt):
            run_alerts(con, rules, outbox, now=NOW)
    assert len(outbox_lines(outbox)) == 3  # written (one batch), but the rows are still pending
    assert con.execute("SELECT count(*) FROM alerts WHERE status = 'pending'").fetchone() == (3,)

    s = run_alerts(con, rules, outbox, now=NOW + timedelta(minutes=5))
    assert s.total.sent == 3
    ids = [line["alert_id"] for line in outbox_lines(outbox)]
    assert len(ids) == 3 and len(set(ids)) == 3


def test_outbox_cuts_a_torn_last_line(tmp_path: Path) -> None:
    path = tmp_path / "outbox.jsonl"
    path.write_text('{"alert_id": "a1", "rule": "r"}\n{"alert_id": "a2", "ru', encoding="utf-8")
    alert = Alert(id="a2", rule="r", query="x", article_id="art", channel="outbox",
                  source="detakpos", url="http://detakpos.localhost/a", title="Judul",
                  published_at=None, snippet="…", matched_at=NOW)
    box = OutboxChannel(path)
    box.send(alert)
    box.send(alert)
    lines = outbox_lines(path)
    assert [line["alert_id"] for line in lines] == ["a1", "a2"]


def test_only_new_or_changed_articles_are_read_again(
    con: duckdb.DuckDBPyConnection, news: dict[str, str], add_article, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox.jsonl"
    rules = [make_rule("rusia", "Rusia")]
    assert run_alerts(con, rules, outbox, now=NOW).articles_scanned == 5
    assert run_alerts(con, rules, outbox, now=NOW).articles_scanned == 0
    fresh = add_article("detakpos", "Rusia dan Turki", "Pertemuan di Ankara.")
    s = run_alerts(con, rules, outbox, now=NOW)
    assert s.articles_scanned == 1 and s.total.sent == 1
    # An article that changes (new content hash) and now matches alerts.
    con.execute("UPDATE articles SET text = text || ' Rusia membantah.', content_hash = 'h2' "
                "WHERE id = ?", [news["pemilu"]])
    s = run_alerts(con, rules, outbox, now=NOW)
    assert s.articles_scanned == 1 and s.total.sent == 1
    # Changing the rules re-reads everything once: the new rule alerts on the backlog.
    rules.append(make_rule("banjir", "banjir"))
    s = run_alerts(con, rules, outbox, now=NOW)
    assert s.articles_scanned == 6
    assert s.rules["banjir"].sent == 3 and s.rules["rusia"].sent == 0
    assert run_alerts(con, rules, outbox, now=NOW).articles_scanned == 0
    assert {line["article_id"] for line in outbox_lines(outbox) if line["rule"] == "rusia"} == {
        news["karabakh"], fresh, news["pemilu"]}


def test_a_syndicated_story_alerts_once_listing_its_outlets(
    con: duckdb.DuckDBPyConnection, add_article, tmp_path: Path
) -> None:
    text = ("Gunung Lewotobi Laki-laki kembali erupsi pada Kamis pagi dengan tinggi kolom abu "
            "mencapai dua kilometer. Warga diminta menjauhi radius tujuh kilometer.")
    first = add_article("detakpos", "Lewotobi Erupsi Lagi", text,
                        published_at=datetime(2026, 11, 20, 1, 0, tzinfo=UTC))
    copy = add_article("iphedia", "Gunung Lewotobi Kembali Erupsi", text,
                       published_at=datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
    con.execute("UPDATE articles SET cluster_id = ?", [first])  # as warehouse.dedup would
    channel = Recorder()
    rules = [make_rule("erupsi", "erupsi OR ~letusan")]
    s = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW, channels={"outbox": channel})
    assert s.total.matched == 1 and s.total.sent == 1
    (alert,) = channel.sent
    assert alert.article_id == first  # the earliest copy carries the alert
    assert alert.outlets == ["detakpos", "iphedia"]
    assert alert.also == (("iphedia", f"http://iphedia.localhost/read/{_slug(con, copy)}"),)

    # A third copy loaded the next night joins the story: no new alert.
    late = add_article("beritaturki", "Letusan Lewotobi", text,
                       published_at=datetime(2026, 11, 21, 1, 0, tzinfo=UTC))
    con.execute("UPDATE articles SET cluster_id = ? WHERE id = ?", [first, late])
    s = run_alerts(con, rules, tmp_path / "o.jsonl", now=NOW + timedelta(days=1),
                   channels={"outbox": channel})
    assert s.articles_scanned == 1 and s.total.matched == 0 and len(channel.sent) == 1


def _slug(con: duckdb.DuckDBPyConnection, article_id: str) -> str:
    (url,) = con.execute("SELECT url FROM articles WHERE id = ?", [article_id]).fetchone()
    return url.rsplit("/", 1)[1]
