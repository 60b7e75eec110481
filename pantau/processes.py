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
import signal
import sys

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
