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

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python.cp_model import (
    FEASIBLE,
    INFEASIBLE,
    OPTIMAL,
    CpModel,
    CpSolver,
    CpSolverSolutionCallback,
    IntVar,
    LinearExpr,
)

from makertime.team.roster_model import HARD, Cell, RosterVars, variables
from makertime.team.roster_problem import RosterProblem, RosterSolution
from makertime.team.roster_terms import TERMS, Expression, term_values

Progress = Callable[[str], None]

SUBSOLVERS = ("max_lp", "core")  # measured on Curtois & Qu 1–8: see bench/rostering.py
FIRST_PHASE = 0.5  # of the time limit, for the whole model before the neighbourhoods


@dataclass
class BuiltRoster:
    """The model, its variables and the objective it minimises."""

    model: CpModel
    vars: RosterVars
    objective: Expression


def build_roster(problem: RosterProblem) -> BuiltRoster:
    """The model: variables, every hard family of ``HARD``, the sum of ``TERMS`` minimised."""
    model = CpModel()
    v = variables(problem, model)
    for constraint in (*HARD, cell_limits):
        constraint(problem, model, v)
    terms = [term(problem, model, v) for term in TERMS.values()]
    objective: Expression = LinearExpr.sum(terms)
    model.minimize(objective)
    return BuiltRoster(model, v, objective)


def cell_limits(problem: RosterProblem, model: CpModel, v: RosterVars) -> None:
    """Hard: each ``CellLimit`` — a staff member's weighted count of the cells named."""
    for limit in problem.limits:
        terms = [weight * v.x[(limit.staff, day, shift)] for (day, shift), weight in limit.cells
                 if (limit.staff, day, shift) in v.x]
        if terms:
            model.add(LinearExpr.sum(terms) <= limit.most)


def make_solver(time_limit: float, workers: int, seed: int,
                subsolvers: Sequence[str] = SUBSOLVERS) -> CpSolver:
    """A solver with the parameters the rostering core uses."""
    solver = CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.01, time_limit)
    params.num_workers = max(1, workers)
    params.random_seed = seed
    params.subsolvers.extend(subsolvers)
    return solver


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


def read_cells(solver: CpSolver, x: dict[Cell, IntVar]) -> frozenset[Cell]:
    """The cells a solved model assigns."""
    return frozenset(c for c, var in x.items() if solver.boolean_value(var))


def solve_roster(problem: RosterProblem, *, time_limit: float = 10.0, workers: int = 2,
                 hint: frozenset[tuple[str, int, str]] | None = None, seed: int = 0,
                 progress: Progress | None = None,
                 subsolvers: Sequence[str] = SUBSOLVERS, first_phase: float = FIRST_PHASE,
                 neighbourhoods: bool = True) -> RosterSolution:
    """The best roster found within ``time_limit`` seconds (model build included), with its
    proven bound: the whole model first, then large neighbourhoods while time is left."""
    from makertime.team.roster_lns import improve

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
    bound = int(-(-solver.best_objective_bound // 1))  # the bound of an integer objective
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
