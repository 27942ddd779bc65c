"""``team check``: before any solve, can the rotation be filled? Every calendar is read on its
own; every slot is checked for at least one member who may hold it, and each empty one says
which rule blocks each candidate; each duty's demand is set against what the members' limits
and the on-call share allow."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

from makertime.app.team_reading import (
    check_calendars,
    load_team,
    read_team,
    team_period,
)
from makertime.errors import MakertimeError
from makertime.model import Period, Progress, format_minutes
from makertime.team.eligibility import why_not
from makertime.team.explain import when
from makertime.team.model import CalendarCheck, DutyKind, Slot, Team, TeamCheck
from makertime.team.slots import slots_of
from makertime.text import clean


def team_check(path: Path, *, first: str | None = None, last: str | None = None,
               progress: Progress | None = None) -> TeamCheck:
    """Check the team in ``path`` over ``first``..``last`` (default: four weeks from Monday)."""
    team = load_team(path)
    period = team_period(first, last, datetime.now(team.timezone).date())
    try:
        read = read_team(team, period, progress=progress)
    except MakertimeError:
        # read each calendar alone, so every one that fails is named, not the first only
        calendars = check_calendars(team, period)
        if any(c.problem for c in calendars):
            return TeamCheck(team, period.first, period.last, tuple(calendars), (), (), ())
        raise
    calendars = [CalendarCheck(owner, cal, "") for owner, cals in (
        ("team events", team.events), *((m.name, m.calendars) for m in team.members))
        for cal in cals]
    slots = slots_of(team, read.events, period)
    duties = {d.id: d for d in team.duties}
    problems = []
    for slot in slots:
        blocked = [why_not(team, m, read.members[m.id], slot, duties[slot.duty])
                   for m in team.members]
        if all(b is not None for b in blocked):
            problems.append(f"{_slot_words(team, slot)}: nobody may hold it — "
                            + "; ".join(b for b in blocked if b))
    counts = Counter(s.duty for s in slots)
    return TeamCheck(team, period.first, period.last, tuple(calendars),
                     tuple((d.id, counts.get(d.id, 0)) for d in team.duties),
                     tuple(problems), tuple(_capacity(team, slots, period)))


def _slot_words(team: Team, slot: Slot) -> str:
    """"Thu 26 Mar LIVE stream needs audio", "the shield on Tue 24 Mar"."""
    day = slot.span.start.astimezone(team.timezone).date()
    if slot.kind is DutyKind.CREW:
        return f"{when(day)} {clean(slot.event, chars=60)} needs {slot.seat}"
    if slot.kind is DutyKind.ON_CALL:
        return f"{slot.duty} ({slot.seat}) from {when(day)}"
    return f"the shield on {when(day)}"


def _capacity(team: Team, slots: list[Slot], period: Period) -> list[str]:
    """Each duty's slots against what the members' per-period limits allow, and the on-call
    hours against the share the members may hold."""
    found = []
    for duty in team.duties:
        demand = sum(1 for s in slots if s.duty == duty.id)
        limits = [m.limits.get(duty.id, duty.limits).per_period for m in team.members]
        if demand and all(n is not None for n in limits):
            allowed = sum(n for n in limits if n is not None)
            mark = "✔" if allowed >= demand else "✘"
            found.append(f"{mark} {duty.id}: {demand} slots, the members' limits allow "
                         f"{allowed}")
        elif demand:
            found.append(f"✔ {duty.id}: {demand} slots, no per-period limit")
    turns = [s for s in slots if s.kind is DutyKind.ON_CALL]
    if turns:
        hours = sum(s.span.minutes for s in turns)
        share = team.fairness.max_on_call_share
        most = int(share * len(team.members) * len(period.dates()) * 24 * 60)
        mark = "✔" if most >= hours else "✘"
        found.append(f"{mark} on-call: {format_minutes(hours)} of turns; at "
                     f"{share:.0%} each the team may hold about {format_minutes(most)}")
    return found
