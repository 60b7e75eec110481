"""`make airflow-demo`: Airflow's DAGs against the offline fixture web (no internet needed)."""

from __future__ import annotations

import importlib.util
import socket
import urllib.request
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from tests.dags.airflow_helpers import REPO


def airflow_local() -> ModuleType:
    spec = importlib.util.spec_from_file_location("airflow_local",
                                                  REPO / "deploy" / "airflow_local.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_make_airflow_demo_starts_airflow_on_the_fixture_web() -> None:
    makefile = (REPO / "Makefile").read_text("utf-8")
    recipe = makefile.split("\nairflow-demo:", 1)[1].split("\n\n", 1)[0]
    assert "deploy/airflow_local.py" in recipe and "--fixture-web" in recipe


def test_fixture_web_component_points_pantau_at_it(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    module = airflow_local()
    monkeypatch.setenv("PANTAU_DB", str(tmp_path / "demo" / "pantau.duckdb"))
    port = free_port()
    local = module.LocalAirflow(tmp_path / "home", "127.0.0.1", free_port(),
                                fixture_web_port=port)
    try:
        local.start_fixture_web(timeout=120)
        env = local.env
        assert env["PANTAU_ALLOW_PRIVATE_HOSTS"] == "1" and env["PANTAU_TIME_TRAVEL"] == "1"
        assert env["PANTAU_DB"] == str(tmp_path / "demo" / "pantau.duckdb")
        sources = yaml.safe_load(Path(env["PANTAU_SOURCES"]).read_text("utf-8"))["sources"]
        assert {s["name"] for s in sources} == {"beritaturki", "detakpos", "iphedia"}
        assert all(f".localhost:{port}/" in s["url"] for s in sources)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/rss",
                                         headers={"Host": f"detakpos.localhost:{port}"})
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            assert response.status == 200 and b"<rss" in response.read()
    finally:
        local.stop(grace=10)
    assert local.procs["fixtureweb"].poll() is not None
