"""A team rotation as iCalendar files and PagerDuty overrides.

- ``member_ics``: one member's duties, marked as makertime's (``X-MAKERTIME-KIND: duty``, the
  duty's kind in ``X-MAKERTIME-DUTY``), so the member's own plan reads them as what they are;
  with a transparent "relief" event for each shield day someone else holds, so that plan also
  knows the member's interrupt streams are taken that day.
- ``duty_feed_ics``: every holder of one duty, the member's name as the title: a schedule feed a
  calendar app can subscribe to, or an iCal-based on-call schedule import.
- ``pagerduty_overrides``: one duty's holders as the body of PagerDuty's "create overrides".

UIDs are the same for the same slot on every run and the bytes are the same for the same
rotation: DTSTAMP comes from the rotation's first date, not from the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from icalendar import Calendar, Event, vText

from makertime.marks import KIND_PROPERTY, PRODID, own_uid
from makertime.outputs.own import GENERATOR
from makertime.outputs.team_rows import by_time, local, member_name, team_slug
from makertime.team.duties import categories_of, duty_title, duty_uid, relief_categories
from makertime.team.model import Assignment, Duty, DutyKind, Rotation, Team
from makertime.text import clean, clean_lines

DUTY_PROPERTY = "X-MAKERTIME-DUTY"
"""The kind of duty an event is (shield, on-call, crew), or ``relief`` for a shield day held by
someone else."""

RELIEVES_PROPERTY = "X-MAKERTIME-RELIEVES"
"""On a relief event: how many sync windows a day the shield relieves every other member of."""

DUTY_KIND = "duty"
"""The ``X-MAKERTIME-KIND`` of every event of a member's duties."""

RELIEF = "relief"
CATEGORY = "makertime"

Fill = Callable[[Calendar, datetime, tzinfo], None]


def member_ics(rotation: Rotation, team: Team, member_id: str) -> bytes:
    """One member's duties as a VCALENDAR, with the shield days others hold as relief events
    (KeyError when the team has no such member)."""
    member = team.member(member_id)
    slug = team_slug(team)

    def fill(calendar: Calendar, stamp: datetime, zone: tzinfo) -> None:
        for assignment in by_time(rotation.assignments):
            if assignment.member == member.id:
                calendar.add_component(_duty_event(assignment, team, slug, stamp, zone))
            elif assignment.slot.kind is DutyKind.SHIELD:
                calendar.add_component(_relief_event(assignment, team, member.id, stamp, zone))

    name = f"{clean(team.name)} duties: {clean(member.name)}"
    return _calendar_bytes(rotation, team, name, fill)


def duty_feed_ics(rotation: Rotation, team: Team, duty_id: str) -> bytes:
    """Every assignment of one duty as a VCALENDAR, each event titled with its holder's name
    (KeyError when the team has no such duty)."""
    duty = _duty(team, duty_id)
    slug = team_slug(team)

    def fill(calendar: Calendar, stamp: datetime, zone: tzinfo) -> None:
        for assignment in by_time(rotation.assignments):
            if assignment.slot.duty == duty.id:
                calendar.add_component(_feed_event(assignment, team, slug, stamp, zone))

    return _calendar_bytes(rotation, team, f"{clean(team.name)}: {clean(duty.id)}", fill)


def pagerduty_overrides(rotation: Rotation, team: Team, duty_id: str) -> dict[str, Any]:
    """One duty's assignments as PagerDuty schedule overrides: ``{"overrides": [{"override":
    {start, end, user}}, …]}``, each item the body of PagerDuty's "create an override" request,
    with the ``generator`` that wrote them (KeyError when the team has no such duty)."""
    duty = _duty(team, duty_id)
    zone = team.timezone
    overrides = [{"override": {"start": local(a.slot.span.start, zone),
                               "end": local(a.slot.span.end, zone),
                               "user": {"id": a.member, "summary": member_name(team, a.member),
                                        "type": "user_reference"}}}
                 for a in by_time(rotation.assignments) if a.slot.duty == duty.id]
    return {"generator": GENERATOR, "overrides": overrides}


def _duty(team: Team, duty_id: str) -> Duty:
    for duty in team.duties:
        if duty.id == duty_id:
            return duty
    raise KeyError(duty_id)


def _calendar_bytes(rotation: Rotation, team: Team, name: str, fill: Fill) -> bytes:
    """A VCALENDAR filled by ``fill``, times in the team's zone with its VTIMEZONE; in UTC when
    icalendar cannot describe the zone (a bare offset), so the times stay exact."""
    stamp = datetime.combine(rotation.first, time(), tzinfo=UTC)
    calendar = _empty(name)
    fill(calendar, stamp, team.timezone)
    first, last = rotation.first, rotation.last
    for assignment in rotation.assignments:  # an on-call turn may run past the period
        first = min(first, assignment.slot.span.start.astimezone(team.timezone).date())
        last = max(last, assignment.slot.span.end.astimezone(team.timezone).date())
    calendar.add_missing_timezones(first_date=first - timedelta(days=1),
                                   last_date=last + timedelta(days=1))
    if calendar.get_missing_tzids():
        calendar = _empty(name)
        fill(calendar, stamp, UTC)
    data: bytes = calendar.to_ical()
    return data


def _empty(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _wall_time(moment: datetime, zone: tzinfo) -> datetime:
    """``moment`` in ``zone``, or in UTC where the zone's wall time would name another moment
    (the repeated hour when clocks go back: RFC 5545 reads it as the first one)."""
    wall = moment.astimezone(zone)
    if wall.fold and wall.replace(fold=0).utcoffset() != wall.utcoffset():
        return moment.astimezone(UTC)
    return wall


def _event(uid: str, summary: str, assignment: Assignment, *, stamp: datetime,
           zone: tzinfo, description: str) -> Event:
    # every text goes through icalendar's TEXT escaping, without control characters: a title
    # from someone else's calendar cannot add a property or end the event
    span = assignment.slot.span
    return Event.new(uid=clean(uid, chars=len(uid)), stamp=stamp, summary=clean(summary),
                     start=_wall_time(span.start, zone), end=_wall_time(span.end, zone),
                     description=clean_lines(description) or None)


def _duty_event(assignment: Assignment, team: Team, slug: str, stamp: datetime,
                zone: tzinfo) -> Event:
    slot = assignment.slot
    event = _event(duty_uid(team, slot.id), duty_title(slot), assignment,
                   stamp=stamp, zone=zone, description=assignment.reason)
    # what the member's own plan reads it as (attention, rest, recovery), and for a crew call
    # the duty's categories, so their own rule for such events applies too
    categories = [CATEGORY, *categories_of(slot, _duty(team, slot.duty))]
    event.add("categories", [clean(c) for c in dict.fromkeys(categories)])
    # on call is partial attention for days on end: busy would hide the holder's whole week
    event.add("transp", "TRANSPARENT" if slot.kind is DutyKind.ON_CALL else "OPAQUE")
    event.add(KIND_PROPERTY, vText(DUTY_KIND))
    event.add(DUTY_PROPERTY, vText(slot.kind.value))
    return event


def _relief_event(assignment: Assignment, team: Team, member_id: str, stamp: datetime,
                  zone: tzinfo) -> Event:
    slot = assignment.slot
    name = member_name(team, assignment.member)
    event = _event(duty_uid(team, slot.id, f"relief-{member_id}"), f"Shield: {name}",
                   assignment, stamp=stamp, zone=zone,
                   description=f"{name} holds the shield: your interrupt streams are theirs "
                   "today.")
    event.add("categories", [CATEGORY, *relief_categories(_duty(team, slot.duty))])
    event.add("transp", "TRANSPARENT")
    event.add(KIND_PROPERTY, vText(DUTY_KIND))
    event.add(DUTY_PROPERTY, vText(RELIEF))
    event.add(RELIEVES_PROPERTY, vText(str(_duty(team, slot.duty).relieves)))
    return event


def _feed_event(assignment: Assignment, team: Team, slug: str, stamp: datetime,
                zone: tzinfo) -> Event:
    slot = assignment.slot
    # its own UID: a member who subscribes to the feed and imports their own file keeps both
    event = _event(own_uid(f"team-{slug}-{slot.id}-feed"), member_name(team, assignment.member),
                   assignment, stamp=stamp, zone=zone,
                   description=f"{duty_title(slot)}\n{assignment.reason}")
    event.add("categories", [CATEGORY])
    # a schedule to look at: other people's duties never make its subscribers look busy
    event.add("transp", "TRANSPARENT")
    return event
