"""Plan a team's rotation: slots → who may hold each → what each costs the team's focus → the
rostering core → the rotation, with the reason for every assignment and every empty seat.

Two solves: the focus-only optimum (hard rules alone) and the rotation itself (with fairness,
wishes and stability); the team focus between them is the price of fairness, reported only when
the focus-only solve was proven optimal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from time import monotonic

from makertime.errors import InputError, param
from makertime.model import Commitment, Period
from makertime.team.cells import Grid, lay_out
from makertime.team.eligibility import why_not
from makertime.team.explain import Context, blocked_reasons, changes, reason
from makertime.team.focus import FocusTable, MemberCalendar, focus_table
from makertime.team.model import (
    Assignment,
    DutyKind,
    MemberLoad,
    Rotation,
    Slot,
    Team,
    Uncovered,
)
from makertime.team.problem import FOCUS, Setting, roster_problem
from makertime.team.roster_problem import RosterProblem, RosterSolution
from makertime.team.slots import slots_of

__all__ = ["Evaluation", "MemberCalendar", "evaluate", "holders_of", "plan_rotation"]

MOST_SLOTS = 20_000  # slots one rotation may have: a year of a large team's duties
FOCUS_ONLY_SHARE = 0.4  # of the time limit, for the focus-only optimum


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Any assignment of slots, measured: the team's focus and each member's weighted load."""

    team_focus: int
    weighted: dict[str, float]
    uncovered: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Prepared:
    slots: list[Slot]
    table: FocusTable
    blocked: dict[tuple[str, str], str]
    grid: Grid


def plan_rotation(team: Team, members: Mapping[str, MemberCalendar],
                  events: Sequence[Commitment], period: Period, *,
                  previous: Rotation | Mapping[str, tuple[str, ...]] | None = None,
                  carried: Mapping[str, float] | None = None,
                  pinned: Mapping[str, str] | None = None, why: str = "re-solved",
                  time_limit: float = 10.0, workers: int = 2, fairness: bool = True,
                  progress: Callable[[str], None] | None = None) -> Rotation:
    """The rotation of ``team`` over ``period``.

    ``previous``: the rotation to stay close to, or its holders by slot id; ``carried``: each
    member's weighted hours from earlier rotations; ``pinned``: slot id → the member who must
    hold it; ``why``: what moved, said beside each change; ``fairness`` False: the focus-only
    optimum (hard rules and team focus alone)."""
    from makertime.team.roster import solve_roster  # OR-Tools: imported when solving

    started = monotonic()
    ready = prepare(team, members, events, period)
    if progress:
        progress(f"{len(ready.slots):,} slots for {len(team.members)} members")
    before = holders_of(previous) if isinstance(previous, Rotation) else previous
    for slot_id, member in (pinned or {}).items():
        blocked = ready.blocked.get((member, slot_id))
        if blocked is not None:
            raise InputError(param("day"), f"{member} cannot take {slot_id}: {blocked}",
                             "choose a date and a member who may hold what the other holds")
    focus_only: int | None = None
    hint: frozenset[tuple[str, int, str]] | None = None
    alone_empty = None
    if fairness:
        alone = solve_roster(_problem(team, ready, Setting(fairness=False, pinned=pinned)),
                             time_limit=time_limit * FOCUS_ONLY_SHARE, workers=workers)
        if alone.status in ("optimal", "feasible"):
            hint, alone_empty = alone.assigned, _empty(alone, ready.grid)
        if alone.status == "optimal":
            focus_only = _team_focus(ready, _holders(alone, ready.grid))
    setting = Setting(fairness=fairness, previous=before, carried=carried, pinned=pinned)
    solution = solve_roster(_problem(team, ready, setting), hint=hint, workers=workers,
                            time_limit=_left(time_limit, started, share=0.9 if fairness else 1))
    if alone_empty is not None and _empty(solution, ready.grid) > alone_empty:
        # the spread limit would leave a seat empty that the rules let someone hold: covering
        # it comes first, the spread is then only weighed
        if progress:
            progress("the spread limit leaves a seat empty: solving with the spread weighed")
        solution = solve_roster(_problem(team, ready, replace(setting, cap=False)), hint=hint,
                                time_limit=_left(time_limit, started), workers=workers)
    if progress:
        progress(f"solved: {solution.status}")
    return _extract(team, members, period, ready, solution, focus_only=focus_only,
                    carried=carried or {}, before=before, why=why,
                    asked=frozenset(pinned or ()), seconds=monotonic() - started)


def _problem(team: Team, ready: _Prepared, setting: Setting) -> RosterProblem:
    """The rostering problem of the prepared period under ``setting``."""
    return roster_problem(team, ready.slots, ready.grid, ready.table, blocked=ready.blocked,
                          setting=setting)


def _left(limit: float, started: float, *, share: float = 1.0) -> float:
    """``share`` of the time left of ``limit`` (at least a second: a solve needs one)."""
    return max(1.0, (limit - (monotonic() - started)) * share)


def _empty(solution: RosterSolution, grid: Grid) -> int:
    """How many seats ``solution`` leaves empty."""
    held = _holders(solution, grid)
    return sum(1 for units in grid.units.values() for slot in units if slot.id not in held)


def prepare(team: Team, members: Mapping[str, MemberCalendar], events: Sequence[Commitment],
            period: Period) -> _Prepared:
    """The slots, the focus table, the static blocks and the grid of ``period``."""
    missing = [m.id for m in team.members if m.id not in members]
    if missing:
        raise InputError(team.source, f"no calendar was read for member {missing[0]!r}")
    slots = slots_of(team, events, period)
    if len(slots) > MOST_SLOTS:
        raise InputError(team.source, f"{len(slots):,} slots from {period.first} to "
                         f"{period.last}; a rotation holds at most {MOST_SLOTS:,}",
                         "plan a shorter period")
    shield_dates = frozenset(d for s in slots if s.kind is DutyKind.SHIELD for d in s.dates)
    table = focus_table(team, members, period, shield_dates)
    duties = {d.id: d for d in team.duties}
    blocked = {(m.id, s.id): why for s in slots for m in team.members
               if (why := why_not(team, m, members[m.id], s, duties[s.duty])) is not None}
    running = frozenset(d.id for d in team.duties if d.back_to_back)
    return _Prepared(slots, table, blocked,
                     lay_out(slots, period.first, len(period.dates()), team.timezone, running))


def holders_of(rotation: Rotation) -> dict[str, tuple[str, ...]]:
    """Slot id → the members holding it in ``rotation``."""
    found: dict[str, list[str]] = {}
    for item in rotation.assignments:
        found.setdefault(item.slot.id, []).append(item.member)
    return {slot: tuple(names) for slot, names in found.items()}


def evaluate(team: Team, members: Mapping[str, MemberCalendar], events: Sequence[Commitment],
             period: Period, holders: Mapping[str, tuple[str, ...]]) -> Evaluation:
    """The team focus and weighted loads of any assignment of the period's slots (``holders``:
    slot id → member ids), as the rotation measures its own."""
    ready = prepare(team, members, events, period)
    weighted = {m.id: 0.0 for m in team.members}
    for slot in ready.slots:
        for member in holders.get(slot.id, ()):
            weighted[member] += slot.weighted_hours
    empty = tuple(s.id for s in ready.slots if not holders.get(s.id))
    return Evaluation(_team_focus(ready, holders), weighted, empty)


def _team_focus(ready: _Prepared, holders: Mapping[str, tuple[str, ...]]) -> int:
    """Σ members' baseline focus, less each assignment's cost and the relief lost on a shield
    date nobody holds."""
    table = ready.table
    total = sum(table.baseline(m) for m in table.members)
    duties = {d.id: d for d in table.team.duties}
    for slot in ready.slots:
        held = holders.get(slot.id, ())
        total -= sum(table.cost(m, slot, duties[slot.duty]) for m in held)
        if slot.kind is DutyKind.SHIELD and not held:
            total -= sum(table.relief(day) for day in slot.dates)
    return total


def _holders(solution: RosterSolution, grid: Grid) -> dict[str, tuple[str, ...]]:
    """Slot id → members, from the solved cells (seats sharing a cell are dealt in order)."""
    by_cell: dict[tuple[int, str], list[str]] = {}
    for staff, day, shift in sorted(solution.assigned):
        by_cell.setdefault((day, shift), []).append(staff)
    found: dict[str, tuple[str, ...]] = {}
    for cell, units in grid.units.items():
        names = by_cell.get(cell, [])
        for index, slot in enumerate(sorted(units, key=lambda s: s.id)):
            if index < len(names):
                found[slot.id] = (names[index],)
    return found


def _extract(team: Team, members: Mapping[str, MemberCalendar], period: Period,
             ready: _Prepared, solution: RosterSolution, *, focus_only: int | None,
             carried: Mapping[str, float], before: Mapping[str, tuple[str, ...]] | None,
             why: str, asked: frozenset[str], seconds: float) -> Rotation:
    """The rotation the solved roster stands for, with its reasons."""
    holders = _holders(solution, ready.grid)
    duties = {d.id: d for d in team.duties}
    # the score maximised: the team's focus after the duties (in hundredths of a minute) less
    # the weighed penalties; the core minimised what is lost from the baseline
    best = FOCUS * sum(ready.table.baseline(m.id) for m in team.members)
    loads = {m.id: carried.get(m.id, 0.0) for m in team.members}
    for slot in ready.slots:
        for member in holders.get(slot.id, ()):
            loads[member] += slot.weighted_hours
    by_id = {s.id: s for s in ready.slots}
    context = Context(team, members, ready.table, holders, by_id, ready.blocked, loads)
    assignments = tuple(
        Assignment(slot, member, ready.table.cost(member, slot, duties[slot.duty]),
                   reason(slot, member, context))
        for slot in ready.slots for member in holders.get(slot.id, ()))
    uncovered = tuple(Uncovered(s, blocked_reasons(s, context))
                      for s in ready.slots if not holders.get(s.id))
    return Rotation(
        team=team.name, first=period.first, last=period.last, created=datetime.now(UTC),
        assignments=assignments, uncovered=uncovered,
        loads=_loads(team, ready, holders, carried),
        team_focus=_team_focus(ready, holders), focus_only=focus_only,
        status=solution.status, objective=best - solution.objective,
        bound=None if solution.bound is None else best - solution.bound,
        seconds=round(seconds, 2),
        changes=(changes(before, holders, by_id, context, why=why, asked=asked)
                 if before is not None else ()),
    )


def _loads(team: Team, ready: _Prepared, holders: Mapping[str, tuple[str, ...]],
           carried: Mapping[str, float]) -> tuple[MemberLoad, ...]:
    """Each member's focus before and after, and their duty hours."""
    table = ready.table
    duties = {d.id: d for d in team.duties}
    found = []
    for member in team.members:
        mine = [s for s in ready.slots if member.id in holders.get(s.id, ())]
        lost = sum(table.cost(member.id, s, duties[s.duty]) for s in mine)
        unrelieved = sum(table.relieved[member.id].get(d, 0) - table.unrelieved[member.id].get(d, 0)
                         for s in ready.slots if s.kind is DutyKind.SHIELD
                         and not holders.get(s.id) for d in s.dates)
        found.append(MemberLoad(
            member=member.id, focus_before=table.before(member.id),
            focus_after=table.baseline(member.id) - lost - unrelieved,
            hours=round(sum(s.span.minutes for s in mine) / 60, 2),
            weighted_hours=round(sum(s.weighted_hours for s in mine), 2),
            carried=round(carried.get(member.id, 0.0), 2)))
    return tuple(found)
