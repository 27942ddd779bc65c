"""Step 2 of planning: the CP-SAT model — variables per (task, run), one function per constraint.

No interval variables: inside a run nothing blocks anything else, so lengths are enough and the
layout (``layout.py``) gives the times afterwards. Every task chooses, per run, at most one block
from the lengths of its allowed cuts — whole, or near-equal parts of at least its minimum (the
tight encoding: the LP then counts blocks well, which is what closes the gap). Every variable is
named; the objective's terms and weights are collected in ``objective``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from makertime.plan.greedy import Fill, block_sizes, longest_blocks
from makertime.plan.layout import Entry, Piece, Side, run_limits, shallow_side
from makertime.plan.problem import SYNC, Problem, Run

Key = tuple[int, int, Any]

# Objective weights (all per unit named; the planner minimises their sum).
W_UNPLACED = 10_000  # per grain of a task left unplaced, times the task's weight (1-12)
W_DEEP_BLOCK = 20_000  # per deep block: each one pays the ramp-up again
W_SHALLOW_BLOCK = 600  # per shallow block: fewer, longer pieces of shallow work
W_SHALLOW_IN_GAP = 300  # per grain of shallow work or sync window in a run long enough to focus
W_BREAKS_FOCUS = 4_000  # per shallow block or sync window that leaves a focus-long run shorter
W_AWAY = 200  # per shallow block or sync window not next to a commitment
W_SYNC_MISSING = 15_000  # per sync window the plan could not place
W_SYNC_DISTANCE = 100  # per grain between a sync window and its preferred time
W_EARLY = 1  # per block, times task weight times its position (day × 10 + hour into the day)
W_OVERDUE_EARLY = 20  # per overdue block, times its position: above any task's W_EARLY weight
W_SHIFT = 40  # per hour between a block that had to move and where it was (repairs only)
W_MOVED_BLOCK = 50_000  # per earlier block that could have stayed but moves (repairs only)
POSITION_CAP = 1_000
SHIFT_CAP_HOURS = 24 * 14


@dataclass
class Variables:
    """Every decision variable: blocks keyed by (need, run, length), sync windows by (slot, run,
    side)."""

    block: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    side: dict[Key, Side] = field(default_factory=dict)
    sync: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    placed: dict[int, Any] = field(default_factory=dict)  # grains placed, per need
    active: list[tuple[cp_model.IntVar, tuple[Any, ...]]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Term:
    """One named term of the objective."""

    name: str
    expression: Any


@dataclass
class Built:
    """The model, its variables and its objective terms."""

    model: cp_model.CpModel
    vars: Variables
    terms: list[Term]


def position(problem: Problem, run: Run, offset: int = 0) -> int:
    """Earlier is smaller: days since the period began × 10 + hours into the work day."""
    start = run.at(offset)
    day = (run.day - problem.period.first).days
    window_start = problem.runs[problem.runs_by_day[run.day][0]].span.start
    hours = int((start - window_start).total_seconds() // 3600)
    return min(POSITION_CAP, day * 10 + max(0, min(9, hours)))


def build_model(problem: Problem) -> Built:
    """The whole CP-SAT model of ``problem``."""
    model = cp_model.CpModel()
    v = Variables()
    _variables(problem, model, v)
    one_block_per_task_and_run(problem, model, v)
    task_minutes(problem, model, v)
    run_layout(problem, model, v)
    daily_deep_cap(problem, model, v)
    one_place_per_sync_window(problem, model, v)
    terms = objective(problem, v)
    model.minimize(sum(t.expression for t in terms))
    return Built(model, v, terms)


def _variables(problem: Problem, model: cp_model.CpModel, v: Variables) -> None:
    """Create only the variables that could be true: blocks that fit before their deadline."""
    longest = longest_blocks(problem)
    for n, need in enumerate(problem.needs):
        sizes = block_sizes(need, longest[0 if need.deep else 1])
        for run in problem.runs:
            if not problem.allows(need.task.id, run):
                continue
            due = need.due(run)
            if need.deep:
                if run.deep is None:
                    continue
                side, room = Side.DEEP, min(due, run.deep_to) - run.deep_from
            else:
                side, room = shallow_side(run, due), due
            kept = problem.soft_size(need.task.id, run)
            for size in sorted({*sizes, kept} - {0}, reverse=True):
                if size <= room:
                    key = (n, run.index, size)
                    v.block[key] = model.new_bool_var(f"{side}[{need.task.id}@{run.index}:{size}]")
                    v.side[key] = side
    for s, slot in enumerate(problem.sync_slots):
        for r in problem.runs_by_day.get(slot.day, ()):
            if problem.runs[r].size >= problem.sync_size and problem.allows(SYNC, problem.runs[r]):
                for side in (Side.FRONT, Side.BACK):
                    v.sync[s, r, side] = model.new_bool_var(f"sync[{slot.day}#{slot.index}@{r}:"
                                                            f"{side}]")


def _by_need_run(keys: Iterable[Key]) -> dict[tuple[int, int], list[Key]]:
    grouped: dict[tuple[int, int], list[Key]] = {}
    for key in keys:
        grouped.setdefault((key[0], key[1]), []).append(key)
    return grouped


def one_block_per_task_and_run(problem: Problem, model: cp_model.CpModel, v: Variables) -> None:
    """Hard: at most one block of a task per run (two would merge into one anyway)."""
    for keys in _by_need_run(v.block).values():
        model.add_at_most_one(v.block[k] for k in keys)


def task_minutes(problem: Problem, model: cp_model.CpModel, v: Variables) -> None:
    """Hard: no task gets more grains than it still needs (what is missing is unplaced)."""
    placed: dict[int, list[Any]] = {n: [] for n in range(len(problem.needs))}
    for (n, _, size), var in v.block.items():
        placed[n].append(size * var)
    for n, need in enumerate(problem.needs):
        v.placed[n] = sum(placed[n])
        if placed[n]:
            model.add(v.placed[n] <= need.size)


def run_layout(problem: Problem, model: cp_model.CpModel, v: Variables) -> None:
    """Hard: inside each run the layout fits — work window, no overlap, buffers, rest,
    recovery, partial attention and deadlines all reduce to these limits (see layout.py)."""
    per_run: dict[int, dict[Side, list[Entry]]] = {r.index: {s: [] for s in Side}
                                                   for r in problem.runs}
    for (n, r, size), var in v.block.items():
        due = problem.needs[n].due(problem.runs[r])
        per_run[r][v.side[n, r, size]].append(Entry(size * var, due, var))
    for run in problem.runs:
        sides = per_run[run.index]
        sync_front = sum(var for (_, r, side), var in v.sync.items()
                         if r == run.index and side is Side.FRONT)
        sync_back = sum(var for (_, r, side), var in v.sync.items()
                        if r == run.index and side is Side.BACK)
        model.add(sync_front <= 1)
        model.add(sync_back <= 1)
        for limit in run_limits(run, problem.sync_size, front=sides[Side.FRONT],
                                deep=sides[Side.DEEP], back=sides[Side.BACK],
                                sync_front=sync_front, sync_back=sync_back):
            if isinstance(limit.lhs, int):
                continue  # nothing placeable in it: holds trivially
            constraint = model.add(limit.lhs <= limit.rhs)
            if limit.when:
                active = model.new_bool_var(f"active[{run.index}:{limit.name}]")
                model.add(sum(limit.when) <= len(limit.when) * active)
                v.active.append((active, limit.when))
                constraint.only_enforce_if(active)


def daily_deep_cap(problem: Problem, model: cp_model.CpModel, v: Variables) -> None:
    """Hard: deep grains per day ≤ ``focus.max_deep_minutes_per_day``."""
    per_day: dict[Any, list[Any]] = {}
    for (n, r, size), var in v.block.items():
        if problem.needs[n].deep:
            per_day.setdefault(problem.runs[r].day, []).append(size * var)
    for day, terms in per_day.items():
        model.add(sum(terms) <= problem.deep_left(day))


def one_place_per_sync_window(problem: Problem, model: cp_model.CpModel, v: Variables) -> None:
    """Hard: each sync window sits in at most one run side."""
    per_slot: dict[int, list[Any]] = {}
    for (s, _, _), var in v.sync.items():
        per_slot.setdefault(s, []).append(var)
    for variables in per_slot.values():
        model.add_at_most_one(variables)


def objective(problem: Problem, v: Variables) -> list[Term]:
    """Every soft term with its weight, in one place (what a good plan is)."""
    focus = problem.focus_size
    runs, needs = problem.runs, problem.needs
    deep = {k: var for k, var in v.block.items() if needs[k[0]].deep}
    shallow = {k: var for k, var in v.block.items() if not needs[k[0]].deep}
    unplaced = sum(W_UNPLACED * need.weight * (need.size - v.placed[n])
                   for n, need in enumerate(needs))
    deep_blocks = sum(W_DEEP_BLOCK * var for var in deep.values())
    shallow_blocks = sum(W_SHALLOW_BLOCK * var for var in shallow.values())
    long_run = [r.partial is None and r.size >= focus for r in runs]
    in_gaps: Any = sum(W_SHALLOW_IN_GAP * size * var for (_, r, size), var in shallow.items()
                       if long_run[r])
    in_gaps += sum(W_SHALLOW_IN_GAP * problem.sync_size * var
                   for (_, r, _), var in v.sync.items() if long_run[r])
    breaks: Any = sum(W_BREAKS_FOCUS * var for (_, r, size), var in shallow.items()
                      if _breaks_focus(problem, runs[r], size))
    breaks += sum(W_BREAKS_FOCUS * var for (_, r, _), var in v.sync.items()
                  if _breaks_focus(problem, runs[r], problem.sync_size))
    away: Any = sum(W_AWAY * var for key, var in shallow.items()
                    if not _next_to_commitment(runs[key[1]], v.side[key]))
    away += sum(W_AWAY * var for (_, r, side), var in v.sync.items()
                if not _next_to_commitment(runs[r], side))
    missing = W_SYNC_MISSING * (len(problem.sync_slots) - sum(v.sync.values()))
    distance = sum(W_SYNC_DISTANCE * _sync_distance(problem, s, runs[r], side) * var
                   for (s, r, side), var in v.sync.items())
    early = sum(W_EARLY * needs[n].weight * var
                * position(problem, runs[r], runs[r].deep_from if needs[n].deep else 0)
                for (n, r, _), var in v.block.items())
    shift = sum(W_SHIFT * _shift_hours(problem, n, runs[r]) * var
                for (n, r, _), var in v.block.items() if needs[n].task.id in problem.keep.anchors)
    return [Term("earlier blocks moved", _moved(problem, v)),
            Term("unplaced task time", unplaced), Term("deep blocks", deep_blocks),
            Term("shallow blocks", shallow_blocks), Term("shallow work in long gaps", in_gaps),
            Term("focus blocks cut short", breaks),
            Term("blocks away from commitments", away), Term("missing sync windows", missing),
            Term("sync windows away from preferred times", distance),
            Term("later rather than earlier", early),
            Term("overdue work later rather than earlier", overdue_early(problem, v)),
            Term("blocks moved far from where they were", shift)]


def overdue_early(problem: Problem, v: Variables) -> Any:
    """Soft, W_OVERDUE_EARLY per block of an overdue task times its position: work whose
    deadline has passed goes as early as the rules allow, ahead of the rest (its weight tops
    the largest W_EARLY weight a task can have, so no swap with another task pays)."""
    runs, needs = problem.runs, problem.needs
    return sum(W_OVERDUE_EARLY * var
               * position(problem, runs[r], runs[r].deep_from if needs[n].deep else 0)
               for (n, r, _), var in v.block.items() if needs[n].overdue)


def _moved(problem: Problem, v: Variables) -> Any:
    """W_MOVED_BLOCK for every earlier block (a run of its own) the plan does not keep."""
    ids = {need.task.id: n for n, need in enumerate(problem.needs)}
    expression: Any = 0
    for key, spans in problem.keep.soft.items():
        for run in (r for r in problem.runs if r.span in spans):
            if key == SYNC:
                kept: Any = sum(var for (_, r, _), var in v.sync.items() if r == run.index)
            else:
                var = v.block.get((ids[key], run.index, run.size)) if key in ids else None
                kept = 0 if var is None else var
            expression += W_MOVED_BLOCK * (1 - kept)
    return expression


def _shift_hours(problem: Problem, n: int, run: Run) -> int:
    """Hours between ``run`` and the nearest place the task's moved blocks used to be."""
    need = problem.needs[n]
    start = run.deep.start if need.deep and run.deep is not None else run.span.start
    hours = min(abs((start - anchor).total_seconds()) // 3600
                for anchor in problem.keep.anchors[need.task.id])
    return int(min(SHIFT_CAP_HOURS, hours))


def _breaks_focus(problem: Problem, run: Run, size: int) -> bool:
    """Whether ``size`` grains of shallow work leave a focus-long free run too short to focus."""
    focus = problem.focus_size
    return run.partial is None and run.size >= focus > run.size - size


def _next_to_commitment(run: Run, side: Side) -> bool:
    if run.partial is not None:
        return True
    return (run.before if side is Side.FRONT else run.after) is not None


def _sync_distance(problem: Problem, slot: int, run: Run, side: Side) -> int:
    prefer = problem.sync_slots[slot].prefer
    if prefer is None:
        return 0
    anchor = run.span.start if side is Side.FRONT else run.at(run.size - problem.sync_size)
    return int(abs((anchor - prefer).total_seconds())) // 60 // 15


def add_hint(built: Built, problem: Problem, fill: Fill) -> None:
    """Seed the search with ``fill``, setting every variable (or CP-SAT ignores the hint)."""
    v, model = built.vars, built.model
    chosen: set[Any] = set()
    for r, pieces in fill.items():
        for piece in pieces:
            if piece.slot is not None:
                chosen.add(("sync", piece.slot, r, piece.side))
            else:
                chosen.add(("block", piece.need, r, piece.size))
    on: set[int] = set()
    for (n, r, size), var in v.block.items():
        value = ("block", n, r, size) in chosen
        model.add_hint(var, value)
        if value:
            on.add(var.index)
    for (s, r, side), var in v.sync.items():
        model.add_hint(var, ("sync", s, r, side) in chosen)
    for active, when in v.active:
        model.add_hint(active, any(w.index in on for w in when))


def read_fill(solver: cp_model.CpSolver, built: Built, sync_size: int) -> Fill:
    """The solver's answer as pieces per run."""
    fill: Fill = {}
    for key, var in built.vars.block.items():
        if solver.value(var):
            n, r, size = key
            fill.setdefault(r, []).append(Piece(built.vars.side[key], size, need=n))
    for (s, r, side), var in built.vars.sync.items():
        if solver.value(var):
            fill.setdefault(r, []).append(Piece(side, sync_size, slot=s))
    return fill
