"""The whole pipeline on the fixture web: crawl -> extract -> load -> alerts, twice.

First run: every fixture article is loaded, with none of its outlet's boilerplate in `text`, and
alerts fire. Second run: no article page is fetched again, no rows are added, no alert repeats.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.settings import Settings
from pantau.steps import run_step
from tests.readback import rows as table

pytestmark = pytest.mark.slow


def article_requests(web: Any, since: int) -> list[tuple[str, str, str]]:
    """Requests for article pages (those of expected articles) made after index ``since``."""
    paths = {a["url"].split("/", 3)[3] for a in web.expected_articles()}
    return [r for r in web.requests_log[since:] if r[1].lstrip("/").split("?")[0] in paths]


def test_two_nights(pipeline_settings: Settings, fixture_web: Any) -> None:
    from fixtureweb import BOILERPLATE

    web = fixture_web
    expected = web.expected_articles()
    settings = pipeline_settings

    first = run_step(settings, run_id="night-1", workers=2)
    assert all(not r["crawl_error"] for r in first.outlets), first.outlets
    rows = table(settings.db, "SELECT source, url, canonical_url, title, text, published_at_local "
                              "FROM articles")
    by_title = {r[3]: r for r in rows}
    assert len(rows) == len(expected)
    for art in expected:
        row = by_title.get(art["title"])
        assert row is not None, f"missing article {art['url']}"
        assert row[0] == art["outlet"]
        for needle in BOILERPLATE[art["outlet"]]:
            assert needle not in row[4], f"{art['url']}: boilerplate {needle!r} in text"
        assert row[5] == art["published_at"], art["url"]
    per_source = dict(table(settings.db, "SELECT source, count(*) FROM articles GROUP BY 1"))
    assert set(per_source) == set(web.outlets)

    alerts_first = table(settings.db, "SELECT rule, article_id, status FROM alerts")
    assert alerts_first and all(a[2] == "sent" for a in alerts_first)
    outbox = [json.loads(line) for line in settings.outbox.read_text("utf-8").splitlines()]
    assert len(outbox) == len(alerts_first)
    assert len({(a["rule"], a["article_id"]) for a in outbox}) == len(outbox)

    versions = "SELECT id, version, content_hash FROM articles ORDER BY id"
    snapshot = table(settings.db, versions)
    mark = len(web.requests_log)
    second = run_step(settings, run_id="night-2", workers=2)
    assert article_requests(web, mark) == []
    assert sum(r["new"] + r["updated"] for r in second.outlets) == 0
    assert table(settings.db, versions) == snapshot
    assert table(settings.db, "SELECT rule, article_id, status FROM alerts") == alerts_first
    assert len(settings.outbox.read_text("utf-8").splitlines()) == len(outbox)
    runs = table(settings.db, "SELECT run_id, count(*) FROM crawl_runs GROUP BY 1 ORDER BY 1")
    assert runs == [("night-1", len(web.outlets)), ("night-2", len(web.outlets))]


def test_unreachable_outlet_does_not_stop_the_others(
    pipeline_settings: Settings, tmp_path: Path
) -> None:
    sources = yaml.safe_load(pipeline_settings.sources.read_text("utf-8"))
    keep = sources["sources"][0]
    dead = {
        "name": "mati",
        "url": "http://mati.localhost:9/",  # discard port: nothing listens
        "feeds": ["http://mati.localhost:9/feed/"],
    }
    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump({"sources": [keep, dead]}), "utf-8")
    settings = replace(pipeline_settings, sources=path)

    summary = run_step(settings, run_id="night-1", workers=1)
    by_name = {r["source"]: r for r in summary.outlets}
    assert by_name["mati"]["crawl_error"]
    assert by_name[keep["name"]]["new"] > 0
    errors = table(settings.db, "SELECT source, crawl_error FROM crawl_runs WHERE source = 'mati'")
    assert errors and errors[0][1]
    # its health flag raised an operator alert through the channels (the outbox by default)
    assert {h.source: h.flags for h in summary.health}["mati"] == ["crawl failed"]
    outbox = [json.loads(line) for line in settings.outbox.read_text("utf-8").splitlines()]
    assert [a["source"] for a in outbox if a["rule"] == "pantau_operator"] == ["mati"]


def test_private_hosts_refused_without_the_switch(pipeline_settings: Settings) -> None:
    settings = replace(pipeline_settings, allow_private_hosts=False)
    summary = run_step(settings, run_id="night-1", workers=1)
    assert summary.outlets and all(
        r["crawl_error"] and "allow-private-hosts" in r["crawl_error"] for r in summary.outlets
    )
    assert table(settings.db, "SELECT count(*) FROM articles") == [(0,)]
