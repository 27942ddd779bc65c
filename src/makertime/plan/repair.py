"""Repair a plan from now on, moving as little as possible.

The past is kept. A block the person moved in their calendar is pinned where they put it; a block
they deleted rules that stretch out for its task (it is never re-created there). Every other
future block of the earlier plan stays exactly where it is while it still obeys every rule; only
blocks that must move move, and CP-SAT places them — and whatever the tasks now need beyond the
kept blocks — as near their old time as the rules allow (``W_SHIFT`` per hour of shift).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from makertime.audit import day_bounds
from makertime.model import Commitment, Interval, Period, ReadWarning, Task, merge
from makertime.plan.problem import GRAIN, SYNC, Keep, Need, Problem, Run, build_problem, units
from makertime.plan.reasons import stretch, when
from makertime.plan.result import Block, BlockKind, PlanResult
from makertime.plan.solve import PlanOptions, result_of, solve
from makertime.policy import Policy

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Edits:
    """What the person did to the published plan in their calendar, by block UID."""

    moved: Mapping[str, Interval] = field(default_factory=dict)  # uid → where they put it
    deleted: frozenset[str] = frozenset()
    # stretches ruled out by deletions before: (task id or SYNC, the deleted block's time)
    ruled_out: tuple[tuple[str, Interval], ...] = ()


class ChangeKind(StrEnum):
    """How a future block changed between the earlier plan and the repaired one."""

    PINNED = "pinned"  # the person moved it: kept where they put it
    DECLINED = "declined"  # the person deleted it: that time is out for the task
    MOVED = "moved"
    SHORTENED = "shortened"
    REMOVED = "removed"
    ADDED = "added"


@dataclass(frozen=True, slots=True)
class Change:
    """One change, with the block before and after (either may be None) and why."""

    kind: ChangeKind
    before: Block | None
    after: Block | None
    why: str


@dataclass(frozen=True, slots=True)
class Repair:
    """A repaired plan, what changed and how much of the earlier future it kept."""

    plan: PlanResult
    changes: tuple[Change, ...]
    unchanged: int  # future blocks of the earlier plan still exactly where they were
    future: int  # future work blocks of the earlier plan the person left alone
    ruled_out: tuple[tuple[str, Interval], ...] = ()  # every deletion's "not then", to keep

    @property
    def moved_share(self) -> float:
        """Share of the earlier plan's future blocks that moved, shrank or went away."""
        return 0.0 if self.future == 0 else (self.future - self.unchanged) / self.future


def effective(previous: Iterable[Block], edits: Edits) -> list[Block]:
    """The earlier plan's blocks as the person's calendar has them now."""
    found: list[Block] = []
    for block in previous:
        if block.uid in edits.deleted:
            continue
        span = edits.moved.get(block.uid)
        if span is not None and span != block.span:
            block = dataclasses.replace(block, span=span, key=block.uid,
                                        reason="kept where you moved it in your calendar")
        found.append(block)
    return found


def worked_minutes(previous: Iterable[Block], edits: Edits, since: Mapping[str, datetime],
                   now: datetime, interruptions: Sequence[Interval]) -> dict[str, int]:
    """Minutes of each task's blocks between ``since[task]`` and ``now``, less interruptions:
    the work a later plan counts as done."""
    lost = merge(interruptions)
    worked: dict[str, int] = {}
    for block in effective(previous, edits):
        if block.task is None or not block.kind.is_work or block.task not in since:
            continue
        part = block.span.clip(Interval(min(since[block.task], now), now))
        if part is None:
            continue
        minutes = part.minutes - sum(c.minutes for b in lost if (c := b.clip(part)))
        worked[block.task] = worked.get(block.task, 0) + minutes
    return worked


@dataclass
class _Sorted:
    """The earlier plan's work blocks sorted by what a repair does with them."""

    past: list[Block] = field(default_factory=list)  # started before now: kept as they are
    pinned: list[Block] = field(default_factory=list)
    candidates: list[Block] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    forbidden: dict[str, list[Interval]] = field(default_factory=dict)


def _sort(previous: Sequence[Block], edits: Edits, now: datetime, period: Interval) -> _Sorted:
    out = _Sorted()
    for key, span in edits.ruled_out:
        if span not in out.forbidden.get(key, []):
            out.forbidden.setdefault(key, []).append(span)
    for block in previous:
        if not block.span.clip(period):
            out.past.append(block)  # an earlier plan's, outside this one's period: left as it is
            continue
        if not block.kind.is_work:
            continue  # rest and recovery markers are worked out again from the commitments
        if block.uid in edits.deleted:
            if block.span.end > now and block.span not in out.forbidden.get(block.task or SYNC,
                                                                            []):
                out.forbidden.setdefault(block.task or SYNC, []).append(block.span)
                out.changes.append(Change(ChangeKind.DECLINED, block, None,
                                          "you deleted it: not then, it will not come back"))
            continue
    for block in effective(previous, edits):
        if not block.kind.is_work or not block.span.clip(period):
            continue
        if block.span.start < now:
            out.past.append(block)
        elif block.key:
            out.pinned.append(block)
            out.changes.append(Change(ChangeKind.PINNED, None, block, block.reason))
        else:
            out.candidates.append(block)
    return out


def replan(previous: Sequence[Block], found: Sequence[Commitment], tasks: Sequence[Task],
           policy: Policy, period: Period, *, now: datetime, edits: Edits | None = None,
           options: PlanOptions | None = None, stable: bool = True,
           read_warnings: Iterable[ReadWarning] = (),
           progress: Progress | None = None) -> Repair:
    """Repair ``previous`` from ``now`` on; ``tasks`` carry what is still needed as of ``now``.

    ``stable=False`` replans the future from scratch (the person's moves and deletions still
    hold): the baseline the stability is measured against.
    """
    edits = edits or Edits()
    sorted_ = _sort(previous, edits, now, period_span(period, policy))
    held = [*sorted_.pinned, *(b for b in sorted_.past if b.span.end > now)]
    forbidden = {key: tuple(spans) for key, spans in sorted_.forbidden.items()}
    budget = _budgets(tasks, held, now)
    base = build_problem(found, tasks, policy, period, now=now,
                         keep=Keep(fixed=tuple(_future(b, now) for b in held),
                                   forbidden=forbidden))
    # the day's deep cap and sync windows count what the past and the pinned blocks already take
    check = _Checker(base, budget, [*sorted_.past, *sorted_.pinned])
    kept: list[Block] = []
    dropped: list[tuple[Block, str]] = []
    for block in sorted(sorted_.candidates, key=lambda b: b.span.start):
        outcome, why = check.keep(block) if stable else (None, "replanned from scratch")
        if outcome is None:
            dropped.append((block, why))
            continue
        kept.append(outcome)
        if outcome is not block:
            sorted_.changes.append(Change(ChangeKind.SHORTENED, block, outcome, why))
    keep = check.keep_state(kept, forbidden, dropped if stable else [])
    left = [dataclasses.replace(t, estimate_minutes=budget.get(t.id, 0) * GRAIN) for t in tasks]
    problem = build_problem(found, left, policy, period, now=now, keep=keep)
    if progress is not None:
        progress(f"repairing: {len(kept)} blocks may stay, {len(dropped)} must move, "
                 f"{len(problem.needs)} tasks over {len(problem.runs)} free stretches")
    fill, stats = solve(problem, options or PlanOptions(), progress)
    plan = result_of(problem, fill, stats, tasks, read_warnings,
                     kept=[*sorted_.past, *sorted_.pinned])
    earlier = {b.uid: b for b in kept}  # a block that stays keeps its reason too
    plan = dataclasses.replace(plan, blocks=tuple(earlier.get(b.uid, b) for b in plan.blocks))
    placed = {b.uid for b in plan.blocks}
    released = [(b, RELEASED) for b in kept if b.uid not in placed]
    stayed = {b.uid for b in kept} & placed
    new = [b for b in plan.blocks if b.kind.is_work and b.span.start >= now
           and b.uid not in stayed and b not in sorted_.pinned]
    moving = [*dropped, *released]
    again = {b.uid for b in new} & {b.uid for b, _ in moving}  # placed anew exactly as before
    changes = [*sorted_.changes, *_pair([d for d in moving if d[0].uid not in again],
                                        [b for b in new if b.uid not in again])]
    unchanged = len(stayed & {b.uid for b in sorted_.candidates}) + len(again)
    ruled_out = tuple((key, span) for key, spans in forbidden.items() for span in spans)
    return Repair(plan, tuple(changes), unchanged, len(sorted_.candidates), ruled_out)


RELEASED = ("it could have stayed, but moving it lets more of the week's work fit than "
            "keeping it would")


def period_span(period: Period, policy: Policy) -> Interval:
    """``period`` from the first day's midnight to the midnight after the last, in UTC."""
    return Interval(day_bounds(period.first, policy).start, day_bounds(period.last, policy).end)


def _future(block: Block, now: datetime) -> Interval:
    return Interval(max(block.span.start, now), block.span.end)


def held_minutes(blocks: Iterable[Block], now: datetime) -> dict[str, int]:
    """Minutes each task's work blocks hold from ``now`` on."""
    held: dict[str, int] = {}
    for block in blocks:
        if block.task is not None and block.kind.is_work and block.span.end > now:
            held[block.task] = held.get(block.task, 0) + _future(block, now).minutes
    return held


def _budgets(tasks: Sequence[Task], held: Sequence[Block], now: datetime) -> dict[str, int]:
    """Grains each task still needs once the held blocks' future minutes are counted."""
    taken = held_minutes(held, now)
    # rounded up once, after the held minutes are taken off: 85 min less 25 held is 60, not 75
    return {t.id: units(max(0, t.estimate_minutes - taken.get(t.id, 0)))
            for t in tasks if t.progress < 1}


class _Checker:
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
        day = span.start.astimezone(self.problem.policy.timezone).date()
        if block.kind is BlockKind.DEEP:
            self.deep_used[day] = self.deep_used.get(day, 0) + span.minutes // GRAIN
        elif block.kind is BlockKind.SYNC_WINDOW:
            self.sync_kept.setdefault(day, []).append(span.start)

    def keep(self, block: Block) -> tuple[Block | None, str]:
        """The block itself when it may stay, a shorter one, or None — with why not."""
        why = self._broken(block)
        if why:
            return None, why
        task = block.task
        if task is not None:
            grains, size = self.budget[task], block.minutes // GRAIN
            if grains < size:
                # what is left of a task is always an allowed block length (the new problem
                # would place that much again, right here): shorten rather than move
                if grains == 0:
                    return None, "its earlier blocks give the task all the time it still needs"
                end = block.span.start + timedelta(minutes=grains * GRAIN)
                block = dataclasses.replace(block, span=Interval(block.span.start, end))
                why = f"the task needs only {grains * GRAIN} min more"
            self.budget[task] -= block.minutes // GRAIN
        self._count(block, block.span)
        return block, why

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
            return _blocked_by(problem, block)
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
                   dropped: Sequence[tuple[Block, str]]) -> Keep:
        """What the new problem holds: the past and pinned blocks fixed, the blocks that may
        stay as runs of their own (kept unless moving them pays), the person's choices."""
        anchors: dict[str, list[datetime]] = {}
        for block, _ in dropped:
            if block.task is not None:
                anchors.setdefault(block.task, []).append(block.span.start)
        soft: dict[str, list[Interval]] = {}
        for block in kept:
            soft.setdefault(block.task or SYNC, []).append(block.span)
        return Keep(fixed=tuple(self.problem.keep.fixed), deep_used=dict(self.held_deep),
                    sync_kept=self.held_sync,
                    soft={key: tuple(v) for key, v in soft.items()}, forbidden=forbidden,
                    anchors={task: tuple(v) for task, v in anchors.items()})


def _blocked_by(problem: Problem, block: Block) -> str:
    """What now takes the block's time: a commitment, rest or recovery, or the work window."""
    span = block.span
    for item in problem.commitments:
        if item.span.clip(span) and item.attention.value != "none":
            return f"“{item.summary}” {stretch(problem, item.span)} now takes that time"
    if block.kind is BlockKind.DEEP:
        for barred in problem.barred:
            if barred.span.clip(span):
                return f"it falls in the {barred.why} around “{barred.commitment.summary}”"
    if any(other.clip(span) for other in problem.keep.fixed):
        return "a block you moved now takes that time"
    return "it no longer fits in a free stretch of the work window"


def _pair(dropped: Sequence[tuple[Block, str]], new: Sequence[Block]) -> list[Change]:
    """Dropped blocks matched with the new blocks of the same task and kind: moved; the rest
    removed or added."""
    changes: list[Change] = []
    unpaired = list(new)
    for block, why in dropped:
        same = [b for b in unpaired if b.kind is block.kind and b.task == block.task]
        match = min(same, key=lambda b: abs(b.span.start - block.span.start), default=None)
        if match is None:
            changes.append(Change(ChangeKind.REMOVED, block, None, why))
        else:
            unpaired.remove(match)
            changes.append(Change(ChangeKind.MOVED, block, match, why))
    for block in unpaired:
        why = ("a sync window the day was missing" if block.task is None
               else "the task needs more time than its kept blocks give")
        changes.append(Change(ChangeKind.ADDED, None, block, why))
    return changes
