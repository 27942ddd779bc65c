"""Large neighbourhoods for the rostering core: free the cells of a few staff, of a window of
days, or of some staff over some days; fix every other cell to the best roster; re-solve that
part with the best roster as hint, and keep what is no worse.

The size of a neighbourhood adapts: a part solved to optimality without gain grows the next
one, a part that ran out of time shrinks it. The loop stops at the deadline, or as soon as the
best roster meets the proven bound.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable

from ortools.sat.python.cp_model import FEASIBLE, INFEASIBLE, OPTIMAL, CpModel

from makertime.team.roster_build import BuiltRoster, hint_all, make_solver, read_cells
from makertime.team.roster_model import Cell
from makertime.team.roster_problem import RosterProblem

SUB_TIME = 2.0  # seconds a neighbourhood may take at most
SMALLEST, LARGEST = 0.05, 0.9  # fraction of staff or days a neighbourhood frees
# the kinds in turn: windows of days for all staff twice as often (in four runs on Instance 8
# they made most of the gains, and four of the six 100-point ones: a cover filled)
KINDS = (1, 0, 1, 2)


def short_days(problem: RosterProblem, assigned: frozenset[Cell]) -> list[int]:
    """The days with a cover short of its requirement in a roster."""
    held = Counter((d, t) for _, d, t in assigned)
    return sorted({c.day for c in problem.cover if held[c.day, c.shift] < c.requirement})


def neighbourhood(problem: RosterProblem, rng: random.Random, size: float, kind: int,
                  short: list[int], *, assigned: frozenset[Cell] = frozenset()
                  ) -> Callable[[Cell], bool]:
    """Which cells one neighbourhood frees: ``kind`` 0 some staff over the whole horizon,
    1 all staff over a window of days, 2 more staff over a wider window. Half the windows
    are around a day in ``short`` (a cover short of staff), where a gain is likeliest; half
    the staff chosen then are off that day in ``assigned``, the ones who could fill it."""
    people = [s.id for s in problem.staff]
    if kind == 2:
        size = min(LARGEST, size * 2)
    count = max(2, min(len(people), round(size * len(people))))
    width = max(2, min(problem.days, round(size * problem.days)))
    first = rng.randrange(problem.days - width + 1)
    chosen = set(rng.sample(people, count))
    if short and rng.random() < 0.5:
        day = rng.choice(short)
        first = max(0, min(problem.days - width, day - width // 2))
        working = {s for s, d, _ in assigned if d == day}
        idle = [p for p in people if p not in working]
        chosen = set(rng.sample(idle, min(len(idle), (count + 1) // 2)))
        chosen.update(rng.sample([p for p in people if p not in chosen], count - len(chosen)))
    if kind == 0:
        return lambda cell: cell[0] in chosen
    if kind == 1:
        return lambda cell: first <= cell[1] < first + width
    return lambda cell: cell[0] in chosen and first <= cell[1] < first + width


def _part(built: BuiltRoster, assigned: frozenset[Cell], objective: int, values: list[int],
          free: Callable[[Cell], bool]) -> CpModel:
    """The model with every cell outside ``free`` fixed to the best roster, every variable
    hinted at it (``values``), and the objective no worse than the best."""
    model = built.model.clone()
    hint_all(model, values)
    for cell, var in built.vars.x.items():
        value = int(cell in assigned)
        if free(cell):
            if not values:  # a start without every variable's value: hint its cells
                model.add_hint(model.get_bool_var_from_proto_index(var.index), value)
        else:
            domain = model.proto.variables[var.index].domain  # a boolean's: [0, 1]
            domain[0] = domain[1] = value
    if not isinstance(built.objective, int):
        model.add(built.objective <= objective)
    return model


def improve(problem: RosterProblem, built: BuiltRoster, assigned: frozenset[Cell],
            objective: int, values: list[int] | None = None, *, bound: int, until: float,
            workers: int, seed: int, progress: Callable[[str], None] | None = None
            ) -> tuple[frozenset[Cell], int, list[int]]:
    """The best roster the neighbourhoods reach from ``assigned`` (every variable's value:
    ``values``) before ``until`` (a ``time.monotonic`` instant), its objective and values."""
    rng = random.Random(seed)
    values = values or []
    sizes = [0.2, 0.2, 0.2]  # per kind of neighbourhood
    rounds = 0
    while objective > bound and (left := until - time.monotonic()) > 0.05:
        kind = KINDS[rounds % len(KINDS)]
        free = neighbourhood(problem, rng, sizes[kind], kind, short_days(problem, assigned),
                             assigned=assigned)
        model = _part(built, assigned, objective, values, free)
        solver = make_solver(min(SUB_TIME, left), workers, seed + rounds, ())
        status = solver.solve(model)
        rounds += 1
        if status in (OPTIMAL, FEASIBLE) and round(solver.objective_value) <= objective:
            found = round(solver.objective_value)
            if found < objective and progress is not None:
                progress(f"neighbourhood {rounds} (kind {kind}, size {sizes[kind]:.2f}): "
                         f"objective {found}")
            objective, assigned = found, read_cells(solver, built.vars.x)
            values = list(solver.response_proto.solution)
        # a part solved (or refuted) in full may grow; one that ran out of time shrinks
        grow = status in (OPTIMAL, INFEASIBLE)
        sizes[kind] = min(LARGEST, sizes[kind] * 1.1) if grow else max(SMALLEST,
                                                                         sizes[kind] * 0.8)
    return assigned, objective, values
