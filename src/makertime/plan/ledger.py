"""The ledger: where every minute of every open task went — placed here, held by an earlier
saved plan, or unscheduled with its reason — so that no task is ever silently missing.

``needed = placed + held + unscheduled`` for every task. What this plan places counts from the
plan's start (``now``) on; an earlier plan's block kept in this plan counts as placed when it
lies in this plan's period and as held when it lies outside it; a caller that took minutes off a
task's estimate because an earlier plan holds them says so with ``with_held``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from makertime.audit import period_span
from makertime.model import Interval, Task
from makertime.plan.problem import Problem
from makertime.plan.result import Block, Held, LedgerEntry, PlanResult, Unscheduled
from makertime.plan.runs import GRAIN


def _kept(problem: Problem, kept: Sequence[Block]) -> tuple[dict[str, int], dict[str, Held]]:
    """The future minutes of the kept blocks per task: in the period (placed), outside it
    (held, with where)."""
    start = problem.now or problem.origin
    span = period_span(problem.period, problem.policy)
    inside: dict[str, int] = {}
    outside: dict[str, Held] = {}
    for block in kept:
        if block.task is None or not block.kind.is_work or block.span.end <= start:
            continue
        future = Interval(max(block.span.start, start), block.span.end)
        if block.span.clip(span):
            inside[block.task] = inside.get(block.task, 0) + future.minutes
        else:
            outside[block.task] = add(outside.get(block.task), Held(future.minutes, (future,)))
    return inside, outside


def add(one: Held | None, other: Held) -> Held:
    """Two holdings of one task as one."""
    if one is None:
        return other
    return Held(one.minutes + other.minutes, (*one.spans, *other.spans))


def build_ledger(problem: Problem, tasks: Sequence[Task], placed: Sequence[Block],
                 unscheduled: Sequence[Unscheduled],
                 kept: Sequence[Block] = ()) -> list[LedgerEntry]:
    """One entry per open task given (done ones are left out: ``progress`` 1): what it needs,
    what this plan places, what kept blocks hold outside the period, what is left and why."""
    asked = {need.task.id: need.size * GRAIN for need in problem.needs}
    overdue = {need.task.id for need in problem.needs if need.overdue}
    new: dict[str, int] = {}
    for block in placed:
        if block.task is not None and block.kind.is_work:
            new[block.task] = new.get(block.task, 0) + block.minutes
    left: dict[str, list[Unscheduled]] = {}
    for item in unscheduled:
        left.setdefault(item.task, []).append(item)
    inside, outside = _kept(problem, kept)
    entries: list[LedgerEntry] = []
    seen: set[str] = set()
    for task in tasks:
        if task.progress >= 1 or task.id in seen:
            continue
        seen.add(task.id)
        held = outside.get(task.id, Held(0))
        gone = left.get(task.id, [])
        entries.append(LedgerEntry(
            task=task.id, title=task.title,
            needed=asked.get(task.id, 0) + inside.get(task.id, 0) + held.minutes,
            placed=new.get(task.id, 0) + inside.get(task.id, 0), held=held.minutes,
            unscheduled=sum(u.minutes for u in gone), overdue=task.id in overdue,
            held_at=tuple(sorted(held.spans)), reason=" ".join(u.reason for u in gone)))
    return entries


def with_held(result: PlanResult, held: Mapping[str, Held]) -> PlanResult:
    """``result`` with minutes an earlier saved plan holds (taken off the tasks' estimates
    before planning) added to each task's needed and held minutes."""
    entries = []
    for entry in result.ledger:
        extra = held.get(entry.task)
        if extra is None or not extra.minutes:
            entries.append(entry)
            continue
        entries.append(dataclasses.replace(
            entry, needed=entry.needed + extra.minutes, held=entry.held + extra.minutes,
            held_at=tuple(sorted({*entry.held_at, *extra.spans}))))
    return dataclasses.replace(result, ledger=tuple(entries))
