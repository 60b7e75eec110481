"""Child processes that do not outlive their parent.

A killed loader or reprocess used to leave its extraction workers running for good (parent PID 1,
tens of MB each); a killed ``pantau crawl`` left its crawler writing staging files that a new
crawl of the same outlet might then share. :func:`die_with_parent` makes the kernel kill the
calling process when its parent dies (Linux ``prctl(PR_SET_PDEATHSIG)``); elsewhere it does
nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import select
import signal
import sys
import threading
import time

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int | None = None, sig: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send ``sig`` to this process when its parent dies; True when set.

    ``parent_pid``: the parent this process was started by. If it has already died (the
    process was re-parented before this call), exit now. Note that Linux sends the signal when
    the *thread* that started this process ends, so start such children from a thread that
    outlives them (a pool's owner, the main thread).
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            log.debug("prctl(PR_SET_PDEATHSIG) failed: errno %d", ctypes.get_errno())
            return False
    except (OSError, AttributeError):
        return False
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)  # the parent died between our start and prctl
    return True


def exit_when_gone(pid: int, poll_seconds: float = 1.0) -> None:
    """Kill this process as soon as process ``pid`` (not necessarily the parent) has exited.

    For children started through a fork server, whose parent is the server: the server itself
    stays up while any of its children holds its "alive" pipe, so the child watches the process
    that asked for it instead. Uses a pidfd (Linux 5.3+; no race with a reused pid) in a daemon
    thread, else polls.
    """
    def watch() -> None:
        try:
            fd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            fd = None
        if fd is not None:
            select.select([fd], [], [])  # readable once the process has exited
        else:
            while _exists(pid):
                time.sleep(poll_seconds)
        os.kill(os.getpid(), signal.SIGKILL)

    if not _exists(pid):
        os.kill(os.getpid(), signal.SIGKILL)
    threading.Thread(target=watch, name=f"exit-when-{pid}-gone", daemon=True).start()


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
