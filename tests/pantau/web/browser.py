"""Debian's Chromium for the browser tests: found on the PATH, or installed with apt when the
tests run as root (a fresh machine or CI); the tests are skipped, saying why, only when neither
is possible."""

from __future__ import annotations

import os
import shutil
import subprocess

NAMES = ("chromium", "chromium-browser")


def find_chromium() -> str | None:
    for name in NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def ensure_chromium() -> tuple[str | None, str]:
    """The Chromium executable (installing the Debian package if needed), or None and why."""
    found = find_chromium()
    if found:
        return found, ""
    apt = shutil.which("apt-get")
    if apt is None:
        return None, "no chromium on the PATH and no apt-get to install it"
    if os.geteuid() != 0:
        return None, "no chromium on the PATH; install it (sudo apt-get install -y chromium)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for args in ([apt, "update"], [apt, "install", "-y", "--no-install-recommends", "chromium"]):
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
            return None, f"'{' '.join(args[1:])}' failed: {tail[0]}"
    found = find_chromium()
    return found, "" if found else "apt installed chromium but it is not on the PATH"
