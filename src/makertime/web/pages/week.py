"""The week page: the current plan drawn as a calendar (enhanced by ``static/week.js``), and
under it the same week as text with a form per action, so that everything works without
scripts: delete a block, replan, publish."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from makertime import app as ops
from makertime.app.block_edits import delete_block
from makertime.app.week_view import week_view
from makertime.errors import NoPlanError
from makertime.web.deps import Changing, Kept, Settings, form_csrf
from makertime.web.pages.common import missing, render
from makertime.web.shapes import publish_json, repaired_json, week_json

router = APIRouter()

Uid = Annotated[str, Path(max_length=255)]

TOTALS = (("focus_minutes", "Focus time", "minutes"),
          ("fragmented_minutes", "Fragmented time", "minutes"),
          ("effective_focus_minutes", "Effective focus", "minutes"),
          ("maker_days", "Maker days", "days"),
          ("sync_minutes", "Meetings and sync", "minutes"),
          ("after_hours_sync_minutes", "Sync after hours", "minutes"),
          ("switches", "Context switches", "count"))
"""The totals the week and audit pages compare before and with the plan."""


def by_day(week: dict[str, Any]) -> list[dict[str, Any]]:
    """The week's days, each with its blocks and commitments in time order."""
    items: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for block in week["blocks"]:
        items[block["start"][:10]].append({**block, "is_block": True})
    for commitment in week["commitments"]:
        items[commitment["start"][:10]].append({**commitment, "is_block": False})
    return [{**d, "items": sorted(items.get(d["date"], []), key=lambda i: i["start"])}
            for d in week["days"]]


@router.get("/week")
def week(request: Request, store: Kept, settings: Settings) -> Response:
    """The current plan's week."""
    try:
        shown = week_json(week_view(now=settings.now, db=store))
    except NoPlanError as error:
        return render(request, "week.html", {"week": None, "missing": missing(error)})
    return render(request, "week.html", {"week": shown, "days": by_day(shown),
                                         "totals": TOTALS})


@router.post("/week/blocks/{uid}/delete", dependencies=[Depends(form_csrf)])
def delete(request: Request, uid: Uid, store: Kept, settings: Settings,
           _: Changing) -> Response:
    """Delete a block (the form under the calendar); shows what changed."""
    done = delete_block(uid, now=settings.now, time_limit=settings.time_limit,
                        workers=settings.workers, db=store)
    return render(request, "changed.html", {"title": "Block deleted",
                                            "repair": repaired_json(done)})


@router.post("/week/replan", dependencies=[Depends(form_csrf)])
def replan(request: Request, store: Kept, settings: Settings, _: Changing) -> Response:
    """Repair the plan from now on; shows what changed."""
    done = ops.replan(now=settings.now, time_limit=settings.time_limit,
                      workers=settings.workers, db=store)
    return render(request, "changed.html", {"title": "Replanned",
                                            "repair": repaired_json(done)})


@router.post("/week/publish", dependencies=[Depends(form_csrf)])
def publish(request: Request, store: Kept, _: Changing) -> Response:
    """Publish the plan to its target; shows what was done there."""
    done = ops.publish(db=store)
    return render(request, "published.html", {"published": publish_json(done.report,
                                                                          done.zone)})
