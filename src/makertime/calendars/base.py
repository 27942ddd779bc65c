"""The one boundary every calendar backend implements, for both directions: ``Calendar``.

A backend is an .ics file (``IcsFile``), a folder of them (``IcsFolder``, a vdir), a CalDAV
collection (``CalDavCalendar``) or a calendar in memory (``MemoryCalendar``); one shared test suite
runs against each. ``open_calendar`` gives the backend a CAL text names.

Reading (``read``) gives the calendar's events and tasks expanded over a period, as the plan and
the audit need them. The item side is what publishing needs: ``list`` gives makertime's events
(those carrying ``X-MAKERTIME-KIND`` and a UID of makertime's) and counts the others, which a
backend never touches; ``get``, ``create``, ``update`` and ``delete`` work on one event, every
write conditional: a create says ``If-None-Match: *``, an update or delete ``If-Match`` with the
ETag last read; a backend whose event changed meanwhile raises ``Conflict`` instead of writing.

Each published event also carries ``X-MAKERTIME-PLANNED:<start>/<end>`` (UTC): where makertime put
it. An event whose DTSTART/DTEND no longer match it was moved by the person. A block the plan
moves keeps its UID: its event is replaced in place (same href, If-Match) with its SEQUENCE one
higher, so calendar programs and sync tools see the event move, not one deleted and one added.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from makertime.calendars.cache import InstanceCache
from makertime.errors import OutputError, SourceError
from makertime.model import CalendarRead, Interval, Progress


@dataclass(frozen=True, slots=True)
class Stored:
    """Where a target put a new event, and its ETag."""

    href: str
    etag: str


@dataclass(frozen=True, slots=True)
class RemoteEvent:
    """One of makertime's events as a target holds it now.

    ``span`` is where the event is (its DTSTART/DTEND, in UTC); ``planned`` where makertime put
    it (``X-MAKERTIME-PLANNED``; None for an event written without it, as ``plan --out`` does).
    ``data`` is the text the target holds for it.
    """

    uid: str
    href: str
    etag: str
    kind: str
    task: str | None
    span: Interval
    planned: Interval | None
    data: str
    sequence: int = 0  # the event's SEQUENCE: an update in place sends one more

    @property
    def moved_by_person(self) -> bool:
        """Whether the person moved the event away from where makertime put it."""
        return self.planned is not None and self.span != self.planned

    @property
    def where_planned(self) -> Interval:
        """Where makertime put the event (its span, when it does not say)."""
        return self.planned or self.span


@dataclass(frozen=True, slots=True)
class TargetState:
    """makertime's events on a target, how many events there are not makertime's, and whether
    the target exists at all (a calendar or file removed whole is a fresh start, not the person
    deleting every block one by one)."""

    events: tuple[RemoteEvent, ...] = ()
    foreign: int = 0
    exists: bool = True

    def by_uid(self) -> dict[str, RemoteEvent]:
        """The events by UID (the first, should the person have copied one)."""
        found: dict[str, RemoteEvent] = {}
        for event in self.events:
            found.setdefault(event.uid, event)
        return found


class PublishTarget(Protocol):
    """The item side of a calendar alone: what the publish algorithm needs (``publish.sync``),
    and all that a wrapper around a backend, as the publish tests use to inject faults, has to
    offer."""

    @property
    def name(self) -> str:
        """How messages and the store name this target (a path or a URL without password)."""
        ...

    def list(self) -> TargetState:
        """makertime's events as they are now, and the count of the others."""
        ...

    def get(self, href: str) -> RemoteEvent | None:
        """makertime's event at ``href`` as it is now; None when it is gone (or not ours)."""
        ...

    def create(self, uid: str, data: str) -> Stored:
        """Add the event ``data`` (If-None-Match: *); Conflict when ``uid`` is there already."""
        ...

    def update(self, href: str, etag: str, data: str) -> str:
        """Replace the event at ``href`` (If-Match: ``etag``); its new ETag, or Conflict."""
        ...

    def delete(self, href: str, etag: str) -> None:
        """Remove the event at ``href`` (If-Match: ``etag``); Conflict when it changed or went."""
        ...


class Calendar(PublishTarget, Protocol):
    """A calendar backend: read over a period, and makertime's events listed and written."""

    def read(self, first: date, last: date, *, cache: InstanceCache | None = None,
             progress: Progress | None = None) -> builtins.list[CalendarRead]:
        """Every calendar of the backend, expanded over ``first``..``last`` (inclusive)."""
        ...


@contextmanager
def output_errors() -> Iterator[None]:
    """Report a failure to read a calendar while publishing to it as an OutputError, with the
    same words."""
    try:
        yield
    except SourceError as failure:
        raise OutputError(failure.where, failure.problem, failure.fix) from None
