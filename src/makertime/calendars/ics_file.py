"""One .ics file as a calendar backend: read whole, and written when it holds makertime's events
alone.

Reading expands the file's events over a period (through the instance cache). Writing refuses a
file that holds anything but makertime's events, so a person's own calendar file is never
rewritten; each change rewrites the file whole and atomically. An event's href is its UID and
its ETag a hash of its text, so the same conditional writes as on CalDAV apply: a create fails
when the UID is there, an update or delete when the event's text changed since it was read.

The iCalendar library is imported only when the file is written or listed, so a warm read never
pays for it.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from makertime.calendars.base import RemoteEvent, Stored, TargetState
from makertime.calendars.cache import InstanceCache
from makertime.calendars.files import etag_of, read_calendar_file
from makertime.errors import Conflict, NotRegularFile, OutputError, TooLarge
from makertime.files import read_bounded, write_atomically
from makertime.limits import MIB, limit
from makertime.marks import CALENDAR_NAME, PRODID
from makertime.model import CalendarRead, Progress

if TYPE_CHECKING:
    import icalendar

OWN_FILE = "publish to a file of its own"
_TIMED = ("DTSTART", "DTEND")
_EARLIEST = datetime.min.replace(tzinfo=UTC)


def event_etag(event: Any) -> str:
    """An event's ETag in a file: a hash of its text."""
    return etag_of(bytes(event.to_ical()))


@dataclass(frozen=True, slots=True)
class IcsFile:
    """A single iCalendar file (floating times the person's calendar program writes into
    makertime's events are read in ``zone``)."""

    path: Path
    zone: tzinfo = field(default=UTC, kw_only=True)

    @property
    def name(self) -> str:
        """The file's path."""
        return str(self.path)

    def files(self) -> builtins.list[Path]:
        """The one file."""
        return [self.path]

    def read(self, first: date, last: date, *, cache: InstanceCache | None = None,
             progress: Progress | None = None) -> builtins.list[CalendarRead]:
        """The file's events and tasks."""
        if progress is not None:
            progress(self.name)
        return [read_calendar_file(self.path, first, last, cache)]

    def list(self) -> TargetState:
        """makertime's events in the file (none when there is no file yet)."""
        found = (_remote(event, self.zone) for event in _events(self._load()))
        # an event of ours whose times cannot be read is kept as it is, never touched
        return TargetState(tuple(event for event in found if event is not None),
                           exists=self.path.exists())

    def get(self, href: str) -> RemoteEvent | None:
        """The event whose UID is ``href``, as the file holds it now."""
        return self.list().by_uid().get(href)

    def create(self, uid: str, data: str) -> Stored:
        """Add the event of ``data``; Conflict when the file holds ``uid`` already."""
        calendar = self._load()
        if _find(calendar, uid) is not None:
            raise Conflict(self.name, uid)
        event, zones = self._parse(data)
        calendar.add_component(event)
        self._save(calendar, zones)
        return Stored(uid, event_etag(event))

    def update(self, href: str, etag: str, data: str) -> str:
        """Replace event ``href`` if its text still hashes to ``etag``; its new ETag."""
        calendar = self._load()
        self._current(calendar, href, etag)
        event, zones = self._parse(data)
        calendar.subcomponents = [event if c.get("UID") == href and c.name == "VEVENT" else c
                                  for c in calendar.subcomponents]
        self._save(calendar, zones)
        return event_etag(event)

    def delete(self, href: str, etag: str) -> None:
        """Remove event ``href`` if its text still hashes to ``etag``."""
        calendar = self._load()
        current = self._current(calendar, href, etag)
        calendar.subcomponents.remove(current)
        self._save(calendar, [])

    def _current(self, calendar: icalendar.Calendar, href: str, etag: str) -> Any:
        """Event ``href`` when its ETag is still ``etag``; else Conflict."""
        current = _find(calendar, href)
        if current is None or event_etag(current) != etag:
            raise Conflict(self.name, href)
        return current

    def _load(self) -> icalendar.Calendar:
        """The file's calendar (an empty one when there is no file); refused if not only ours."""
        from makertime.calendars.own import is_ours, parse_calendar

        most = limit("calendar.file_bytes")
        try:  # bounded: a file that became a FIFO, a device or a huge file is refused
            data = read_bounded(self.path, most)
        except FileNotFoundError:
            return _empty()
        except NotRegularFile as found:
            raise OutputError(self.name, f"is {found.kind}, not a calendar file", OWN_FILE) \
                from None
        except TooLarge:
            raise OutputError(self.name, f"is larger than the {most // MIB} MB a calendar file "
                              "may hold (calendar.file_bytes)", OWN_FILE) from None
        except OSError as error:
            raise OutputError(self.name, f"cannot be read: {error.strerror or error}",
                              "check its permissions") from None
        if not data.strip():
            return _empty()
        calendar = parse_calendar(data)
        if calendar is None:
            raise OutputError(self.name, "is not an iCalendar file makertime can read", OWN_FILE)
        foreign = [c for c in calendar.subcomponents
                   if c.name != "VTIMEZONE" and not (c.name == "VEVENT" and is_ours(c))]
        if foreign:
            what = "event" if all(c.name == "VEVENT" for c in foreign) else "item"
            count = f"{len(foreign)} {what}{'s' if len(foreign) > 1 else ''}"
            raise OutputError(self.name, f"holds {count} makertime did not write", OWN_FILE)
        return calendar

    def _parse(self, data: str) -> tuple[Any, Sequence[Any]]:
        """The one event of ``data`` and the time zones it comes with."""
        from makertime.calendars.own import parse_calendar

        calendar = parse_calendar(data)
        events = _events(calendar) if calendar is not None else []
        if calendar is None or len(events) != 1:
            raise OutputError(self.name, "an event to publish is not one VEVENT")
        return events[0], builtins.list(calendar.walk("VTIMEZONE"))

    def _save(self, calendar: icalendar.Calendar, zones: Sequence[Any]) -> None:
        """Write the events in time order, with just the time zones they use."""
        events = sorted(_events(calendar), key=_order)
        known = {str(z.get("TZID")): z for z in [*calendar.walk("VTIMEZONE"), *zones]}
        used = {str(e[name].params["TZID"]) for e in events for name in _TIMED
                if name in e and "TZID" in e[name].params}
        result = _empty()
        for tzid in sorted(used & set(known)):
            result.add_component(known[tzid])
        for event in events:
            result.add_component(event)
        write_atomically(self.path, bytes(result.to_ical()))


def _empty() -> icalendar.Calendar:
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    return calendar


def _events(calendar: icalendar.Calendar) -> list[Any]:
    return [c for c in calendar.subcomponents if c.name == "VEVENT"]


def _find(calendar: icalendar.Calendar, uid: str) -> Any:
    return next((e for e in _events(calendar) if str(e.get("UID", "")) == uid), None)


def _remote(event: Any, zone: tzinfo) -> RemoteEvent | None:
    from makertime.calendars.own import remote_event

    return remote_event(event, str(event.get("UID", "")), event_etag(event),
                        bytes(event.to_ical()).decode("utf-8"), zone)


def _order(event: Any) -> tuple[datetime, str]:
    from makertime.calendars.own import event_span

    span = event_span(event)
    return (span.start if span is not None else _EARLIEST, str(event.get("UID", "")))
