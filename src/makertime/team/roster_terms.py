"""The rostering core's objective: one function per soft term (``TERMS``), each returning the
term as a linear expression (constants included) after adding the variables it needs. The
solver minimises their sum; ``RosterSolution.terms`` reports each by its name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

from ortools.sat.python.cp_model import CpModel, LinearExpr

from makertime.team.roster_model import RosterVars
from makertime.team.roster_problem import RosterProblem

Expression: TypeAlias = LinearExpr | int
Term = Callable[[RosterProblem, CpModel, RosterVars], Expression]


def cover(problem: RosterProblem, model: CpModel, v: RosterVars) -> Expression:
    """Soft: ``under_weight`` per missing person and ``over_weight`` per extra one on each
    (day, shift); ``hard_max`` forbids extra ones. The slack is an integer variable each way
    so the LP prices a missing person exactly."""
    total: list[Expression] = []
    for c in problem.cover:
        on = v.held((s.id, c.day, c.shift) for s in problem.staff)
        most = sum((s.id, c.day, c.shift) in v.x for s in problem.staff)
        under = model.new_int_var(0, max(0, c.requirement), f"under[{c.day},{c.shift}]")
        if c.hard_max or most <= c.requirement:
            model.add(on + under == c.requirement)
        else:
            over = model.new_int_var(0, most - c.requirement, f"over[{c.day},{c.shift}]")
            model.add(on + under - over == c.requirement)
            total.append(c.over_weight * over)
        total.append(c.under_weight * under)
    return LinearExpr.sum(total) if total else 0


def requests(problem: RosterProblem, model: CpModel, v: RosterVars) -> Expression:
    """Soft: a shift-on request not met costs its weight, a shift-off request violated costs
    its weight (a request without a shift is about any shift of its day)."""
    total: list[Expression] = []
    for r in problem.requests:
        shifts = [t.id for t in problem.shifts] if r.shift is None else [r.shift]
        held = v.held((r.staff, r.day, t) for t in shifts)
        total.append(r.weight * (1 - held) if r.on else r.weight * held)
    return LinearExpr.sum(total) if total else 0


def cost(problem: RosterProblem, model: CpModel, v: RosterVars) -> Expression:
    """Soft: each assigned cell's ``cost`` (negative: a gain)."""
    parts = [(v.x[c], w) for c, w in problem.cost.items() if w and c in v.x]
    if not parts:
        return 0
    return LinearExpr.weighted_sum([p[0] for p in parts], [p[1] for p in parts])


def spread(problem: RosterProblem, model: CpModel, v: RosterVars) -> Expression:
    """Soft, ``spread_weight`` per unit, and hard ≤ ``max_spread`` when given: the spread
    (max − min over staff) of carried load plus the load of the cells each one holds."""
    if not problem.staff or (problem.spread_weight == 0 and problem.max_spread is None):
        return 0
    per_staff: dict[str, list[tuple[int, object]]] = {s.id: [] for s in problem.staff}
    for c, w in problem.load.items():
        if w and c in v.x and c[0] in per_staff:
            per_staff[c[0]].append((w, v.x[c]))
    loads: list[Expression] = []
    highest, lowest = 0, 0
    for s in problem.staff:
        carried, parts = problem.carried.get(s.id, 0), per_staff[s.id]
        weights = [w for w, _ in parts]
        loads.append(carried + LinearExpr.weighted_sum([x for _, x in parts], weights)
                     if parts else carried)
        highest = max(highest, carried + sum(w for w in weights if w > 0))
        lowest = min(lowest, carried + sum(w for w in weights if w < 0))
    top = model.new_int_var(lowest, highest, "load_max")
    bottom = model.new_int_var(lowest, highest, "load_min")
    for load in loads:
        model.add(top >= load)
        model.add(bottom <= load)
    if problem.max_spread is not None:
        model.add(top - bottom <= problem.max_spread)
    return problem.spread_weight * (top - bottom)


def changes(problem: RosterProblem, model: CpModel, v: RosterVars) -> Expression:
    """Soft, ``change_weight`` per staff: each cell of ``previous`` counts every previous holder
    who no longer holds it and every new holder (cells absent from ``previous`` are new and
    cost nothing)."""
    if problem.change_weight == 0:
        return 0
    staff = {s.id for s in problem.staff}
    total: list[Expression] = []
    for (d, t), before in problem.previous.items():
        for s in problem.staff:
            held = v.held([(s.id, d, t)])
            total.append(1 - held if s.id in before else held)
        total.append(len(before - staff))  # holders no longer on the staff
    return problem.change_weight * LinearExpr.sum(total) if total else 0


TERMS: dict[str, Term] = {"cover": cover, "requests": requests, "cost": cost, "spread": spread,
                          "changes": changes}


def term_values(problem: RosterProblem, assigned: frozenset[tuple[str, int, str]]
                ) -> dict[str, int]:
    """Each term's value for a roster, counted from its cells (what the solver minimised)."""
    held: dict[tuple[int, str], set[str]] = {}
    for s, d, t in assigned:
        held.setdefault((d, t), set()).add(s)
    under_over = 0
    for c in problem.cover:
        n = len(held.get((c.day, c.shift), ()))
        under_over += c.under_weight * max(0, c.requirement - n)
        under_over += c.over_weight * max(0, n - c.requirement)
    wishes = 0
    for r in problem.requests:
        on = any((r.staff, r.day, t.id) in assigned for t in problem.shifts
                 if r.shift is None or t.id == r.shift)
        wishes += r.weight * (on != r.on)
    loads = {s.id: problem.carried.get(s.id, 0) for s in problem.staff}
    for cell in assigned:
        loads[cell[0]] = loads.get(cell[0], 0) + problem.load.get(cell, 0)
    spread_ = max(loads.values()) - min(loads.values()) if loads else 0
    changed = sum(len(before ^ held.get(cell, set())) for cell, before in problem.previous.items())
    return {"cover": under_over, "requests": wishes,
            "cost": sum(problem.cost.get(c, 0) for c in assigned),
            "spread": problem.spread_weight * spread_ if problem.spread_weight else 0,
            "changes": problem.change_weight * changed}
