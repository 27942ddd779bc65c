"""The team page: the kept rotation as a grid of dates by duties (drag one holder onto another
to swap them, ``static/team.js``; or the swap form), each member's maker time and load, the
fairness, and the slots nobody could hold."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from makertime.errors import NoPlanError
from makertime.web.deps import Changing, Kept, Settings, form_csrf
from makertime.web.pages.common import missing, render
from makertime.web.schemas import ID, WHEN

router = APIRouter()


def grid(rotation: dict[str, Any]) -> dict[str, Any]:
    """The rotation as rows of dates by columns of duties; each cell the holders there."""
    names = {m["id"]: m["name"] for m in rotation["members"]}
    duties: list[str] = []
    cells: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for held in rotation["assignments"]:
        if held["duty"] not in duties:
            duties.append(held["duty"])
        cells[held["start"][:10]][held["duty"]].append({**held,
                                                        "name": names.get(held["member"],
                                                                          held["member"])})
    for hole in rotation["uncovered"]:
        if hole["duty"] not in duties:
            duties.append(hole["duty"])
    return {"duties": duties, "rows": [(date, cells[date]) for date in sorted(cells)]}


def _shown(request: Request, rotation: dict[str, Any], changed: bool = False) -> Response:
    members = [{**m, "gain": m["focus_after_minutes"] - m["focus_before_minutes"]}
               for m in rotation["members"]]
    return render(request, "team.html", {"rotation": rotation, "grid": grid(rotation),
                                         "members": members, "changed": changed})


@router.get("/team")
def team(request: Request, store: Kept, settings: Settings) -> Response:
    """The kept rotation, its members' maker time measured as it stands."""
    from makertime.app.team_view import kept_team
    from makertime.outputs.team_json import rotation_json

    try:
        done = kept_team(time_limit=settings.time_limit, db=store)
    except NoPlanError as error:
        return render(request, "team.html", {"rotation": None, "missing": missing(error)})
    return _shown(request, rotation_json(done.rotation, done.team))


@router.post("/team/swap", dependencies=[Depends(form_csrf)])
def swap(request: Request, store: Kept, settings: Settings, _: Changing, *,
         one: Annotated[str, Form(max_length=ID)], other: Annotated[str, Form(max_length=ID)],
         date: Annotated[str, Form(max_length=WHEN)]) -> Response:
    """Two members exchange what they hold on a date; shows the new grid and what changed."""
    from makertime.app.team_ops import team_swap
    from makertime.outputs.team_json import rotation_json

    done = team_swap(one.strip(), other.strip(), date.strip(), time_limit=settings.time_limit,
                     workers=settings.workers, db=store)
    return _shown(request, rotation_json(done.rotation, done.team), changed=True)
