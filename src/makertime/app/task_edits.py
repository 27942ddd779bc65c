"""Tasks added and edited through makertime, kept in the store alone: ``add_task`` and
``edit_task`` take the fields of a [[task]] table of tasks.toml (id, title, estimate, depth,
deadline, priority, min_block, progress, last_touched, waiting_on_me) as plain values.

The fields are checked by the code that reads tasks.toml (``tasks.task_from_fields``): the same
messages, the same bounds. A deadline without an offset is a local time of the current plan's
zone. makertime never writes an input: a task that comes from tasks.toml or a calendar's VTODO
is refused, with where to edit it. An added task is planned from the next plan or replan on;
when tasks.toml (or a VTODO) later lists its id, the source wins (see ``store.tasks``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from typing import TYPE_CHECKING

from makertime.app.options import clock_and_now, opened, zone_of
from makertime.errors import TasksError
from makertime.model import Task
from makertime.store import ADDED, TaskState

if TYPE_CHECKING:
    from makertime.store import Store


def add_task(fields: Mapping[str, object], *, now: str | None = None,
             db: str | Store | None = None) -> TaskState:
    """Add the task ``fields`` describe, as of ``now``; a TasksError naming the task and field
    when one is wrong, or when its id is taken."""
    with opened(db) as store:
        zone = zone_of(store)
        task = _checked(fields, zone)
        _, moment = clock_and_now(now, zone)
        return store.add_task(task, at=moment)


def edit_task(task_id: str, fields: Mapping[str, object], *, now: str | None = None,
              db: str | Store | None = None) -> TaskState:
    """Change the fields ``fields`` gives of the task ``task_id`` added through makertime, as of
    ``now`` (the others stay; its id cannot change). A new ``estimate`` is what is still needed
    from ``now`` on; a new ``progress`` alone scales what is left, as ``progress`` does."""
    given = fields.get("id", task_id)
    if not isinstance(given, str) or given.strip() != task_id:
        raise TasksError(f'task "{task_id}"', f"its id cannot change (to {given!r})",
                         "add a task with the new id, and mark this one done")
    with opened(db) as store:
        zone = zone_of(store)
        state = store.added_task(task_id)
        task = _checked({**_fields_of(state.task), **fields}, zone)
        _, moment = clock_and_now(now, zone)
        return store.edit_task(task, at=moment, changed=frozenset(map(str, fields)))


def _checked(fields: Mapping[str, object], zone: tzinfo) -> Task:
    """The task ``fields`` describe, checked as tasks.toml's tasks are."""
    from makertime.tasks import task_from_fields

    return task_from_fields(ADDED, fields, zone)


def _fields_of(task: Task) -> dict[str, object]:
    """A stored task as the fields of a [[task]] table (what an edit leaves out stays)."""
    fields: dict[str, object] = {
        "id": task.id, "title": task.title, "estimate": task.estimate_minutes,
        "depth": task.depth.value, "priority": task.priority, "progress": task.progress,
        "waiting_on_me": task.waiting_on_me}
    optional = {"deadline": task.deadline, "min_block": task.min_block_minutes,
                "last_touched": task.last_touched}
    fields.update({key: value for key, value in optional.items() if value is not None})
    return fields
