"""The rostering core: build the CP-SAT model of a ``RosterProblem`` (``roster_build``), solve
it, improve the roster by large neighbourhoods (``roster_lns``) while time is left, and read it
back.

The solve has three phases. First the whole model with the max_lp subsolver, whose LP holds the
day, run and cover constraints, and lb_tree_search for the bound: bounds and rosters both
improve on the default portfolio of two workers, and small problems end here, proven. When the
bound is not met, neighbourhoods: a loop that frees the cells of a few staff or a few days,
fixes the rest to the best roster and re-solves that part. Last, the whole model again, hinted
at the best roster, for what is left of the time: its bound may close the gap. OR-Tools takes
about a second to import, so only the modules that solve import it."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python.cp_model import FEASIBLE, INFEASIBLE, OPTIMAL, CpSolverSolutionCallback

from makertime.team.roster_build import (
    SUBSOLVERS,
    BuiltRoster,
    build_roster,
    make_solver,
    read_cells,
)
from makertime.team.roster_lns import improve
from makertime.team.roster_model import Cell
from makertime.team.roster_problem import RosterProblem, RosterSolution
from makertime.team.roster_terms import term_values

Progress = Callable[[str], None]

# Where the whole model's first solve and the neighbourhoods end, as fractions of the limit.
PHASES = (0.5, 0.85)
# A gap (relative to the objective) small enough to leave to the whole model: Instance 5 ends
# its first phase 0.5% above its bound, which the neighbourhoods cannot close.
CLOSE_GAP = 0.01


class _Reporter(CpSolverSolutionCallback):
    """Reports each better roster of a solve to ``progress``."""

    def __init__(self, progress: Progress, began: float, phase: str) -> None:
        super().__init__()
        self.progress, self.began, self.phase = progress, began, phase

    def on_solution_callback(self) -> None:
        """One line per improvement."""
        self.progress(f"{self.phase}: objective {round(self.objective_value)}, bound "
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


def _whole(built: BuiltRoster, best: _Best, time_limit: float, *, workers: int, seed: int,
           subsolvers: Sequence[str], reporter: _Reporter | None) -> None:
    """Solve the whole model (hinted at the best roster, if any) and keep what it proves."""
    if best.found:
        built.model.clear_hints()  # type: ignore[no-untyped-call]
        for cell, var in built.vars.x.items():
            built.model.add_hint(var, cell in best.assigned)
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
    best.found = True
    best.optimal = best.objective <= best.bound


def solve_roster(problem: RosterProblem, *, time_limit: float = 10.0, workers: int = 2,
                 hint: frozenset[tuple[str, int, str]] | None = None, seed: int = 0,
                 progress: Progress | None = None,
                 subsolvers: Sequence[str] = SUBSOLVERS, phases: tuple[float, float] = PHASES,
                 neighbourhoods: bool = True, close_gap: float = CLOSE_GAP) -> RosterSolution:
    """The best roster found within ``time_limit`` seconds (model build included), with its
    proven bound: the whole model, then large neighbourhoods, then the whole model again
    from the best roster (``phases``: where the first two end, as fractions of the limit).
    A roster within ``close_gap`` of its bound after the first phase skips the neighbourhoods:
    what is missing then is mostly the bound, which only the whole model proves."""
    began = time.monotonic()
    built = build_roster(problem)
    if hint is not None:
        for cell, var in built.vars.x.items():
            built.model.add_hint(var, cell in hint)
    best = _Best(frozenset(), 0, -(2**62))
    reporter = _Reporter(progress, began, "whole") if progress else None
    first, second = phases if neighbourhoods else (1.0, 1.0)
    _whole(built, best, began + first * time_limit - time.monotonic(), workers=workers,
           seed=seed, subsolvers=subsolvers, reporter=reporter)
    close = best.objective - best.bound <= close_gap * abs(best.objective)
    if best.found and not best.optimal and not close:
        best.assigned, best.objective = improve(
            problem, built, best.assigned, best.objective, bound=best.bound,
            until=began + second * time_limit, workers=workers, seed=seed, progress=progress)
        best.optimal = best.objective <= best.bound
    if not (best.optimal or best.infeasible) and (left := began + time_limit
                                                  - time.monotonic()) > 0.1:
        _whole(built, best, left, workers=workers, seed=seed + 1, subsolvers=subsolvers,
               reporter=reporter)
    seconds = time.monotonic() - began
    if not best.found:
        return RosterSolution(frozenset(), 0, None, "infeasible" if best.infeasible
                              else "unknown", seconds)
    terms = term_values(problem, best.assigned)
    return RosterSolution(best.assigned, sum(terms.values()), best.bound,
                          "optimal" if best.optimal else "feasible", seconds, terms)
