"""Read what a child process wrote to a pseudo-terminal (tests of terminal-only output)."""

from __future__ import annotations

import os


def drain(leader: int) -> bytes:
    """Everything written to the pty until the child closes it (EIO or EOF), then close it."""
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # Linux answers EIO once the follower side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return b"".join(chunks)
