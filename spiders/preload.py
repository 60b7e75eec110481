"""Imported once by the crawl fork server (``spiders.launcher``): everything a crawl process
would import while it sets up, so forked crawls start with it in memory.

That is Scrapy's own components named in its default settings (downloader and spider
middlewares, extensions, download handlers, scheduler …), pantau's components named in
``spiders.settings``, the spider and the extractor. Modules that would install a Twisted
reactor on import are left out: each crawl installs the asyncio reactor itself. The settings
module is dropped again afterwards, so each crawl reads its own environment.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Iterator
from typing import Any

log = logging.getLogger(__name__)

_COMPONENT_SETTINGS = (
    "DOWNLOADER_MIDDLEWARES_BASE", "DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES_BASE",
    "SPIDER_MIDDLEWARES", "EXTENSIONS_BASE", "EXTENSIONS", "ITEM_PIPELINES_BASE", "ITEM_PIPELINES",
    "DOWNLOAD_HANDLERS_BASE", "DOWNLOAD_HANDLERS", "SCHEDULER", "DUPEFILTER_CLASS", "STATS_CLASS",
    "SCHEDULER_PRIORITY_QUEUE", "SCHEDULER_MEMORY_QUEUE", "SCHEDULER_DISK_QUEUE",
    "REQUEST_FINGERPRINTER_CLASS", "HTTPCACHE_STORAGE", "HTTPCACHE_POLICY", "DOWNLOADER",
    "DOWNLOADER_HTTPCLIENTFACTORY", "DOWNLOADER_CLIENTCONTEXTFACTORY", "LOG_FORMATTER",
    "TWISTED_DNS_RESOLVER", "ADDONS",
)
_LIBRARIES = ("scrapy.crawler", "scrapy.http", "scrapy.spiders", "lxml.html", "trafilatura",
              "extract", "extract.staged", "staging", "spiders.crawl_one", "spiders.news")


def _class_paths(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, val in value.items():
            yield from _class_paths(key)
            yield from _class_paths(val)


def component_modules() -> list[str]:
    """The modules of every component a crawl's settings name."""
    import scrapy.settings.default_settings as defaults

    import spiders.settings as ours

    modules: set[str] = set()
    for name in _COMPONENT_SETTINGS:
        for source in (defaults, ours):
            for path in _class_paths(getattr(source, name, None)):
                if "." in path:
                    modules.add(path.rsplit(".", 1)[0])
    return sorted(modules)


def preload() -> int:
    """Import what a crawl needs, without installing a reactor; returns how many modules."""
    had_reactor = "twisted.internet.reactor" in sys.modules
    done = 0
    for name in (*_LIBRARIES, *component_modules()):
        try:
            importlib.import_module(name)
            done += 1
        except Exception as exc:  # a component that cannot load fails in the crawl itself
            log.debug("preload %s: %s", name, exc)
    sys.modules.pop("spiders.settings", None)
    from extract.language import warm_up

    warm_up()  # the language model (~0.5 s to load): once here, not in every forked crawl
    if not had_reactor and "twisted.internet.reactor" in sys.modules:
        raise RuntimeError("a preloaded module installed a Twisted reactor; crawls must install "
                           "their own (drop that module from spiders.preload)")
    return done


preload()
