"""fixtureweb: an offline stand-in for Indonesian news outlets, served on loopback.

``FixtureWeb`` serves the outlets (``<slug>.localhost:<port>``); ``BOILERPLATE`` maps each outlet
slug to strings its pages print that extracted article text must never contain.
"""

from fixtureweb.boilerplate import boilerplate_by_outlet
from fixtureweb.content import load_outlets
from fixtureweb.server import FixtureWeb

BOILERPLATE: dict[str, list[str]] = boilerplate_by_outlet(load_outlets())

__all__ = ["BOILERPLATE", "FixtureWeb"]
