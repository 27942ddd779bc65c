"""Tasks and their progress.

A task's estimate is the time still needed. The store remembers what the task's source said
last (``read_*``): reading the same file again leaves the progress a person logged since alone,
while an edited estimate or progress in the file replaces it.

A task added through makertime (origin ``makertime``) is kept here alone, and what it was given
last is its ``read_*``. Saving the tasks read from the sources never drops it; when a source
lists its id, the source wins: the task is taken as the source gives it, as a new one, and from
then on it comes from that source.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from makertime.errors import StoreError, TasksError, UnknownItem, param
from makertime.limits import limit
from makertime.model import Task
from makertime.store import mapping
from makertime.store.records import ADDED, FROM_CALENDAR, FROM_FILE, TaskState
from makertime.store.tables import TaskRow

SHOW_KNOWN = 5


def save_tasks(session: Session, tasks: Sequence[Task], at: datetime,
               tasks_file: str | None = None) -> None:
    """Insert or update ``tasks`` by id; an estimate or progress that changed in the source
    is taken with ``estimate_at = at``. Done tasks stay done; tasks not given are kept. A task
    whose source is ``tasks_file`` comes from tasks.toml, any other from a calendar."""
    latest = {task.id: task for task in tasks}
    query = select(TaskRow).where(TaskRow.id.in_(latest)).with_for_update()
    rows = {row.id: row for row in session.scalars(query)} if latest else {}
    for value in latest.values():
        row = rows.get(value.id)
        new = row is None or row.origin == ADDED  # a source listing an added task wins
        if row is None:
            row = TaskRow(id=value.id, last_touched=None, done=False, done_at=None)
            session.add(row)
        mapping.describe_task(row, value)
        row.origin = FROM_FILE if value.source == tasks_file else FROM_CALENDAR
        if new or (value.estimate_minutes, value.progress) != (row.read_estimate_minutes,
                                                               row.read_progress):
            _take_estimate(row, value, at)


def add_task(session: Session, value: Task, at: datetime) -> TaskState:
    """Keep ``value`` as a task added through makertime, its estimate and progress set at
    ``at``; a TasksError when its id is taken (by a task of any origin) or when the open added
    tasks already number the ``tasks.count`` one plan takes."""
    found = session.get(TaskRow, value.id, with_for_update=True)
    if found is not None:
        raise TasksError(f'task "{value.id}"', f"already exists ({_whence(found)})",
                         "give the new task another id")
    most = limit("tasks.count")
    held = session.scalar(select(func.count()).select_from(TaskRow).where(
        TaskRow.origin == ADDED, TaskRow.done.is_(False)))
    if held is not None and held >= most:
        raise TasksError(f'task "{value.id}"', f"would be one more than the {most:,} open "
                         "added tasks one plan takes", "mark the finished ones done first")
    row = TaskRow(id=value.id, last_touched=None, done=False, done_at=None, origin=ADDED)
    session.add(row)
    mapping.describe_task(row, value)
    _take_estimate(row, value, at)
    return mapping.task_state(row)


def added_task(session: Session, task_id: str) -> TaskState:
    """Task ``task_id``, which must have been added through makertime: a StoreError when
    there is no such task, a TasksError naming the input it comes from otherwise."""
    return mapping.task_state(_added_row(session, task_id))


def edit_task(session: Session, value: Task, at: datetime,
              changed: Collection[str]) -> TaskState:
    """Change the added task ``value.id`` to ``value``. Its estimate and progress change only
    when ``changed`` names them: a new ``estimate`` is taken with its progress as a source's
    edit is (set at ``at``); a new ``progress`` alone is logged as ``set_progress`` logs it.
    Progress 1 marks the task done, less reopens it. The errors of ``added_task``."""
    row = _added_row(session, value.id)
    mapping.describe_task(row, value)
    row.last_touched = value.last_touched  # as given: an edit may also set it back
    if "estimate" in changed:
        _take_estimate(row, value, at)
        if value.progress < 1:
            row.done, row.done_at = False, None
    elif "progress" in changed:
        return set_progress(session, value.id, value.progress, at)
    return mapping.task_state(row)


def _added_row(session: Session, task_id: str) -> TaskRow:
    """The row of the added task ``task_id``, locked for the update (the errors of
    ``added_task``)."""
    row = _row(session, task_id)
    if row.origin != ADDED:
        source = "tasks.toml" if row.origin == FROM_FILE else "its calendar's VTODO"
        raise TasksError(f'task "{task_id}"', f"comes from {_whence(row)}, not makertime",
                         f"edit it in {source}: makertime never writes its inputs")
    return row


def _take_estimate(row: TaskRow, value: Task, at: datetime) -> None:
    """``value``'s estimate and progress, as its source gives them, set at ``at``."""
    row.estimate_minutes = row.read_estimate_minutes = value.estimate_minutes
    row.progress = row.read_progress = value.progress
    row.estimate_at = at
    if value.progress >= 1 and not row.done:
        row.done, row.done_at = True, at


def _whence(row: TaskRow) -> str:
    """Where a stored task comes from, for a message."""
    if row.origin == ADDED:
        return "added through makertime"
    if row.origin == FROM_FILE:
        return f"tasks.toml {row.source}" if row.source else "tasks.toml"
    return f"the calendar {row.source}" if row.source else "a calendar"


def tasks(session: Session, include_done: bool = False) -> list[TaskState]:
    """Tasks by id; done ones only when asked."""
    query = select(TaskRow).order_by(TaskRow.id)
    if not include_done:
        query = query.where(TaskRow.done.is_(False))
    return [mapping.task_state(row) for row in session.scalars(query)]


def task(session: Session, task_id: str) -> TaskState | None:
    """Task ``task_id``, or None."""
    row = session.get(TaskRow, task_id)
    return None if row is None else mapping.task_state(row)


def set_progress(session: Session, task_id: str, fraction: float, at: datetime) -> TaskState:
    """Set how near done a task is; the remaining estimate shrinks (or grows) in proportion.
    ``last_touched`` becomes the date of ``at`` in its own zone; 1.0 marks the task done."""
    if not (0.0 <= fraction <= 1.0):  # also refuses NaN
        raise StoreError(f'task "{task_id}"', f"progress {fraction} is not between 0 and 1",
                         "give the done fraction, e.g. 0.5")
    row = _row(session, task_id)
    if row.progress < 1:
        row.estimate_minutes = round(row.estimate_minutes * (1 - fraction) / (1 - row.progress))
    elif row.read_progress < 1:  # reopened: the whole, as the source last gave it, is the base
        whole = row.read_estimate_minutes / (1 - row.read_progress)
        row.estimate_minutes = round(whole * (1 - fraction))
    row.progress = fraction
    row.estimate_at = at
    row.last_touched = at.date()
    done = fraction >= 1.0
    if done and not row.done:
        row.done_at = at
    row.done = done
    if not done:
        row.done_at = None
    return mapping.task_state(row)


def mark_done(session: Session, task_id: str, at: datetime) -> TaskState:
    """Mark a task done at ``at`` (nothing remains of its estimate); done tasks stay as they are."""
    row = _row(session, task_id)
    if not row.done:
        row.done, row.done_at = True, at
        row.progress, row.estimate_minutes, row.estimate_at = 1.0, 0, at
        row.last_touched = at.date()
    return mapping.task_state(row)


def _row(session: Session, task_id: str) -> TaskRow:
    """The row of ``task_id``, locked for the update, or a StoreError naming known ids."""
    row = session.get(TaskRow, task_id, with_for_update=True)
    if row is not None:
        return row
    known = list(session.scalars(select(TaskRow.id).order_by(TaskRow.id)))
    if not known:
        raise UnknownItem(f'task "{task_id}"', "the store holds no tasks yet",
                         f"plan with {param('tasks')} first, then run `makertime tasks`")
    near = difflib.get_close_matches(task_id, known, n=SHOW_KNOWN)
    shown = near or known[:SHOW_KNOWN]
    more = ", …" if len(known) > len(shown) else ""
    raise UnknownItem(f'task "{task_id}"', f"no such task (known: {', '.join(shown)}{more})",
                     "run `makertime tasks` to list them")
