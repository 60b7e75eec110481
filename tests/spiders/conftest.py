from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_politeness_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Crawls in tests run against loopback servers: no delay between requests."""
    monkeypatch.setenv("PANTAU_DOWNLOAD_DELAY", "0")
    monkeypatch.setenv("PANTAU_RETRY_BACKOFF", "0")
