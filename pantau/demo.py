"""`pantau demo`: two nights of the pipeline against the offline fixture web.

The fixture web is served on a fixed loopback port (:data:`DEMO_PORT`): article URLs, and so the
warehouse's article ids, contain it, so a demo on another port would store every article a
second time. A busy port is therefore an error, raised before anything is crawled or loaded.

Night 1 stands for 17 November 2026 02:00 WIB, night 2 for 21 November (the fixture web's final
state). Between them the fixture outlets publish new articles (among them one ANTARA story run by
two outlets: a near-duplicate pair, one row of the ``stories`` view), and beritaturki appends a
"Ralat:" to an article night 1 stored, which night 2's re-check (``recheck_days``) stores as a
new version. One iphedia article page answers 503 on every attempt (:data:`FAILING_PAGE`): a
failed page with attempts in ``pages``. A demo run on a warehouse that already holds the demo
runs only night 2 again (nothing new: 0 new articles).
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import PantauError
from core.settings import Settings, resolve_settings

if TYPE_CHECKING:
    from fixtureweb import FixtureWeb

log = logging.getLogger(__name__)

DEMO_PORT = 18765
WIB = timezone(timedelta(hours=7), "WIB")
NIGHTS = (datetime(2026, 11, 17, 2, 0, tzinfo=WIB), datetime(2026, 11, 21, 2, 0, tzinfo=WIB))
RECHECK_DAYS = 5
FAILING_PAGE = ("iphedia", "/2026/11/pedagang-pasar-youtefa-jayapura-tempati-los-baru.html")


class DemoPortBusy(PantauError):
    """The demo's fixed port is taken (by another demo, or another program)."""


def start_fixture_web(port: int = DEMO_PORT) -> FixtureWeb:
    """The fixture web on ``port`` with the demo's failing page; :class:`DemoPortBusy` when the
    port is taken (a demo on another port would give every article a second identity)."""
    from fixtureweb import FixtureWeb

    try:
        web = FixtureWeb(port=port).start()
    except OSError as exc:
        if exc.errno not in (errno.EADDRINUSE, errno.EACCES):
            raise
        raise DemoPortBusy(
            f"port {port} on 127.0.0.1 is busy (another 'pantau demo' or fixture web?); the "
            "demo needs this port because article URLs, and so the warehouse's article ids, "
            "contain it. Stop what uses it (e.g. 'ss -ltnp | grep "
            f"{port}') and run the demo again; nothing was crawled or loaded"
        ) from None
    add_failing_page(web)
    return web


def add_failing_page(web: FixtureWeb) -> None:
    """Make :data:`FAILING_PAGE` answer 503 Service Unavailable, every time."""
    slug, path = FAILING_PAGE
    web.inject(web.base_url(slug).rstrip("/") + path, "status", code=503)


def demo_settings(base: Settings, web: FixtureWeb) -> Settings:
    """``base`` (its warehouse, rules and outbox) crawling the fixture web's outlets, with
    re-checks on (so night 2 sees the "Ralat")."""
    import yaml

    base.db.parent.mkdir(parents=True, exist_ok=True)
    sources_file = base.db.parent / "demo-sources.yaml"
    web.write_sources_yaml(sources_file)
    data = yaml.safe_load(sources_file.read_text("utf-8"))
    for entry in data["sources"]:
        entry["recheck_days"] = RECHECK_DAYS
    sources_file.write_text(
        "# written by `pantau demo` for its fixture web\n"
        + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return resolve_settings(db=base.db, sources=sources_file, rules=base.rules,
                            allow_private_hosts=True)


def _has_demo_runs(settings: Settings) -> bool:
    from warehouse.db import warehouse_exists

    if not warehouse_exists(settings.db):
        return False
    from warehouse.db import connect_reader

    con = connect_reader(settings.db)
    try:
        row = con.execute("SELECT count(*) FROM crawl_runs").fetchone()
    finally:
        con.close()
    return bool(row and row[0])


@dataclass
class DemoNight:
    moment: datetime
    summary: Any  # pantau.steps.RunSummary


def run_demo(
    settings: Settings,
    on_night: Callable[[datetime], None] | None = None,
    progress: Any = None,
    report: Callable[[DemoNight], None] | None = None,
) -> list[DemoNight]:
    """Run the demo's nights (only the last one when the warehouse has runs already).

    ``on_night(moment)`` is called before a night, ``report(night)`` after it; ``progress``
    follows each crawl (see :func:`pantau.steps.crawl_step`).
    """
    from pantau.steps import new_run_id, run_step

    nights = NIGHTS[-1:] if _has_demo_runs(settings) else NIGHTS
    done = []
    for moment in nights:
        if on_night is not None:
            on_night(moment)
        run_id = f"demo__{moment:%Y-%m-%d}__{new_run_id().split('__', 1)[-1]}"
        # crawl as of the night: the crawler tells the fixture web (X-Pantau-As-Of) and the
        # re-check window ends there (pantau.steps.crawl_moment)
        summary = run_step(replace(settings, as_of=moment), run_id, progress=progress)
        done.append(DemoNight(moment, summary))
        if report is not None:
            report(done[-1])
    return done


def build_demo_warehouse(db: Path, port: int = 0) -> Path:
    """A demo warehouse at ``db`` (both nights), served on ``port`` (0: any free port): what the
    README's example queries are tested against."""
    from fixtureweb import FixtureWeb

    with FixtureWeb(port=port) as web:
        add_failing_page(web)
        base = resolve_settings(db=db)
        run_demo(demo_settings(base, web))
    return db
