"""``pantau serve``: the monitoring desk web app on the warehouse (read-only).

The pages are in :mod:`pantau.web`; this module only checks the options and runs the server.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from pathlib import Path

import click

from core.errors import PantauError
from core.settings import Settings, environment

log = logging.getLogger(__name__)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or address) only listens on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None)
        except OSError:
            return False
        return bool(infos) and all(ipaddress.ip_address(i[4][0]).is_loopback for i in infos)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="address to listen on; anything but loopback needs PANTAU_SERVE_TOKEN")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="port to listen on (0: any free port, printed at start)")
@click.option("--rules", "rules_path", type=click.Path(dir_okay=False, path_type=Path),
              help="rules file for the alerts pages and feeds [default: env PANTAU_RULES or "
                   "the repo's rules.yaml]")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, rules_path: Path | None) -> None:
    """Serve the monitoring desk: search, attention over time, articles and their versions,
    outlet health, alert rules with dry runs, and an Atom feed per rule at
    /feeds/<rule>.atom. Read-only: it never writes to the warehouse."""
    import uvicorn

    from pantau.web.app import ServeConfig, create_app
    from warehouse.db import warehouse_exists

    settings: Settings = ctx.obj
    if not warehouse_exists(settings.db):
        raise PantauError(f"{settings.db}: no warehouse here yet; run 'pantau run' (or "
                          "'pantau demo') first, or pass --db PATH")
    token = environment().serve_token or None
    if not is_loopback(host) and token is None:
        raise PantauError(
            f"--host {host} is reachable from other machines: set PANTAU_SERVE_TOKEN to a "
            "secret first (clients send it as 'Authorization: Bearer …' or ?token=…), or "
            "serve on 127.0.0.1")
    config = ServeConfig(db=settings.db, rules=Path(rules_path or settings.rules), token=token)
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        # listening before the address is printed: a client that reads it and connects at once
        # waits in the backlog while the app starts, instead of being refused
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise PantauError(f"cannot listen on {host}:{port}: {exc.strerror} (another server "
                          "there? pick one with --port)") from None
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"pantau serve: http://{shown}:{bound}/ (warehouse {settings.db}, read-only"
               f"{', token required' if token else ''}); Ctrl-C stops", err=True)
    server = uvicorn.Server(uvicorn.Config(create_app(config), log_level="warning",
                                           access_log=False, lifespan="on"))
    server.run(sockets=[sock])
