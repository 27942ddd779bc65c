"""The iCalendar object makertime publishes for a block, and the record of one it saw."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo

import icalendar

from makertime.calendars.base import RemoteEvent
from makertime.calendars.own import format_planned
from makertime.marks import PLANNED_PROPERTY, PRODID
from makertime.outputs.ics import block_vevent
from makertime.plan.result import Block
from makertime.store.journal import PublishedItem


def block_event(block: Block, zone: tzinfo, stamp: datetime,
                sequence: int = 0) -> icalendar.Event:
    """The VEVENT makertime publishes for ``block``: the plan file's event, where it was put
    and, for an event changed in place, its SEQUENCE (RFC 5545: one more on every change of
    its time, so that calendar programs take the new version)."""
    event = block_vevent(block, zone, stamp)
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


def as_published(event: RemoteEvent, target: str) -> PublishedItem:
    """The record of this event: where makertime put it and the ETag it has now."""
    return PublishedItem(target=target, uid=event.uid, href=event.href, etag=event.etag,
                         kind=event.kind, task=event.task, start=event.where_planned.start,
                         end=event.where_planned.end)
