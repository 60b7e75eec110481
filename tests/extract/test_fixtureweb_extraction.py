"""Every fixture-web article extracts to its expected record (fetched over loopback HTTP)."""

from __future__ import annotations

import http.client
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

import fixtureweb  # noqa: E402 - part of this repository: a broken fixture web fails, never skips
from extract import SiteOptions, extract_article


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with fixtureweb.FixtureWeb() as server:
        yield server


@pytest.fixture(scope="module")
def outlet_options(web: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, SiteOptions]:
    path = web.write_sources_yaml(tmp_path_factory.mktemp("src") / "sources.yaml")
    sources = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["sources"]
    return {
        s["name"]: SiteOptions.from_mapping(
            s.get("extract") or {},
            timezone=s.get("timezone", "Asia/Jakarta"),
            language=s.get("language", "id"),
        )
        for s in sources
    }


def _get(port: int, url: str) -> bytes:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", parts.path or "/", headers={"Host": parts.netloc})
        response = connection.getresponse()
        assert response.status == 200, f"{url}: HTTP {response.status}"
        return response.read()
    finally:
        connection.close()


def _f1(got: str, want: str) -> float:
    a = Counter(t.lower() for t in re.findall(r"\w+", got))
    b = Counter(t.lower() for t in re.findall(r"\w+", want))
    common = sum((a & b).values())
    if not common:
        return 0.0
    p, r = common / sum(a.values()), common / sum(b.values())
    return 2 * p * r / (p + r)


def test_every_fixture_article(web: Any, outlet_options: dict[str, SiteOptions]) -> None:
    expected = web.expected_articles()
    assert expected, "the fixture web serves no articles"
    problems: list[str] = []
    for want in expected:
        html = _get(web.port, want["url"])
        art = extract_article(html, want["url"], outlet_options.get(want["outlet"]))
        got = art.to_dict()
        where = want["url"]
        if not art.is_article:
            problems.append(f"{where}: page kind {art.page_kind}")
        leaked = [
            b for b in fixtureweb.BOILERPLATE.get(want["outlet"], []) if b and b in got["text"]
        ]
        if leaked:
            problems.append(f"{where}: boilerplate in text: {leaked}")
        for key in ("title", "published_at", "authors", "dateline"):
            if got[key] != want[key]:
                problems.append(f"{where}: {key} {got[key]!r} != {want[key]!r}")
        f1 = _f1(got["text"], want["text"])
        if f1 < 0.97:
            problems.append(f"{where}: text F1 {f1:.3f}")
    assert not problems, "\n".join(problems)
