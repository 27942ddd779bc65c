"""Team maker time from the audit alone: an oracle for the rotation's objective.

Team focus is the sum, over members and over the period's dates, of the audit's
``focus_minutes`` (``makertime.audit.audit_commitments``) on the member's own commitments plus:

- their interrupt streams as sync windows: a full commitment of ``sync_windows.minutes`` at each
  of the first ``sync_windows.per_day`` times of ``sync_windows.prefer``, on every date they
  work (a work weekday of their policy, no day off or holiday); on a date where another member
  holds the shield, only the first ``duty.relieves`` of them;
- a shield day held: a full commitment over their work window that date;
- an on-call turn held: a partial commitment over the turn;
- a crew seat held: a full commitment over the seat's span, and partial ones of
  ``rest_before_minutes`` before it and ``recover_after_minutes`` after it.

Nothing of ``makertime.team`` but its dataclasses is used: slots come with their spans, and who
holds them as (member id, slot) pairs, so the oracle judges any rotation, the solver's or not.
The weighted load of a slot (``weighted_hours``) is worked out here too, from ``Fairness``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import product

from makertime.audit import audit_commitments
from makertime.model import Attention, Commitment, Interval, Period
from makertime.team.model import Duty, DutyKind, Slot, Team
from tests.support.rotation_checker import (
    Calendar,
    check_rotation,
    expected_slots,
    local_dates,
    rotation_of,
    team_holidays,
)

STEP = timedelta(minutes=15)


def _item(summary: str, span: Interval, attention: Attention = Attention.FULL) -> Commitment:
    return Commitment(summary, span, f"oracle-{summary}-{span.start.isoformat()}", "oracle",
                      attention)


def sync_windows(calendar: Calendar, period: Period,
                 relieved: Mapping[date, int]) -> list[Commitment]:
    """The member's interrupt streams as sync windows, ``relieved`` dates keeping that many."""
    policy = calendar.policy
    windows = policy.sync_windows
    found: list[Commitment] = []
    for day in period.dates():
        if day.weekday() not in policy.work.days or policy.work.day_off(day):
            continue
        keep = min(windows.per_day, relieved.get(day, windows.per_day))
        for clock in windows.prefer[:keep]:
            start = datetime.combine(day, clock, tzinfo=policy.timezone)
            end = start + timedelta(minutes=windows.minutes)
            found.append(_item("sync window", Interval(start.astimezone(UTC),
                                                       end.astimezone(UTC))))
    return found


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def duty_commitments(calendar: Calendar, slot: Slot, duty: Duty) -> list[Commitment]:
    """What holding ``slot`` adds to the holder's calendar."""
    if duty.kind is DutyKind.SHIELD:
        policy = calendar.policy
        found = []
        for day in slot.dates:
            if day.weekday() in policy.work.days:
                found.append(_item("shield", Interval(
                    _utc(datetime.combine(day, policy.work.start, tzinfo=policy.timezone)),
                    _utc(datetime.combine(day, policy.work.end, tzinfo=policy.timezone)))))
        return found
    if duty.kind is DutyKind.ON_CALL:
        return [_item("on call", slot.span, Attention.PARTIAL)]
    before = timedelta(minutes=duty.rest_before_minutes)
    after = timedelta(minutes=duty.recover_after_minutes)
    return [_item("crew", slot.span),
            *([_item("crew rest", Interval(slot.span.start - before, slot.span.start),
                     Attention.PARTIAL)] if before else []),
            *([_item("crew recovery", Interval(slot.span.end, slot.span.end + after),
                     Attention.PARTIAL)] if after else [])]


def member_focus(calendar: Calendar, period: Period, held: Sequence[tuple[Slot, Duty]],
                 relieved: Mapping[date, int]) -> int:
    """One member's focus minutes over the period with the duties they hold."""
    added = [c for slot, duty in held for c in duty_commitments(calendar, slot, duty)]
    found = [*calendar.commitments, *sync_windows(calendar, period, relieved), *added]
    return audit_commitments(found, calendar.policy, period).totals.focus_minutes


def team_focus(team: Team, members: Mapping[str, Calendar], period: Period,
               held: Iterable[tuple[str, Slot]]) -> dict[str, int]:
    """Each member's focus minutes over the period, given who holds which slot."""
    duties = {d.id: d for d in team.duties}
    by_member: dict[str, list[tuple[Slot, Duty]]] = defaultdict(list)
    shield_by_date: dict[date, list[tuple[str, int]]] = defaultdict(list)
    for member_id, slot in held:
        duty = duties[slot.duty]
        by_member[member_id].append((slot, duty))
        if duty.kind is DutyKind.SHIELD:
            for day in slot.dates:
                shield_by_date[day].append((member_id, duty.relieves))
    found: dict[str, int] = {}
    for member in team.members:
        relieved = {day: min(r for who, r in holders if who != member.id)
                    for day, holders in shield_by_date.items()
                    if any(who != member.id for who, _ in holders)}
        found[member.id] = member_focus(members[member.id], period, by_member[member.id],
                                        relieved)
    return found


def weighted_hours(team: Team, slot: Slot, holidays: set[date] | None = None) -> float:
    """The slot's load: each quarter hour at the largest of the night, weekend and holiday
    weights of ``team.fairness`` that apply (1 when none does)."""
    fairness, zone = team.fairness, team.timezone
    if holidays is None:
        holidays = team_holidays(team, {d.year for d in local_dates(slot.span, zone)})
    total, moment = 0.0, slot.span.start
    while moment < slot.span.end:
        local = moment.astimezone(zone)
        clock = local.time()
        night = (clock >= fairness.night_start or clock < fairness.night_end
                 if fairness.night_start > fairness.night_end
                 else fairness.night_start <= clock < fairness.night_end)
        weight = max(1.0, fairness.night if night else 1.0,
                     fairness.weekend if local.weekday() >= 5 else 1.0,
                     fairness.holiday if local.date() in holidays else 1.0)
        part = min(STEP, slot.span.end - moment)
        total += weight * part / timedelta(hours=1)
        moment += part
    return total


def loads(team: Team, held: Iterable[tuple[str, Slot]]) -> dict[str, float]:
    """Each member's weighted hours of duty (0 for members holding nothing)."""
    found = {m.id: 0.0 for m in team.members}
    cache: dict[str, float] = {}
    for member_id, slot in held:
        if slot.id not in cache:
            cache[slot.id] = weighted_hours(team, slot)
        found[member_id] += cache[slot.id]
    return found


def brute_force_best(team: Team, members: Mapping[str, Calendar], events: Sequence[Commitment],
                     period: Period) -> tuple[int, dict[str, tuple[str, ...]]]:
    """The best team focus over every assignment of every slot to an eligible member that
    breaks no hard rule, and one assignment reaching it ((-1, {}) when none is valid)."""
    slots = expected_slots(team, events, period)
    choices = [[m.id for m in team.members if eligible(team, m.skills, s)] for s in slots]
    best, chosen = -1, {}
    for picked in product(*choices):
        holders = {s.id: (m,) for s, m in zip(slots, picked, strict=True)}
        if check_rotation(team, members, events, period, rotation_of(team, period, slots,
                                                                     holders)):
            continue
        focus = sum(team_focus(team, members, period, zip(picked, slots, strict=True)).values())
        if focus > best:
            best, chosen = focus, holders
    return best, chosen


def eligible(team: Team, skills: frozenset[str], slot: Slot) -> bool:
    """True when ``skills`` hold the duty's skills and the crew seat's."""
    duty = next(d for d in team.duties if d.id == slot.duty)
    seat = {slot.seat.partition("#")[0]} if duty.kind is DutyKind.CREW else set()
    return set(duty.skills) | seat <= skills
