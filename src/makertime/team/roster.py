"""The rostering core: build the CP-SAT model of a ``RosterProblem`` (``roster_build``), solve
it, improve the roster by large neighbourhoods (``roster_lns``) while time is left, and read it
back.

First the whole model with the max_lp subsolver (its LP holds the day, run and cover
constraints) beside CP-SAT's own neighbourhoods: small problems end there, proven. A roster
then near its bound, or of a model with fewer than ``LARGE_CELLS`` cells, leaves the bound to
close: the whole model again, hinted at it, with lb_tree_search beside max_lp to the time
limit. One far from its bound in a larger model goes on with our neighbourhoods — a loop that
frees the cells of a few staff or a few days, fixes the rest to the best roster and re-solves
that part — and the whole model has the rest of the time. Every solve after the first starts
from the best roster, all its variables hinted. OR-Tools takes about a second to import, so
only the modules that solve import it."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python.cp_model import (
    FEASIBLE,
    INFEASIBLE,
    OPTIMAL,
    CpSolverSolutionCallback,
)

from makertime.team.roster_build import (
    SUBSOLVERS,
    BuiltRoster,
    build_roster,
    hint_all,
    make_solver,
    read_cells,
)
from makertime.team.roster_lns import improve
from makertime.team.roster_model import Cell
from makertime.team.roster_problem import RosterProblem, RosterSolution
from makertime.team.roster_terms import term_values

Progress = Callable[[str], None]

# The first solve: max_lp beside CP-SAT's own neighbourhoods (the best rosters measured), for
# this fraction of the time limit. A roster then within WIDE_GAP of its bound (relative to the
# objective) leaves the bound to close: lb_tree_search joins max_lp to the end (Instances 4 and
# 5 are 5–11% above their bound then). A wider gap is the rosters' (Instance 8: 20–30%): our
# neighbourhoods go on to NEIGHBOURHOODS_END, and the whole model with lb_tree_search has the
# rest. (A further quarter of max_lp before them was measured on Instance 8 to gain 15–100,
# where the neighbourhoods gained 100–200 in the same time.)
# Only a large model (LARGE_CELLS assignable cells or more) takes that branch: smaller ones
# keep lb_tree_search, which proved Instances 4–6 (Instance 5, 676 cells, was 21% above its
# bound at 30 s in one run, and our neighbourhoods then cost it its proof).
ROSTER_SUBSOLVERS = ("max_lp",)
FIRST_END = 0.25
WIDE_GAP = 0.2
LARGE_CELLS = 1500  # Instance 7 has 1248, Instance 8 2158
NEIGHBOURHOODS_END = 0.9


class _Reporter(CpSolverSolutionCallback):
    """Reports each better roster of a solve to ``progress``, if any."""

    def __init__(self, progress: Progress | None, began: float) -> None:
        super().__init__()
        self.progress, self.began = progress, began

    def on_solution_callback(self) -> None:
        """One line per improvement."""
        if self.progress is not None:
            self.progress(f"whole: objective {round(self.objective_value)}, bound "
                          f"{round(self.best_objective_bound)}, "
                          f"{time.monotonic() - self.began:.1f} s")


@dataclass
class _Best:
    """The best roster so far and the proven bound."""

    assigned: frozenset[Cell]
    objective: int
    bound: int
    found: bool = False
    optimal: bool = False
    infeasible: bool = False
    values: list[int] = field(default_factory=list)  # every model variable, for a full hint


def _whole(built: BuiltRoster, best: _Best, time_limit: float, *, workers: int, seed: int,
           subsolvers: Sequence[str], reporter: _Reporter) -> None:
    """Solve the whole model (hinted at the best roster, if any) and keep what it proves."""
    if best.found:
        # every variable hinted, not the cells alone: CP-SAT takes a complete, feasible hint as
        # its first roster, where a hint on the cells was repaired to one far worse (measured:
        # Instance 8 restarted at 2421 from a best of 1915)
        hint_all(built.model, best.values)
    # a thread per named subsolver, and one for CP-SAT's own first-solution and neighbourhood
    # workers (more threads than cores: measured to help the bound on two cores)
    solver = make_solver(time_limit, max(workers, len(subsolvers) + 1), seed, subsolvers)
    status = solver.solve(built.model, reporter)
    if status == INFEASIBLE:
        best.infeasible = True
    if status not in (OPTIMAL, FEASIBLE):
        return
    # the objective is an integer: round the float bound up, past its last-digit noise
    best.bound = max(best.bound, math.ceil(solver.best_objective_bound - 1e-6))
    if not best.found or round(solver.objective_value) < best.objective:
        best.assigned = read_cells(solver, built.vars.x)
        best.objective = round(solver.objective_value)
        best.values = list(solver.response_proto.solution)
    best.found = True
    best.optimal = best.objective <= best.bound


def solve_roster(problem: RosterProblem, *, time_limit: float = 10.0, workers: int = 2,
                 hint: frozenset[tuple[str, int, str]] | None = None, seed: int = 0,
                 progress: Progress | None = None,
                 subsolvers: Sequence[str] = SUBSOLVERS,
                 neighbourhoods: bool = True) -> RosterSolution:
    """The best roster found within ``time_limit`` seconds (model build included), with its
    proven bound: max_lp first; then, by the gap, the whole model with ``subsolvers`` to the
    end, or ``neighbourhoods`` before it."""
    began = time.monotonic()
    built = build_roster(problem)
    if hint is not None:
        for cell, var in built.vars.x.items():
            built.model.add_hint(var, cell in hint)
    best = _Best(frozenset(), 0, -(2**62))

    def whole(until: float, names: Sequence[str], offset: int) -> None:
        if not (best.optimal or best.infeasible) and until - time.monotonic() > 0.05:
            _whole(built, best, until - time.monotonic(), workers=workers, seed=seed + offset,
                   subsolvers=names, reporter=_Reporter(progress, began))

    whole(began + FIRST_END * time_limit, ROSTER_SUBSOLVERS, 0)
    wide = best.objective - best.bound > WIDE_GAP * abs(best.objective)
    wide = wide and len(built.vars.x) >= LARGE_CELLS
    if wide and best.found and neighbourhoods and not best.optimal:
        best.assigned, best.objective, best.values = improve(
            problem, built, best.assigned, best.objective, best.values, bound=best.bound,
            until=began + NEIGHBOURHOODS_END * time_limit, workers=workers, seed=seed,
            progress=progress)
        best.optimal = best.objective <= best.bound
    whole(began + time_limit, subsolvers, 2)
    seconds = time.monotonic() - began
    if not best.found:
        return RosterSolution(frozenset(), 0, None, "infeasible" if best.infeasible
                              else "unknown", seconds)
    terms = term_values(problem, best.assigned)
    return RosterSolution(best.assigned, sum(terms.values()), best.bound,
                          "optimal" if best.optimal else "feasible", seconds, terms)
