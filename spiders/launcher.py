"""Start crawl processes: forked from a server that has imported the crawler once, or plain.

Every outlet is crawled in its own process (the Twisted reactor cannot restart; a crashed or
killed crawl takes no other outlet with it). Starting that process used to cost ~1.5 s of CPU:
importing Scrapy, Twisted, lxml, trafilatura and the extractor again, for every outlet, every
night. With many outlets that is a fifth of a night's CPU on two cores.

So crawl processes are forked from a *fork server* (``multiprocessing``'s ``forkserver``): one
process per pantau process that imports those libraries once, and forks a ready child per
outlet. The child gets the caller's current environment (tests and Airflow tasks change it
between crawls) and reads the crawler's settings module afresh, so a forked crawl behaves
exactly like ``python -m spiders.crawl_one``. The child writes its peak memory into the stats.

``PANTAU_CRAWL_FORKSERVER=0`` (or a platform without ``fork``) starts a fresh interpreter per
outlet instead; so does a daemonic caller, which ``multiprocessing`` forbids to have children:
a task run by a Celery worker's prefork pool (CeleryExecutor, docs/scale-out.md) is one.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import subprocess
import sys
import threading
import types
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from core.processes import exit_when_gone
from core.settings import Environment, environment

# Imported once in the fork server. ``spiders.settings`` is read afresh by every crawl: it reads
# the environment when imported, and each crawl must see the environment of its own launch.
PRELOAD = ("spiders.preload",)  # imports everything a crawl needs (see that module)
_FRESH_MODULES = ("spiders.settings",)
_START_LOCK = threading.Lock()


def forkserver_enabled(env: Mapping[str, str] | None = None) -> bool:
    wanted = (environment() if env is None else Environment.read(env)).crawl_forkserver
    daemonic = bool(multiprocessing.current_process().daemon)  # may not start children
    return wanted and not daemonic and "forkserver" in multiprocessing.get_all_start_methods()


def _forked_crawl(
    argv: list[str], env: dict[str, str], logfile: str, cwd: str, caller: int | None = None
) -> None:
    """Runs in the forked child: the caller's environment, folder and log file, then crawl_one.

    ``caller``: the pid of the process that asked for this crawl; the crawl ends with it (its
    parent is the fork server, which outlives the caller while any child is alive).
    """
    if caller is not None:
        exit_when_gone(caller)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    fd = os.open(logfile, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    for name in _FRESH_MODULES:
        sys.modules.pop(name, None)
    from spiders.crawl_one import main

    code = main(argv)
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(code)


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Start children without the caller's ``__main__``: multiprocessing would have each child
    import the caller's main script again (an Airflow or pytest entry point, a user's script
    without a ``__main__`` guard); a crawl child needs none of it."""
    with _START_LOCK:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = main


def _context() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    assert isinstance(context, multiprocessing.context.ForkServerContext)
    context.set_forkserver_preload(list(PRELOAD))
    return context


def run_crawl_process(
    argv: Sequence[str], env: dict[str, str], logfile: Path, cwd: Path, timeout: float
) -> int | None:
    """Run ``python -m spiders.crawl_one ARGV`` (or its forked equivalent) with ``env``, output
    appended to ``logfile``; its exit code, or ``None`` when it was killed after ``timeout``."""
    if forkserver_enabled(env):
        process = _context().Process(
            target=_forked_crawl,
            args=(list(argv), dict(env), str(logfile), str(cwd), os.getpid()), daemon=False
        )
        with _main_module_hidden():
            process.start()
        process.join(timeout)
        if process.is_alive():
            process.kill()
            process.join()
            return None
        return process.exitcode
    with open(logfile, "ab") as log_fh:
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "spiders.crawl_one", *argv],
                stdin=subprocess.DEVNULL, stdout=log_fh, stderr=log_fh, env=env, cwd=str(cwd),
                timeout=timeout, check=False,
            )
        except subprocess.TimeoutExpired:
            return None
    return proc.returncode
