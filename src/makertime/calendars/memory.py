"""A calendar held in memory, honouring the contract of every backend: ETags that change with
every write, and conditional writes refused (``Conflict``, CalDAV's 412) when an event changed,
appeared or went since it was read.

It is a real backend — a library user can publish to it and read it back (each item expanded like
an .ics file, as a CalDAV collection's are), and the publish algorithm is tested over it — with
what a test needs besides: the person's own unconditional edits (``put``,
``remove``) and a hook called before every write of makertime's (``before_write``), where a test
can crash a publish between any two writes.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, tzinfo
from itertools import count

from makertime.calendars.base import RemoteEvent, Stored, TargetState
from makertime.calendars.cache import InstanceCache
from makertime.calendars.items import read_items
from makertime.calendars.own import events_in, parse_calendar, target_state
from makertime.calendars.remote import RemoteItem
from makertime.errors import Conflict, SourceError
from makertime.model import CalendarRead, Progress

WriteHook = Callable[[str, str], None]
"""Called with the action (``create``, ``update``, ``delete``) and the href before a write."""


@dataclass(frozen=True, slots=True)
class Item:
    """One calendar object as the calendar holds it: its text and its ETag, and the UID of its
    first event (read once, when it is written; None when it has none)."""

    href: str
    etag: str
    data: str
    uid: str | None = None


class MemoryCalendar:
    """A calendar collection in memory: calendar objects by href, each with an ETag."""

    def __init__(self, name: str = "memory:calendar", *, zone: tzinfo = UTC,
                 exists: bool = True) -> None:
        self._name = name
        self.zone = zone
        self.exists = exists
        self.items: dict[str, Item] = {}
        self.before_write: WriteHook | None = None
        self.writes = 0  # makertime's writes that went through
        self._etags = count(1)

    @property
    def name(self) -> str:
        """How messages and the store name this calendar."""
        return self._name

    def read(self, first: date, last: date, *, cache: InstanceCache | None = None,
             progress: Progress | None = None) -> builtins.list[CalendarRead]:
        """The calendar's events and tasks over ``first``..``last``, each item read like an .ics
        file (an item named ``<calendar>/<href>``), as one CalendarRead."""
        if not self.exists:
            raise SourceError(self.name, "no such calendar")
        if progress is not None:
            progress(self.name)
        items = {href: RemoteItem(href, item.etag, item.data) for href, item in self.items.items()}
        return [read_items(self.name, items, first, last, cache,
                           where=lambda href: f"{self.name}/{href}")]

    def list(self) -> TargetState:
        """makertime's events as they are now, and the count of the others."""
        return target_state(((item.href, item.etag, item.data) for item in self.items.values()),
                            self.zone, exists=self.exists)

    def get(self, href: str) -> RemoteEvent | None:
        """makertime's event at ``href`` as it is now; None when it is gone (or not ours)."""
        item = self.items.get(href)
        if item is None:
            return None
        found, _ = events_in(item.data, item.href, item.etag, self.zone)
        return found[0] if found else None

    def create(self, uid: str, data: str) -> Stored:
        """Add ``data`` at a new href (If-None-Match: *); Conflict when ``uid`` is there."""
        href = f"{uid}.ics"
        self._before("create", href)
        if href in self.items or any(item.uid == uid for item in self.items.values()):
            raise Conflict(self.name, href)
        stored = self._store(href, data)
        return Stored(href, stored.etag)

    def update(self, href: str, etag: str, data: str) -> str:
        """Replace the object at ``href`` (If-Match: ``etag``); its new ETag, or Conflict."""
        self._before("update", href)
        self._current(href, etag)
        return self._store(href, data).etag

    def delete(self, href: str, etag: str) -> None:
        """Remove the object at ``href`` (If-Match: ``etag``); Conflict when it changed or went."""
        self._before("delete", href)
        self._current(href, etag)
        del self.items[href]
        self.writes += 1

    # what the person does, in their own calendar program: no preconditions

    def put(self, href: str, data: str) -> Item:
        """The person writes ``data`` at ``href`` (a new event, or an edit of one there)."""
        self.exists = True
        item = Item(href, self._etag(), data, _uid_of(data))
        self.items[href] = item
        return item

    def remove(self, href: str) -> None:
        """The person deletes the object at ``href``."""
        self.items.pop(href, None)

    def _before(self, action: str, href: str) -> None:
        if self.before_write is not None:
            self.before_write(action, href)

    def _current(self, href: str, etag: str) -> Item:
        item = self.items.get(href)
        if item is None or item.etag != etag:
            raise Conflict(self.name, href)
        return item

    def _store(self, href: str, data: str) -> Item:
        self.exists = True
        item = Item(href, self._etag(), data, _uid_of(data))
        self.items[href] = item
        self.writes += 1
        return item

    def _etag(self) -> str:
        return f'"{next(self._etags)}"'


def _uid_of(data: str) -> str | None:
    """The UID of the first event in ``data``; None when it has none or cannot be read."""
    calendar = parse_calendar(data)
    if calendar is None:
        return None
    for event in calendar.walk("VEVENT"):
        return str(event.get("UID", "")) or None
    return None
