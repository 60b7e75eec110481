"""The rules file: loading, defaults, and errors that name the file, the line and the fix."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from alerts.rules import load_rules, load_rules_file
from core.errors import ConfigError
from core.settings import REPO_ROOT
from query.parser import to_text


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_rules_file_loads() -> None:
    rules = load_rules(REPO_ROOT / "rules.yaml", known_outlets={"beritaturki", "iphedia",
                                                                "detakpos"})
    assert len(rules) >= 3
    assert len({r.name for r in rules}) == len(rules)
    assert any(r.outlets for r in rules)


def test_defaults_and_all_fields(tmp_path: Path) -> None:
    path = write(tmp_path, """\
aliases:
  jokowi: [Jokowi, "Joko Widodo"]
rules:
  - name: banjir_jakarta
    query: banjir AND (Jakarta OR Bekasi)
  - name: jokowi_ikn
    query: '@jokowi IKN'
    outlets: [detakpos]
    sections: [Nasional]
    language: id
    channels: [outbox]
    mode: digest
    since: 2026-11-01
""")
    loaded = load_rules_file(path)
    first, second = loaded.rules
    assert first.channel_names == ("outbox",) and first.mode == "immediate"
    assert first.outlets == () and first.since is None
    assert first.origin == f"{path}:4"
    assert to_text(second.node) == '((jokowi OR "joko widodo") AND ikn)'
    assert second.outlets == ("detakpos",) and second.sections == ("nasional",)
    assert second.mode == "digest"
    assert second.since == datetime(2026, 11, 1, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("rules:\n  - name: a\n    query: banjir\n    outlet: [x]\n", 4,
         "rule 'a': unknown key 'outlet' (allowed: baseline_days, channels, language, "
         "min_count, mode, name, outlets"),
        ("rules:\n  - name: Banjir Jakarta\n    query: banjir\n", 2, "must be a slug"),
        ("rules:\n  - query: banjir\n", 2, "has no 'name'"),
        ("rules:\n  - name: a\n", 2, "'query' must be a non-empty string"),
        ("rules:\n  - name: a\n    query: banjir (Jakarta\n", 3,
         "rule 'a': query 'banjir (Jakarta': unbalanced parenthesis at 8 (this '(' is never "
         "closed)"),
        ("rules:\n  - name: a\n    query: NOT simulasi\n", 3, "only NOT terms"),
        ("rules:\n  - name: a\n    query: banjir\n    mode: weekly\n", 4,
         "mode must be 'immediate'"),
        ("rules:\n  - name: a\n    query: banjir\n    channels: [slack]\n", 4,
         "unknown channel 'slack'"),
        ("rules:\n  - name: a\n    query: banjir\n    since: kemarin\n", 4,
         "since must be a date"),
        ("rules:\n  - name: a\n    query: banjir\n    outlets: kompas detik\n", 4,
         "outlet 'kompas detik' must be a source name"),
        ("rules:\n  - name: a\n    query: x\n  - name: a\n    query: y\n", 4,
         "rule name 'a' is already used at"),
        ("rule:\n  - name: a\n", 1, "expected a mapping with a 'rules:' list"),
        ("rules:\n  - name: a\n    query: x\nextra: 1\n", 4, "unknown top-level key 'extra'"),
        ("rules: {}\n", 1, "'rules' must be a list"),
        ("rules:\n  - name: a\n    query: '@pkb'\n", 3, "unknown alias '@pkb'"),
        ("aliases:\n  kpk: [\"-\"]\nrules: []\n", 2, "no letters or digits"),
        ("rules:\n  - name: a\n    query: x\n    language: Indonesia\n", 4, "ISO 639-1"),
        ("rules:\n  - name: a\n    query: banjir\n  - name: b\n    query: [x\n", 6,
         "invalid YAML"),
        ("channels:\n  hook:\n    type: pigeon\nrules: []\n", 3, "'type' must be one of"),
        ("channels:\n  box:\n    type: outbox\n    paht: x.jsonl\nrules: []\n", 4,
         "unknown key 'paht'"),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_rules(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert fragment in message


def test_unknown_outlet_when_outlets_are_known(tmp_path: Path) -> None:
    path = write(tmp_path, "rules:\n  - name: a\n    query: x\n    outlets: [kompas]\n")
    with pytest.raises(ConfigError, match=r":4: rule 'a': unknown outlet 'kompas' \(configured: "
                                          r"detakpos\)"):
        load_rules(path, known_outlets={"detakpos"})
    assert load_rules(path)[0].outlets == ("kompas",)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_rules(tmp_path / "nope.yaml")


def test_alerts_is_imported_from_this_repo() -> None:
    import alerts.deliver

    assert Path(alerts.deliver.__file__).resolve().parent == REPO_ROOT / "alerts"
