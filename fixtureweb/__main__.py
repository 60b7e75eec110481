"""``python -m fixtureweb``: serve the fixture outlets in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import logging
import threading
from datetime import datetime

from fixtureweb.server import FixtureWeb


def _as_of(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give an offset, e.g. 2026-11-15T00:00:00+07:00")
    return moment


def _scale(value: str) -> tuple[int, int]:
    try:
        outlets, articles = (int(part) for part in value.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError("give OUTLETSxARTICLES, e.g. 50x200") from None
    return outlets, articles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fixtureweb", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="TCP port (default: a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument("--as-of", type=_as_of, default=None,
                        help="hide articles published after this ISO date-time")
    parser.add_argument("--scale", type=_scale, metavar="NxM",
                        help="serve N generated outlets of M articles each instead (benchmarks)")
    parser.add_argument("--seed", type=int, default=0, help="seed of --scale (default 0)")
    parser.add_argument("--multipage", action="store_true",
                        help="split the long articles that have page breaks over several pages")
    parser.add_argument("--warm", action="store_true",
                        help="render and cache every page before printing the addresses")
    parser.add_argument("--faults", metavar="FILE",
                        help="inject the faults listed in this YAML file (see docs/fixtureweb.md)")
    parser.add_argument("--sources-out", metavar="FILE", help="also write a sources.yaml here")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    web = FixtureWeb(port=args.port, host=args.host, as_of=args.as_of, multipage=args.multipage,
                     scale=args.scale, seed=args.seed)
    with web:
        if args.warm:
            print(f"warmed: {web.warm()} responses cached", flush=True)
        if args.faults:
            for fault in web.load_faults(args.faults):
                print(f"fault: {fault.kind} on {fault.host or '*'}{fault.target}", flush=True)
        for slug in web.outlets:
            print(f"{slug}: {web.base_url(slug)}", flush=True)
        if args.sources_out:
            print(f"sources: {web.write_sources_yaml(args.sources_out)}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopping", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
