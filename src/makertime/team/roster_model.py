"""The rostering core's CP-SAT model: a boolean per (staff, day, shift) cell that may be
assigned, a working-day literal per (staff, day) — the negation of an "off" boolean that is
exactly one with the day's cells — and one function per constraint family.

The consecutive rules are stated on run starts rather than as forbidden patterns: "a run of
work that starts on day d (worked d, off d−1) also works d+1 … d+k−1" is a three-literal
clause per day and offset, whose LP relaxation is as strong as the pattern clauses together
and which stays small. Runs touching the horizon's ends are exempt (no clause starts at day 0,
and offsets past the last day are dropped). The objective terms are in ``roster_terms``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from ortools.sat.python.cp_model import CpModel, IntVar, LinearExpr

from makertime.team.roster_problem import RosterProblem, Staff

Literal: TypeAlias = Any  # an IntVar, its negation, or a constant bool
Cell: TypeAlias = tuple[str, int, str]  # (staff id, day, shift id)
Index: TypeAlias = tuple[int, int, int]  # (staff index, day, shift index)


@dataclass
class RosterVars:
    """Every decision variable: ``x`` per assignable cell (by ids), ``at`` the same by indexes,
    ``work`` per (staff index, day) — a variable, an x itself when one shift is possible that
    day, or False when none is."""

    x: dict[Cell, IntVar] = field(default_factory=dict)
    at: dict[Index, IntVar] = field(default_factory=dict)
    work: dict[tuple[int, int], Literal] = field(default_factory=dict)
    shift_index: dict[str, int] = field(default_factory=dict)

    def held(self, cells: Iterable[Cell]) -> LinearExpr | int:
        """How many of ``cells`` are assigned (cells that cannot be count as 0)."""
        present = [self.x[c] for c in cells if c in self.x]
        return LinearExpr.sum(present) if present else 0


def negate(literal: Literal) -> Literal:
    """The negation of a literal (constants included)."""
    return (not literal) if isinstance(literal, bool) else literal.Not()


def clause(model: CpModel, literals: Iterable[Literal]) -> None:
    """Add the disjunction of ``literals``, constants folded (an empty one is infeasible)."""
    kept = []
    for literal in literals:
        if literal is True:
            return
        if literal is not False:
            kept.append(literal)
    model.add_bool_or(kept)


def assignable(problem: RosterProblem, staff: Staff, day: int, shift: str) -> bool:
    """Whether a cell may be 1 at all: allowed, not a day off, its shift not capped at zero."""
    if day in staff.days_off or staff.max_shifts.get(shift, 1) <= 0:
        return False
    return problem.allowed is None or (staff.id, day, shift) in problem.allowed


def variables(problem: RosterProblem, model: CpModel) -> RosterVars:
    """Create x only for assignable cells, and the working-day literal per (staff, day)."""
    g = RosterVars(shift_index={t.id: i for i, t in enumerate(problem.shifts)})
    for s, person in enumerate(problem.staff):
        for d in range(problem.days):
            day_vars = []
            for t, shift in enumerate(problem.shifts):
                if assignable(problem, person, d, shift.id):
                    var = model.new_bool_var(f"x[{person.id},{d},{shift.id}]")
                    g.x[person.id, d, shift.id] = var
                    g.at[s, d, t] = var
                    day_vars.append(var)
            if not day_vars:
                g.work[s, d] = False
            elif len(day_vars) == 1:
                g.work[s, d] = day_vars[0]
            else:
                # exactly one of "off" and the day's shifts: the LP of max_lp keeps this form
                # (measured: Instance5's bound 1035 at 40 s, against 800 with work = Σ x)
                off = model.new_bool_var(f"off[{person.id},{d}]")
                model.add_exactly_one([off, *day_vars])
                g.work[s, d] = off.Not()
    return g


# Constraint families (all hard) ------------------------------------------------------------------

def successions(problem: RosterProblem, model: CpModel, g: RosterVars) -> None:
    """Hard: a shift is not followed on the next day by one of its ``not_followed_by``."""
    for (s, d, t), var in g.at.items():
        for after in problem.shifts[t].not_followed_by:
            nxt = g.at.get((s, d + 1, g.shift_index.get(after, -1)))
            if nxt is not None:
                model.add_bool_or([var.Not(), nxt.Not()])


def shift_counts(problem: RosterProblem, model: CpModel, g: RosterVars) -> None:
    """Hard: at most ``max_shifts`` of each shift id per staff."""
    for s, person in enumerate(problem.staff):
        for shift, most in person.max_shifts.items():
            t = g.shift_index.get(shift, -1)
            held = [g.at[s, d, t] for d in range(problem.days) if (s, d, t) in g.at]
            if len(held) > most:
                model.add(sum(held) <= most)


def total_minutes(problem: RosterProblem, model: CpModel, g: RosterVars) -> None:
    """Hard: each staff's total minutes lie within [min_minutes, max_minutes]."""
    for s, person in enumerate(problem.staff):
        minutes = [(problem.shifts[t].minutes, var) for (s_, _, t), var in g.at.items() if s_ == s]
        total = sum(m * var for m, var in minutes)
        if person.min_minutes > 0:
            model.add(total >= person.min_minutes)
        if person.max_minutes is not None and sum(m for m, _ in minutes) > person.max_minutes:
            model.add(total <= person.max_minutes)


def max_consecutive(problem: RosterProblem, model: CpModel, g: RosterVars) -> None:
    """Hard: no more than ``max_consecutive`` working days in a row (every window of one day
    more holds a day off)."""
    for s, person in enumerate(problem.staff):
        k = person.max_consecutive
        if k is None:
            continue
        for d in range(problem.days - k):
            clause(model, (negate(g.work[s, d + j]) for j in range(k + 1)))


def min_consecutive(problem: RosterProblem, model: CpModel, g: RosterVars) -> None:
    """Hard: a run of working days that starts after day 0 lasts ``min_consecutive`` days or
    reaches the horizon's end; a run of days off likewise lasts ``min_consecutive_off``."""
    for s, person in enumerate(problem.staff):
        for k, on in ((person.min_consecutive, True), (person.min_consecutive_off, False)):
            if k is None or k <= 1:
                continue
            for d in range(1, problem.days):
                before, first = g.work[s, d - 1], g.work[s, d]
                if not on:
                    before, first = negate(before), negate(first)
                for j in range(1, min(k, problem.days - d)):
                    later = g.work[s, d + j]
                    clause(model, (before, negate(first), later if on else negate(later)))


def weekend_days(problem: RosterProblem) -> list[list[int]]:
    """The days of each weekend inside the horizon (a weekend cut by it keeps the days
    present)."""
    weekends: dict[int, list[int]] = {}
    for d in range(problem.days):
        if (problem.first_weekday + d) % 7 >= 5:
            weekends.setdefault((problem.first_weekday + d) // 7, []).append(d)
    return list(weekends.values())


def max_weekends(problem: RosterProblem, model: CpModel, g: RosterVars) -> None:
    """Hard: at most ``max_weekends`` worked weekends per staff (an indicator per weekend,
    equal to the or of its days)."""
    weekends = weekend_days(problem)
    for s, person in enumerate(problem.staff):
        if person.max_weekends is None or person.max_weekends >= len(weekends):
            continue
        worked = []
        for days in weekends:
            works = [g.work[s, d] for d in days if g.work[s, d] is not False]
            if len(works) == 1:
                worked.append(works[0])
            elif works:
                weekend = model.new_bool_var(f"weekend[{person.id},{days[0]}]")
                for w in works:
                    model.add_implication(w, weekend)
                model.add_bool_or([*works, weekend.Not()])
                worked.append(weekend)
        if len(worked) > person.max_weekends:
            model.add(sum(worked) <= person.max_weekends)


def linked_cells(problem: RosterProblem, model: CpModel, g: RosterVars) -> None:
    """Hard: each staff holds every cell of a linked group or none of them."""
    for group in problem.linked:
        for s in range(len(problem.staff)):
            held = [g.at.get((s, d, g.shift_index.get(t, -1))) for d, t in group]
            present = [var for var in held if var is not None]
            if len(present) < len(held):
                for var in present:  # one cell of the group is out of reach: so is the group
                    model.add(var == 0)
            else:
                for var in present[1:]:
                    model.add(var == present[0])


def conflicting_cells(problem: RosterProblem, model: CpModel, g: RosterVars) -> None:
    """Hard: no staff holds both cells of a conflict."""
    for (d1, t1), (d2, t2) in problem.conflicts:
        for s in range(len(problem.staff)):
            a = g.at.get((s, d1, g.shift_index.get(t1, -1)))
            b = g.at.get((s, d2, g.shift_index.get(t2, -1)))
            if a is not None and b is not None:
                model.add_bool_or([a.Not(), b.Not()])


def window_limits(problem: RosterProblem, model: CpModel, g: RosterVars) -> None:
    """Hard: at most ``most`` of a shift per staff in any ``window`` consecutive days."""
    for shift, window, most in problem.max_shifts_per_window:
        t = g.shift_index.get(shift, -1)
        for s in range(len(problem.staff)):
            for first in range(max(1, problem.days - window + 1)):
                held = [g.at[s, d, t] for d in range(first, min(problem.days, first + window))
                        if (s, d, t) in g.at]
                if len(held) > most:
                    model.add(sum(held) <= most)


def hard_cover(problem: RosterProblem, model: CpModel, g: RosterVars) -> None:
    """Hard: a cover marked ``hard_max`` never has more staff than it requires."""
    for c in problem.cover:
        t = g.shift_index.get(c.shift, -1)
        held = [g.at[s, c.day, t] for s in range(len(problem.staff)) if (s, c.day, t) in g.at]
        if c.hard_max and len(held) > c.requirement:
            model.add(sum(held) <= c.requirement)


HARD: tuple[Callable[[RosterProblem, CpModel, RosterVars], None], ...] = (
    successions, shift_counts, total_minutes, max_consecutive, min_consecutive, max_weekends,
    linked_cells, conflicting_cells, window_limits, hard_cover)
