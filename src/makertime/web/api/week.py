"""The week and its plan: read it, plan afresh, replan, move or delete a block, publish."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as InPath
from fastapi.responses import Response

from makertime import app as ops
from makertime.app.block_edits import delete_block, move_block
from makertime.app.week_view import week_view
from makertime.web.answers import Answers
from makertime.web.bodies import MoveRequest, PlanRequest, PublishRequest, ReplanRequest
from makertime.web.deps import Changing, Kept, Settings
from makertime.web.schemas import Plan, Publish, Repair, Week
from makertime.web.shapes import plan_json, publish_json, repaired_json, week_json

router = APIRouter(tags=["week"])

Uid = Annotated[str, InPath(max_length=255, description="The block's UID (the week's blocks "
                                                        "give it).")]


@router.get("/week", response_model=Week)
async def read_week(request: Request, store: Kept, settings: Settings) -> Response:
    """The current plan's week: blocks (pinned? movable?), commitments, days, ledger, totals.
    (On the event loop, as ``GET /tasks``: a read of a store already open; the same plan as of
    the same minute is rendered once, see ``web.answers``.)"""
    view = week_view(now=settings.now, db=store)
    answers: Answers = request.app.state.answers
    return answers.json(("week", view.stored.id, view.now, str(view.zone)),
                        lambda: week_json(view))


@router.get("/plan", response_model=Plan)
def read_plan(store: Kept) -> dict[str, Any]:
    """The current plan, as ``makertime plan --json`` printed it."""
    return plan_json(ops.current_plan(store).result)


@router.post("/plan", response_model=Plan)
def make_plan(body: PlanRequest, store: Kept, settings: Settings, _: Changing) -> dict[str, Any]:
    """Plan afresh (``makertime plan``): the calendars (none: every remembered source), the
    tasks and policy files, the dates; publish to ``publish`` when given."""
    ops.plan(body.cals, tasks=Path(body.tasks) if body.tasks else None,
             policy=Path(body.policy) if body.policy else None, first=body.first,
             last=body.last, now=body.now or settings.now,
             time_limit=settings.search_seconds(body.time_limit), workers=settings.workers,
             publish=body.publish, db=store)
    return plan_json(ops.current_plan(store).result)


@router.post("/replan", response_model=Repair)
def replan(body: ReplanRequest, store: Kept, settings: Settings, _: Changing) -> dict[str, Any]:
    """Repair the current plan from now on (``makertime replan``)."""
    return repaired_json(ops.replan(publish=body.publish, dry_run=body.dry_run,
                                    now=body.now or settings.now,
                                    time_limit=settings.search_seconds(body.time_limit),
                                    workers=settings.workers, db=store))


@router.post("/blocks/{uid}/move", response_model=Repair)
def move(uid: Uid, body: MoveRequest, store: Kept, settings: Settings,
         _: Changing) -> dict[str, Any]:
    """Move a block to a new start: it is pinned there (as a move in your calendar is) and
    the rest of the week is repaired around it."""
    return repaired_json(move_block(uid, body.start, now=body.now or settings.now,
                                    time_limit=settings.time_limit, workers=settings.workers,
                                    db=store))


@router.delete("/blocks/{uid}", response_model=Repair)
def delete(uid: Uid, store: Kept, settings: Settings, _: Changing) -> dict[str, Any]:
    """Delete a block: its stretch is ruled out for its task, and the week is repaired."""
    return repaired_json(delete_block(uid, now=settings.now, time_limit=settings.time_limit,
                                      workers=settings.workers, db=store))


@router.post("/publish", response_model=Publish)
def publish(body: PublishRequest, store: Kept, _: Changing) -> dict[str, Any]:
    """Publish the current plan to its target (``makertime publish``)."""
    done = ops.publish(dry_run=body.dry_run, db=store)
    return publish_json(done.report, done.zone)
