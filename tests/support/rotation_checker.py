"""An independent checker of the hard rules every rotation must hold, from the inputs alone.

It shares nothing with ``makertime.team`` but the dataclasses of ``team/model.py``: the slots a
period makes of the duties are worked out again here from the team, the events and the period,
so that a bug in the solver's own slot maker cannot hide behind code the solver shares.

Slots (``expected_slots``):

- shield: one per date of the period whose weekday is in ``duty.days`` and that is no public
  holiday of ``team.holidays``, 09:00-17:00 team-local;
- on-call: turns of ``turn_days`` starting at ``handoff_weekday`` ``handoff_time`` in the team
  zone, every turn that overlaps the period; a "primary" seat, and a "secondary" one when
  ``duty.secondary``;
- crew: per event whose categories (case-insensitive) or summary regex match, one slot per seat
  unit, from the event's start less ``prep_minutes`` to its end plus ``teardown_minutes``.

Two readings of the rules (``Reading``): ``STRICT``, the rules exactly as below, and
``DOCUMENTED``, where makertime documents a narrower one: a period holds only the turns and
events that start in it (``makertime.team.slots``: consecutive rotations never share a turn), a
team's own public holiday blocks no on-call or crew seat (``makertime.team.eligibility``: those
duties run on holidays, weighted up), and the on-call share is of the period's days × 24 h. The
tests hold the solver to ``DOCUMENTED``; the benchmark shows what ``STRICT`` adds.

Rules (``check_rotation`` returns each broken one in words, prefixed ``rule N:``):

1. every expected slot is held by exactly one member or listed in ``rotation.uncovered``, and
   nothing else is held or listed;
2. the holder has the duty's skills and the seat's skill;
3. no holder's slot touches their away time: a date that is a day off or holiday of their policy
   (or not one of its work weekdays, for a shield day), a date of ``member.days_off``, an
   ``off`` commitment of theirs overlapping the span;
4. no crew seat overlaps one of the holder's own full commitments (their own copy of the event,
   by its summary, is no other commitment);
5. one duty at a time: a member's slots (crew extended by rest and recovery) never overlap, and a
   member holds at most one slot per team date (a turn holds every team date it touches);
6. per-ISO-week (by the slot's start) and per-period limits (the member's override, else the
   duty's);
7. no two on-call turns of one member back to back, unless ``duty.back_to_back``;
8. on-call hours within the period ≤ ``fairness.max_on_call_share`` × the period's hours;
9. at least ``fairness.rest_after_night_hours`` between the end of a crew seat or a turn and
   the start of the same member's next shield day.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol

import holidays

from makertime.model import Attention, Commitment, Interval, Period
from makertime.policy import Policy
from makertime.team.model import (
    Assignment,
    Duty,
    DutyKind,
    Limits,
    Rotation,
    Slot,
    Team,
    Uncovered,
)

SHIELD_START, SHIELD_END = time(9, 0), time(17, 0)
OVERLAP, START = "overlap", "start"  # which turns and events a period holds


@dataclass(frozen=True, slots=True)
class Reading:
    """Which reading of the rules to check (see the module's docstring)."""

    within: str = OVERLAP
    team_holidays_block: bool = True
    nominal_day_hours: bool = False


STRICT = Reading()
DOCUMENTED = Reading(within=START, team_holidays_block=False, nominal_day_hours=True)


class Calendar(Protocol):
    """One member's policy and commitments (what ``MemberCalendar`` holds)."""

    @property
    def policy(self) -> Policy: ...

    @property
    def commitments(self) -> tuple[Commitment, ...]: ...


def at(day: date, clock: time, zone: tzinfo) -> datetime:
    """Wall time ``clock`` of ``day`` in ``zone``, in UTC."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def local_dates(span: Interval, zone: tzinfo) -> tuple[date, ...]:
    """The dates of ``zone`` that ``span`` touches."""
    first = span.start.astimezone(zone).date()
    last = (span.end - timedelta(microseconds=1)).astimezone(zone).date()
    return tuple(first + timedelta(days=n) for n in range((last - first).days + 1))


def period_interval(period: Period, zone: tzinfo) -> Interval:
    """The period from its first midnight to the midnight after its last date, in UTC."""
    return Interval(at(period.first, time(), zone),
                    at(period.last + timedelta(days=1), time(), zone))


def team_holidays(team: Team, years: Iterable[int]) -> set[date]:
    """The public holidays of ``team.holidays`` in ``years``."""
    if not team.holidays:
        return set()
    country, _, sub = team.holidays.partition("-")
    return set(holidays.country_holidays(country, subdiv=sub or None, years=list(years)))


def _slot(duty: Duty, span: Interval, zone: tzinfo, ident: str, *, seat: str = "",
          skills: tuple[str, ...] = (), event: str = "") -> Slot:
    return Slot(ident, duty.id, duty.kind, span, local_dates(span, zone), seat, skills, event)


def _stamp(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def shield_slots(team: Team, duty: Duty, period: Period) -> list[Slot]:
    """One 09:00-17:00 slot per covered weekday of the period that is no public holiday."""
    zone = team.timezone
    off = team_holidays(team, range(period.first.year, period.last.year + 1))
    return [_slot(duty, Interval(at(d, SHIELD_START, zone), at(d, SHIELD_END, zone)), zone,
                  f"{duty.id}/{d.isoformat()}", skills=duty.skills)
            for d in period.dates() if d.weekday() in duty.days and d not in off]


def on_call_slots(team: Team, duty: Duty, period: Period, within: str = OVERLAP) -> list[Slot]:
    """Every turn overlapping the period (``within`` START: starting in it), handed over at
    the duty's weekday and time."""
    zone, whole = team.timezone, period_interval(period, team.timezone)
    start = period.first - timedelta(days=(period.first.weekday() - duty.handoff_weekday) % 7)
    while at(start, duty.handoff_time, zone) > whole.start:
        start -= timedelta(days=duty.turn_days)
    seats = ("primary", "secondary") if duty.secondary else ("primary",)
    found: list[Slot] = []
    while at(start, duty.handoff_time, zone) < whole.end:
        end = start + timedelta(days=duty.turn_days)
        span = Interval(at(start, duty.handoff_time, zone), at(end, duty.handoff_time, zone))
        if span.clip(whole) and (within == OVERLAP or span.start >= whole.start):
            found.extend(_slot(duty, span, zone, f"{duty.id}/{start.isoformat()}/{seat}",
                               seat=seat, skills=duty.skills) for seat in seats)
        start = end
    return found


def crew_matches(duty: Duty, event: Commitment) -> bool:
    """True when the event's categories (any case) or summary regex match the duty."""
    wanted = {c.casefold() for c in duty.categories}
    if any(c.casefold() in wanted for c in event.categories):
        return True
    return duty.summary is not None and re.search(duty.summary, event.summary) is not None


def crew_slots(team: Team, duty: Duty, events: Sequence[Commitment], period: Period,
               within: str = OVERLAP) -> list[Slot]:
    """One slot per seat unit of every matching event overlapping the period (``within``
    START: starting in it)."""
    zone, whole = team.timezone, period_interval(period, team.timezone)
    found: list[Slot] = []
    for event in sorted(events, key=lambda e: e.span):
        if not crew_matches(duty, event) or not event.span.clip(whole):
            continue
        if within == START and event.span.start < whole.start:
            continue
        span = Interval(event.span.start - timedelta(minutes=duty.prep_minutes),
                        event.span.end + timedelta(minutes=duty.teardown_minutes))
        for skill, count in duty.seats:
            found.extend(_slot(duty, span, zone,
                               f"{duty.id}/{_stamp(event.span.start, zone)}/{skill}#{n}",
                               seat=skill, skills=(*duty.skills, skill),
                               event=event.summary)
                         for n in range(1, count + 1))
    return found


def expected_slots(team: Team, events: Sequence[Commitment], period: Period,
                   within: str = OVERLAP) -> list[Slot]:
    """Every slot the team's duties make of the period, in time order (``within``: OVERLAP,
    every turn and event overlapping it; START, those starting in it)."""
    found: list[Slot] = []
    for duty in team.duties:
        if duty.kind is DutyKind.SHIELD:
            found.extend(shield_slots(team, duty, period))
        elif duty.kind is DutyKind.ON_CALL:
            found.extend(on_call_slots(team, duty, period, within))
        else:
            found.extend(crew_slots(team, duty, events, period, within))
    return sorted(found, key=lambda s: (s.span.start, s.duty, s.id))


def slot_key(slot: Slot) -> tuple[str, datetime, datetime, str]:
    """What makes a slot the same slot whoever numbered it: duty, span and seat (no index)."""
    return slot.duty, slot.span.start, slot.span.end, slot.seat.partition("#")[0]


def rotation_of(team: Team, period: Period, slots: Sequence[Slot],
                holders: Mapping[str, tuple[str, ...]]) -> Rotation:
    """A rotation holding ``holders`` (slot id → member ids) of ``slots``; the rest uncovered."""
    held = [Assignment(s, m, 0, "") for s in slots for m in holders.get(s.id, ())]
    uncovered = [Uncovered(s, ()) for s in slots if not holders.get(s.id)]
    return Rotation(team.name, period.first, period.last, datetime.now(UTC), tuple(held),
                    tuple(uncovered), (), 0, None, "baseline", 0, None, 0.0)


def check_rotation(team: Team, members: Mapping[str, Calendar], events: Sequence[Commitment],
                   period: Period, rotation: Rotation, *,
                   reading: Reading = STRICT) -> list[str]:
    """Every hard rule ``rotation`` breaks, in words, in ``reading``."""
    slots = expected_slots(team, events, period, reading.within)
    by_member: dict[str, list[Slot]] = defaultdict(list)
    for held in rotation.assignments:
        by_member[held.member].append(held.slot)
    found = _cover(slots, rotation)
    duties = {d.id: d for d in team.duties}
    for member_id, held_slots in sorted(by_member.items()):
        try:
            member = team.member(member_id)
        except KeyError:
            found.append(f"rule 1: {member_id} holds slots but is no member")
            continue
        calendar = members[member_id]
        held_slots.sort(key=lambda s: s.span.start)
        for slot in held_slots:
            found.extend(_eligible(member.skills, duties.get(slot.duty), slot, member_id))
            found.extend(_away(team, member.days_off, calendar, slot, member_id, reading=reading))
        found.extend(_one_at_a_time(team, duties, held_slots, member_id))
        found.extend(_limits(team, member.limits, duties, held_slots, member_id))
        found.extend(_on_call_rules(team, duties, held_slots, period, member_id, reading=reading))
    return found


def _cover(slots: Sequence[Slot], rotation: Rotation) -> list[str]:
    expected = Counter(slot_key(s) for s in slots)
    got = Counter(slot_key(a.slot) for a in rotation.assignments)
    got.update(slot_key(u.slot) for u in rotation.uncovered)
    names = {slot_key(s): s.id for s in (*slots, *(a.slot for a in rotation.assignments),
                                         *(u.slot for u in rotation.uncovered))}
    found = [f"rule 1: {names[key]} is held or listed {got[key]} times, not {n}"
             for key, n in expected.items() if got[key] != n]
    found.extend(f"rule 1: {names[key]} is no slot of the period"
                 for key in got if key not in expected)
    return found


def _eligible(skills: frozenset[str], duty: Duty | None, slot: Slot, who: str) -> list[str]:
    if duty is None:
        return [f"rule 1: {slot.id} belongs to no duty of the team"]
    needed = set(duty.skills) | ({slot.seat.partition("#")[0]} if duty.kind is DutyKind.CREW
                                 else set())
    missing = sorted(needed - skills)
    return [f"rule 2: {who} holds {slot.id} without skills {', '.join(missing)}"] if missing else []


def _away(team: Team, days_off: frozenset[date], calendar: Calendar, slot: Slot, who: str, *,
          reading: Reading) -> list[str]:
    policy = calendar.policy
    found: list[str] = []
    for day in local_dates(slot.span, policy.timezone):
        why = policy.work.day_off(day)
        if (why and not reading.team_holidays_block and slot.kind is not DutyKind.SHIELD
                and day not in policy.work.days_off and day in team_holidays(team, [day.year])):
            why = None
        if why is None and slot.kind is DutyKind.SHIELD and day.weekday() not in policy.work.days:
            why = "not a work day"
        if why:
            found.append(f"rule 3: {who} holds {slot.id} on {day} ({why})")
    found.extend(f"rule 3: {who} holds {slot.id} on their day off {day}"
                 for day in local_dates(slot.span, team.timezone) if day in days_off)
    for item in calendar.commitments:
        if item.attention is Attention.OFF and item.span.clip(slot.span):
            found.append(f"rule 3: {who} holds {slot.id} while away ({item.summary})")
        elif (slot.kind is DutyKind.CREW and item.attention is Attention.FULL
              and item.span.clip(slot.span) and item.summary != slot.event):
            found.append(f"rule 4: {who} holds crew {slot.id} over their {item.summary}")
    return found


def extended(slot: Slot, duty: Duty | None) -> Interval:
    """The span a slot keeps its holder from other duties: crew with its rest and recovery."""
    if duty is None or duty.kind is not DutyKind.CREW:
        return slot.span
    return Interval(slot.span.start - timedelta(minutes=duty.rest_before_minutes),
                    slot.span.end + timedelta(minutes=duty.recover_after_minutes))


def _one_at_a_time(team: Team, duties: Mapping[str, Duty], held: Sequence[Slot],
                   who: str) -> list[str]:
    found: list[str] = []
    for i, first in enumerate(held):
        for second in held[i + 1:]:
            span = extended(first, duties.get(first.duty))
            if span.clip(extended(second, duties.get(second.duty))):
                found.append(f"rule 5: {who} holds {first.id} and {second.id} at once")
            elif set(local_dates(first.span, team.timezone)) & set(
                    local_dates(second.span, team.timezone)):
                found.append(f"rule 5: {who} holds {first.id} and {second.id} on one date")
    return found


def member_limits(duty: Duty, own: Mapping[str, Limits]) -> Limits:
    """The member's limits of ``duty`` (their override, whole), else the duty's."""
    return own.get(duty.id, duty.limits)


def _limits(team: Team, own: Mapping[str, Limits], duties: Mapping[str, Duty],
            held: Sequence[Slot], who: str) -> list[str]:
    found: list[str] = []
    for duty_id, duty in duties.items():
        mine = [s for s in held if s.duty == duty_id]
        limits = member_limits(duty, own)
        if limits.per_period is not None and len(mine) > limits.per_period:
            found.append(f"rule 6: {who} holds {len(mine)} {duty_id} slots, over "
                         f"{limits.per_period} a period")
        weeks = Counter(s.span.start.astimezone(team.timezone).date().isocalendar()[:2]
                        for s in mine)
        if limits.per_week is not None:
            found.extend(f"rule 6: {who} holds {n} {duty_id} slots in {y}-W{w:02d}, over "
                         f"{limits.per_week} a week"
                         for (y, w), n in sorted(weeks.items()) if n > limits.per_week)
    return found


def _on_call_rules(team: Team, duties: Mapping[str, Duty], held: Sequence[Slot], period: Period,
                   who: str, *, reading: Reading) -> list[str]:
    found: list[str] = []
    turns = [s for s in held if s.kind is DutyKind.ON_CALL]
    for first in turns:
        duty = duties.get(first.duty)
        if duty is not None and not duty.back_to_back:
            found.extend(f"rule 7: {who} holds {first.id} and {second.id} back to back"
                         for second in turns
                         if second.duty == first.duty and second.span.start == first.span.end)
    whole = period_interval(period, team.timezone)
    hours = sum(part.minutes for s in turns if (part := s.span.clip(whole))) / 60
    hours_of_period = len(period.dates()) * 24 if reading.nominal_day_hours else whole.minutes / 60
    most = team.fairness.max_on_call_share * hours_of_period
    if hours > most + 1e-9:
        found.append(f"rule 8: {who} is on call {hours:g} h, over {most:g} h")
    rest = timedelta(hours=team.fairness.rest_after_night_hours)
    nights = [s for s in held if s.kind in (DutyKind.ON_CALL, DutyKind.CREW)]
    for shield in (s for s in held if s.kind is DutyKind.SHIELD):
        found.extend(f"rule 9: {who} starts {shield.id} {gap} after {night.id} ends"
                     for night in nights
                     if timedelta(0) <= (gap := shield.span.start - night.span.end) < rest)
    return found
