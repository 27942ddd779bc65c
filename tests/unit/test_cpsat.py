"""The CP-SAT model's parts one at a time: each constraint family, each objective term and the
layout's limits, on tiny instances where only that one decides.

A term's test finds the plan the whole model chooses, then forces the other plan it could have
made, and checks that this term is what tells them apart: it prefers the chosen one, and no other
term does. A constraint's test builds the model without it and shows the plan it then allows.
The end-to-end rules live in test_plan_rules.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from ortools.sat.python import cp_model

from makertime.model import Attention, Commitment, Depth, Period, Task
from makertime.plan.cpsat import (
    CONSTRAINTS,
    OBJECTIVE,
    Built,
    Constraint,
    Expression,
    Term,
    Variables,
    add_hint,
    blocks_away_from_commitments,
    blocks_moved_far,
    build_model,
    daily_deep_cap,
    deep_blocks,
    earlier_blocks_moved,
    focus_blocks_cut_short,
    later_rather_than_earlier,
    missing_sync_windows,
    one_block_per_task_and_run,
    one_place_per_sync_window,
    overdue_work_later,
    read_fill,
    run_layout,
    shallow_blocks,
    shallow_work_in_long_gaps,
    sync_windows_off_their_time,
    task_minutes,
    unplaced_task_time,
)
from makertime.plan.greedy import greedy_fill
from makertime.plan.layout import Entry, Side, holds, run_limits
from makertime.plan.problem import EarlierPlan, Problem, build_problem
from makertime.plan.runs import Run
from makertime.policy import Policy
from tests.support.helpers import ZAGREB, commitment, span, z
from tests.support.planning import policy, task

MONDAY = date(2026, 3, 23)
SYNC = "sync"


def one_sync_window(*prefer: str, per_day: int = 1) -> Policy:
    return policy(sync_windows={"per_day": per_day, "minutes": 30, "prefer": list(prefer)})


def problem(found: Sequence[Commitment], tasks: Sequence[Task], chosen: Policy | None = None,
            earlier: EarlierPlan | None = None) -> Problem:
    return build_problem(found, tasks, chosen or policy(), Period(MONDAY, MONDAY), earlier=earlier)


def meeting(start: str, end: str) -> Commitment:
    return commitment(f"2026-03-23 {start}", f"2026-03-23 {end}")


Place = tuple[str, str, Side | None]  # a task id (or SYNC), the start of its run, the side


def _clock(run: Run) -> str:
    return f"{run.span.start.astimezone(ZAGREB):%H:%M}"


def _chosen(built: Built, of: Problem, place: Place) -> list[cp_model.IntVar]:
    """The variables that put ``place``'s task or sync window in that run (and side)."""
    name, start, side = place
    v = built.vars
    if name == SYNC:
        return [var for key, var in v.sync.items()
                if _clock(of.runs[key.run]) == start and side in (None, key.side)]
    return [var for key, var in v.block.items() if of.needs[key.need].task.id == name
            and _clock(of.runs[key.run]) == start]


@dataclass(frozen=True)
class Solved:
    """A solve's plan — (task or SYNC, run start, grains) per piece — and each term's cost."""

    plan: list[tuple[str, str, int]]
    costs: dict[str, int]


def solve(of: Problem, *, constraints: Iterable[Constraint] = CONSTRAINTS,
          objective: Iterable[Term] = OBJECTIVE, force: Iterable[Place] = (),
          none: Iterable[str] = (), fix: Callable[[Built], None] | None = None) -> Solved | None:
    """The optimal plan (None when there is none), with each place in ``force`` taken, no
    block of the tasks in ``none`` (nor a sync window, for SYNC) placed anywhere, and whatever
    ``fix`` adds."""
    built = build_model(of, constraints=constraints, objective=objective)
    if fix is not None:
        fix(built)
    for place in force:
        built.model.add(sum(_chosen(built, of, place)) == 1)
    for name in none:
        for run in of.runs:
            built.model.add(sum(_chosen(built, of, (name, _clock(run), None))) == 0)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5
    status = solver.solve(built.model)
    if status == cp_model.INFEASIBLE:
        return None
    assert status == cp_model.OPTIMAL
    fill = read_fill(solver, built, of.sync_size)
    plan = sorted((SYNC if p.need is None else of.needs[p.need].task.id,
                   _clock(of.runs[r]), p.size) for r, pieces in fill.items() for p in pieces)
    costs = {term.__name__: solver.value(term(of, built.vars)) for term in OBJECTIVE}
    return Solved(plan, costs)


def decided_by(term: Term, of: Problem, chosen: list[tuple[str, str, int]],
               *other: Place, none: Iterable[str] = ()) -> None:
    """The model chooses ``chosen``; against the plan forced to ``other``, ``term`` is the one
    that prefers it: it costs less there, and no other term does."""
    best, forced = solve(of), solve(of, force=other, none=none)
    assert best is not None and forced is not None
    assert best.plan == chosen
    name = term.__name__
    assert best.costs[name] < forced.costs[name]
    favour = [t for t, cost in best.costs.items() if t != name and cost < forced.costs[t]]
    assert favour == []


def most_blocks(of: Problem, v: Variables) -> Expression:
    """An objective no plan wants, for constraint tests: as many blocks as possible."""
    return -sum(v.block.values())


def without(constraint: Constraint) -> tuple[Constraint, ...]:
    return tuple(c for c in CONSTRAINTS if c is not constraint)


def grains(solved: Solved | None, name: str) -> int:
    assert solved is not None
    return sum(size for task_id, _, size in solved.plan if task_id == name)


# Variables ---------------------------------------------------------------------------------------

def test_blocks_exist_only_where_they_could_go() -> None:
    found = [meeting("11:00", "12:00"),
             Commitment(summary="on call", span=span("2026-03-23 14:00", "2026-03-23 17:00"),
                        uid="on-call", source="test", attention=Attention.PARTIAL)]
    earlier = EarlierPlan(forbidden={"essay": (span("2026-03-23 09:00", "2026-03-23 10:00"),)})
    of = problem(found, [task("essay", 120),
                         task("memo", 60, Depth.SHALLOW, min_block_minutes=15,
                              deadline=z("2026-03-23 12:30"))], earlier=earlier)
    built = build_model(of)
    places = {(of.needs[k.need].task.id, _clock(of.runs[k.run]), k.size) for k in built.vars.block}
    # essay: not where it was deleted, not under partial attention; memo: by its deadline
    assert places == {("essay", "12:00", 8), ("memo", "09:00", 4), ("memo", "09:00", 2),
                      ("memo", "09:00", 1), ("memo", "12:00", 2), ("memo", "12:00", 1)}


# Constraint families -----------------------------------------------------------------------------

def test_one_block_per_task_and_run() -> None:
    of = problem([], [task("mail", 60, Depth.SHALLOW, min_block_minutes=15)])
    loose = solve(of, constraints=without(one_block_per_task_and_run), objective=[most_blocks])
    strict = solve(of, objective=[most_blocks])
    assert loose is not None and strict is not None
    assert len(loose.plan) == 2  # two blocks of one task in the one run of the day
    assert len(strict.plan) == 1


def test_task_minutes() -> None:
    of = problem([meeting("11:00", "12:00")], [task("mail", 60, Depth.SHALLOW,
                                                    min_block_minutes=60)])
    loose = solve(of, constraints=without(task_minutes), objective=[unplaced_task_time])
    assert grains(loose, "mail") == 8  # an hour in each run: twice what it needs
    assert grains(solve(of, objective=[unplaced_task_time]), "mail") == 4


def test_run_layout_keeps_blocks_inside_their_run() -> None:
    of = problem([meeting("11:00", "17:00")], [task("essay", 120), task("paper", 120)])
    loose = solve(of, constraints=without(run_layout), objective=[unplaced_task_time])
    assert grains(loose, "essay") + grains(loose, "paper") == 16  # 4 h in a 2 h run
    strict = solve(of, objective=[unplaced_task_time])
    assert grains(strict, "essay") + grains(strict, "paper") == 8


def test_run_layout_holds_one_sync_window_at_each_end_of_a_run() -> None:
    of = problem([meeting("10:00", "17:00")], [], one_sync_window(per_day=2))

    def both_in_front(built: Built) -> None:
        for key, var in built.vars.sync.items():  # one run: each window's front place
            if key.side is Side.FRONT:
                built.model.add(var == 1)

    assert solve(of, constraints=without(run_layout), fix=both_in_front) is not None
    assert solve(of, fix=both_in_front) is None
    assert grains(solve(of), SYNC) == 4  # one at each end


def test_daily_deep_cap() -> None:
    of = problem([meeting("11:00", "12:00")], [task("essay", 120), task("paper", 120)],
                 policy(focus={"max_deep_minutes_per_day": 120}))
    loose = solve(of, constraints=without(daily_deep_cap), objective=[unplaced_task_time])
    assert grains(loose, "essay") + grains(loose, "paper") == 16
    strict = solve(of, objective=[unplaced_task_time])
    assert grains(strict, "essay") + grains(strict, "paper") == 8


def test_one_place_per_sync_window() -> None:
    of = problem([], [], one_sync_window())
    loose = solve(of, constraints=without(one_place_per_sync_window),
                  objective=[missing_sync_windows])
    assert grains(loose, SYNC) == 4  # the one window at both ends of the day
    assert grains(solve(of, objective=[missing_sync_windows]), SYNC) == 2


# Objective terms ---------------------------------------------------------------------------------

def test_earlier_blocks_moved() -> None:
    earlier = EarlierPlan(soft={"essay": (span("2026-03-23 13:00", "2026-03-23 15:00"),)})
    of = problem([], [task("essay", 120)], earlier=earlier)
    decided_by(earlier_blocks_moved, of, [("essay", "13:00", 8)], ("essay", "09:00", None))


def test_unplaced_task_time() -> None:
    of = problem([meeting("10:00", "17:00")],
                 [task("low", 60, Depth.SHALLOW, priority=4, min_block_minutes=60),
                  task("high", 60, Depth.SHALLOW, priority=1, min_block_minutes=60)])
    decided_by(unplaced_task_time, of, [("high", "09:00", 4)], ("low", "09:00", None))


def _two_runs_in_one_hour() -> list[Commitment]:
    """Runs 09:00-09:30 and 09:45-10:45: the same hour, so earliness cannot tell them apart."""
    return [meeting("09:30", "09:45"), meeting("10:45", "17:00")]


def test_deep_blocks() -> None:
    of = problem(_two_runs_in_one_hour(), [task("essay", 60, min_block_minutes=30)])
    decided_by(deep_blocks, of, [("essay", "09:45", 4)],
               ("essay", "09:00", None), ("essay", "09:45", None))


def test_shallow_blocks() -> None:
    of = problem(_two_runs_in_one_hour(), [task("mail", 60, Depth.SHALLOW, min_block_minutes=30)])
    decided_by(shallow_blocks, of, [("mail", "09:45", 4)],
               ("mail", "09:00", None), ("mail", "09:45", None))


def test_shallow_work_in_long_gaps() -> None:
    of = problem([meeting("09:30", "09:45")], [task("mail", 30, Depth.SHALLOW)])
    decided_by(shallow_work_in_long_gaps, of, [("mail", "09:00", 2)], ("mail", "09:45", None))


def test_focus_blocks_cut_short() -> None:
    # 09:00-11:00 is exactly one focus block long: half an hour of mail would break it
    of = problem([meeting("11:00", "11:15")], [task("mail", 30, Depth.SHALLOW)])
    decided_by(focus_blocks_cut_short, of, [("mail", "11:15", 2)], ("mail", "09:00", None))


def test_blocks_away_from_commitments() -> None:
    # time off at 09:30 leaves 09:00-09:30 with no commitment on either side
    off = Commitment(summary="dentist", span=span("2026-03-23 09:30", "2026-03-23 09:45"),
                     uid="dentist", source="test", attention=Attention.OFF)
    of = problem([off, meeting("10:15", "17:00")], [task("mail", 30, Depth.SHALLOW)])
    decided_by(blocks_away_from_commitments, of, [("mail", "09:45", 2)], ("mail", "09:00", None))


def test_missing_sync_windows() -> None:
    of = problem([meeting("09:30", "17:00")], [], one_sync_window())
    decided_by(missing_sync_windows, of, [(SYNC, "09:00", 2)], none=[SYNC])


def test_sync_windows_off_their_time() -> None:
    of = problem([meeting("10:00", "12:00")], [], one_sync_window("12:00"))
    decided_by(sync_windows_off_their_time, of, [(SYNC, "12:00", 2)],
               (SYNC, "09:00", Side.BACK))


def test_later_rather_than_earlier() -> None:
    of = problem([meeting("11:00", "12:00")], [task("essay", 120)])
    decided_by(later_rather_than_earlier, of, [("essay", "09:00", 8)], ("essay", "12:00", None))


def test_overdue_work_later() -> None:
    # the overdue task weighs less (priority 5) than the other (priority 1): earliness alone
    # would put the other first
    of = problem([meeting("11:00", "12:00"), meeting("14:00", "17:00")],
                 [task("late", 120, priority=5, deadline=z("2026-03-20 17:00")),
                  task("keen", 120, priority=1)])
    decided_by(overdue_work_later, of, [("keen", "12:00", 8), ("late", "09:00", 8)],
               ("keen", "09:00", None), ("late", "12:00", None))


def test_blocks_moved_far() -> None:
    earlier = EarlierPlan(anchors={"essay": (z("2026-03-23 12:00"),)})
    of = problem([meeting("11:00", "12:00")], [task("essay", 120)], earlier=earlier)
    decided_by(blocks_moved_far, of, [("essay", "12:00", 8)], ("essay", "09:00", None))


def test_every_family_and_term_has_its_test() -> None:
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_")}
    named = {f.__name__ for f in (*CONSTRAINTS, *OBJECTIVE)}
    assert {name for name in named if not any(t.startswith(name) for t in tested)} == set()


# The hint ----------------------------------------------------------------------------------------

def test_the_greedy_hint_sets_every_variable_and_is_a_plan() -> None:
    of = problem([meeting("11:00", "11:30")],
                 [task("essay", 120), task("mail", 45, Depth.SHALLOW,
                                           deadline=z("2026-03-23 10:00"))],
                 one_sync_window("11:30", per_day=2))
    built = build_model(of)
    add_hint(built, greedy_fill(of))
    proto = built.model.Proto()
    assert len(proto.solution_hint.vars) == len(proto.variables)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.fix_variables_to_their_hinted_value = True
    assert solver.solve(built.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


# The layout's limits -----------------------------------------------------------------------------

def _run() -> Run:
    """09:00-11:00, deep work allowed only in its second hour."""
    return Run(0, MONDAY, span("2026-03-23 09:00", "2026-03-23 11:00"),
               span("2026-03-23 10:00", "2026-03-23 11:00"))


def refused(front: Sequence[tuple[int, int]] = (), deep: Sequence[tuple[int, int, int]] = (),
            back: Sequence[tuple[int, int]] = (), sync_front: int = 0) -> list[str]:
    """The limits a layout breaks: front and back pieces as (size, due), deep ones as
    (size, due, used); sync windows are two grains."""
    run = _run()
    limits = run_limits(run, 2, front=[Entry(s, d, 1) for s, d in front],
                        deep=[Entry(s * u, d, u) for s, d, u in deep],
                        back=[Entry(s, d, 1) for s, d in back], sync_front=sync_front,
                        sync_back=0)
    return [limit.name for limit in limits if not holds(limit)]


@pytest.mark.parametrize(("layout", "broken"), [
    ({"front": [(2, 8), (2, 8)], "deep": [(4, 8, 1)]}, []),  # shallow first hour, deep second
    ({"front": [(3, 8)], "deep": [(4, 8, 1)], "back": [(2, 8)]},
     ["fits", "back-after-deep"]),  # more than the run holds
    ({"deep": [(5, 8, 1)]}, ["deep-fits", "back-after-deep"]),  # past its allowed hour
    ({"front": [(3, 2)]}, ["front-by-2"]),  # a block ending after its deadline
    ({"deep": [(4, 6, 1)]}, ["deep-by-6"]),  # the deep stack starts at 10:00: too late
    ({"front": [(1, 2)]}, []),  # a sync window goes first: 30 min before the block's deadline …
    ({"front": [(1, 2)], "sync_front": 1}, ["front-by-2"]),  # … fit only without it
    ({"deep": [(2, 8, 0)], "back": [(8, 8)]}, []),  # a deep block not used asks nothing
    ({"deep": [(2, 8, 1)], "back": [(4, 8)]}, ["back-after-deep"]),  # one used needs its room
])
def test_run_limits(layout: dict[str, Any], broken: list[str]) -> None:
    assert refused(**layout) == broken
