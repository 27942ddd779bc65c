"""Rows to domain records and back: the only place that knows both shapes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from makertime.calendars.remote import CollectionState, RemoteItem
from makertime.model import Depth, Interval, Task
from makertime.plan.result import Block, BlockKind
from makertime.store.records import (
    Holder,
    Interruption,
    PlanInputs,
    PublishLock,
    Source,
    StoredPlan,
    TaskState,
    WeekTotals,
)
from makertime.store.tables import (
    CollectionRow,
    InterruptionRow,
    PlanBlockRow,
    PlanRow,
    PublishLockRow,
    RemoteItemRow,
    SourceRow,
    TaskRow,
    WeekRow,
)


def source(row: SourceRow) -> Source:
    """The record of a source row."""
    return Source(name=row.name, url=row.url, credentials=row.credentials, added=row.added)


def task(row: TaskRow) -> Task:
    """The task a row holds, its floating deadline naive again."""
    deadline = row.deadline
    if deadline is not None and row.deadline_floating:
        deadline = deadline.replace(tzinfo=None)
    return Task(id=row.id, title=row.title, estimate_minutes=row.estimate_minutes,
                depth=Depth(row.depth), deadline=deadline, priority=row.priority,
                min_block_minutes=row.min_block_minutes, progress=row.progress,
                last_touched=row.last_touched, waiting_on_me=row.waiting_on_me,
                source=row.source)


def task_state(row: TaskRow) -> TaskState:
    """The record of a task row."""
    return TaskState(task=task(row), estimate_at=row.estimate_at, done=row.done,
                     done_at=row.done_at, origin=row.origin)


def describe_task(row: TaskRow, value: Task) -> None:
    """Copy what ``value`` says about the task, except its estimate and progress, into ``row``."""
    row.title = value.title
    row.depth = value.depth.value
    row.deadline, row.deadline_floating = _deadline(value.deadline)
    row.priority = value.priority
    row.min_block_minutes = value.min_block_minutes
    row.waiting_on_me = value.waiting_on_me
    row.source = value.source
    if value.last_touched is not None and (row.last_touched is None
                                           or value.last_touched > row.last_touched):
        row.last_touched = value.last_touched


def _deadline(value: datetime | None) -> tuple[datetime | None, bool]:
    """A deadline as stored: aware as it is, floating as its wall time marked UTC."""
    if value is None:
        return None, False
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=UTC), True
    return value, False


def block(row: PlanBlockRow) -> Block:
    """The block a row holds."""
    return Block(kind=BlockKind(row.kind), span=Interval(row.start_at, row.end_at),
                 reason=row.reason, task=row.task, title=row.title, key=row.block_key)


def block_row(plan_id: int, position: int, value: Block) -> PlanBlockRow:
    """A row for the ``position``-th block of a plan."""
    return PlanBlockRow(plan_id=plan_id, position=position, kind=value.kind.value,
                        start_at=value.span.start, end_at=value.span.end, reason=value.reason,
                        task=value.task, title=value.title, block_key=value.key)


def plan_row(created: datetime, now: datetime, inputs: PlanInputs,
             result: dict[str, Any]) -> PlanRow:
    """A row for a new plan (its blocks go to ``plan_blocks``)."""
    return PlanRow(created=created, now_at=now, cals=list(inputs.cals),
                   tasks_path=inputs.tasks_path, policy_path=inputs.policy_path,
                   target=inputs.target, first_day=inputs.first, last_day=inputs.last,
                   result=result)


def plan(row: PlanRow, blocks: list[PlanBlockRow]) -> StoredPlan:
    """The record of a plan row and its block rows (in any order)."""
    inputs = PlanInputs(cals=tuple(row.cals), tasks_path=row.tasks_path,
                        policy_path=row.policy_path, target=row.target, first=row.first_day,
                        last=row.last_day)
    ordered = sorted(blocks, key=lambda found: found.position)
    return StoredPlan(id=row.id, created=row.created, now=row.now_at, inputs=inputs,
                      blocks=tuple(block(found) for found in ordered), result=dict(row.result))


def interruption(row: InterruptionRow) -> Interruption:
    """The record of an interruption row."""
    return Interruption(id=row.id, text=row.text, start=row.start_at, minutes=row.minutes,
                        logged=row.logged)


def publish_lock(row: PublishLockRow) -> PublishLock:
    """The record of a publish lock row."""
    return PublishLock(target=row.target, holder=Holder(pid=row.pid, host=row.host,
                                                        token=row.token),
                       since=row.since, refreshed=row.refreshed)


def collection(row: CollectionRow, items: list[RemoteItemRow]) -> CollectionState:
    """The state of a collection row and its item rows."""
    found = {item.href: RemoteItem(href=item.href, etag=item.etag, data=item.data)
             for item in sorted(items, key=lambda item: item.href)}
    return CollectionState(url=row.url, sync_token=row.sync_token, items=found)


def week(row: WeekRow) -> WeekTotals:
    """The record of a week row."""
    return WeekTotals(week=row.week, totals=dict(row.totals), recorded=row.recorded)
