"""The boundaries every calendar implements: a source is read (an .ics file, a folder of them,
a CalDAV collection); a target is written, by conditional writes of makertime's own events.

A target is a CalDAV calendar (``CalDavTarget``) or an .ics file makertime owns
(``IcsFileTarget``); one shared test suite runs against both. A target lists only makertime's
events (those carrying ``X-MAKERTIME-KIND``) and counts the others, which it never touches. Every
write is conditional: a create says ``If-None-Match: *``, an update or delete ``If-Match`` with
the ETag last read; a target whose event changed meanwhile raises ``Conflict`` instead of writing.

Each published event also carries ``X-MAKERTIME-PLANNED:<start>/<end>`` (UTC): where makertime put
it. An event whose DTSTART/DTEND no longer match it was moved by the person. A block the plan
moves keeps its UID: its event is replaced in place (same href, If-Match) with its SEQUENCE one
higher, so calendar programs and sync tools see the event move, not one deleted and one added.
"
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from makertime.calendars.cache import InstanceCache
from makertime.errors import Conflict as Conflict  # noqa: PLC0414  (re-exported)
from makertime.model import CalendarRead, Interval
from makertime.model import Progress as Progress  # noqa: PLC0414  (re-exported)


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
    """A calendar makertime publishes to; one shared test suite runs against each kind."""

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
