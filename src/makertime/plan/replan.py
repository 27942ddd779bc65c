"""Repair a plan from now on, moving as little as possible.

The past is kept. A block the person moved in their calendar is pinned where they put it; a block
they deleted rules that stretch out for its task (it is never re-created there). Every other
future block of the earlier plan stays exactly where it is while it still obeys every rule; a
block that must move goes whole to the nearest place where every rule holds (``keeping``), and
CP-SAT places what has no such place — and whatever the tasks now need beyond the kept blocks —
as near its old time as the rules allow (``W_SHIFT`` per hour of shift). No block goes under its
task's minimum block. A block that moves or shrinks keeps its UID, so its published event is
changed in place; a change is judged against the earlier block of the same UID.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from makertime.audit import period_span
from makertime.marks import own_uid
from makertime.model import Commitment, Interval, Period, Progress, ReadWarning, Task, merge
from makertime.plan.keeping import Checker, with_minimums
from makertime.plan.problem import SYNC, EarlierPlan, build_problem
from makertime.plan.result import Block, PlanResult, in_time_order
from makertime.plan.runs import GRAIN, units
from makertime.plan.solve import PlanOptions, result_of, solve
from makertime.policy import Policy


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
    DELETED = "deleted"  # the person deleted it: that time is out for the task
    MOVED = "moved"  # to another start, keeping its UID
    SHORTENED = "shortened"  # same start, shorter (never under the task's minimum block)
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
    pinned: frozenset[str] = frozenset()  # UIDs of the blocks where the person put them

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
                                        reason="kept where you moved it")
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
        elif block.kind.is_work and block.uid in edits.deleted:
            _deleted(block, now, out)
    for block in effective(previous, edits):
        if not block.kind.is_work or not block.span.clip(period):
            continue
        if block.span.start < now:
            out.past.append(block)
        elif block.key and block.uid in edits.moved:
            out.pinned.append(block)
            out.changes.append(Change(ChangeKind.PINNED, None, block, block.reason))
        else:
            out.candidates.append(block)
    return out


def _deleted(block: Block, now: datetime, out: _Sorted) -> None:
    """A block the person deleted: reported once (a stretch ruled out already was reported by
    an earlier repair); a future one rules its time out for its task."""
    key = block.task or SYNC
    if block.span in out.forbidden.get(key, []):
        return
    if block.span.end <= now:
        out.changes.append(Change(ChangeKind.DELETED, block, None,
                                  "you deleted it: its time does not count as worked"))
        return
    out.forbidden.setdefault(key, []).append(block.span)
    out.changes.append(Change(ChangeKind.DELETED, block, None,
                              "you deleted it: not then, it will not come back"))


def replan(previous: Sequence[Block], found: Sequence[Commitment], tasks: Sequence[Task],
           policy: Policy, period: Period, *, now: datetime, edits: Edits | None = None,
           options: PlanOptions | None = None, stable: bool = True,
           read_warnings: Iterable[ReadWarning] = (),
           progress: Progress | None = None) -> Repair:
    """Repair ``previous`` from ``now`` on; ``tasks`` carry what is still needed as of ``now``.

    A block that must move goes whole to the nearest place where every rule holds, keeping its
    UID; one that must shrink keeps its start and UID and never goes under its task's minimum
    block. ``stable=False`` replans the future from scratch (the person's moves and deletions
    still hold): the baseline the stability is measured against.
    """
    edits = edits or Edits()
    sorted_ = _sort(previous, edits, now, period_span(period, policy))
    held = [*sorted_.pinned, *(b for b in sorted_.past if b.span.end > now)]
    forbidden = {key: tuple(spans) for key, spans in sorted_.forbidden.items()}
    budget = _budgets(tasks, held, now)
    earlier = EarlierPlan(fixed=tuple(_future(b, now) for b in held), forbidden=forbidden)
    base = with_minimums(build_problem(found, tasks, policy, period, now=now, earlier=earlier))
    # the day's deep cap and sync windows count what the past and the pinned blocks already take
    check = Checker(base, budget, [*sorted_.past, *sorted_.pinned])
    kept, dropped, why = _settle(check, sorted_.candidates, stable)
    keep = check.keep_state(kept, forbidden, dropped if stable else [])
    # the kept blocks are runs of their own in the new problem and count toward its need there;
    # one kept at its task's minimum block may hold more than the task still needs
    held_kept = held_minutes(kept, now)
    left = [dataclasses.replace(t, estimate_minutes=max(budget.get(t.id, 0) * GRAIN,
                                                        held_kept.get(t.id, 0)))
            for t in tasks]
    problem = with_minimums(build_problem(found, left, policy, period, now=now, earlier=keep))
    if progress is not None:
        progress(f"repairing: {len(kept)} blocks may stay, {len(dropped)} must move, "
                 f"{len(problem.needs)} tasks over {len(problem.runs)} free stretches")
    fill, stats = solve(problem, options or PlanOptions(), progress)
    plan = result_of(problem, fill, stats, tasks, read_warnings,
                     kept=[*sorted_.past, *sorted_.pinned])
    for block, reason in dropped:
        why.setdefault(block.uid, reason)
    blocks = _keyed(plan.blocks, kept, sorted_.candidates, now)
    plan = dataclasses.replace(plan, blocks=tuple(blocks))
    changes, unchanged = _changes(sorted_.candidates, blocks, why, now,
                                  {b.uid for b in sorted_.pinned})
    ruled_out = tuple((key, span) for key, spans in forbidden.items() for span in spans)
    return Repair(plan, (*sorted_.changes, *changes), unchanged, len(sorted_.candidates),
                  ruled_out, frozenset(b.uid for b in sorted_.pinned))


def _settle(check: Checker, candidates: Sequence[Block], stable: bool
            ) -> tuple[list[Block], list[tuple[Block, str]], dict[str, str]]:
    """The earlier blocks that stay (perhaps shorter, or moved whole to the nearest free
    place), those left for the solver, and why each one changed, by its UID."""
    kept: list[Block] = []
    dropped: list[tuple[Block, str]] = []
    why: dict[str, str] = {}
    if not stable:
        return kept, [(b, "replanned from scratch") for b in candidates], why
    for block in sorted(candidates, key=lambda b: b.span.start):
        outcome, reason = check.keep(block)
        if outcome is None:
            dropped.append((block, reason))
            continue
        kept.append(outcome)
        if outcome is not block:
            why[block.uid] = reason
    placed: list[tuple[Block, str]] = []
    for block, reason in dropped:
        moved = check.nearest(block, kept, reason)
        if moved is not None:
            kept.append(moved)
            why[block.uid] = reason
        elif block.task is None or block.task in check.needs:
            reason += "; no other free place holds it whole"
        placed.append((block, reason) if moved is None else (block, ""))
    return kept, [(b, reason) for b, reason in placed if reason], why


RELEASED = ("it could have stayed, but moving it lets more of the week's work fit than "
            "keeping it would")


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


def _keyed(blocks: Sequence[Block], kept: Sequence[Block], earlier: Sequence[Block],
           now: datetime) -> list[Block]:
    """The solved blocks, each kept block as it was decided (its UID and reason), and each new
    block that takes the place of an earlier block of its task and kind that is gone (the
    nearest one) with that block's UID: a block that moves keeps its UID."""
    by_place = {(b.kind, b.task, b.span): b for b in kept}
    found = [by_place.get((b.kind, b.task, b.span), b) for b in blocks]
    # the past, the pinned and the kept blocks hold their UIDs; a new block never takes one
    held = [b for b in found if b.span.start < now or b in kept or b.key]
    found = [*held, *unique_uids([b for b in found if b not in held], {b.uid for b in held})]
    found = in_time_order(found)
    present = {b.uid for b in found}
    gone = [b for b in earlier if b.uid not in present]
    taken = {b.uid for b in kept}
    out: list[Block] = []
    for block in found:
        if block.kind.is_work and block.span.start >= now and block.uid not in taken and gone:
            same = [b for b in gone if b.kind is block.kind and b.task == block.task]
            match = min(same, key=lambda b: abs(b.span.start - block.span.start), default=None)
            if match is not None:
                gone.remove(match)
                block = dataclasses.replace(block, key=match.uid)
        out.append(block)
    return out


def unique_uids(blocks: Sequence[Block], taken: Collection[str]) -> list[Block]:
    """``blocks`` with every UID distinct from ``taken`` and from each other: a new block where
    an earlier one first stood (the person moved that one away, keeping its UID) gets a UID of
    its own, never the moved block's."""
    seen = set(taken)
    out: list[Block] = []
    for block in blocks:
        uid = block.uid
        while uid in seen:
            uid = own_uid(hashlib.sha256(f"{uid}|again".encode()).hexdigest()[:24])
        seen.add(uid)
        out.append(block if uid == block.uid else dataclasses.replace(block, key=uid))
    return out


def _changes(earlier: Sequence[Block], blocks: Sequence[Block], why: Mapping[str, str],
             now: datetime, pinned: Collection[str]) -> tuple[list[Change], int]:
    """Each earlier future block against the block of the same UID in the repaired plan:
    unchanged, shortened (same start), moved (another start) or removed; then what is new.
    The count of the unchanged ones."""
    final = {b.uid: b for b in blocks if b.kind.is_work}
    changes: list[Change] = []
    unchanged = 0
    for block in earlier:
        after = final.get(block.uid)
        reason = why.get(block.uid, RELEASED)
        if after is None:
            changes.append(Change(ChangeKind.REMOVED, block, None, reason))
        elif after.span == block.span:
            unchanged += 1
        elif after.span.start == block.span.start and after.span.end < block.span.end:
            changes.append(Change(ChangeKind.SHORTENED, block, after, reason))
        else:
            changes.append(Change(ChangeKind.MOVED, block, after, reason))
    known = {b.uid for b in earlier} | set(pinned)
    for block in blocks:
        if block.kind.is_work and block.span.start >= now and block.uid not in known:
            reason = ("a sync window the day was missing" if block.task is None
                      else "the task needs more time than its kept blocks give")
            changes.append(Change(ChangeKind.ADDED, None, block, reason))
    return changes, unchanged
