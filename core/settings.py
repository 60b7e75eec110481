"""pantau's settings: every ``PANTAU_*`` environment variable, declared once, read once.

:class:`Environment` is the one typed object the environment is read into: each field names its
variable, its default and its doc line (the README's settings table is generated from them, and a
test checks it). :func:`environment` reads it (again only when a ``PANTAU_*`` variable changed, so
tests can set variables). No other module reads a ``PANTAU_*`` variable from ``os.environ``; a test
checks that too.

:class:`Settings` is what one pantau invocation works with: the paths, resolved from CLI options,
then the environment, then the defaults (:func:`resolve_settings`), and the crawl's moment.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any

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


def env_number(name: str, default: float, env: Mapping[str, str] | None = None) -> float:
    """A non-negative number from the environment variable ``name`` (``default`` when unset)."""
    from core.errors import ConfigError

    raw = (os.environ if env is None else env).get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: expected a number, e.g. {name}={default:g}") from None
    if value < 0:
        raise ConfigError(f"{name}={raw!r}: must not be negative")
    return value


def parse_moment(name: str, raw: str) -> datetime:
    """An ISO 8601 moment with a time zone (e.g. ``PANTAU_AS_OF``); ConfigError says the fix."""
    from core.errors import ConfigError

    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: expected an ISO 8601 moment with a time zone, "
                          "e.g. 2026-11-17T19:00:00+00:00") from None
    if moment.tzinfo is None:
        raise ConfigError(f"{name}={raw!r}: needs a time zone, e.g. {raw.strip()}+00:00")
    return moment


def _var(name: str, default: Any, doc: str, shown: str | None = None,
         group: str = "pipeline") -> Any:
    """A field of :class:`Environment`: its variable, default, doc line and README group."""
    return field(default=default, metadata={
        "env": name, "doc": doc, "group": group,
        "shown": shown if shown is not None else _shown(default)})


def _shown(default: Any) -> str:
    if default is None:
        return "unset"
    if isinstance(default, bool):
        return "on" if default else "off"
    if isinstance(default, float) and default.is_integer():
        return f"{default:g}"
    return str(default)


@dataclass(frozen=True)
class Environment:
    """Every ``PANTAU_*`` environment variable pantau reads, typed, with its default."""

    # where things are
    db: Path | None = _var("PANTAU_DB", None, "the DuckDB warehouse file", "data/pantau.duckdb",
                           "paths")
    sources: Path | None = _var("PANTAU_SOURCES", None, "sources YAML file or folder",
                                "the repo's sources.yaml", "paths")
    staging: Path | None = _var("PANTAU_STAGING", None, "staging folder, raw pages per run",
                                "<db folder>/staging", "paths")
    rules: Path | None = _var("PANTAU_RULES", None, "alert rules YAML", "the repo's rules.yaml",
                              "paths")
    outbox: Path | None = _var("PANTAU_OUTBOX", None, "JSON Lines outbox alerts are written to",
                               "<db folder>/outbox.jsonl", "paths")
    exports: Path | None = _var("PANTAU_EXPORTS", None, "folder of the weekly Parquet exports",
                                "<db folder>/exports", "paths")
    # the crawl
    allow_private_hosts: bool = _var("PANTAU_ALLOW_PRIVATE_HOSTS", False,
                                     "`1`: crawling loopback/private addresses is allowed",
                                     group="crawl")
    contact_url: str = _var("PANTAU_CONTACT_URL", "", "contact URL put in the User-Agent",
                            "the project's GitHub", "crawl")
    download_delay: float = _var("PANTAU_DOWNLOAD_DELAY", 0.5,
                                 "seconds between requests to one host", group="crawl")
    concurrency_per_host: int = _var("PANTAU_CONCURRENCY_PER_HOST", 2,
                                     "parallel requests per host", group="crawl")
    download_timeout: float = _var("PANTAU_DOWNLOAD_TIMEOUT", 30.0,
                                   "seconds before one request times out", group="crawl")
    # None: extract.limits.DEFAULT_MAX_PAGE_BYTES (not imported here: the DAG files import this
    # module while they are parsed, and the extract package is heavy)
    max_page_bytes: int | None = _var("PANTAU_MAX_PAGE_BYTES", None,
                                      "largest page read, also after decompression",
                                      "10485760 (10 MiB)", "crawl")
    retry_backoff: float = _var("PANTAU_RETRY_BACKOFF", 1.0,
                                "first retry's wait (s), doubled per retry", group="crawl")
    autothrottle: bool = _var("PANTAU_AUTOTHROTTLE", True,
                              "`0` turns Scrapy's AutoThrottle off (benchmarks)", group="crawl")
    extract_in_crawl: bool = _var("PANTAU_EXTRACT_IN_CRAWL", True,
                                  "`0`: pages are extracted at load time, not while crawling",
                                  group="crawl")
    crawl_forkserver: bool = _var("PANTAU_CRAWL_FORKSERVER", True,
                                  "`0`: a fresh interpreter per outlet crawl, not a forked one",
                                  group="crawl")
    as_of: datetime | None = _var("PANTAU_AS_OF", None,
                                  "simulations only: the moment a crawl stands for, sent to the "
                                  "fixture web as `X-Pantau-As-Of`", group="crawl")
    time_travel: bool = _var("PANTAU_TIME_TRAVEL", False,
                             "simulations only: Airflow crawl tasks send their logical date",
                             group="crawl")
    # the warehouse
    lock_wait: float = _var("PANTAU_LOCK_WAIT", 30.0,
                            "seconds a command waits for the warehouse while a load runs",
                            group="warehouse")
    compact_after_days: float = _var("PANTAU_COMPACT_AFTER_DAYS", 7.0,
                                     "age (days) at which loaded runs join their week's archive",
                                     group="warehouse")
    warehouse: str = _var("PANTAU_WAREHOUSE", "duckdb",
                          "`duckdb` (the file at `PANTAU_DB`) or `ducklake:<catalog>`: "
                          "`sqlite:PATH`, `postgres:DSN` or `duckdb:PATH` (docs/scale-out.md)",
                          group="warehouse")
    lake_data: str = _var("PANTAU_LAKE_DATA", "", "a DuckLake's Parquet files: a folder or "
                          "`s3://bucket/path/`", "<db folder>/lake", "warehouse")
    writer_memory: str = _var("PANTAU_WRITER_MEMORY", "512MB",
                              "DuckDB memory limit of the nightly writer (load, alerts); more "
                              "spills to `<db>.tmp/`", group="warehouse")
    maintenance_memory: str = _var("PANTAU_MAINTENANCE_MEMORY", "2GB",
                                   "DuckDB memory limit of migrations, the weekly compaction and "
                                   "reprocessing", group="warehouse")
    # Airflow
    task_retries: int = _var("PANTAU_TASK_RETRIES", 2, "retries of a failed task", group="airflow")
    retry_delay_seconds: float = _var("PANTAU_RETRY_DELAY_SECONDS", 120.0,
                                      "first wait before a retry (doubled per retry)",
                                      group="airflow")
    max_retry_delay_seconds: float = _var("PANTAU_MAX_RETRY_DELAY_SECONDS", 1800.0,
                                          "longest wait before a retry", group="airflow")
    task_timeout_minutes: float = _var("PANTAU_TASK_TIMEOUT_MINUTES", 120.0,
                                       "a task running longer fails", group="airflow")
    crawl_queue: str = _var("PANTAU_CRAWL_QUEUE", "default",
                            "executor queue of the crawl tasks", group="airflow")
    warehouse_queue: str = _var("PANTAU_WAREHOUSE_QUEUE", "default",
                                "executor queue of the warehouse tasks", group="airflow")
    worker_name: str = _var("PANTAU_WORKER_NAME", "",
                            "a Celery worker's name, reported by the crawl tasks it runs",
                            "the host name", "airflow")
    # alerts
    operator_channels: str = _var("PANTAU_OPERATOR_CHANNELS", "outbox",
                                  "comma-separated channels of operator alerts", group="alerts")
    health_alerts: bool = _var("PANTAU_HEALTH_ALERTS", True,
                               "`0`: no operator alert when an outlet gains a health flag",
                               group="alerts")
    smtp_conn_id: str = _var("PANTAU_SMTP_CONN_ID", "",
                             "take the SMTP settings from this Airflow connection", "unset",
                             "alerts")
    smtp_host: str = _var("PANTAU_SMTP_HOST", "", "SMTP server", "(required for email)",
                          "alerts")
    smtp_port: str = _var("PANTAU_SMTP_PORT", "", "SMTP port",
                          "587 (STARTTLS), 465 (SSL), else 25", "alerts")
    smtp_user: str = _var("PANTAU_SMTP_USER", "", "SMTP login", "no login", "alerts")
    smtp_password: str = _var("PANTAU_SMTP_PASSWORD", "", "SMTP password", "unset", "alerts")
    smtp_starttls: str = _var("PANTAU_SMTP_STARTTLS", "",
                              "`1`: upgrade the connection with STARTTLS", "1 (0 with SSL)",
                              "alerts")
    smtp_ssl: str = _var("PANTAU_SMTP_SSL", "", "`1`: implicit TLS from the first byte", "0",
                         "alerts")
    smtp_from: str = _var("PANTAU_SMTP_FROM", "", "sender address", "pantau@localhost",
                          "alerts")
    smtp_timeout: str = _var("PANTAU_SMTP_TIMEOUT", "", "seconds per SMTP operation", "30",
                             "alerts")
    # the command line
    debug: bool = _var("PANTAU_DEBUG", False,
                       "`1`: show the traceback of unexpected errors", group="cli")
    serve_token: str = _var("PANTAU_SERVE_TOKEN", "",
                            "the token `pantau serve` requires of every request when it listens "
                            "beyond loopback", "unset (required off loopback)", "cli")

    @classmethod
    def read(cls, env: Mapping[str, str] | None = None) -> Environment:
        """Every variable from ``env`` (default: the process environment), checked and typed;
        ConfigError names the variable and the fix."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            name = f.metadata["env"]
            raw = env.get(name, "").strip()
            if not raw:
                continue
            values[f.name] = _PARSERS[str(f.type)](name, raw, f.default, env)
        return cls(**values)


def _number(kind: Callable[[float], Any]) -> Callable[[str, str, Any, Mapping[str, str]], Any]:
    def parse(name: str, raw: str, default: Any, env: Mapping[str, str]) -> Any:
        value = kind(env_number(name, float(default), env))
        return value
    return parse


_PARSERS: dict[str, Callable[[str, str, Any, Mapping[str, str]], Any]] = {
    "Path | None": lambda name, raw, default, env: Path(raw),
    "str": lambda name, raw, default, env: raw,
    "bool": lambda name, raw, default, env: env_flag(name, default, env),
    "float": _number(float),
    "int": _number(int),
    "int | None": lambda name, raw, default, env: int(env_number(name, 0, env)),
    "datetime | None": lambda name, raw, default, env: parse_moment(name, raw),
}

_read_cache: dict[tuple[tuple[str, str], ...], Environment] = {}


def environment() -> Environment:
    """The process environment's :class:`Environment`, parsed once per set of values."""
    key = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("PANTAU_")))
    found = _read_cache.get(key)
    if found is None:
        found = _read_cache[key] = Environment.read()
    return found


def variables() -> list[tuple[str, str, str, str]]:
    """(variable, group, default as shown, doc line) of every declared variable, in order."""
    return [(f.metadata["env"], f.metadata["group"], f.metadata["shown"], f.metadata["doc"])
            for f in fields(Environment)]


def _cell(shown: str) -> str:
    return f"`{shown}`" if "<" in shown or shown.replace(".", "").isdigit() else shown


def markdown_table() -> str:
    """The README's table of environment variables (generated from :class:`Environment`)."""
    lines = ["| variable | what it sets | default |", "|---|---|---|"]
    lines += [f"| `{name}` | {doc} | {_cell(shown)} |" for name, _, shown, doc in variables()]
    return "\n".join(lines) + "\n"


def worker_name() -> str:
    """Which worker runs this process: ``PANTAU_WORKER_NAME``, else the machine's host name."""
    import socket

    return environment().worker_name.strip() or socket.gethostname()


LAKE_PREFIX = "ducklake:"
LAKE_CATALOGS = ("sqlite", "postgres", "duckdb")


@dataclass(frozen=True)
class LakeConfig:
    """A DuckLake warehouse: its catalog (``sqlite:PATH``, ``postgres:DSN``, ``duckdb:PATH``)
    and the folder or object-store prefix of its data files."""

    catalog: str
    data_path: str

    @property
    def kind(self) -> str:
        return self.catalog.split(":", 1)[0]


def lake_config(db: Path, env: Mapping[str, str] | None = None) -> LakeConfig | None:
    """The DuckLake ``PANTAU_WAREHOUSE`` names, or None for the default DuckDB file at ``db``.

    ``db`` (``PANTAU_DB``) still places the defaults: the data files go to ``<db folder>/lake/``
    unless ``PANTAU_LAKE_DATA`` says otherwise. ``env``: variables to read instead of the
    process environment.
    """
    from core.errors import ConfigError

    read = environment() if env is None else Environment.read(env)
    raw = read.warehouse.strip()
    if raw in ("", "duckdb"):
        return None
    example = ("PANTAU_WAREHOUSE=ducklake:sqlite:/srv/pantau/catalog.sqlite or "
               "ducklake:postgres:dbname=pantau host=db.internal")
    if not raw.startswith(LAKE_PREFIX):
        raise ConfigError(f"PANTAU_WAREHOUSE={raw!r}: expected 'duckdb' or 'ducklake:<catalog>', "
                          f"e.g. {example}")
    catalog = raw[len(LAKE_PREFIX):]
    kind, _, target = catalog.partition(":")
    if kind not in LAKE_CATALOGS or not target.strip():
        raise ConfigError(f"PANTAU_WAREHOUSE={raw!r}: the catalog must be one of "
                          f"{', '.join(k + ':…' for k in LAKE_CATALOGS)}, e.g. {example}")
    if kind in ("sqlite", "duckdb"):
        catalog = f"{kind}:{_absolute(Path(target.strip()))}"
    data = read.lake_data.strip()
    if not data:
        data = str(_absolute(Path(db)).parent / "lake")
    elif "://" not in data:
        data = str(_absolute(Path(data)))
    return LakeConfig(catalog=catalog, data_path=data.rstrip("/") + "/")


@dataclass(frozen=True)
class Settings:
    """Paths and switches one pantau invocation works with.

    ``as_of``: the moment a crawl stands for, None for now. It is set only to simulate a night
    against the fixture web (``PANTAU_AS_OF``, an Airflow run's logical date under
    ``PANTAU_TIME_TRAVEL``, the demo's nights); the crawl then ends its re-check window there and
    sends the moment to the web. It travels as a parameter down to the crawl process.
    """

    db: Path
    sources: Path
    staging: Path
    rules: Path
    outbox: Path
    allow_private_hosts: bool = False
    compact_after_days: float = COMPACT_AFTER_DAYS
    as_of: datetime | None = None


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
    env = environment()
    db_path = _absolute(Path(db) if db else (env.db or DEFAULT_DB))
    data_dir = db_path.parent
    return Settings(
        db=db_path,
        sources=_absolute(Path(sources) if sources else (
            env.sources or REPO_ROOT / "sources.yaml")),
        staging=_absolute(env.staging or data_dir / "staging"),
        rules=_absolute(Path(rules) if rules else (env.rules or REPO_ROOT / "rules.yaml")),
        outbox=_absolute(env.outbox or data_dir / "outbox.jsonl"),
        allow_private_hosts=bool(allow_private_hosts) or env.allow_private_hosts,
        compact_after_days=env.compact_after_days,
        as_of=env.as_of,
    )
