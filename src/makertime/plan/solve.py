"""Step 3 of planning: solve with CP-SAT, seeded with the greedy plan — and the library's entry
points ``plan_commitments`` and ``greedy_plan``.

OR-Tools takes about a second to import, so it is imported here and only here.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from makertime.audit import audit_commitments
from makertime.model import Commitment, Period, Progress, ReadWarning, Task
from makertime.plan.explain import capacity_findings, unscheduled
from makertime.plan.extract import as_commitments, extract
from makertime.plan.greedy import Fill, greedy_fill
from makertime.plan.ledger import build_ledger
from makertime.plan.problem import EarlierPlan, Problem, build_problem
from makertime.plan.result import Block, PlanResult, SolverStats, in_time_order
from makertime.policy import Policy

if TYPE_CHECKING:
    from ortools.sat.python.cp_model import CpSolverSolutionCallback


@dataclass(frozen=True, slots=True)
class PlanOptions:
    """How hard to search: stop at ``gap`` (relative to the bound) or after ``time_limit``."""

    time_limit: float = 10.0
    gap: float = 0.005
    workers: int | None = None  # default: the machine's cores
    seed: int = 0


def solve(problem: Problem, options: PlanOptions,
          progress: Progress | None = None) -> tuple[Fill, SolverStats]:
    """The best plan CP-SAT finds within the options, and how the search went."""
    from ortools.sat.python import cp_model

    from makertime.plan.cpsat import add_hint, build_model, read_fill

    began = time.perf_counter()
    hint = greedy_fill(problem)
    built = build_model(problem)
    add_hint(built, hint)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.01, options.time_limit - (time.perf_counter() - began))
    params.relative_gap_limit = options.gap
    params.num_workers = options.workers or os.cpu_count() or 1
    params.random_seed = options.seed
    params.cp_model_probing_level = 0  # presolve probing cost more time than it saved, measured
    # The level-1 LP of the default worker loses the block-count bound after presolve (measured:
    # a root bound of 4% of the optimum at 8 weeks); the level-2 LP of max_lp keeps it (≥ 98%).
    params.linearization_level = 2
    params.subsolvers.extend(["max_lp", "default_lp", "no_lp", "core"])
    callback = _reporter(progress, began) if progress is not None else None
    status = solver.solve(built.model, callback)
    name = solver.status_name(status)
    bound: float | None = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        fill = read_fill(solver, built, problem.sync_size)
        objective, bound = solver.objective_value, _proven(solver.best_objective_bound)
        # CP-SAT says OPTIMAL once the gap limit is reached; the plan is called optimal only
        # when its bound meets it
        if status == cp_model.OPTIMAL and (bound is None or bound < objective - 0.5):
            name = "FEASIBLE"
    else:
        fill, objective = hint, float("nan")
    stats = SolverStats(status=name, objective=objective, bound=bound,
                        seconds=round(time.perf_counter() - began, 3),
                        workers=params.num_workers)
    return fill, stats


def _proven(bound: float) -> float | None:
    """CP-SAT's best bound, or None when it proved none (infinite or not a number)."""
    return bound if math.isfinite(bound) else None


def _reporter(progress: Progress, began: float) -> CpSolverSolutionCallback:
    """A CP-SAT callback telling ``progress`` about each better plan the search finds."""
    from ortools.sat.python.cp_model import CpSolverSolutionCallback

    class Reporter(CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            seconds = time.perf_counter() - began
            progress(f"solving: plan {self.objective_value:,.0f}, bound "
                     f"{self.best_objective_bound:,.0f} ({seconds:.1f} s)")

    return Reporter()


def plan_commitments(found: Sequence[Commitment], tasks: Sequence[Task], policy: Policy,
                     period: Period, *, now: datetime | None = None,
                     options: PlanOptions | None = None,
                     read_warnings: Iterable[ReadWarning] = (),
                     progress: Progress | None = None,
                     earlier: EarlierPlan | None = None) -> PlanResult:
    """Plan ``tasks`` into ``period`` around the commitments ``found`` (the library's plan);
    ``earlier`` holds blocks fixed and times ruled out (see ``problem.EarlierPlan``)."""
    problem = build_problem(found, tasks, policy, period, now=now, earlier=earlier)
    if progress is not None:
        progress(f"solving: {len(problem.needs)} tasks over {len(problem.runs)} free stretches")
    fill, stats = solve(problem, options or PlanOptions(), progress)
    return result_of(problem, fill, stats, tasks, read_warnings)


def greedy_plan(found: Sequence[Commitment], tasks: Sequence[Task], policy: Policy,
                period: Period, *, now: datetime | None = None) -> PlanResult:
    """The first-fit plan the solver starts from: the baseline it is measured against."""
    began = time.perf_counter()
    problem = build_problem(found, tasks, policy, period, now=now)
    fill = greedy_fill(problem)
    stats = SolverStats(status="GREEDY", objective=float("nan"), bound=None,
                        seconds=round(time.perf_counter() - began, 3))
    return result_of(problem, fill, stats, tasks, ())


def result_of(problem: Problem, fill: Fill, stats: SolverStats, tasks: Sequence[Task],
              read_warnings: Iterable[ReadWarning], *, kept: Sequence[Block] = ()) -> PlanResult:
    """The plan of ``fill``, with ``kept`` blocks (held from an earlier plan) added to it; the
    unscheduled list counts only what ``problem`` was asked to place."""
    placed = extract(problem, fill)
    blocks = in_time_order([*kept, *placed])
    found = list(problem.commitments)
    before = audit_commitments(found, problem.policy, problem.period)
    after = audit_commitments(sorted([*found, *as_commitments(blocks)],
                                     key=lambda c: (c.span.start, c.span.end)),
                              problem.policy, problem.period)
    left = unscheduled(problem, placed)
    return PlanResult(period=problem.period, timezone=str(problem.policy.timezone),
                      blocks=tuple(blocks), unscheduled=tuple(left),
                      before=before, after=after, solver=stats, tasks=tuple(tasks),
                      capacity=tuple(capacity_findings(problem)),
                      read_warnings=tuple(read_warnings), commitments=tuple(found),
                      ledger=tuple(build_ledger(problem, tasks, placed, left, kept)))
