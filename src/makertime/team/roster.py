"""The rostering core: build the CP-SAT model of a ``RosterProblem`` (``roster_model``: hard
rules, ``roster_terms``: objective), solve it, improve the roster by large neighbourhoods
(``roster_lns``) while time is left, and read it back.

The solve has two phases. First the whole model, with the max_lp worker (its LP holds the run
and cover clauses, so bound and roster both improve on the default portfolio of two workers);
small problems end here, proven. Then, when the bound is not met, a loop that frees the cells
of a few staff or a few days, fixes the rest to the best roster and re-solves that part.
OR-Tools takes about a second to import, so only the modules that solve import it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence

from ortools.sat.python.cp_model import FEASIBLE, INFEASIBLE, OPTIMAL, CpSolverSolutionCallback

from makertime.team.roster_build import SUBSOLVERS, build_roster, make_solver, read_cells
from makertime.team.roster_lns import improve
from makertime.team.roster_problem import RosterProblem, RosterSolution
from makertime.team.roster_terms import term_values

Progress = Callable[[str], None]

FIRST_PHASE = 0.5  # of the time limit, for the whole model before the neighbourhoods


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


def solve_roster(problem: RosterProblem, *, time_limit: float = 10.0, workers: int = 2,
                 hint: frozenset[tuple[str, int, str]] | None = None, seed: int = 0,
                 progress: Progress | None = None,
                 subsolvers: Sequence[str] = SUBSOLVERS, first_phase: float = FIRST_PHASE,
                 neighbourhoods: bool = True) -> RosterSolution:
    """The best roster found within ``time_limit`` seconds (model build included), with its
    proven bound: the whole model first, then large neighbourhoods while time is left."""
    began = time.monotonic()
    built = build_roster(problem)
    if hint is not None:
        for cell, var in built.vars.x.items():
            built.model.add_hint(var, cell in hint)
    left = time_limit - (time.monotonic() - began)
    phase_time = left * first_phase if neighbourhoods else left
    solver = make_solver(phase_time, workers, seed, subsolvers)
    reporter = _Reporter(progress, began, "whole") if progress else None
    status = solver.solve(built.model, reporter)
    if status not in (OPTIMAL, FEASIBLE):
        name = "infeasible" if status == INFEASIBLE else "unknown"
        return RosterSolution(frozenset(), 0, None, name, time.monotonic() - began)
    # the objective is an integer: round the float bound up, past its last-digit noise
    bound = math.ceil(solver.best_objective_bound - 1e-6)
    assigned = read_cells(solver, built.vars.x)
    objective = round(solver.objective_value)
    if status != OPTIMAL and neighbourhoods and objective > bound:
        assigned, objective = improve(
            problem, built, assigned, objective, bound=bound, until=began + time_limit,
            workers=workers, seed=seed, progress=progress)
    terms = term_values(problem, assigned)
    return RosterSolution(assigned, sum(terms.values()), bound,
                          "optimal" if sum(terms.values()) <= bound else "feasible",
                          time.monotonic() - began, terms)
