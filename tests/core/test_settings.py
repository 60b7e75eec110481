"""Switches and numbers from the environment."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from core.settings import env_flag, env_number


@pytest.mark.parametrize(("value", "on_by_default", "off_by_default"), [
    (None, True, False), ("", True, False), ("  ", True, False),
    ("0", False, False), ("off", False, False), ("No", False, False), ("false", False, False),
    ("1", True, True), ("yes", True, True), ("ON", True, True), ("true", True, True),
    ("maybe", True, False),  # not a known word: the default stands
])
def test_env_flag(value: str | None, on_by_default: bool, off_by_default: bool) -> None:
    env = {} if value is None else {"PANTAU_X": value}
    assert env_flag("PANTAU_X", True, env) is on_by_default
    assert env_flag("PANTAU_X", False, env) is off_by_default


def test_env_number(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_number("PANTAU_X", 2.5) == 2.5
    monkeypatch.setenv("PANTAU_X", "0.5")
    assert env_number("PANTAU_X", 2.5) == 0.5
    monkeypatch.setenv("PANTAU_X", "sepuluh")
    with pytest.raises(ConfigError, match="expected a number"):
        env_number("PANTAU_X", 2.5)
    monkeypatch.setenv("PANTAU_X", "-1")
    with pytest.raises(ConfigError, match="must not be negative"):
        env_number("PANTAU_X", 2.5)
