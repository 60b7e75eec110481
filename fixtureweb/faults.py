"""Faults the fixture web can inject per URL: what the real web throws at a nightly crawler.

A :class:`Fault` is registered on a :class:`FaultSet` (``FixtureWeb.inject``) for a URL, a path on
every outlet, or a prefix (a pattern ending in ``*``). While it is active every matching request is
answered by the fault instead of the page; with ``times=N`` it heals after N requests ("retried on
a later night"). Kinds and their parameters (defaults in brackets):

``status``          ``code`` [503], ``retry_after`` [none]: an error page, optional Retry-After.
``timeout``         ``seconds`` [10]: hang that long before answering normally (stop() ends it).
``reset``           close the connection with a TCP RST, no response at all.
``truncate``        ``keep`` [half the body]: Content-Length of the whole page, fewer bytes, close.
``charset``         ``declared`` ["UTF-8"; None = no charset anywhere], ``encoding``
                    ["windows-1252"]: the page bytes in ``encoding`` under a wrong or absent label.
``redirect_chain``  ``hops`` [3], ``code`` [302]: ``?fw_hop=1`` ... ``?fw_hop=N``, then the page.
``redirect_loop``   ``code`` [302]: ``path`` -> ``?fw_loop=1`` <-> ``?fw_loop=2``, forever.
``redirect_to``     ``location`` ["http://127.0.0.1:1/"], ``code`` [302]: off-site / private.
``gone``            ``code`` [410; or 404]: the outlet's themed not-found page.
``malformed_xml``   the page (feed, sitemap) cut mid-way plus unbalanced tags and a bare ``&``.
``gzip_bomb``       ``size`` [1 GiB]: ``Content-Encoding: gzip`` of that many zero bytes
                    (about 1 MiB on the wire; built once per size and cached, never inflated).
``huge``            ``size`` [50 MiB]: an HTML page of that many bytes, streamed in chunks.
``empty``           a feed or sitemap with every item / entry / url taken out (still valid XML);
                    other pages are served as they are.
``relink``          ``path`` ["/"]: every item link of a feed or sitemap points at that listing
                    page instead of the article (``<path>?fw_item=N``); other pages as they are.
``js_shell``        an HTML page whose ``<body>`` is replaced by a script-rendered shell (head
                    kept: title and meta tags): the layout change that breaks extraction; feeds,
                    sitemaps and robots.txt are served as they are, so ``<host>/*`` is safe.

How each kind answers lives in :mod:`fixtureweb.fault_answers`.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml

from fixtureweb.gzipbomb import GIB, MIB

log = logging.getLogger(__name__)


# kind -> allowed parameters with their defaults
KINDS: dict[str, dict[str, Any]] = {
    "status": {"code": 503, "retry_after": None},
    "timeout": {"seconds": 10.0},
    "reset": {},
    "truncate": {"keep": None},
    "charset": {"declared": "UTF-8", "encoding": "windows-1252"},
    "redirect_chain": {"hops": 3, "code": 302},
    "redirect_loop": {"code": 302},
    "redirect_to": {"location": "http://127.0.0.1:1/", "code": 302},
    "gone": {"code": 410},
    "malformed_xml": {},
    "gzip_bomb": {"size": GIB},
    "huge": {"size": 50 * MIB},
    "empty": {},
    "relink": {"path": "/"},
    "js_shell": {},
}
HOP_PARAM = "fw_hop"
LOOP_PARAM = "fw_loop"
_MAX_TIMEOUT = 600.0


@dataclass
class Fault:
    """One injected fault; ``hits`` counts the requests it answered (redirect hops excluded)."""

    kind: str
    host: str | None  # lower-case hostname without port; None = every outlet
    target: str  # path, path?query, or a prefix ending in "*"
    params: dict[str, Any]
    times: int | None = None
    hits: int = 0

    @property
    def active(self) -> bool:
        return self.times is None or self.hits < self.times

    def matches(self, host: str, target: str) -> bool:
        if self.host is not None and self.host != host:
            return False
        if self.target.endswith("*"):
            return target.startswith(self.target[:-1])
        if "?" in self.target:
            return _without_markers(target) == self.target
        return target.partition("?")[0] == self.target


def _without_markers(target: str) -> str:
    path, _, query = target.partition("?")
    kept = [p for p in query.split("&") if p and p.split("=")[0] not in (HOP_PARAM, LOOP_PARAM)]
    return path + ("?" + "&".join(kept) if kept else "")


def marker(target: str, name: str) -> int | None:
    values = parse_qs(urlsplit(target).query).get(name)
    if not values:
        return None
    try:
        return int(values[0])
    except ValueError:
        return None


def with_param(target: str, name: str, value: int | None) -> str:
    base = _without_markers(target)
    if value is None:
        return base
    return f"{base}{'&' if '?' in base else '?'}{name}={value}"


def parse_pattern(url_or_path: str) -> tuple[str | None, str]:
    """``(hostname or None, target)`` from a URL (port ignored) or a path; checks the shape."""
    if url_or_path.startswith(("http://", "https://")):
        parts = urlsplit(url_or_path)
        if not parts.hostname:
            raise ValueError(f"{url_or_path!r}: no host name in the URL")
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return parts.hostname.lower(), target
    if not url_or_path.startswith("/"):
        raise ValueError(f"{url_or_path!r}: give a full http:// URL or a path starting with '/'")
    return None, url_or_path


def make_fault(url_or_path: str, kind: str, times: int | None = None,
               **params: Any) -> Fault:
    """A validated :class:`Fault`; errors name the allowed kinds or parameters."""
    if kind not in KINDS:
        raise ValueError(f"unknown fault {kind!r}; use one of {', '.join(KINDS)}")
    unknown = set(params) - set(KINDS[kind])
    if unknown:
        allowed = ", ".join(KINDS[kind]) or "none"
        raise ValueError(f"fault {kind!r}: unknown parameter(s) {', '.join(sorted(unknown))}; "
                         f"allowed: {allowed}")
    if times is not None and times < 1:
        raise ValueError("times must be at least 1 (or None for a fault that never heals)")
    merged = {**KINDS[kind], **params}
    if kind == "gone" and merged["code"] not in (404, 410):
        raise ValueError("fault 'gone': code must be 404 or 410")
    if kind == "status" and not 400 <= int(merged["code"]) <= 599:
        raise ValueError("fault 'status': code must be a 4xx or 5xx status")
    if kind == "redirect_chain" and int(merged["hops"]) < 1:
        raise ValueError("fault 'redirect_chain': hops must be at least 1")
    if kind == "timeout" and not 0 < float(merged["seconds"]) <= _MAX_TIMEOUT:
        raise ValueError(f"fault 'timeout': seconds must be in (0, {_MAX_TIMEOUT:g}]")
    host, target = parse_pattern(url_or_path)
    return Fault(kind=kind, host=host, target=target, params=merged, times=times)


def read_fault_file(path: Path) -> list[Fault]:
    """The faults listed in a YAML file (see :func:`parse_faults`)."""
    return parse_faults(path.read_text(encoding="utf-8"), str(path))


def parse_faults(text: str, where: str = "faults") -> list[Fault]:
    """Faults from YAML text: a ``faults:`` list of mappings with ``url`` (URL, path or prefix),
    ``fault`` (the kind), optional ``times`` and the kind's parameters, e.g.
    ``- {url: "http://iphedia.localhost/rss", fault: status, code: 503, times: 1}``."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"{where}: invalid YAML: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("faults"), list):
        raise ValueError(f"{where}: expected a mapping with a 'faults:' list")
    found = []
    for index, entry in enumerate(raw["faults"], start=1):
        if not isinstance(entry, dict) or "url" not in entry or "fault" not in entry:
            raise ValueError(f"{where}: fault #{index} needs 'url' and 'fault' keys")
        params = {k: v for k, v in entry.items() if k not in ("url", "fault", "times")}
        try:
            found.append(make_fault(str(entry["url"]), str(entry["fault"]),
                                    times=entry.get("times"), **params))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{where}: fault #{index}: {exc}") from None
    return found


@dataclass
class FaultSet:
    """The injected faults of one server; the newest matching active fault wins."""

    faults: list[Fault] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, fault: Fault) -> Fault:
        with self.lock:
            self.faults.append(fault)
        log.debug("fault %s injected for %s%s", fault.kind, fault.host or "*", fault.target)
        return fault

    def clear(self) -> None:
        with self.lock:
            self.faults.clear()

    def take(self, host: str, target: str) -> Fault | None:
        """The fault answering this request, counting a hit; None when the page is served.

        Follow-up requests of a redirect fault (``fw_hop`` / ``fw_loop`` in the query) are
        answered by it even once healed and do not count.
        """
        follow_up = marker(target, HOP_PARAM) is not None or \
            marker(target, LOOP_PARAM) is not None
        with self.lock:
            for fault in reversed(self.faults):
                if not fault.matches(host, target):
                    continue
                if follow_up and fault.kind in ("redirect_chain", "redirect_loop"):
                    return fault
                if fault.active:
                    fault.hits += 1
                    return fault
        return None
