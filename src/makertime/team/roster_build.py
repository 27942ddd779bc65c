"""The rostering core's model assembled (``roster_model``: hard rules, ``roster_terms``: the
objective) and the solver parameters every solve of it uses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python.cp_model import CpModel, CpSolver, IntVar, LinearExpr

from makertime.team.roster_model import HARD, Cell, RosterVars, variables
from makertime.team.roster_problem import RosterProblem
from makertime.team.roster_terms import TERMS, Expression

# The whole model's full-problem subsolvers: max_lp, whose LP holds the clauses (bounds and
# rosters both better than the default portfolio's), and lb_tree_search for the bound (it took
# Instance5's bound to the optimum, 1143, in 43 s where max_lp alone stalled near 1020).
SUBSOLVERS = ("max_lp", "lb_tree_search")


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


def hint_all(model: CpModel, values: list[int]) -> None:
    """Replace the model's hint by ``values``, one per variable in index order."""
    model.clear_hints()  # type: ignore[no-untyped-call]
    hint = model.proto.solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)


def read_cells(solver: CpSolver, x: dict[Cell, IntVar]) -> frozenset[Cell]:
    """The cells a solved model assigns."""
    return frozenset(c for c, var in x.items() if solver.boolean_value(var))


def cell_limits(problem: RosterProblem, model: CpModel, v: RosterVars) -> None:
    """Hard: each ``CellLimit`` — a staff member's weighted count of the cells named."""
    for limit in problem.limits:
        terms = [weight * v.x[(limit.staff, day, shift)] for (day, shift), weight in limit.cells
                 if (limit.staff, day, shift) in v.x]
        if terms:
            model.add(LinearExpr.sum(terms) <= limit.most)
