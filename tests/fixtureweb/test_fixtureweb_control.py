"""The control endpoint (fixtureweb.localhost): clock, faults and gold data over HTTP."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from datetime import datetime

import pytest

from fixtureweb import FixtureWeb


@pytest.fixture(scope="module")
def remote() -> Iterator[FixtureWeb]:
    with FixtureWeb() as web:
        yield web


def _call(web: FixtureWeb, method: str, target: str, body: str = "",
          host: str = "fixtureweb") -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", web.port, timeout=10)
    try:
        connection.request(method, target, body=body.encode() if body else None,
                           headers={"Host": f"{host}.localhost:{web.port}"})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def test_the_clock_can_be_read_and_moved(remote: FixtureWeb) -> None:
    try:
        assert _call(remote, "GET", "/as_of") == (200, "none\n")
        assert _call(remote, "PUT", "/as_of", "2026-11-17T02:00:00+07:00") == \
            (200, "2026-11-17T02:00:00+07:00\n")
        assert remote.as_of is not None and remote.as_of.day == 17
        status, body = _call(remote, "GET", "/expected")
        assert status == 200
        assert {a["url"] for a in json.loads(body)} == \
            {a["url"] for a in remote.expected_articles()}
        assert _call(remote, "PUT", "/as_of", "2026-11-17T02:00:00")[0] == 400
        assert _call(remote, "PUT", "/as_of", "kemarin")[0] == 400
    finally:
        assert _call(remote, "PUT", "/as_of", "none") == (200, "none\n")
    assert remote.as_of is None


def test_faults_can_be_injected_listed_and_cleared(remote: FixtureWeb) -> None:
    remote.requests_log.clear()
    status, body = _call(remote, "POST", "/faults",
                         "faults:\n  - {url: /rss, fault: status, code: 503, times: 1}\n")
    assert (status, json.loads(body)) == (200, {"added": 1})
    assert _call(remote, "GET", "/rss", host="detakpos")[0] == 503
    assert _call(remote, "GET", "/rss", host="detakpos")[0] == 200
    listed = json.loads(_call(remote, "GET", "/faults")[1])
    assert [(f["kind"], f["target"], f["hits"]) for f in listed] == [("status", "/rss", 1)]
    assert _call(remote, "DELETE", "/faults") == (200, "cleared\n")
    assert remote.faults == []
    assert _call(remote, "POST", "/faults", "faults:\n  - {url: /rss, fault: nope}\n")[0] == 400
    # control requests are not part of any outlet's traffic
    assert [h for h, _, _ in remote.requests_log] == ["detakpos.localhost"] * 2


def test_changes_and_timeline_as_json(remote: FixtureWeb) -> None:
    status, body = _call(remote, "GET", "/changes?since=2026-11-17T02:00:00%2B07:00"
                                        "&until=2026-11-18T02:00:00%2B07:00")
    assert status == 200
    changes = json.loads(body)
    want = remote.changes_between(datetime.fromisoformat("2026-11-17T02:00:00+07:00"),
                                  datetime.fromisoformat("2026-11-18T02:00:00+07:00"))
    assert changes == {name: sorted(getattr(want, name))
                       for name in ("new", "updated", "edited", "removed")}
    assert any("kapal-patroli" in url for url in changes["edited"])
    days = json.loads(_call(remote, "GET", "/timeline")[1])
    assert days[0]["date"] == "2026-11-10" and days[0]["new"]


def test_unknown_endpoints_and_writes_to_outlets_are_refused(remote: FixtureWeb) -> None:
    assert _call(remote, "GET", "/shutdown")[0] == 404
    status, _ = _call(remote, "POST", "/", "x=1", host="iphedia")
    assert status == 405


def test_no_outlet_may_take_the_control_name(tmp_path) -> None:
    import shutil

    from fixtureweb.content import CONTENT_DIR

    folder = tmp_path / "fixtureweb"
    shutil.copytree(CONTENT_DIR / "iphedia", folder)
    outlet = folder / "outlet.yaml"
    outlet.write_text(outlet.read_text("utf-8").replace("slug: iphedia", "slug: fixtureweb"),
                      "utf-8")
    with pytest.raises(ValueError, match="control endpoint"):
        FixtureWeb(content_dir=tmp_path)
