"""Config files that cost too much or say too little (issue 14, items 9 and 10): alias bombs,
text that is not UTF-8, bad URLs; sources and rules alike."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from alerts.rules import load_rules_file
from core.config import load_sources_file
from core.errors import ConfigError
from core.yamlfile import load_located


def alias_bomb(levels: int = 9) -> str:
    """The billion laughs: 9 levels of 9 aliases each, a few hundred bytes, 9**9 values."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghijklm"[: levels - 1]:
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_in_sources_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    body = "".join(f"  {line}\n" for line in alias_bomb().splitlines())
    path.write_text("sources: []\nbomb:\n" + body, "utf-8")
    assert path.stat().st_size < 400
    started = time.monotonic()
    with pytest.raises(ConfigError) as info:
        load_sources_file(path)
    assert time.monotonic() - started < 2
    assert str(info.value).startswith(f"{path}:") and "alias" in str(info.value)


def test_an_alias_bomb_in_rules_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules: []\naliases:\n" + "".join(
        f"  {line}\n" for line in alias_bomb().splitlines()), "utf-8")
    started = time.monotonic()
    with pytest.raises(ConfigError, match="alias"):
        load_rules_file(path)
    assert time.monotonic() - started < 2


def test_modest_aliases_still_work(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("base: &base {timezone: Asia/Makassar}\none: *base\ntwo: *base\n", "utf-8")
    doc = load_located(path)
    assert doc.value["two"].value["timezone"].value == "Asia/Makassar"


@pytest.mark.parametrize("kind", ["sources", "rules"])
def test_a_file_that_is_not_utf8_gets_file_and_line(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.yaml"
    text = ("sources:\n  - name: kafe\n    url: http://kafe.id/caf\u00e9\n" if kind == "sources"
            else "rules:\n  - name: kafe\n    query: caf\u00e9\n")
    path.write_bytes(text.encode("latin-1"))
    loader = load_sources_file if kind == "sources" else load_rules_file
    with pytest.raises(ConfigError) as info:
        loader(path)
    message = str(info.value)
    assert message.startswith(f"{path}:3:") and "UTF-8" in message and "0xe9" in message


@pytest.mark.parametrize("url", ["http://[::1/", "http://[::1/feed"])
def test_an_invalid_ipv6_url_gets_file_and_line(tmp_path: Path, url: str) -> None:
    path = tmp_path / "sources.yaml"
    if url.endswith("feed"):
        path.write_text(f"sources:\n  - name: v6\n    url: http://v6.id/\n    feeds:\n"
                        f"      - '{url}'\n", "utf-8")
        line = 5
    else:
        path.write_text(f"sources:\n  - name: v6\n    url: '{url}'\n    feeds: "
                        "[http://v6.id/feed]\n", "utf-8")
        line = 3
    with pytest.raises(ConfigError) as info:
        load_sources_file(path)
    assert str(info.value).startswith(f"{path}:{line}:") and "IPv6" in str(info.value)
