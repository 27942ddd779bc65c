"""The tasks page (each task's progress, what is left and planned, its badges; done, progress,
add and edit forms) and the interruptions page (log one with one tap, correct, forget)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import Response

from makertime import app as ops
from makertime.app.week_view import week_view
from makertime.errors import NoPlanError
from makertime.web.deps import Changing, Kept, Settings, form_csrf
from makertime.web.pages.common import back, render
from makertime.web.schemas import TEXT
from makertime.web.shapes import costly_json, task_json, week_json

router = APIRouter()

TaskId = Annotated[str, Path(max_length=255)]
Number = Annotated[int, Path(ge=1, le=2_147_483_647)]
STALE_DAYS = 7
"""A task untouched this many days or more is shown as stale."""


@router.get("/tasks")
def tasks(request: Request, store: Kept, settings: Settings, all: bool = False) -> Response:
    """Every open task (``all``: done ones too), and the plan's ledger."""
    listed = ops.task_list(include_done=all, now=settings.now, db=store)
    rows = [task_json(r, listed.now) for r in listed.rows]
    try:
        ledger = week_json(week_view(now=settings.now, db=store))["tasks"]
    except NoPlanError:
        ledger = None
    return render(request, "tasks.html", {"tasks": rows, "all": all, "ledger": ledger,
                                          "stale_days": STALE_DAYS})


@router.post("/tasks/{task_id}/done", dependencies=[Depends(form_csrf)])
def done(task_id: TaskId, store: Kept, settings: Settings, _: Changing) -> Response:
    """Mark a task done."""
    ops.done(task_id, now=settings.now, db=store)
    return back("/tasks")


@router.post("/tasks/{task_id}/progress", dependencies=[Depends(form_csrf)])
def progress(task_id: TaskId, percent: Annotated[float, Form(ge=0, le=100)], store: Kept,
             settings: Settings, _: Changing) -> Response:
    """Log how near done a task is, in percent."""
    ops.progress(task_id, percent / 100, now=settings.now, db=store)
    return back("/tasks")


def _fields(*, title: str, estimate: str, depth: str, deadline: str, priority: int,
            min_block: str, waiting_on_me: bool) -> dict[str, object]:
    """A task form's fields as tasks.toml's keys (an empty field is left out)."""
    given: dict[str, object] = {"title": title.strip(), "estimate": estimate.strip(),
                                "depth": depth, "priority": priority,
                                "waiting_on_me": waiting_on_me}
    if deadline.strip():
        given["deadline"] = deadline.strip()
    if min_block.strip():
        given["min_block"] = min_block.strip()
    return {key: value for key, value in given.items() if value != ""}


Short = Annotated[str, Form(max_length=40)]
Title = Annotated[str, Form(max_length=TEXT)]


@router.post("/tasks/add", dependencies=[Depends(form_csrf)])
def add(*, store: Kept, settings: Settings, _: Changing,
        id: Annotated[str, Form(max_length=255)], title: Title, estimate: Short,
        depth: Short = "deep", deadline: Short = "",
        priority: Annotated[int, Form(ge=1, le=5)] = 3, min_block: Short = "",
        waiting_on_me: Annotated[bool, Form()] = False) -> Response:
    """Add a task (kept in makertime's store; planned from the next replan on)."""
    from makertime.app.task_edits import add_task

    fields = {"id": id.strip(), **_fields(
        title=title, estimate=estimate, depth=depth, deadline=deadline, priority=priority,
        min_block=min_block, waiting_on_me=waiting_on_me)}
    add_task(fields, now=settings.now, db=store)
    return back(f"/tasks#task-{id.strip()}")


@router.post("/tasks/{task_id}/edit", dependencies=[Depends(form_csrf)])
def edit(task_id: TaskId, *, store: Kept, settings: Settings, _: Changing, title: Title,
         estimate: Short, depth: Short = "deep", deadline: Short = "",
         priority: Annotated[int, Form(ge=1, le=5)] = 3, min_block: Short = "",
         waiting_on_me: Annotated[bool, Form()] = False) -> Response:
    """Change a task added here."""
    from makertime.app.task_edits import edit_task

    edit_task(task_id, _fields(title=title, estimate=estimate, depth=depth, deadline=deadline,
                               priority=priority, min_block=min_block,
                               waiting_on_me=waiting_on_me), now=settings.now, db=store)
    return back(f"/tasks#task-{task_id}")


@router.get("/interruptions")
def interruptions(request: Request, store: Kept) -> Response:
    """Every logged interruption and the focus it cost; the one-tap form."""
    found = ops.interruptions(db=store)
    rows = [costly_json(c, found.zone) for c in reversed(found.rows)]
    return render(request, "interruptions.html", {"rows": rows, "quick": (5, 15, 30, 60)})


@router.post("/interruptions", dependencies=[Depends(form_csrf)])
def interrupt(store: Kept, settings: Settings, _: Changing,
              minutes: Annotated[int | None, Form(ge=1, le=24 * 60)] = None,
              other: Annotated[int | None, Form(ge=1, le=24 * 60)] = None,
              text: Annotated[str, Form(max_length=TEXT)] = "") -> Response:
    """Log an interruption that just ended: ``minutes`` from a one-tap button, else the
    ``other`` field (no text: "interrupted")."""
    ops.interrupt(text.strip() or "interrupted", minutes=minutes or other, now=settings.now,
                  db=store)
    return back("/interruptions")


@router.post("/interruptions/{number}/minutes", dependencies=[Depends(form_csrf)])
def correct(number: Number, minutes: Annotated[int, Form(ge=1, le=24 * 60)], store: Kept,
            _: Changing) -> Response:
    """Correct how long an interruption lasted."""
    ops.interrupt(edit=number, minutes=minutes, db=store)
    return back("/interruptions")


@router.post("/interruptions/{number}/remove", dependencies=[Depends(form_csrf)])
def forget(number: Number, store: Kept, _: Changing) -> Response:
    """Forget an interruption."""
    ops.interrupt(remove=number, db=store)
    return back("/interruptions")
