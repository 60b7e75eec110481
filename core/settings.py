"""Where pantau keeps things: resolved from CLI options, then environment, then defaults.

Environment variables (what the Airflow DAGs use, since they have no command line):

- ``PANTAU_DB``: the DuckDB warehouse file (default ``data/pantau.duckdb``)
- ``PANTAU_SOURCES``: sources YAML file or folder (default: the repo's ``sources.yaml``)
- ``PANTAU_STAGING``: staging folder, raw pages per run (default ``<db folder>/staging``)
- ``PANTAU_RULES``: alert rules YAML (default: the repo's ``rules.yaml``)
- ``PANTAU_OUTBOX``: JSONL outbox alerts are delivered to (default ``<db folder>/outbox.jsonl``)
- ``PANTAU_ALLOW_PRIVATE_HOSTS``: ``1`` allows crawling loopback/private addresses (default off)
- ``PANTAU_COMPACT_AFTER_DAYS``: loaded runs whose crawl started at least this many days ago are
  compacted into the weekly raw archive by maintenance (default 7; 0: every loaded run)
- ``PANTAU_SERVE_TOKEN``: the token ``pantau serve`` requires when bound to a non-loopback
  address (see :func:`serve_token`)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = Path("data/pantau.duckdb")
TRUE_WORDS = frozenset(("1", "true", "yes", "on"))
FALSE_WORDS = frozenset(("0", "false", "no", "off"))
COMPACT_AFTER_DAYS = 7.0


def env_flag(name: str, default: bool, env: Mapping[str, str] | None = None) -> bool:
    """A switch from the environment variable ``name``: unset or empty gives ``default``; a
    switch that is on by default is off only for 0/false/no/off, one that is off by default is
    on only for 1/true/yes/on."""
    raw = (os.environ if env is None else env).get(name, "").strip().lower()
    if not raw:
        return default
    return raw not in FALSE_WORDS if default else raw in TRUE_WORDS


def env_number(name: str, default: float) -> float:
    """A non-negative number from the environment variable ``name`` (``default`` when unset)."""
    from core.errors import ConfigError

    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: expected a number, e.g. {name}={default:g}") from None
    if value < 0:
        raise ConfigError(f"{name}={raw!r}: must not be negative")
    return value


@dataclass(frozen=True)
class Settings:
    """Paths and switches one pantau invocation works with."""

    db: Path
    sources: Path
    staging: Path
    rules: Path
    outbox: Path
    allow_private_hosts: bool = False
    compact_after_days: float = COMPACT_AFTER_DAYS


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value) if value else None


def _absolute(path: Path) -> Path:
    """``path`` against the current directory (``~`` expanded; symlinks kept as given)."""
    return Path(os.path.abspath(path.expanduser()))


def resolve_settings(
    db: Path | str | None = None,
    sources: Path | str | None = None,
    rules: Path | str | None = None,
    allow_private_hosts: bool | None = None,
) -> Settings:
    """Combine explicit values (CLI options) with the environment and the defaults.

    Every path is made absolute here, once, against the current directory: the crawler runs
    in processes with another working directory, and a relative path would point elsewhere.
    """
    db_path = _absolute(Path(db) if db else (_env_path("PANTAU_DB") or DEFAULT_DB))
    data_dir = db_path.parent
    if allow_private_hosts is None or allow_private_hosts is False:
        allow_private_hosts = bool(allow_private_hosts) or (
            env_flag("PANTAU_ALLOW_PRIVATE_HOSTS", False)
        )
    return Settings(
        db=db_path,
        sources=_absolute(Path(sources) if sources else (
            _env_path("PANTAU_SOURCES") or REPO_ROOT / "sources.yaml"
        )),
        staging=_absolute(_env_path("PANTAU_STAGING") or data_dir / "staging"),
        rules=_absolute(Path(rules) if rules else (
            _env_path("PANTAU_RULES") or REPO_ROOT / "rules.yaml")),
        outbox=_absolute(_env_path("PANTAU_OUTBOX") or data_dir / "outbox.jsonl"),
        allow_private_hosts=allow_private_hosts,
        compact_after_days=env_number("PANTAU_COMPACT_AFTER_DAYS", COMPACT_AFTER_DAYS),
    )


def serve_token(env: Mapping[str, str] | None = None) -> str | None:
    """``PANTAU_SERVE_TOKEN``: the secret ``pantau serve`` asks of every request when it listens
    beyond loopback (None when unset or blank)."""
    raw = (os.environ if env is None else env).get("PANTAU_SERVE_TOKEN", "").strip()
    return raw or None
