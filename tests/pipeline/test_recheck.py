"""Re-checking recent articles (``recheck_days``) over the time-travelling fixture web.

Night 1 (17 Nov, 09:00 WIB) loads what was published by then. Night 2 (19 Nov, 10:00 WIB): with
``recheck_days: 3`` every article published since 16 Nov 10:00 WIB is requested again with a
conditional GET, besides the new ones discovery finds; the one that got a "Ralat" becomes a new
version, the unchanged ones do not, the two taken down (404 and 410) are marked removed and
stay. Night 3 (the same moment again): the live ones answer 304. With the default (off) night 2
requests only the new articles, as before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from core.settings import Settings
from fixtureweb import FixtureWeb
from pantau.steps import crawl_step, load_step
from tests.readback import rows

pytestmark = pytest.mark.slow

NIGHT1 = datetime.fromisoformat("2026-11-17T09:00:00+07:00")
NIGHT2 = datetime.fromisoformat("2026-11-19T10:00:00+07:00")
DAYS = 3
RALAT_PATH = "/2026/11/16/turki-dan-indonesia-sepakati-produksi-bersama-kapal-patroli/"
GONE = {  # path -> status the outlet answers once it took the article down
    "/2026/11/bmkg-peringatkan-hujan-lebat-di-jabodetabek-sepekan-ke-depan.html": 404,
    "/berita/d-7711544/pemerintah-dan-dpr-sepakati-jadwal-pembahasan-ruu-penyiaran": 410,
}


@pytest.fixture()
def web() -> Iterator[FixtureWeb]:
    with FixtureWeb(as_of=NIGHT1) as served:
        yield served


def settings_for(web: FixtureWeb, tmp_path: Path, recheck_days: int | None) -> Settings:
    path = web.write_sources_yaml(tmp_path / "sources.yaml")
    if recheck_days is not None:
        doc = yaml.safe_load(path.read_text("utf-8"))
        for entry in doc["sources"]:
            entry["recheck_days"] = recheck_days
        path.write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")
    return Settings(
        db=tmp_path / "data" / "pantau.duckdb",
        sources=path,
        staging=tmp_path / "data" / "staging",
        rules=tmp_path / "rules.yaml",
        outbox=tmp_path / "data" / "outbox.jsonl",
        allow_private_hosts=True,
    )


def night(
    web: FixtureWeb, settings: Settings, monkeypatch: pytest.MonkeyPatch, run_id: str,
    as_of: datetime,
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Crawl and load one simulated night; (crawl stats per outlet, article URLs requested)."""
    web.set_as_of(as_of)
    articles = {(urlsplit(e.url).hostname, urlsplit(e.url).path): e.url
                for e in web.events() if e.kind == "new"}
    mark = len(web.requests_log)
    stats = {s["source"]: s for s in crawl_step(replace(settings, as_of=as_of), run_id)}
    requested = [articles[(host, target.split("?")[0])]
                 for host, target, _ in web.requests_log[mark:]
                 if (host, target.split("?")[0]) in articles]
    load_step(settings, run_id, workers=2)
    assert all(s["crawl_error"] is None for s in stats.values()), stats
    return stats, requested


def published(web: FixtureWeb, since: datetime | None, until: datetime) -> set[str]:
    """URLs of the articles published in (since, until]."""
    return {e.url for e in web.events()
            if e.kind == "new" and e.at <= until and (since is None or e.at > since)}


def total(stats: dict[str, dict[str, Any]], key: str) -> int:
    return sum(int(s.get(key) or 0) for s in stats.values())


def test_recheck_finds_the_ralat_and_the_removals(
    web: FixtureWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(web, tmp_path, DAYS)
    _, first = night(web, settings, monkeypatch, "night-1", NIGHT1)
    known = published(web, None, NIGHT1)
    assert Counter(first) == Counter(known)  # nothing to re-check in an empty warehouse
    assert rows(settings.db, "SELECT count(*) FROM articles") == [(len(known),)]

    since = NIGHT2 - timedelta(days=DAYS)
    window = {e.url for e in web.events()
              if e.kind == "new" and e.url in known and e.at >= since}
    older = known - window
    new = published(web, NIGHT1, NIGHT2)
    assert new == web.changes_between(NIGHT1, NIGHT2).new
    by_path = {urlsplit(u).path: u for u in known}
    ralat, gone = by_path[RALAT_PATH], {by_path[p]: s for p, s in GONE.items()}
    assert ralat in window and set(gone) <= window and older, "the fixture web changed"

    stats, second = night(web, settings, monkeypatch, "night-2", NIGHT2)
    # each new article and each article of the window requested exactly once; no older one
    assert Counter(second) == Counter(new | window)
    assert len(second) == len(new) + len(window)
    assert total(stats, "recheck_requests") == len(window)
    assert total(stats, "recheck_gone") == len(gone)
    assert total(stats, "recheck_covered") > 0  # discovery met them and left them alone

    versions = dict(rows(settings.db, "SELECT url, version FROM articles"))
    assert len(versions) == len(known | new)  # removed articles stay
    [(text,)] = rows(settings.db, "SELECT text FROM articles WHERE url = ?", ralat.rstrip("/"))
    assert "Ralat:" in text and versions[ralat.rstrip("/")] == 2
    [(old_text,)] = rows(settings.db, "SELECT v.text FROM article_versions v "
                                   "JOIN articles a ON a.id = v.article_id WHERE a.url = ?",
                         ralat.rstrip("/"))
    assert "Ralat:" not in old_text
    unchanged = window - {ralat} - set(gone)
    assert unchanged and all(versions[u.rstrip("/")] == 1 for u in unchanged)

    removed = rows(settings.db, "SELECT url, removed_status, removed_at, source FROM articles "
                             "WHERE removed_at IS NOT NULL")
    assert {r[0]: r[1] for r in removed} == {u.rstrip("/"): s for u, s in gone.items()}
    for _, _, removed_at, source in removed:  # the time the crawler saw it gone
        crawl = stats[source]
        assert datetime.fromisoformat(crawl["started_at"]) <= removed_at
        assert removed_at <= datetime.fromisoformat(crawl["finished_at"])
    history = rows(settings.db, "SELECT removed_status, run_id, restored_at FROM article_removals "
                             "ORDER BY removed_status")
    assert history == [(404, "night-2", None), (410, "night-2", None)]
    runs = rows(settings.db, "SELECT sum(recheck_requests), sum(removed_articles) FROM crawl_runs "
                          "WHERE run_id = 'night-2'")
    assert runs == [(len(window), len(gone))]

    # Night 3, the same moment: the live articles answer 304, the removed ones 404/410 again.
    window3 = window | new
    before = rows(settings.db, "SELECT url, version, removed_at FROM articles ORDER BY url")
    stats3, third = night(web, settings, monkeypatch, "night-3", NIGHT2)
    assert Counter(third) == Counter(window3)
    assert total(stats3, "recheck_requests") == len(window3)
    assert total(stats3, "recheck_not_modified") == len(window3) - len(gone)
    assert total(stats3, "pages") == 0 and total(stats3, "errors") == len(gone)
    assert rows(settings.db, "SELECT url, version, removed_at FROM articles ORDER BY url") == before
    assert len(rows(settings.db, "SELECT * FROM article_removals")) == len(gone)
    runs3 = rows(settings.db, "SELECT sum(recheck_not_modified), sum(removed_articles) "
                           "FROM crawl_runs WHERE run_id = 'night-3'")
    assert runs3 == [(len(window3) - len(gone), 0)]


def test_recheck_off_requests_only_new_articles(
    web: FixtureWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(web, tmp_path, None)  # no recheck_days: the default, off
    night(web, settings, monkeypatch, "night-1", NIGHT1)
    stats, second = night(web, settings, monkeypatch, "night-2", NIGHT2)
    new = published(web, NIGHT1, NIGHT2)
    assert Counter(second) == Counter(new)
    assert total(stats, "recheck_requests") == 0
    assert rows(settings.db, "SELECT count(*) FROM articles WHERE removed_at IS NOT NULL") == [(0,)]
    assert rows(settings.db, "SELECT count(*) FROM article_removals") == [(0,)]


def test_the_window_ends_at_the_crawls_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.errors import ConfigError
    from core.settings import resolve_settings
    from pantau.steps import crawl_moment

    monkeypatch.setenv("PANTAU_AS_OF", NIGHT2.isoformat())
    assert crawl_moment(resolve_settings()) == NIGHT2
    monkeypatch.delenv("PANTAU_AS_OF")
    now = crawl_moment(resolve_settings())
    assert abs(now - datetime.now(NIGHT2.tzinfo)) < timedelta(minutes=1)
    monkeypatch.setenv("PANTAU_AS_OF", "2026-11-19T10:00:00")  # no time zone
    with pytest.raises(ConfigError, match="PANTAU_AS_OF"):
        crawl_moment(resolve_settings())
