"""Tasks as the store keeps them: merged with what the task sources say, and what is left.

A task read from tasks.toml or a VTODO replaces the stored one only when the source itself
changed since it was last read (the store compares with what the source said last); otherwise
what the person logged (``makertime progress``, ``makertime done``) stands. What is left of a
task as of a moment is its stored estimate less the work its planned blocks held since that
estimate was set, less interruptions. When that reaches nothing while the task is still open,
the rows say so (``TaskRow.estimate_spent``) rather than show a progress and "0m left" that
contradict each other.

A task added through makertime (``app.task_edits``) is kept in the store alone and planned as
one read is; when tasks.toml (or a VTODO) later lists its id, the source wins and the task comes
from there on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from makertime.calendars import target_name
from makertime.model import Interval, Task
from makertime.plan.replan import Edits, held_minutes, worked_minutes
from makertime.plan.result import Block
from makertime.store import Interruption, Store, StoredPlan, TaskState


def sync_tasks(store: Store, read: Sequence[Task], at: datetime, *,
               tasks_file: str | None = None) -> None:
    """Save the tasks as read (those whose source is ``tasks_file`` from tasks.toml); the store
    keeps what the person logged unless the source itself changed since it was last read, and
    keeps every task added through makertime (a source that lists one's id takes it over)."""
    if read:
        store.save_tasks(read, at, tasks_file=tasks_file)


def remaining(states: Sequence[TaskState], blocks: Sequence[Block], edits: Edits,
              now: datetime, interruptions: Sequence[Interval]) -> list[Task]:
    """The open tasks with what is still needed as of ``now``."""
    open_ = [s for s in states if not s.done and s.task.progress < 1]
    since = {s.task.id: s.estimate_at for s in open_}
    worked = worked_minutes(blocks, edits, since, now, interruptions)
    return [dataclasses.replace(s.task, estimate_minutes=max(
        0, s.task.estimate_minutes - worked.get(s.task.id, 0))) for s in open_]


@dataclass(frozen=True, slots=True)
class TaskRow:
    """One line of ``makertime tasks``; ``origin`` is where the task comes from:
    "tasks.toml", "calendar" (a VTODO) or "makertime" (added through makertime)."""

    state: TaskState
    left_minutes: int
    stale_days: int | None
    planned_minutes: int  # in the current plan from now on
    origin: str = "tasks.toml"

    @property
    def estimate_spent(self) -> bool:
        """Open, yet nothing of its estimate is left (its blocks held it all): only the person
        can say whether it is finished, so neither "0m left" nor its progress is shown as
        the truth."""
        return not self.state.done and self.state.task.progress < 1 and self.left_minutes == 0


def spent_advice(task_id: str) -> str:
    """What to do about an open task with nothing of its estimate left."""
    return (f"`makertime done {task_id}` if it is finished; if not, `makertime progress "
            f"{task_id} FRACTION` (or a larger estimate in its source) sets what is left anew")


def interruption_span(item: Interruption) -> Interval:
    """When a logged interruption held the person."""
    return Interval(item.start, item.start + timedelta(minutes=item.minutes))


def tasks_as_of(store: Store, now: datetime, zone: tzinfo, *, include_done: bool = False,
                stored: StoredPlan | None = None) -> list[TaskRow]:
    """``makertime tasks``: every task as of ``now``, against the current plan (``stored``,
    when the caller has it already)."""
    stored = stored if stored is not None else store.current_plan()
    blocks = stored.blocks if stored is not None else ()
    target = stored.inputs.target if stored is not None else None
    deleted = frozenset(store.declined(target_name(target))) if target else frozenset()
    lost = [interruption_span(item) for item in store.interruptions()]
    return task_rows(store.tasks(include_done=include_done), blocks, now,
                     now.astimezone(zone).date(), lost, edits=Edits(deleted=deleted))


def task_rows(states: Sequence[TaskState], blocks: Sequence[Block], now: datetime,
              today: date, interruptions: Sequence[Interval], *,
              edits: Edits | None = None) -> list[TaskRow]:
    """Every task with what is left, how long since it was touched and what is planned."""
    edits = edits or Edits()
    left = {t.id: t.estimate_minutes for t in remaining(states, blocks, edits, now,
                                                           interruptions)}
    planned = held_minutes(blocks, now)
    rows = [TaskRow(s, left.get(s.task.id, 0), s.task.stale_days(today),
                    planned.get(s.task.id, 0), s.origin) for s in states]
    return sorted(rows, key=lambda r: (r.state.done, not r.state.task.waiting_on_me,
                                       r.state.task.priority, r.state.task.id))
