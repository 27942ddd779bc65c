"""The slots a period makes of a team's duties: a shield slot per covered work date, the on-call
turns (primary, and secondary where asked) that start in the period, a seat per needed skill at each
event of the team's events calendars that a crew duty matches; and each slot's weighted hours.

Slot ids are stable (the duty, the local start, the seat), so a re-solve, a swap and the store
speak of the same slot by the same name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo

from makertime.holiday import public_holiday
from makertime.model import Commitment, Interval, Period, to_utc
from makertime.team.model import Duty, DutyKind, Fairness, Slot, Team

SHIELD_HOURS = (time(9, 0), time(17, 0))  # the team's working day a shield slot stands for
WEIGHT_STEP = timedelta(minutes=15)  # weighted hours are summed in quarter hours


def slots_of(team: Team, events: Sequence[Commitment], period: Period) -> list[Slot]:
    """Every slot of ``team``'s duties over ``period``, in time order."""
    found: list[Slot] = []
    for duty in team.duties:
        if duty.kind is DutyKind.SHIELD:
            found.extend(shield_slots(team, duty, period))
        elif duty.kind is DutyKind.ON_CALL:
            found.extend(on_call_slots(team, duty, period))
        else:
            found.extend(crew_slots(team, duty, events, period))
    return sorted(found, key=lambda s: (s.span.start, s.duty, s.id))


def team_holiday(team: Team, day: date) -> str | None:
    """The name of the team's public holiday on ``day``, or None."""
    return public_holiday(team.holidays, day) if team.holidays else None


def local(day: date, at: time, zone: tzinfo) -> datetime:
    """``day`` at ``at`` in ``zone``, in UTC."""
    return to_utc(datetime.combine(day, at, tzinfo=zone))


def shield_slots(team: Team, duty: Duty, period: Period) -> list[Slot]:
    """One slot per date of ``period`` whose weekday the shield covers, holidays excepted."""
    slots = []
    for day in period.dates():
        if day.weekday() not in duty.days or team_holiday(team, day):
            continue
        span = Interval(local(day, SHIELD_HOURS[0], team.timezone),
                        local(day, SHIELD_HOURS[1], team.timezone))
        slots.append(_slot(team, duty, f"{duty.id}/{day.isoformat()}", span, period))
    return slots


def on_call_slots(team: Team, duty: Duty, period: Period) -> list[Slot]:
    """The turns of ``duty`` that start in ``period`` (the last may run past its end): each a
    primary seat, and a secondary one when the duty has it."""
    zone = team.timezone
    step = duty.turn_days
    # turns are laid from a fixed anchor on the handoff weekday, so every period sees the same
    anchor = date(2024, 1, 1) + timedelta(days=duty.handoff_weekday)
    first = anchor + timedelta(days=((period.first - anchor).days // step - 1) * step)
    end = local(period.last + timedelta(days=1), time(), zone)
    seats = ("primary", "secondary") if duty.secondary else ("primary",)
    slots: list[Slot] = []
    day = first
    while (start := local(day, duty.handoff_time, zone)) < end:
        stop = local(day + timedelta(days=step), duty.handoff_time, zone)
        if start >= local(period.first, time(), zone):  # a period holds the turns it starts
            for seat in seats:
                slot_id = f"{duty.id}/{day.isoformat()}/{seat}"
                slots.append(_slot(team, duty, slot_id, Interval(start, stop), period, seat=seat))
        day += timedelta(days=step)
    return slots


def crew_slots(team: Team, duty: Duty, events: Sequence[Commitment],
               period: Period) -> list[Slot]:
    """A seat per needed skill and person at each matching event starting in ``period``."""
    pattern = re.compile(duty.summary) if duty.summary else None
    wanted = {c.casefold() for c in duty.categories}
    slots = []
    for event in sorted(events, key=lambda e: (e.span.start, e.uid)):
        day = event.span.start.astimezone(team.timezone).date()
        if not period.first <= day <= period.last:
            continue
        hit = any(c.casefold() in wanted for c in event.categories) or (
            pattern is not None and pattern.search(event.summary) is not None)
        if not hit:
            continue
        span = Interval(event.span.start - timedelta(minutes=duty.prep_minutes),
                        event.span.end + timedelta(minutes=duty.teardown_minutes))
        stamp = event.span.start.astimezone(team.timezone).strftime("%Y-%m-%dT%H:%M")
        for skill, count in duty.seats:
            for number in range(1, count + 1):
                slots.append(_slot(team, duty, f"{duty.id}/{stamp}/{skill}#{number}", span,
                                   period, seat=skill, skills=(*duty.skills, skill),
                                   event=event.summary))
    return slots


def touched_dates(span: Interval, zone: tzinfo) -> list[date]:
    """Every date of ``zone`` that ``span`` touches (past the period too)."""
    first = span.start.astimezone(zone).date()
    last = (span.end - timedelta(microseconds=1)).astimezone(zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _slot(team: Team, duty: Duty, slot_id: str, span: Interval, period: Period, *,
          seat: str = "", skills: tuple[str, ...] | None = None, event: str = "") -> Slot:
    """A slot of ``duty`` over ``span`` with the team dates it touches inside ``period``."""
    dates = tuple(d for d in touched_dates(span, team.timezone)
                  if period.first <= d <= period.last)
    return Slot(id=slot_id, duty=duty.id, kind=duty.kind, span=span, dates=dates, seat=seat,
                skills=duty.skills if skills is None else skills, event=event,
                weighted_hours=weighted_hours(span, team, team.fairness))


def weighted_hours(span: Interval, team: Team, fairness: Fairness) -> float:
    """The hours of ``span``, each quarter weighted by the largest of night, weekend and
    holiday that applies to it (1 when none does)."""
    total = 0.0
    moment = span.start
    while moment < span.end:
        step_end = min(span.end, moment + WEIGHT_STEP)
        here = moment.astimezone(team.timezone)
        weight = 1.0
        clock = here.time()
        night = (clock >= fairness.night_start or clock < fairness.night_end
                 if fairness.night_start > fairness.night_end
                 else fairness.night_start <= clock < fairness.night_end)
        if night:
            weight = max(weight, fairness.night)
        if here.weekday() >= 5:
            weight = max(weight, fairness.weekend)
        if team_holiday(team, here.date()):
            weight = max(weight, fairness.holiday)
        total += weight * (step_end - moment).total_seconds() / 3600
        moment = step_end
    return round(total, 2)
