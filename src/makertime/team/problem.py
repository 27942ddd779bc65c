"""A team's period as a rostering problem: who may take each cell, what each assignment costs
the team's focus, the limits, the conflicts between slots, the weighted load to keep fair, the
wishes and the previous rotation to stay close to.

Weights put the objective's terms in their order: a seat left empty costs more than any focus;
a focus minute (``FOCUS``) outweighs a weighted hour of spread (``SPREAD``, per hundredth of an
hour); wishes and changes cost a few focus minutes each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from makertime.team.cells import Cell, Grid
from makertime.team.focus import FocusTable, extended_span
from makertime.team.model import Duty, DutyKind, Slot, Team
from makertime.team.roster_problem import (
    CellLimit,
    Cover,
    Request,
    RosterProblem,
    ShiftType,
    Staff,
)

FOCUS = 100  # per focus minute
SPREAD = 1  # per hundredth of a weighted hour between the most and the least loaded
LOAD_UNIT = 100  # load is kept in hundredths of a weighted hour
EMPTY_SEAT = 10_000_000  # per seat nobody holds, on top of the focus it loses
WISH = 15 * FOCUS  # an avoided weekday given, a preferred date not given
CHANGE = 10 * FOCUS  # a holder changed against the previous rotation


@dataclass(frozen=True, slots=True)
class Setting:
    """What a solve of the rotation is asked to weigh."""

    fairness: bool = True
    cap: bool = True  # the spread limit is hard (off when it would leave a seat empty)
    previous: Mapping[str, tuple[str, ...]] | None = None  # slot id → holders
    carried: Mapping[str, float] | None = None
    pinned: Mapping[str, str] | None = None  # slot id → the member who must hold it


def roster_problem(team: Team, slots: Sequence[Slot], grid: Grid, table: FocusTable, *,
                   blocked: Mapping[tuple[str, str], str], setting: Setting) -> RosterProblem:
    """The rostering problem of ``slots`` (``blocked``: (member, slot id) → why never)."""
    duties = {d.id: d for d in team.duties}
    shifts = sorted({c[1] for cells in grid.cells.values() for c in cells})
    members = [m.id for m in team.members]
    allowed: set[tuple[str, int, str]] = set()
    cost: dict[tuple[str, int, str], int] = {}
    load: dict[tuple[str, int, str], int] = {}
    for slot in slots:
        if slot.id not in grid.cells:
            continue
        pinned = (setting.pinned or {}).get(slot.id)
        for member in members:
            if (member, slot.id) in blocked or (pinned is not None and member != pinned):
                continue
            allowed.update((member, d, s) for d, s in grid.cells[slot.id])
            day, shift = grid.cell(slot)
            cost[(member, day, shift)] = FOCUS * table.cost(member, slot, duties[slot.duty])
            load[(member, day, shift)] = round(slot.weighted_hours * LOAD_UNIT)
    heaviest = max((s.weighted_hours for s in slots), default=0.0)
    spread = team.fairness.max_spread if team.fairness.max_spread is not None else heaviest
    return RosterProblem(
        days=grid.days, first_weekday=grid.first.weekday(),
        shifts=tuple(ShiftType(s, 0) for s in shifts),
        staff=tuple(Staff(m) for m in members),
        cover=_cover(grid, table),
        requests=_wishes(team, grid) if setting.fairness else (),
        allowed=frozenset(allowed), cost=cost,
        linked=tuple(cells for cells in grid.cells.values() if len(cells) > 1),
        conflicts=_conflicts(team, slots, grid),
        load=load if setting.fairness else {},
        carried={m: round(v * LOAD_UNIT) for m, v in (setting.carried or {}).items()},
        spread_weight=SPREAD if setting.fairness else 0,
        max_spread=(round(spread * LOAD_UNIT) if setting.fairness and setting.cap and slots
                    else None),
        previous=_previous(grid, setting.previous),
        change_weight=CHANGE if setting.previous else 0,
        limits=_limits(team, slots, grid),
    )


def _cover(grid: Grid, table: FocusTable) -> tuple[Cover, ...]:
    """Each cell needs its seats (hard at most); an empty one costs ``EMPTY_SEAT`` and, for the
    shield, the relief the team loses that day."""
    covers = []
    for (day, shift), units in grid.units.items():
        relief = table.relief(grid.day(day)) if units[0].kind is DutyKind.SHIELD else 0
        covers.append(Cover(day, shift, len(units), EMPTY_SEAT + FOCUS * relief, 0,
                            hard_max=True))
        for later_day, later_shift in grid.cells[units[0].id][1:]:
            covers.append(Cover(later_day, later_shift, 1, 0, 0, hard_max=True))
    return tuple(covers)


def _wishes(team: Team, grid: Grid) -> tuple[Request, ...]:
    """Soft, ``WISH`` each: no duty on an avoided weekday; one on a preferred date."""
    found = []
    for member in team.members:
        for index in range(grid.days):
            day = grid.day(index)
            if day.weekday() in member.avoid:
                found.append(Request(member.id, index, None, False, WISH))
            if day in member.prefer:
                found.append(Request(member.id, index, None, True, WISH))
    return tuple(found)


def _conflicts(team: Team, slots: Sequence[Slot],
               grid: Grid) -> tuple[tuple[Cell, Cell], ...]:
    """Hard: no member holds two slots whose spans (with a crew's rest and recovery) overlap,
    nor a shield day within ``rest_after_night_hours`` of the end of a crew seat or a turn."""
    duties = {d.id: d for d in team.duties}
    rest = timedelta(hours=team.fairness.rest_after_night_hours)
    laid = [s for s in slots if s.id in grid.cells]
    spans = {s.id: extended_span(s, duties[s.duty]) for s in laid}
    pairs: set[tuple[Cell, Cell]] = set()
    ordered = sorted(laid, key=lambda s: spans[s.id].start)
    for i, one in enumerate(ordered):
        for other in ordered[i + 1:]:
            if spans[other.id].start >= spans[one.id].end + rest:
                break
            a, b = grid.cell(one), grid.cell(other)
            if a == b or set(grid.cells[one.id]) & set(grid.cells[other.id]):
                continue
            if spans[other.id].start < spans[one.id].end or _too_soon(one, other, rest):
                pairs.add((a, b))
    return tuple(sorted(pairs))


def _too_soon(one: Slot, other: Slot, rest: timedelta) -> bool:
    """True when ``other`` is a shield day starting within ``rest`` of the end of ``one``, a
    crew seat or an on-call turn."""
    return (other.kind is DutyKind.SHIELD and one.kind is not DutyKind.SHIELD
            and other.span.start - one.span.end < rest)


def _previous(grid: Grid, previous: Mapping[str, tuple[str, ...]] | None,
              ) -> dict[Cell, frozenset[str]]:
    """The holders of each representative cell in the previous rotation."""
    held: dict[Cell, set[str]] = {}
    for slot_id, holders in (previous or {}).items():
        if slot_id in grid.cells:
            held.setdefault(grid.cells[slot_id][0], set()).update(holders)
    return {cell: frozenset(names) for cell, names in held.items()}


def _limits(team: Team, slots: Sequence[Slot], grid: Grid) -> tuple[CellLimit, ...]:
    """Hard: each member's most per week and per period of each duty, and their most on-call
    minutes (``max_on_call_share`` of the period)."""
    limits = []
    for member in team.members:
        for duty in team.duties:
            rule = member.limits.get(duty.id, duty.limits)
            mine = [s for s in slots if s.duty == duty.id and s.id in grid.cells]
            if rule.per_period is not None:
                limits.append(CellLimit(member.id, tuple((grid.cell(s), 1) for s in mine),
                                        rule.per_period))
            if rule.per_week is not None:
                for week in sorted({_week(s.dates[0]) for s in mine}):
                    limits.append(CellLimit(member.id, tuple(
                        (grid.cell(s), 1) for s in mine if _week(s.dates[0]) == week),
                        rule.per_week))
        turns = [s for s in slots if s.kind is DutyKind.ON_CALL and s.id in grid.cells]
        if turns:
            # counted in wall-clock time, as a rota is read: a week is seven days of 24 hours,
            # also across a change of the clocks
            most = int(team.fairness.max_on_call_share * grid.days * 24 * 60)
            limits.append(CellLimit(member.id, tuple(
                (grid.cell(s), _minutes_inside(s, grid, team)) for s in turns), most))
    return tuple(limits)


def _week(day: date) -> tuple[int, int]:
    """The ISO (year, week) of ``day``."""
    year, week, _ = day.isocalendar()
    return year, week


def _minutes_inside(slot: Slot, grid: Grid, team: Team) -> int:
    """The wall-clock minutes of ``slot`` inside the grid's days (a turn may run past them)."""
    zone = team.timezone
    start = datetime.combine(grid.first, time())
    end = start + timedelta(days=grid.days)
    wall_start = slot.span.start.astimezone(zone).replace(tzinfo=None)
    wall_end = slot.span.end.astimezone(zone).replace(tzinfo=None)
    inside = min(wall_end, end) - max(wall_start, start)
    return max(0, int(inside.total_seconds() // 60))


def duty_of(team: Team, slot: Slot) -> Duty:
    """The duty ``slot`` belongs to."""
    return next(d for d in team.duties if d.id == slot.duty)
