"""Step 2 of planning: the CP-SAT model — variables per (task, run), one function per constraint
family and one per objective term.

No interval variables: inside a run nothing blocks anything else, so lengths are enough and the
layout (``layout.py``) gives the times afterwards. Every task chooses, per run, at most one block
from the lengths of its allowed cuts — whole, or near-equal parts of at least its minimum (the
tight encoding: the LP then counts blocks well, which is what closes the gap). Every variable is
named. ``build_model`` adds the constraint families of ``CONSTRAINTS`` and minimises the sum of
the terms of ``OBJECTIVE``, in that order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple, TypeAlias

from ortools.sat.python.cp_model import CpModel, CpSolver, IntVar, LinearExpr

from makertime.plan.greedy import Fill, block_sizes, longest_blocks
from makertime.plan.layout import Entry, Piece, Side, run_limits, shallow_side
from makertime.plan.problem import SYNC, Problem
from makertime.plan.runs import Run

Expression: TypeAlias = LinearExpr | int  # a linear expression over the model's variables

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


class BlockKey(NamedTuple):
    """A block a task may take: ``size`` grains of need ``need`` in run ``run``."""

    need: int
    run: int
    size: int


class SyncKey(NamedTuple):
    """A place a sync window may take: slot ``slot`` at the ``side`` end of run ``run``."""

    slot: int
    run: int
    side: Side


@dataclass
class Variables:
    """Every decision variable: a boolean per block that could be true and per place a sync
    window could take, and what follows from them."""

    block: dict[BlockKey, IntVar] = field(default_factory=dict)
    side: dict[BlockKey, Side] = field(default_factory=dict)  # where in its run a block sits
    sync: dict[SyncKey, IntVar] = field(default_factory=dict)
    placed: dict[int, Expression] = field(default_factory=dict)  # grains placed, per need
    # per conditional limit of a run: the boolean that enforces it and the blocks that turn it on
    active: list[tuple[IntVar, tuple[IntVar, ...]]] = field(default_factory=list)


@dataclass
class Built:
    """The model and its variables."""

    model: CpModel
    vars: Variables


Constraint = Callable[[Problem, CpModel, Variables], None]
Term = Callable[[Problem, Variables], Expression]


def position(problem: Problem, run: Run, offset: int = 0) -> int:
    """Earlier is smaller: days since the period began × 10 + hours into the work day."""
    start = run.at(offset)
    day = (run.day - problem.period.first).days
    window_start = problem.runs[problem.runs_by_day[run.day][0]].span.start
    hours = int((start - window_start).total_seconds() // 3600)
    return min(POSITION_CAP, day * 10 + max(0, min(9, hours)))


# Variables ---------------------------------------------------------------------------------------

def variables(problem: Problem, model: CpModel) -> Variables:
    """Create only the variables that could be true — which is itself a set of hard rules: a
    block only where its task is allowed (not where the person deleted one), deep blocks only
    in a run's deep-allowed piece, and only lengths that end by the task's deadline."""
    v = Variables()
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
                    key = BlockKey(n, run.index, size)
                    v.block[key] = model.new_bool_var(f"{side}[{need.task.id}@{run.index}:{size}]")
                    v.side[key] = side
    for s, slot in enumerate(problem.sync_slots):
        for r in problem.runs_by_day.get(slot.day, ()):
            if problem.runs[r].size >= problem.sync_size and problem.allows(SYNC, problem.runs[r]):
                for side in (Side.FRONT, Side.BACK):
                    v.sync[SyncKey(s, r, side)] = model.new_bool_var(
                        f"sync[{slot.day}#{slot.index}@{r}:{side}]")
    placed: dict[int, list[LinearExpr]] = {n: [] for n in range(len(problem.needs))}
    for key, var in v.block.items():
        placed[key.need].append(key.size * var)
    v.placed = {n: sum(terms) for n, terms in placed.items()}
    return v


# Constraint families (hard) ----------------------------------------------------------------------

def one_block_per_task_and_run(problem: Problem, model: CpModel, v: Variables) -> None:
    """Hard: at most one block of a task per run (two would merge into one anyway)."""
    grouped: dict[tuple[int, int], list[IntVar]] = {}
    for key, var in v.block.items():
        grouped.setdefault((key.need, key.run), []).append(var)
    for variables_ in grouped.values():
        model.add_at_most_one(variables_)


def task_minutes(problem: Problem, model: CpModel, v: Variables) -> None:
    """Hard: no task gets more grains than it still needs (what is missing is unplaced)."""
    for n, need in enumerate(problem.needs):
        if not isinstance(v.placed[n], int):
            model.add(v.placed[n] <= need.size)


def run_layout(problem: Problem, model: CpModel, v: Variables) -> None:
    """Hard: inside each run the layout fits — work window, no overlap, buffers, rest,
    recovery, partial attention and deadlines all reduce to these limits (see layout.py) — and
    each end of a run holds at most one sync window."""
    per_run: dict[int, dict[Side, list[Entry[IntVar]]]] = {r.index: {s: [] for s in Side}
                                                           for r in problem.runs}
    for key, var in v.block.items():
        due = problem.needs[key.need].due(problem.runs[key.run])
        per_run[key.run][v.side[key]].append(Entry(key.size * var, due, var))
    for run in problem.runs:
        sides = per_run[run.index]
        sync_front = sum(var for key, var in v.sync.items()
                         if key.run == run.index and key.side is Side.FRONT)
        sync_back = sum(var for key, var in v.sync.items()
                        if key.run == run.index and key.side is Side.BACK)
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


def daily_deep_cap(problem: Problem, model: CpModel, v: Variables) -> None:
    """Hard: deep grains per day ≤ ``focus.max_deep_minutes_per_day`` (less kept deep blocks)."""
    per_day: dict[date, list[LinearExpr]] = {}
    for key, var in v.block.items():
        if problem.needs[key.need].deep:
            per_day.setdefault(problem.runs[key.run].day, []).append(key.size * var)
    for day, terms in per_day.items():
        model.add(sum(terms) <= problem.deep_left(day))


def one_place_per_sync_window(problem: Problem, model: CpModel, v: Variables) -> None:
    """Hard: each sync window sits in at most one run side."""
    per_slot: dict[int, list[IntVar]] = {}
    for key, var in v.sync.items():
        per_slot.setdefault(key.slot, []).append(var)
    for variables_ in per_slot.values():
        model.add_at_most_one(variables_)


# Objective terms (soft) --------------------------------------------------------------------------

def _blocks(problem: Problem, v: Variables, *, deep: bool) -> dict[BlockKey, IntVar]:
    return {k: var for k, var in v.block.items() if problem.needs[k.need].deep is deep}


def _start(problem: Problem, key: BlockKey) -> int:
    """Where a block starts to count for earliness: the deep-allowed piece for deep work."""
    run = problem.runs[key.run]
    return position(problem, run, run.deep_from if problem.needs[key.need].deep else 0)


def earlier_blocks_moved(problem: Problem, v: Variables) -> Expression:
    """Soft, W_MOVED_BLOCK per earlier block (a run of its own) the plan does not keep."""
    ids = {need.task.id: n for n, need in enumerate(problem.needs)}
    expression: Expression = 0
    for key, spans in problem.earlier.soft.items():
        for run in (r for r in problem.runs if r.span in spans):
            kept: Expression
            if key == SYNC:
                kept = sum(var for sync, var in v.sync.items() if sync.run == run.index)
            else:
                var = v.block.get(BlockKey(ids[key], run.index, run.size)) if key in ids else None
                kept = 0 if var is None else var
            expression += W_MOVED_BLOCK * (1 - kept)
    return expression


def unplaced_task_time(problem: Problem, v: Variables) -> Expression:
    """Soft, W_UNPLACED per grain of a task left unplaced, times the task's weight."""
    return sum(W_UNPLACED * need.weight * (need.size - v.placed[n])
               for n, need in enumerate(problem.needs))


def deep_blocks(problem: Problem, v: Variables) -> Expression:
    """Soft, W_DEEP_BLOCK per deep block: fewer, longer deep blocks."""
    return sum(W_DEEP_BLOCK * var for var in _blocks(problem, v, deep=True).values())


def shallow_blocks(problem: Problem, v: Variables) -> Expression:
    """Soft, W_SHALLOW_BLOCK per shallow block: fewer, longer pieces of shallow work."""
    return sum(W_SHALLOW_BLOCK * var for var in _blocks(problem, v, deep=False).values())


def shallow_work_in_long_gaps(problem: Problem, v: Variables) -> Expression:
    """Soft, W_SHALLOW_IN_GAP per grain of shallow work or sync window in a free run long
    enough to focus: such work goes to fragments and partial attention first."""
    long_run = [r.partial is None and r.size >= problem.focus_size for r in problem.runs]
    shallow = _blocks(problem, v, deep=False)
    in_gaps: Expression = sum(W_SHALLOW_IN_GAP * key.size * var for key, var in shallow.items()
                              if long_run[key.run])
    in_gaps += sum(W_SHALLOW_IN_GAP * problem.sync_size * var
                   for key, var in v.sync.items() if long_run[key.run])
    return in_gaps


def focus_blocks_cut_short(problem: Problem, v: Variables) -> Expression:
    """Soft, W_BREAKS_FOCUS per shallow block or sync window that leaves a free run of focus
    length too short to focus in."""
    runs = problem.runs
    breaks: Expression = sum(W_BREAKS_FOCUS * var
                             for key, var in _blocks(problem, v, deep=False).items()
                             if _breaks_focus(problem, runs[key.run], key.size))
    breaks += sum(W_BREAKS_FOCUS * var for key, var in v.sync.items()
                  if _breaks_focus(problem, runs[key.run], problem.sync_size))
    return breaks


def blocks_away_from_commitments(problem: Problem, v: Variables) -> Expression:
    """Soft, W_AWAY per shallow block or sync window not next to a commitment."""
    runs = problem.runs
    away: Expression = sum(W_AWAY * var for key, var in _blocks(problem, v, deep=False).items()
                           if not _next_to_commitment(runs[key.run], v.side[key]))
    away += sum(W_AWAY * var for key, var in v.sync.items()
                if not _next_to_commitment(runs[key.run], key.side))
    return away


def missing_sync_windows(problem: Problem, v: Variables) -> Expression:
    """Soft, W_SYNC_MISSING per sync window the plan does not place."""
    return W_SYNC_MISSING * (len(problem.sync_slots) - sum(v.sync.values()))


def sync_windows_off_their_time(problem: Problem, v: Variables) -> Expression:
    """Soft, W_SYNC_DISTANCE per grain between a sync window and its preferred time."""
    return sum(W_SYNC_DISTANCE * _sync_distance(problem, key.slot, problem.runs[key.run],
                                                key.side) * var
               for key, var in v.sync.items())


def later_rather_than_earlier(problem: Problem, v: Variables) -> Expression:
    """Soft, W_EARLY per block times the task's weight times its position (see ``position``):
    work goes early in the period and in the day, the weightiest first."""
    return sum(W_EARLY * problem.needs[key.need].weight * var * _start(problem, key)
               for key, var in v.block.items())


def overdue_work_later(problem: Problem, v: Variables) -> Expression:
    """Soft, W_OVERDUE_EARLY per block of an overdue task times its position: work whose
    deadline has passed goes as early as the rules allow, ahead of the rest (its weight tops
    the largest W_EARLY weight a task can have, so no swap with another task pays)."""
    return sum(W_OVERDUE_EARLY * var * _start(problem, key)
               for key, var in v.block.items() if problem.needs[key.need].overdue)


def blocks_moved_far(problem: Problem, v: Variables) -> Expression:
    """Soft, W_SHIFT per hour between a block of a task whose earlier blocks had to move and
    the nearest place they were (repairs only)."""
    anchors = problem.earlier.anchors
    return sum(W_SHIFT * _shift_hours(problem, key.need, problem.runs[key.run]) * var
               for key, var in v.block.items()
               if problem.needs[key.need].task.id in anchors)


def _shift_hours(problem: Problem, n: int, run: Run) -> int:
    """Hours between ``run`` and the nearest place the task's moved blocks used to be."""
    need = problem.needs[n]
    start = run.deep.start if need.deep and run.deep is not None else run.span.start
    hours = min(abs((start - anchor).total_seconds()) // 3600
                for anchor in problem.earlier.anchors[need.task.id])
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


# The model ---------------------------------------------------------------------------------------

CONSTRAINTS: tuple[Constraint, ...] = (one_block_per_task_and_run, task_minutes, run_layout,
                                       daily_deep_cap, one_place_per_sync_window)
OBJECTIVE: tuple[Term, ...] = (
    earlier_blocks_moved, unplaced_task_time, deep_blocks, shallow_blocks,
    shallow_work_in_long_gaps, focus_blocks_cut_short, blocks_away_from_commitments,
    missing_sync_windows, sync_windows_off_their_time, later_rather_than_earlier,
    overdue_work_later, blocks_moved_far)


def build_model(problem: Problem, *, constraints: Iterable[Constraint] = CONSTRAINTS,
                objective: Iterable[Term] = OBJECTIVE) -> Built:
    """The CP-SAT model of ``problem``: its variables, the hard ``constraints``, and the sum of
    the soft ``objective`` terms to minimise (all of them unless a test picks some)."""
    model = CpModel()
    v = variables(problem, model)
    for constrain in constraints:
        constrain(problem, model, v)
    model.minimize(sum(term(problem, v) for term in objective))
    return Built(model, v)


def add_hint(built: Built, fill: Fill) -> None:
    """Seed the search with ``fill``, setting every variable (or CP-SAT ignores the hint)."""
    v, model = built.vars, built.model
    blocks: set[BlockKey] = set()
    syncs: set[SyncKey] = set()
    for r, pieces in fill.items():
        for piece in pieces:
            if piece.slot is not None:
                syncs.add(SyncKey(piece.slot, r, piece.side))
            elif piece.need is not None:
                blocks.add(BlockKey(piece.need, r, piece.size))
    on: set[int] = set()
    for key, var in v.block.items():
        value = key in blocks
        model.add_hint(var, value)
        if value:
            on.add(var.index)
    for sync, var in v.sync.items():
        model.add_hint(var, sync in syncs)
    for active, when in v.active:
        model.add_hint(active, any(w.index in on for w in when))


def read_fill(solver: CpSolver, built: Built, sync_size: int) -> Fill:
    """The solver's answer as pieces per run."""
    fill: Fill = {}
    for key, var in built.vars.block.items():
        if solver.value(var):
            fill.setdefault(key.run, []).append(Piece(built.vars.side[key], key.size,
                                                      need=key.need))
    for sync, var in built.vars.sync.items():
        if solver.value(var):
            fill.setdefault(sync.run, []).append(Piece(sync.side, sync_size, slot=sync.slot))
    return fill
