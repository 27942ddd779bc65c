"""Tasks and interruptions: list, add, edit, done, progress; log, correct, forget."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from makertime import app as ops
from makertime.web.bodies import InterruptionRequest, MinutesRequest, ProgressRequest, TaskFields
from makertime.web.deps import Changing, Kept, Settings
from makertime.web.schemas import Interruption, TaskRow
from makertime.web.shapes import costly_json, local, task_json

router = APIRouter(tags=["tasks"])

Number = Annotated[int, Path(ge=1, le=2_147_483_647, description="The interruption's id.")]
TaskId = Annotated[str, Path(max_length=255, description="The task's id.")]


def _row(store: Kept, settings: Settings, task_id: str) -> dict[str, Any]:
    listed = ops.task_list(include_done=True, now=settings.now, db=store)
    return next(task_json(r, listed.now) for r in listed.rows if r.state.task.id == task_id)


# The two reads people repeat most (the week, the tasks) run on the event loop: each is a few
# indexed queries of a store already open, well under a millisecond of waiting, and two hops
# to a worker thread (the route, then its answer's validation) would cost more than that.


@router.get("/tasks", response_model=list[TaskRow])
async def list_tasks(store: Kept, settings: Settings,
                     all: bool = False) -> list[dict[str, Any]]:
    """Every open task (``all``: done ones too): progress, time left, planned, staleness."""
    listed = ops.task_list(include_done=all, now=settings.now, db=store)
    return [task_json(r, listed.now) for r in listed.rows]


@router.post("/tasks", response_model=TaskRow, status_code=201)
def add_task(body: TaskFields, store: Kept, settings: Settings, _: Changing) -> dict[str, Any]:
    """Add a task (the fields of a [[task]] in tasks.toml); it is kept in the store."""
    from makertime.app.task_edits import add_task as add

    state = add(body.model_dump(exclude_none=True), now=settings.now, db=store)
    return _row(store, settings, state.task.id)


@router.patch("/tasks/{task_id}", response_model=TaskRow)
def edit_task(task_id: TaskId, body: TaskFields, store: Kept, settings: Settings,
              _: Changing) -> dict[str, Any]:
    """Change a task added here (one from tasks.toml or a calendar is edited there)."""
    from makertime.app.task_edits import edit_task as edit

    edit(task_id, body.model_dump(exclude_none=True), now=settings.now, db=store)
    return _row(store, settings, task_id)


@router.post("/tasks/{task_id}/done", response_model=TaskRow)
def done(task_id: TaskId, store: Kept, settings: Settings, _: Changing) -> dict[str, Any]:
    """Mark a task done: its future blocks go at the next replan."""
    ops.done(task_id, now=settings.now, db=store)
    return _row(store, settings, task_id)


@router.post("/tasks/{task_id}/progress", response_model=TaskRow)
def progress(task_id: TaskId, body: ProgressRequest, store: Kept, settings: Settings,
             _: Changing) -> dict[str, Any]:
    """Log how near done a task is (0 to 1); what is left of its estimate shrinks to match."""
    ops.progress(task_id, body.fraction, now=settings.now, db=store)
    return _row(store, settings, task_id)


@router.get("/interruptions", response_model=list[Interruption])
def interruptions(store: Kept) -> list[dict[str, Any]]:
    """Every logged interruption, with the focus each cost."""
    found = ops.interruptions(db=store)
    return [costly_json(c, found.zone) for c in found.rows]


def _costly(store: Kept, number: int) -> dict[str, Any]:
    found = ops.interruptions(db=store)
    return next(costly_json(c, found.zone) for c in found.rows if c.id == number)


@router.post("/interruptions", response_model=Interruption, status_code=201)
def interrupt(body: InterruptionRequest, store: Kept, settings: Settings,
              _: Changing) -> dict[str, Any]:
    """Log an interruption: what, how many minutes, begun ``at`` (HH:MM; default: it just
    ended)."""
    logged = ops.interrupt(body.text, minutes=body.minutes, at=body.at,
                           now=body.now or settings.now, db=store)
    assert isinstance(logged, ops.Logged) and logged.item.id is not None
    return _costly(store, logged.item.id)


@router.patch("/interruptions/{number}", response_model=Interruption)
def correct(number: Number, body: MinutesRequest, store: Kept, _: Changing) -> dict[str, Any]:
    """Correct how long an interruption lasted."""
    ops.interrupt(edit=number, minutes=body.minutes, db=store)
    return _costly(store, number)


@router.delete("/interruptions/{number}", response_model=Interruption)
def forget(number: Number, store: Kept, _: Changing) -> dict[str, Any]:
    """Forget an interruption; returns what it was."""
    removed = ops.interrupt(remove=number, db=store)
    assert isinstance(removed, ops.Removed)
    item = removed.gone
    return {"id": number, "text": item.text, "start": local(item.start, removed.zone),
            "minutes": item.minutes, "focus_lost": None}
