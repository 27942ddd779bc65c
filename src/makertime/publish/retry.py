"""Requests to a calendar server that failed for a passing reason, sent again a few times.

A server that answers 500 or 503, a connection dropped before the answer, or no answer in time
(each a ``ServerError``) is asked again after a short pause, at most ``len(pauses)`` more times;
then the ``ServerError`` ends the run (exit status 3), naming the server and how often it was
tried. Sending a write again is safe because every write is conditional: a create that reached
the server the first time is refused the second (``If-None-Match``), an update or delete whose
first try went through no longer matches its ETag, and the publish reads the event again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from makertime.errors import ServerError

PAUSES: tuple[float, ...] = (0.25, 1.0)
"""Seconds to wait before the second and the third try (a default a test may shorten)."""

_T = TypeVar("_T")


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


@dataclass(frozen=True, slots=True)
class Retry:
    """How a request that failed for a passing reason is tried again: after each pause."""

    pauses: tuple[float, ...] = field(default_factory=lambda: PAUSES)
    sleep: Callable[[float], None] = _sleep

    @property
    def tries(self) -> int:
        """How many times a request is sent at most."""
        return len(self.pauses) + 1

    def call(self, send: Callable[[], _T]) -> _T:
        """``send()``, again after each pause while it raises ServerError; the last error,
        saying how many tries it took, when none succeeded."""
        for pause in self.pauses:
            try:
                return send()
            except ServerError:
                self.sleep(pause)
        try:
            return send()
        except ServerError as failure:
            if not self.pauses:
                raise
            raise ServerError(failure.where, f"{failure.problem} ({self.tries} tries)",
                              failure.fix) from None

