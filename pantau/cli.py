"""The ``pantau`` command. Each command is a few lines around a step or library function.

Global options (``--db``, ``--sources``, ``--allow-private-hosts``) come before the command.
Exit status 0 on success; on failure a one-line ``pantau: error: …`` on stderr and status 1
(2 for usage errors). ``PANTAU_DEBUG=1`` shows tracebacks of unexpected errors.
"""

from __future__ import annotations

import gzip
import json
import logging
import sys
from pathlib import Path

import click

from core.errors import PantauError
from core.settings import environment, resolve_settings
from pantau.cli_alerts import alerts
from pantau.cli_pipeline import compact, crawl, demo, load, reprocess, run
from pantau.cli_queries import export, search, sql
from pantau.cli_serve import serve
from pantau.cli_sources import sources
from pantau.cli_warehouse import migrate_warehouse

log = logging.getLogger("pantau")


def _setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    # WARNING by default: what a command did is on stdout already; -v adds the step logs.
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="PANTAU_DB",
    help="DuckDB warehouse file [default: data/pantau.duckdb; env PANTAU_DB]",
)
@click.option(
    "--sources",
    type=click.Path(path_type=Path),
    envvar="PANTAU_SOURCES",
    help="sources YAML file or folder [default: the repo's sources.yaml; env PANTAU_SOURCES]",
)
@click.option(
    "--allow-private-hosts",
    is_flag=True,
    default=None,
    help="allow crawling loopback/private addresses [env PANTAU_ALLOW_PRIVATE_HOSTS=1]",
)
@click.option("-v", "--verbose", count=True, help="more log output (-v info, -vv debug)")
@click.version_option(package_name="pantau")
@click.pass_context
def cli(
    ctx: click.Context,
    db: Path | None,
    sources: Path | None,
    allow_private_hosts: bool | None,
    verbose: int,
) -> None:
    """pantau: nightly monitoring of Indonesian news outlets.

    Crawl (Scrapy) -> extract (trafilatura + Indonesian rules) -> load (DuckDB) -> alerts.
    """
    _setup_logging(verbose)
    ctx.obj = resolve_settings(db=db, sources=sources, allow_private_hosts=allow_private_hosts)


# ---------------------------------------------------------------------------- extract


def _read_html(path: Path, limit: int) -> bytes:
    """The page's bytes (gunzipped), refused with a reason when pantau cannot read it."""
    from extract.limits import binary_reason, size_reason

    if not path.exists():
        raise PantauError(f"{path}: no such file")
    if path.is_dir():
        raise PantauError(f"{path}: is a folder; give HTML files")
    reason = size_reason(path.stat().st_size, limit)
    if reason:
        raise PantauError(f"{path}: {reason}")
    data = path.read_bytes()
    if path.suffix == ".gz" or data[:2] == b"\x1f\x8b":
        try:
            with gzip.open(path) as stream:
                data = stream.read(limit + 1)  # never more than the cap, whatever it unpacks to
        except (OSError, EOFError) as exc:
            raise PantauError(f"{path}: not a valid gzip file ({exc})") from None
        reason = size_reason(len(data), limit)
        if reason:
            raise PantauError(f"{path}: unpacked, {reason}")
    if not data.strip():
        raise PantauError(f"{path}: the file is empty; give a saved HTML page")
    reason = binary_reason(data)
    if reason:
        raise PantauError(f"{path}: {reason}")
    return data


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--url", help="the page's address (with a single FILE)")
@click.option("--json", "as_json", is_flag=True, help="print one contract JSON object per file")
def extract(files: tuple[Path, ...], url: str | None, as_json: bool) -> None:
    """Extract saved HTML pages (plain or .gz)."""
    from extract import extract_article
    from spiders.settings import DOWNLOAD_MAXSIZE

    if url and len(files) > 1:
        raise click.UsageError("--url goes with a single FILE")
    for path in files:
        html = _read_html(path, DOWNLOAD_MAXSIZE)
        page_url = url or path.resolve().as_uri()
        article = extract_article(html, page_url, max_bytes=DOWNLOAD_MAXSIZE)
        for problem in article.problems:
            click.echo(f"pantau: warning: {path}: {problem}", err=True)
        data = article.to_dict()
        if as_json:
            click.echo(json.dumps(data, ensure_ascii=False))
            continue
        click.echo(f"== {path}")
        for key in ("page_kind", "title", "authors", "editors", "published_at", "section",
                    "language", "dateline", "canonical_url"):
            click.echo(f"{key}: {data.get(key)}")
        click.echo("")
        click.echo(data.get("text") or "")


# the commands live in modules by topic; `pantau --help` lists them in alphabetical order
for command in (crawl, load, reprocess, compact, run, demo,  # pantau/cli_pipeline.py
                alerts,  # pantau/cli_alerts.py
                sql, search, export,  # pantau/cli_queries.py
                sources,  # pantau/cli_sources.py
                serve,  # pantau/cli_serve.py (the web app: pantau/web/)
                migrate_warehouse):  # pantau/cli_warehouse.py
    cli.add_command(command)


def main() -> None:
    """Console entry point: one-line errors, no tracebacks for expected failures."""
    try:
        cli.main(standalone_mode=False, prog_name="pantau")
    except click.exceptions.Abort:
        click.echo("pantau: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except PantauError as exc:
        click.echo(f"pantau: error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("pantau: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if environment().debug:
            raise
        click.echo(
            f"pantau: error: unexpected {type(exc).__name__}: {exc} "
            "(set PANTAU_DEBUG=1 for the traceback)",
            err=True,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
