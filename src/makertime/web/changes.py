"""One change at a time: a request that changes the store (a replan, a move, a publish, a
logged interruption…) waits for the one before it, in this process (a thread lock) and in the
server's other processes (an exclusive ``flock`` on a lock file of the store's own), so each
sees the plan the one before it saved. Reads never wait.

The lock file lies beside a SQLite store, or in makertime's private data folder for a
PostgreSQL one; it is opened without following links and holds nothing.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from makertime.places import default_store_file

try:
    import fcntl
except ImportError:  # no flock (Windows): one process serves, and the thread lock suffices
    fcntl = None  # type: ignore[assignment]

MANY_PROCESSES = fcntl is not None
"""Whether the server may run more than one process here."""


class ChangeLock:
    """The lock every change of the store ``url`` (as opened) holds."""

    def __init__(self, url: str) -> None:
        self._thread = threading.Lock()
        self.path = lock_path(url)

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock until the block ends."""
        with self._thread:
            if fcntl is None:
                yield
                return
            flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
            descriptor = os.open(self.path, flags, 0o600)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX)
                yield
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
                os.close(descriptor)


def lock_path(url: str) -> Path:
    """Where the lock of the store ``url`` lives."""
    found = make_url(url)
    if found.get_backend_name() == "sqlite" and found.database not in (None, "", ":memory:"):
        return Path(f"{found.database}.changes.lock")
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    return default_store_file().parent / f"web-{digest}.changes.lock"


__all__ = ["MANY_PROCESSES", "ChangeLock", "lock_path"]
