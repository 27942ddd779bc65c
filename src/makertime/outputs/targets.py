"""Where a plan is published: the boundary every target implements, and makertime's own events.

A target is a CalDAV calendar (``CalDavTarget``) or an .ics file makertime owns
(``IcsFileTarget``); one shared test suite runs against both. A target lists only makertime's
events (those carrying ``X-MAKERTIME-KIND``) and counts the others, which it never touches. Every
write is conditional: a create says ``If-None-Match: *``, an update or delete ``If-Match`` with
the ETag last read; a target whose event changed meanwhile raises ``Conflict`` instead of writing.

Each published event also carries ``X-MAKERTIME-PLANNED:<start>/<end>`` (UTC): where makertime put
it. An event whose DTSTART/DTEND no longer match it was moved by the person. A block the plan
moves keeps its UID: its event is replaced in place (same href, If-Match) with its SEQUENCE one
higher, so calendar programs and sync tools see the event move, not one deleted and one added.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any, Protocol

import icalendar

from makertime.errors import MakertimeError, OutputError
from makertime.model import Interval
from makertime.outputs.ics import KIND_PROPERTY, PRODID, TASK_PROPERTY
from makertime.outputs.ics import _event as _plan_event
from makertime.outputs.published import PublishedItem
from makertime.plan.result import Block

PLANNED_PROPERTY = "X-MAKERTIME-PLANNED"
_PLANNED_FORMAT = "%Y%m%dT%H%M%SZ"


class Conflict(MakertimeError):
    """A conditional write was refused: the event changed (or appeared, or went) meanwhile."""

    def __init__(self, target: str, href: str) -> None:
        self.target = target
        self.href = href
        super().__init__(target, f"{href} changed since it was read")


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

    def as_published(self, target: str) -> PublishedItem:
        """The record of this event: where makertime put it and the ETag it has now."""
        return PublishedItem(target=target, uid=self.uid, href=self.href, etag=self.etag,
                             kind=self.kind, task=self.task, start=self.where_planned.start,
                             end=self.where_planned.end)


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

    def read(self) -> TargetState:
        """makertime's events as they are now, and the count of the others."""
        ...

    def read_event(self, href: str) -> RemoteEvent | None:
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


def open_target(text: str, zone: tzinfo = UTC) -> PublishTarget:
    """The target ``text`` names: a CalDAV calendar URL, or a path ending in .ics (floating
    times the person's calendar program writes are read in ``zone``)."""
    if text.startswith(("http://", "https://")):
        from makertime.outputs.caldav_target import CalDavTarget
        from makertime.sources.credentials import credentials_for, public_url

        public_url(text)  # a URL that cannot be read is one clear line, here
        return CalDavTarget(text, credentials_for(text), zone=zone)
    from pathlib import Path

    from makertime.outputs.ics_target import IcsFileTarget

    path = Path(text).expanduser()
    if path.suffix.lower() != ".ics":
        raise OutputError(text, "is neither a CalDAV URL nor an .ics file",
                          "give https://… of a calendar, or a file name ending in .ics")
    return IcsFileTarget(path, zone=zone)


def format_planned(span: Interval) -> str:
    """``X-MAKERTIME-PLANNED``'s value: ``20260325T130000Z/20260325T150000Z``."""
    start, end = span.start.astimezone(UTC), span.end.astimezone(UTC)
    return f"{start:{_PLANNED_FORMAT}}/{end:{_PLANNED_FORMAT}}"


def parse_planned(text: str) -> Interval | None:
    """The span an ``X-MAKERTIME-PLANNED`` value names; None when it names none."""
    try:
        start, end = (datetime.strptime(part, _PLANNED_FORMAT).replace(tzinfo=UTC)
                      for part in text.strip().split("/"))
    except ValueError:
        return None
    return Interval(start, end) if start < end else None


def block_event(block: Block, zone: tzinfo, stamp: datetime,
                sequence: int = 0) -> icalendar.Event:
    """The VEVENT makertime publishes for ``block``: the plan file's event, where it was put
    and, for an event changed in place, its SEQUENCE (RFC 5545: one more on every change of
    its time, so that calendar programs take the new version)."""
    event = _plan_event(block, zone, stamp)
    event.add(PLANNED_PROPERTY, format_planned(block.span))
    if sequence > 0:
        event.add("sequence", sequence)
    return event


def block_text(block: Block, zone: tzinfo, sequence: int = 0) -> str:
    """One block as a whole iCalendar object: its event and the VTIMEZONE its times use.

    The same block gives the same text on every run (DTSTAMP is the start's date, not the clock).
    """
    stamp = datetime.combine(block.span.start.astimezone(UTC).date(), time(), tzinfo=UTC)
    calendar = _wrap(block_event(block, zone, stamp, sequence))
    first = block.span.start.astimezone(zone).date() - timedelta(days=1)
    calendar.add_missing_timezones(first_date=first,
                                   last_date=block.span.end.astimezone(zone).date() + _DAY)
    if calendar.get_missing_tzids():
        # a zone icalendar cannot describe (a bare UTC offset): UTC times are exact and portable
        calendar = _wrap(block_event(block, UTC, stamp, sequence))
    return bytes(calendar.to_ical()).decode("utf-8")


_DAY = timedelta(days=1)


def _wrap(event: icalendar.Event) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add_component(event)
    return calendar


def parse_calendar(text: str | bytes) -> icalendar.Calendar | None:
    """``text`` parsed as one VCALENDAR; None when icalendar cannot read it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # what cannot be read is left alone, not repaired
        try:
            found = icalendar.Calendar.from_ical(text)
        except Exception:  # noqa: BLE001 - icalendar raises many types on bad input
            return None
    return found if isinstance(found, icalendar.Calendar) else None


def is_ours(event: Any) -> bool:
    """Whether ``event`` carries makertime's markers: its kind, and a UID of makertime's (a copy
    the person made of a block keeps the kind but gets a UID of its own: it is theirs)."""
    return KIND_PROPERTY in event and str(event.get("UID", "")).endswith("@makertime")


def remote_event(event: Any, href: str, etag: str, data: str,
                 zone: tzinfo = UTC) -> RemoteEvent | None:
    """makertime's event as a RemoteEvent; None when its times cannot be read (never touched)."""
    span = event_span(event, zone)
    if span is None:
        return None
    task = str(event.get(TASK_PROPERTY, "")) or None
    planned = parse_planned(str(event.get(PLANNED_PROPERTY, "")))
    return RemoteEvent(uid=str(event.get("UID", "")), href=href, etag=etag,
                       kind=str(event[KIND_PROPERTY]), task=task, span=span,
                       planned=planned, data=data, sequence=_sequence(event))


def _sequence(event: Any) -> int:
    """The event's SEQUENCE; 0 when it has none or one that is not a number."""
    try:
        return max(0, int(str(event.get("SEQUENCE", 0))))
    except ValueError:
        return 0


def events_in(text: str, href: str, etag: str,
              zone: tzinfo = UTC) -> tuple[list[RemoteEvent], int]:
    """makertime's events in one calendar object, and the number of events that are not
    (floating times read in ``zone``)."""
    calendar = parse_calendar(text)
    if calendar is None:
        return [], 1  # unreadable: counted as someone else's, and never touched
    ours: list[RemoteEvent] = []
    others: set[str] = set()
    for event in calendar.walk("VEVENT"):
        if is_ours(event):
            if "RECURRENCE-ID" in event:
                continue  # an override the person made of one of ours: its master decides
            found = remote_event(event, href, etag, text, zone)
            if found is not None:
                ours.append(found)
                continue
        others.add(str(event.get("UID", id(event))))
    return ours, len(others)


def event_span(event: Any, zone: tzinfo = UTC) -> Interval | None:
    """Where the event is, in UTC (a floating time, as a calendar program may write after the
    person moved it, is read in ``zone``); None when its times cannot be read or are whole days
    (an event made all-day is no longer a block)."""
    try:
        start, end = event.start, event.end
    except Exception:  # noqa: BLE001 - icalendar's IncompleteComponent, InvalidCalendar, …
        return None
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        return None
    start, end = _moment(start, zone), _moment(end, zone)
    return Interval(start, end) if start <= end else None


def _moment(value: datetime, zone: tzinfo) -> datetime:
    """An aware UTC datetime; a floating one read in ``zone``."""
    return (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(UTC)
