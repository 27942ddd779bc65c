"""The rostering core: build the CP-SAT model of a ``RosterProblem`` (``roster_build``), solve
it, improve the roster by large neighbourhoods (``roster_lns``) while time is left, and read it
back.

First the whole model with the max_lp subsolver, whose LP holds the day, run and cover
constraints, and lb_tree_search for the bound: bounds and rosters both improve on the default
portfolio of two workers. Small problems end there, proven, and a roster near its bound goes on
to the time limit. One still far from its bound at a check stops it for better rosters: the
whole model hinted at the best roster with max_lp and CP-SAT's own neighbourhoods, then ours —
a loop that frees the cells of a few staff or a few days, fixes the rest to the best roster and
re-solves that part — and last the whole model again for what is left of the time. OR-Tools
takes about a second to import, so only the modules that solve import it."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python.cp_model import (
    FEASIBLE,
    INFEASIBLE,
    OPTIMAL,
    CpSolver,
    CpSolverSolutionCallback,
)

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

# When the first solve of the whole model stops for the rosters: at each fraction of the time
# limit, if the gap to its bound (relative to the objective) is still above the second number.
# A narrower gap is mostly the bound's to close, which only the whole model proves (Instances 4
# and 5 are 5–10% above their bound a quarter in); a wider one is the rosters' (Instance 8: 25%).
CHECKS = ((0.25, 0.10),)
ROSTER_SUBSOLVERS = ("max_lp",)  # after a check: max_lp beside CP-SAT's own neighbourhoods
ROSTERS_END = 0.6  # of the time limit: their solve ends, ours begin
NEIGHBOURHOODS_END = 0.9  # of the time limit; the whole model again after them


class _Watch(CpSolverSolutionCallback):
    """Follows a solve's objective and bound, reports each better roster to ``progress``, and
    stops the solve at a check when its gap is still wide."""

    def __init__(self, progress: Progress | None, began: float) -> None:
        super().__init__()
        self.progress, self.began = progress, began
        self.objective: float | None = None
        self.bound = -math.inf
        self.stopped = False

    def on_solution_callback(self) -> None:
        """One line per improvement."""
        self.objective = self.objective_value
        self.bound = max(self.bound, self.best_objective_bound)
        if self.progress is not None:
            self.progress(f"whole: objective {round(self.objective_value)}, bound "
                          f"{round(self.best_objective_bound)}, "
                          f"{time.monotonic() - self.began:.1f} s")

    def on_bound(self, bound: float) -> None:
        """Keep the best bound the solve proved."""
        self.bound = bound

    def check(self, solver: CpSolver, widest: float) -> None:
        """Stop the solve when there is a roster and its gap is above ``widest``."""
        if self.objective is not None and (
                self.objective - self.bound > widest * max(1.0, abs(self.objective))):
            self.stopped = True
            solver.stop_search()


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
           subsolvers: Sequence[str], watch: _Watch,
           checks: Sequence[tuple[float, float]] = ()) -> None:
    """Solve the whole model (hinted at the best roster, if any) and keep what it proves;
    ``checks``: (seconds into the solve, widest gap) at which ``watch`` may stop it."""
    if best.found:
        built.model.clear_hints()  # type: ignore[no-untyped-call]
        for cell, var in built.vars.x.items():
            built.model.add_hint(var, cell in best.assigned)
    # a thread per named subsolver, and one for CP-SAT's own first-solution and neighbourhood
    # workers (more threads than cores: measured to help the bound on two cores)
    solver = make_solver(time_limit, max(workers, len(subsolvers) + 1), seed, subsolvers)
    solver.best_bound_callback = watch.on_bound
    timers = [threading.Timer(at, watch.check, (solver, widest)) for at, widest in checks]
    for timer in timers:
        timer.daemon = True
        timer.start()
    try:
        status = solver.solve(built.model, watch)
    finally:
        for timer in timers:
            timer.cancel()
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
                 subsolvers: Sequence[str] = SUBSOLVERS,
                 checks: Sequence[tuple[float, float]] = CHECKS,
                 neighbourhoods: bool = True) -> RosterSolution:
    """The best roster found within ``time_limit`` seconds (model build included), with its
    proven bound. The whole model is solved first; at each of ``checks`` (fraction of the
    limit, widest gap) a roster still further from its bound stops it for large
    neighbourhoods, then the whole model again from the best roster for the last
    ``1 - NEIGHBOURHOODS_END`` of the time."""
    began = time.monotonic()
    built = build_roster(problem)
    if hint is not None:
        for cell, var in built.vars.x.items():
            built.model.add_hint(var, cell in hint)
    best = _Best(frozenset(), 0, -(2**62))
    watch = _Watch(progress, began)
    checks = [(at * time_limit - (time.monotonic() - began), widest) for at, widest in checks]
    _whole(built, best, began + time_limit - time.monotonic(), workers=workers, seed=seed,
           subsolvers=subsolvers, watch=watch, checks=checks if neighbourhoods else ())
    if watch.stopped and best.found and not best.optimal:
        # far from its bound, the roster is what is missing: the whole model again with max_lp
        # and CP-SAT's own neighbourhoods only (their rosters are the best measured), then ours
        _whole(built, best, began + ROSTERS_END * time_limit - time.monotonic(),
               workers=workers, seed=seed + 1, subsolvers=ROSTER_SUBSOLVERS,
               watch=_Watch(progress, began))
    if watch.stopped and best.found and not best.optimal:
        best.assigned, best.objective = improve(
            problem, built, best.assigned, best.objective, bound=best.bound,
            until=began + NEIGHBOURHOODS_END * time_limit, workers=workers, seed=seed,
            progress=progress)
        best.optimal = best.objective <= best.bound
        if not best.optimal and (left := began + time_limit - time.monotonic()) > 0.1:
            _whole(built, best, left, workers=workers, seed=seed + 2, subsolvers=subsolvers,
                   watch=_Watch(progress, began))
    seconds = time.monotonic() - began
    if not best.found:
        return RosterSolution(frozenset(), 0, None, "infeasible" if best.infeasible
                              else "unknown", seconds)
    terms = term_values(problem, best.assigned)
    return RosterSolution(best.assigned, sum(terms.values()), best.bound,
                          "optimal" if best.optimal else "feasible", seconds, terms)
