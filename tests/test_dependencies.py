"""Every third-party module the packages import is declared in pyproject.toml (and pinned in
requirements.txt): nothing works only because another dependency happened to bring it."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# pantau's own top-level packages, as pyproject.toml lists them ("pantau*" -> "pantau").
PACKAGES = tuple(
    name.rstrip("*") for name in
    tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"]
    ["find"]["include"])
# Airflow's modules ship in several distributions that the declared `apache-airflow` installs.
PROVIDED_BY = {"airflow": "apache-airflow"}


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_modules() -> set[str]:
    found: set[str] = set()
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m not in PACKAGES
            and m != "__future__"}


def test_every_imported_distribution_is_declared_and_pinned() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    declared = {normal(re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0])
                for d in project["dependencies"]}
    pinned = {normal(line.split("==")[0]) for line in
              (REPO / "requirements.txt").read_text("utf-8").splitlines() if "==" in line}
    distributions = packages_distributions()
    missing = {}
    for module in sorted(imported_modules()):
        names = ([PROVIDED_BY[module]] if module in PROVIDED_BY
                 else [normal(d) for d in distributions.get(module, [module])])
        if not any(n in declared for n in names):
            missing[module] = "not declared in pyproject.toml"
        elif not any(n in pinned for n in names):
            missing[module] = "not pinned in requirements.txt"
    assert not missing, missing
    assert "rich" in declared
