"""fixtureweb: an offline stand-in for Indonesian news outlets, served on loopback.

``FixtureWeb`` serves the outlets (``<slug>.localhost:<port>``); ``BOILERPLATE`` maps each outlet
slug to strings its pages print that extracted article text must never contain.

Faults (:mod:`fixtureweb.faults`): ``web.inject(url_or_path, kind, times=None, **params)``,
``web.clear_faults()``, ``web.load_faults(yaml_path)``.
Time travel (:mod:`fixtureweb.timeline`): ``FixtureWeb(as_of=...)``, ``web.set_as_of(moment)``,
``web.events()``, ``web.timeline()``, ``web.changes_between(since, until)``.
Multi-page articles (:mod:`fixtureweb.paging`): ``FixtureWeb(multipage=True)``,
``web.article_pages(url)``, ``web.single_page_url(url)``.
Scale mode (:mod:`fixtureweb.synth`): ``FixtureWeb(scale=(n_outlets, n_articles), seed=0)``,
``web.warm()``, ``web.boilerplate``.
Remote control from another process: :mod:`fixtureweb.control` (host ``fixtureweb.localhost``).
Full guide: docs/fixtureweb.md.
"""

from fixtureweb.boilerplate import boilerplate_by_outlet
from fixtureweb.content import load_outlets
from fixtureweb.server import FixtureWeb

BOILERPLATE: dict[str, list[str]] = boilerplate_by_outlet(load_outlets())

__all__ = ["BOILERPLATE", "FixtureWeb"]
