"""Crawl processes forked from the fork server behave like fresh interpreters."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from spiders.launcher import forkserver_enabled
from spiders.runner import crawl_source
from staging import iter_records, records_path
from tests.spiders.minisite import MiniSite
from tests.spiders.test_runner import HOST, site, source_for  # noqa: F401 (fixture)

REPO = Path(__file__).resolve().parents[2]


def _crawl(minisite: MiniSite, tmp_path: Path, run_id: str) -> tuple[dict, list[dict]]:  # type: ignore[type-arg]
    staging = tmp_path / run_id  # its own crawl cache too: every crawl starts cold
    stats = crawl_source(source_for(minisite), run_id, staging, [], allow_private_hosts=True,
                         timeout=60)
    staged = [{k: r[k] for k in ("type", "url", "status")}
              for r in iter_records(records_path(staging, run_id, "kabar"))]
    return stats, sorted(staged, key=lambda r: r["url"])


def test_forked_and_fresh_crawls_stage_the_same(
    site: MiniSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    assert forkserver_enabled()  # Linux: the default
    forked, forked_records = _crawl(site, tmp_path, "forked")
    monkeypatch.setenv("PANTAU_CRAWL_FORKSERVER", "0")
    assert not forkserver_enabled()
    fresh, fresh_records = _crawl(site, tmp_path, "fresh")
    assert forked_records == fresh_records and len(forked_records) == 3
    for key in ("pages", "errors", "requests", "status_counts", "robots_forbidden"):
        assert forked[key] == fresh[key], key
    # each crawl reports its own process's cost; a forked one skips the imports
    assert 0 < forked["cpu_seconds"] < fresh["cpu_seconds"]
    assert 0 < forked["peak_rss_mib"] < 1024 and 0 < fresh["peak_rss_mib"] < 1024


def _report_forkserver(queue: multiprocessing.Queue[bool]) -> None:
    queue.put(forkserver_enabled())


def test_a_daemonic_caller_crawls_in_a_fresh_interpreter() -> None:
    """A Celery prefork pool runs tasks in daemonic processes, which multiprocessing forbids to
    start children ("daemonic processes are not allowed to have children"): no fork server."""
    queue: multiprocessing.Queue[bool] = multiprocessing.Queue()
    child = multiprocessing.get_context("fork").Process(target=_report_forkserver,
                                                         args=(queue,), daemon=True)
    child.start()
    child.join(30)
    assert queue.get(timeout=5) is False
    assert forkserver_enabled()  # this (non-daemonic) process keeps it


def test_each_forked_crawl_reads_the_environment_of_its_launch(
    site: MiniSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    _crawl(site, tmp_path, "before")  # the fork server is up now
    monkeypatch.setenv("PANTAU_CONTACT_URL", "https://contoh.example/kontak")
    _crawl(site, tmp_path, "after")
    agents = [h.get("user-agent", "") for _, path, h in site.requests_with_headers
              if path == "/feed/"]
    assert "contoh.example/kontak" not in agents[0]
    assert "contoh.example/kontak" in agents[-1]


def test_preloading_installs_no_reactor() -> None:
    code = ("import sys, spiders.preload as p; "
            "assert 'twisted.internet.reactor' not in sys.modules; "
            "assert 'spiders.settings' not in sys.modules; "
            "assert 'scrapy.downloadermiddlewares.retry' in sys.modules; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, timeout=120)
    assert out.stdout.strip() == "ok", out.stderr
