"""Whether an earlier block may stay where it is, how short it may become, and where the nearest
place is that it may move to whole — every answer under the rules of the repaired problem.

No block is ever shorter than its task's minimum block: a block that the task needs less of
shrinks to that minimum at the least, and what is left of a task beyond its blocks that is
shorter than the minimum stays unscheduled rather than be placed in a sliver.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from makertime.model import Attention, Depth, Interval, Task
from makertime.plan.problem import DEFAULT_SHALLOW_MIN_BLOCK, SYNC, EarlierPlan, Need, Problem
from makertime.plan.reasons import stretch, when
from makertime.plan.result import Block, BlockKind
from makertime.plan.runs import GRAIN, Run, units
from makertime.policy import Policy


def min_grains(task: Task, policy: Policy) -> int:
    """The task's minimum block in grains: its own, else the focus block for deep work and
    15 minutes for shallow work."""
    default = (policy.focus.min_block_minutes if task.depth is Depth.DEEP
               else DEFAULT_SHALLOW_MIN_BLOCK)
    return max(1, units(task.min_block_minutes or default))


def with_minimums(problem: Problem) -> Problem:
    """``problem`` with every task's whole minimum block enforced: what is left of a task that
    is shorter than its minimum is not placed in a block that short (it stays unscheduled,
    with the reason)."""
    needs = tuple(dataclasses.replace(n, min_size=min_grains(n.task, problem.policy))
                  for n in problem.needs)
    return dataclasses.replace(problem, needs=needs)


class Checker:
    """Whether an earlier block may stay where it is, given every rule of the new problem."""

    def __init__(self, problem: Problem, budget: dict[str, int],
                 taken: Sequence[Block]) -> None:
        self.problem = problem
        self.budget = dict(budget)
        self.needs: dict[str, Need] = {n.task.id: n for n in problem.needs}
        self.deep_used: dict[date, int] = {}
        self.sync_kept: dict[date, list[datetime]] = {}
        for block in taken:
            self._count(block, block.span)
        self.held_deep = dict(self.deep_used)  # what the past and pinned blocks take, alone
        self.held_sync = {day: tuple(v) for day, v in self.sync_kept.items()}

    def _count(self, block: Block, span: Interval) -> None:
        day = self._day(span.start)
        if block.kind is BlockKind.DEEP:
            self.deep_used[day] = self.deep_used.get(day, 0) + span.minutes // GRAIN
        elif block.kind is BlockKind.SYNC_WINDOW:
            self.sync_kept.setdefault(day, []).append(span.start)

    def _day(self, moment: datetime) -> date:
        return moment.astimezone(self.problem.policy.timezone).date()

    def _grains(self, block: Block) -> int:
        """How long the block may be: all of it, or what its task still needs; 0 when the task
        needs nothing more, or less than its minimum block (that rest is left unscheduled with
        the reason, so a plan never holds more than a task needs: the ledger adds up)."""
        size = block.minutes // GRAIN
        if block.task is None:
            return size
        left = self.budget.get(block.task, 0)
        if left >= size:
            return size
        return left if left >= self._smallest(block.task) else 0

    def _smallest(self, task: str) -> int:
        """The task's shortest block in grains: its minimum, or all it needs when that is less
        (as a fresh plan allows)."""
        need = self.needs[task]
        return min(need.min_size, need.size)

    def _too_little(self, block: Block) -> str:
        """Why a block whose task still needs some time cannot hold it."""
        left = self.budget.get(block.task or "", 0)
        if left <= 0:
            return "its earlier blocks give the task all the time it still needs"
        smallest = self._smallest(block.task or "") * GRAIN
        return (f"the task needs only {left * GRAIN} min more, under its minimum block of "
                f"{smallest} min: that rest is left unscheduled")

    def _take(self, block: Block) -> None:
        if block.task is not None:
            self.budget[block.task] = max(0, self.budget[block.task] - block.minutes // GRAIN)
        self._count(block, block.span)

    def keep(self, block: Block) -> tuple[Block | None, str]:
        """The block itself when it may stay, a shorter one (same UID), or None — with why
        not."""
        why = self._broken(block)
        if why:
            return None, why
        grains = self._grains(block)
        if grains == 0:
            return None, self._too_little(block)
        if grains < block.minutes // GRAIN:
            # shrink in place, down to the task's minimum block at most
            end = block.span.start + timedelta(minutes=grains * GRAIN)
            block = dataclasses.replace(block, span=Interval(block.span.start, end),
                                        key=block.uid)
            why = f"the task needs only {grains * GRAIN} min more"
        self._take(block)
        return block, why

    def nearest(self, block: Block, taken: Sequence[Block], why: str) -> Block | None:
        """The block, whole (or as short as its task now needs, never under its minimum),
        at the nearest start where every rule holds and nothing kept is in the way; it keeps
        its UID. None when no such place exists."""
        need = self.needs.get(block.task) if block.task is not None else None
        if block.task is not None and need is None:
            return None
        grains = self._grains(block)
        if grains == 0:
            return None
        length = timedelta(minutes=grains * GRAIN)
        busy = sorted(b.span for b in taken if b.kind.is_work)
        best: tuple[timedelta, datetime] | None = None
        for run in self.problem.runs:
            for start in self._starts(block, run, length, need):
                span = Interval(start, start + length)
                if any(other.clip(span) for other in busy):
                    continue
                rank = (abs(start - block.span.start), start)
                if best is None or rank < best:
                    best = rank
        if best is None:
            return None
        span = Interval(best[1], best[1] + length)
        moved = dataclasses.replace(
            block, span=span, key=block.uid,
            reason=f"moved from {when(self.problem, block.span.start)}, the nearest time "
                   f"free for it: {why}")
        self._take(moved)
        return moved

    def _starts(self, block: Block, run: Run, length: timedelta,
                need: Need | None) -> list[datetime]:
        """Where in ``run`` a block of ``length`` may start under the day's rules."""
        problem = self.problem
        room = run.deep if block.kind is BlockKind.DEEP else run.span
        if room is None or not problem.allows(block.task or SYNC, run):
            return []
        end = room.end if need is None or need.deadline is None else min(room.end,
                                                                          need.deadline)
        grains = int(length.total_seconds()) // 60 // GRAIN
        if (block.kind is BlockKind.DEEP
                and self.deep_used.get(run.day, 0) + grains > problem.deep_cap):
            return []
        if (block.kind is BlockKind.SYNC_WINDOW
                and len(self.sync_kept.get(run.day, [])) >= problem.policy.sync_windows.per_day):
            return []
        starts: list[datetime] = []
        start = room.start
        while start + length <= end:
            starts.append(start)
            start += timedelta(minutes=GRAIN)
        return starts

    def _broken(self, block: Block) -> str:
        """Which rule the block now breaks, or ""."""
        problem, span = self.problem, block.span
        if block.task is not None:
            need = self.needs.get(block.task)
            if need is None:
                return "the task is done or no longer needs time"
            if need.deadline is not None and span.end > need.deadline:
                return f"it ends after the task's deadline {when(problem, need.deadline)}"
        run = self._run(block)
        if run is None:
            return blocked_by(problem, block)
        if not problem.allows(block.task or SYNC, run):
            return "you deleted a block of it in that stretch"
        day = run.day
        if block.kind is BlockKind.DEEP and (self.deep_used.get(day, 0) + span.minutes // GRAIN
                                             > problem.deep_cap):
            return "the day's deep time is full"
        if (block.kind is BlockKind.SYNC_WINDOW
                and len(self.sync_kept.get(day, [])) >= problem.policy.sync_windows.per_day):
            return "the day has its sync windows"
        return ""

    def _run(self, block: Block) -> Run | None:
        for run in self.problem.runs:
            room = run.deep if block.kind is BlockKind.DEEP else run.span
            if room is not None and room.start <= block.span.start and block.span.end <= room.end:
                return run
        return None

    def keep_state(self, kept: Sequence[Block], forbidden: dict[str, tuple[Interval, ...]],
                   dropped: Sequence[tuple[Block, str]]) -> EarlierPlan:
        """What the new problem holds: the past and pinned blocks fixed, the blocks that may
        stay as runs of their own (kept unless moving them pays), the person's choices."""
        anchors: dict[str, list[datetime]] = {}
        for block, _ in dropped:
            if block.task is not None:
                anchors.setdefault(block.task, []).append(block.span.start)
        soft: dict[str, list[Interval]] = {}
        for block in kept:
            soft.setdefault(block.task or SYNC, []).append(block.span)
        return EarlierPlan(fixed=tuple(self.problem.earlier.fixed), deep_used=dict(self.held_deep),
                    sync_kept=self.held_sync,
                    soft={key: tuple(v) for key, v in soft.items()}, forbidden=forbidden,
                    anchors={task: tuple(v) for task, v in anchors.items()})


def blocked_by(problem: Problem, block: Block) -> str:
    """What now takes the block's time: a commitment, rest or recovery, or the work window."""
    span = block.span
    deep = block.kind is BlockKind.DEEP
    for item in problem.commitments:
        # partial attention leaves room for shallow work and sync windows: not the cause then
        takes = item.attention in (Attention.FULL, Attention.OFF) or (
            deep and item.attention is Attention.PARTIAL)
        if takes and item.span.clip(span):
            return f"“{item.summary}” {stretch(problem, item.span)} now takes that time"
    pieces = problem.windows.get(span.start.astimezone(problem.policy.timezone).date())
    if pieces is not None and not any(w.start <= span.start and span.end <= w.end
                                      for w in pieces):
        return "it is no longer inside the work window (a day off or away time)"
    if deep:
        for barred in problem.barred:
            if barred.span.clip(span):
                return f"it falls in the {barred.why} around “{barred.commitment.summary}”"
    if any(other.clip(span) for other in problem.earlier.fixed):
        return "a block you moved now takes that time"
    return "it no longer fits in a free stretch of the work window"
