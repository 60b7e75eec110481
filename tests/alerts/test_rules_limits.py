"""Rules that cost too much or say too little (issue 14, item 10): deep nesting, unknown
outlets."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from alerts.rules import load_rules_file, warn_unknown_outlets
from core.errors import ConfigError


@pytest.mark.parametrize("depth", [3000, 200])
def test_deeply_nested_parentheses_get_file_and_line(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "rules.yaml"
    query = "(" * depth + "banjir" + ")" * depth
    path.write_text(f"rules:\n  - name: dalam\n    query: '{query}'\n", "utf-8")
    with pytest.raises(ConfigError) as info:
        load_rules_file(path)
    message = str(info.value)
    assert message.startswith(f"{path}:3:") and "nest" in message


def test_moderate_nesting_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    query = "(" * 20 + "banjir" + ")" * 20
    path.write_text(f"rules:\n  - name: dalam\n    query: '{query}'\n", "utf-8")
    assert load_rules_file(path).rules[0].name == "dalam"


def test_a_rule_naming_an_unknown_outlet_is_warned_about(tmp_path: Path, caplog) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - name: a\n    query: banjir\n    outlets: [detakpos, kompaz]\n",
                    "utf-8")
    rules = load_rules_file(path).rules
    with caplog.at_level(logging.WARNING):
        unknown = warn_unknown_outlets(rules, {"detakpos", "kompas"})
    assert unknown == [("a", "kompaz")]
    assert f"{path}:2" in caplog.text and "kompaz" in caplog.text
    assert "never" in caplog.text
