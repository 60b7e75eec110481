"""Remote control of a running fixture web over HTTP, for tests driving it from another process.

Requests addressed to ``http://fixtureweb.localhost:<port>/`` (a name no outlet can take) reach
this module instead of an outlet; they are not written to ``requests_log``.

``GET  /as_of``            the simulated moment (ISO 8601) or ``none``
``PUT  /as_of``            body: an ISO 8601 date-time with offset, or ``none`` (final state)
``GET  /faults``           JSON list of the injected faults with their hits
``POST /faults``           body: a fault file (YAML, see :func:`fixtureweb.faults.parse_faults`)
``DELETE /faults``         clear every fault
``GET  /expected``         JSON: ``expected_articles()`` as of now
``GET  /changes?since=ISO&until=ISO``   JSON: ``changes_between()`` (either may be omitted)
``GET  /timeline``         JSON: ``timeline()``
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from fixtureweb.faults import parse_faults
from fixtureweb.site import TEXT, Response

if TYPE_CHECKING:
    from fixtureweb.server import FixtureWeb

log = logging.getLogger(__name__)

CONTROL_SLUG = "fixtureweb"
JSON = "application/json; charset=UTF-8"


class ControlError(ValueError):
    """A control request the fixture web cannot follow; the message says why."""


def _moment(value: str | None) -> datetime | None:
    if value is None or value.strip().lower() in ("", "none", "null"):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ControlError(f"{value!r} is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise ControlError("give an offset, e.g. 2026-11-17T02:00:00+07:00")
    return moment


def _json(data: Any) -> Response:
    return Response(200, JSON, json.dumps(data, ensure_ascii=False, default=str).encode())


def _text(status: int, message: str) -> Response:
    return Response(status, TEXT, (message + "\n").encode())


def control(web: FixtureWeb, method: str, target: str, body: bytes) -> Response:
    """Answer one control request; errors come back as 400 with what to fix."""
    parts = urlsplit(target)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    try:
        return _route(web, method, parts.path, query, body.decode("utf-8"))
    except (ControlError, ValueError) as exc:
        return _text(400, str(exc))


def _route(web: FixtureWeb, method: str, path: str, query: dict[str, str],
           body: str) -> Response:
    if path == "/as_of" and method in ("GET", "HEAD"):
        return _text(200, web.as_of.isoformat() if web.as_of else "none")
    if path == "/as_of" and method in ("PUT", "POST"):
        web.set_as_of(_moment(body))
        return _text(200, web.as_of.isoformat() if web.as_of else "none")
    if path == "/faults" and method in ("GET", "HEAD"):
        return _json([{"kind": f.kind, "host": f.host, "target": f.target, "params": f.params,
                       "times": f.times, "hits": f.hits} for f in web.faults])
    if path == "/faults" and method == "POST":
        added = [web.inject_fault(fault) for fault in parse_faults(body, "POST /faults")]
        return _json({"added": len(added)})
    if path == "/faults" and method == "DELETE":
        web.clear_faults()
        return _text(200, "cleared")
    if path == "/expected" and method in ("GET", "HEAD"):
        return _json(web.expected_articles())
    if path == "/changes" and method in ("GET", "HEAD"):
        changes = web.changes_between(_moment(query.get("since")), _moment(query.get("until")))
        return _json({name: sorted(getattr(changes, name))
                      for name in ("new", "updated", "edited", "removed")})
    if path == "/timeline" and method in ("GET", "HEAD"):
        return _json([{"date": d.date.isoformat(), "new": d.new, "updated": d.updated,
                       "removed": d.removed} for d in web.timeline()])
    return _text(404, f"no control endpoint {method} {path}; see fixtureweb/control.py")
