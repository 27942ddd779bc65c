"""makertime's own events in a calendar object: told from the person's by their marks, read
into ``RemoteEvent``s (where each is, where makertime put it, its ETag and SEQUENCE)."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from typing import Any

import icalendar

from makertime.calendars.base import RemoteEvent, TargetState
from makertime.marks import KIND_PROPERTY, OWN_UID, PLANNED_PROPERTY, TASK_PROPERTY
from makertime.model import Interval

_PLANNED_FORMAT = "%Y%m%dT%H%M%SZ"


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
    return KIND_PROPERTY in event and str(event.get("UID", "")).endswith(OWN_UID)


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


def target_state(items: Iterable[tuple[str, str, str]], zone: tzinfo = UTC, *,
                 exists: bool = True) -> TargetState:
    """makertime's events in calendar objects given as (href, ETag, text), in the order of their
    hrefs, and the count of the events that are not makertime's."""
    events: list[RemoteEvent] = []
    foreign = 0
    for href, etag, text in sorted(items):
        ours, others = events_in(text, href, etag, zone)
        events.extend(ours)
        foreign += others
    return TargetState(tuple(events), foreign, exists=exists)


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
