"""A plan as an iCalendar file: one VEVENT per block, marked so makertime knows its own events.

Every event carries ``X-MAKERTIME-KIND`` (and ``X-MAKERTIME-TASK`` where a task is served) and a
UID that is the same for the same block on every run, so publishing again replaces instead of
duplicating, and events makertime did not write are never touched. The bytes are the same for the
same plan: DTSTAMP comes from the plan's period, not from the clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

from icalendar import Calendar, Event, vText

from makertime.files import write_atomically
from makertime.marks import (
    ATTENTION_CATEGORY,
    CALENDAR_NAME,
    KIND_PROPERTY,
    PRODID,
    TASK_PROPERTY,
)
from makertime.outputs.plan_rows import block_summary, ordered
from makertime.plan.result import Block, PlanResult
from makertime.text import clean, clean_lines

CATEGORY = "makertime"


def plan_to_ics(result: PlanResult, zone: tzinfo) -> bytes:
    """The plan's blocks as one VCALENDAR, times in ``zone`` with its VTIMEZONE when it has one."""
    calendar = _calendar(result, zone)
    first, last = _dates(result, zone)
    # a VTIMEZONE for just the plan's dates: short, and the same bytes on every run
    calendar.add_missing_timezones(first_date=first, last_date=last)
    if calendar.get_missing_tzids():
        # a zone icalendar cannot describe (a bare UTC offset): UTC times are exact and portable
        calendar = _calendar(result, UTC)
    data: bytes = calendar.to_ical()
    return data


def write_plan_ics(result: PlanResult, zone: tzinfo, path: Path) -> None:
    """Write the plan as an ``.ics`` file to ``path``, whole or not at all."""
    write_atomically(path, plan_to_ics(result, zone))


def _calendar(result: PlanResult, zone: tzinfo) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    stamp = datetime.combine(result.period.first, time(), tzinfo=UTC)
    for block in ordered(result.blocks):
        calendar.add_component(block_vevent(block, zone, stamp))
    return calendar


def block_vevent(block: Block, zone: tzinfo, stamp: datetime) -> Event:
    # every text goes through icalendar's TEXT escaping, without control characters: a title
    # or task id from someone else's calendar cannot add a property or end the event
    reason = clean_lines(block.reason) if block.reason else None
    event = Event.new(uid=clean(block.uid), stamp=stamp, summary=clean(block_summary(block)),
                      start=_wall_time(block.span.start, zone),
                      end=_wall_time(block.span.end, zone),
                      description=reason, categories=[CATEGORY, *block.categories])
    # work blocks show the person as busy; rest and recovery only keep deep work away, and an
    # on-call turn (partial attention for days on end) would hide the holder's whole week
    busy = block.kind.is_work and f"{ATTENTION_CATEGORY}PARTIAL" not in block.categories
    event.add("transp", "OPAQUE" if busy else "TRANSPARENT")
    event.add(KIND_PROPERTY, vText(block.kind.value))
    if block.task:
        event.add(TASK_PROPERTY, vText(clean(block.task, chars=len(block.task))))
    return event


def _wall_time(moment: datetime, zone: tzinfo) -> datetime:
    """``moment`` in ``zone``, or in UTC where the zone's wall time would name another moment.

    In the hour repeated when clocks go back, RFC 5545 reads a local time as its first
    occurrence; a block in the second one is written in UTC so that it still means its moment.
    """
    local = moment.astimezone(zone)
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        return moment.astimezone(UTC)
    return local


def _dates(result: PlanResult, zone: tzinfo) -> tuple[date, date]:
    """The first and last local dates any block touches, and at least the plan's period."""
    first, last = result.period.first, result.period.last
    for block in result.blocks:
        first = min(first, block.span.start.astimezone(zone).date())
        last = max(last, block.span.end.astimezone(zone).date())
    return first - timedelta(days=1), last + timedelta(days=1)
