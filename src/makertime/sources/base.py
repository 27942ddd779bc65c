"""The boundary every calendar source implements (an .ics file, a folder of them, …)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Protocol

from makertime.model import CalendarRead
from makertime.sources.cache import InstanceCache

Progress = Callable[[str], None]


class CalendarSource(Protocol):
    """Somewhere calendars are read from; one shared test suite runs against each kind."""

    @property
    def name(self) -> str:
        """How messages name this source (a path or a URL)."""
        ...

    def read(self, first: date, last: date, *, cache: InstanceCache | None = None,
             progress: Progress | None = None) -> list[CalendarRead]:
        """Every calendar of the source, expanded over ``first``..``last`` (inclusive)."""
        ...
