"""Answers kept while they stay true: the week view of one saved plan as of one minute is the
same JSON every time (a saved plan never changes), so each process renders it once and sends
the same bytes to everyone who asks within that minute. Small and bounded: the newest few."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from fastapi.responses import JSONResponse, Response

KEPT = 8
"""Answers kept per process: a few plans and minutes (the newest replace the oldest)."""


class Answers:
    """The JSON answers already rendered, by what they depend on."""

    def __init__(self) -> None:
        self._kept: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def json(self, key: Hashable, build: Callable[[], Any]) -> Response:
        """The JSON answer for ``key``: rendered from ``build()`` the first time."""
        with self._lock:
            kept = self._kept.get(key)
        body = bytes(JSONResponse(build()).body) if kept is None else kept
        if kept is None:
            with self._lock:
                self._kept[key] = body
                while len(self._kept) > KEPT:
                    self._kept.popitem(last=False)
        return Response(body, media_type="application/json")


__all__ = ["Answers"]
