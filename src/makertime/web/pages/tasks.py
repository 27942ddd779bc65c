"""The tasks page (each task's progress, what is left and planned, its badges; done and
progress forms) and the interruptions page (log one with one tap, correct, forget)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import Response

from makertime import app as ops
from makertime.app.options import clock_and_now, zone_of
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
    _, now = clock_and_now(settings.now, zone_of(store))
    rows = [task_json(r, now) for r in ops.tasks(include_done=all, now=settings.now, db=store)]
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
