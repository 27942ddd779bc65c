"""The team's rotation: the kept one as it stands, a new plan, a swap, the duty history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter

from makertime.web.bodies import SwapRequest, TeamPlanRequest
from makertime.web.deps import Changing, Kept, Settings
from makertime.web.schemas import Rotation

router = APIRouter(prefix="/team", tags=["team"])


@router.get("", response_model=Rotation)
def kept(store: Kept, settings: Settings) -> dict[str, Any]:
    """The newest kept rotation, each member's maker time measured as it stands."""
    from makertime.app.team_view import kept_team
    from makertime.outputs.team_json import rotation_json

    done = kept_team(time_limit=settings.time_limit, db=store)
    return rotation_json(done.rotation, done.team)


@router.post("/plan", response_model=Rotation)
def plan(body: TeamPlanRequest, store: Kept, settings: Settings, _: Changing) -> dict[str, Any]:
    """Rotate the team of a team.toml over ``from``..``to`` (``makertime team plan``)."""
    from makertime.app.team_ops import team_plan
    from makertime.outputs.team_json import rotation_json

    done = team_plan(Path(body.team), first=body.first, last=body.last,
                     time_limit=settings.search_seconds(body.time_limit),
                     workers=settings.workers, db=store)
    return rotation_json(done.rotation, done.team)


@router.post("/swap", response_model=Rotation)
def swap(body: SwapRequest, store: Kept, settings: Settings, _: Changing) -> dict[str, Any]:
    """Two members exchange what they hold on a date; the rest is re-solved only as far as
    the rules then demand (``makertime team swap``)."""
    from makertime.app.team_ops import team_swap
    from makertime.outputs.team_json import rotation_json

    done = team_swap(body.one, body.other, body.date,
                     team_path=Path(body.team) if body.team else None,
                     time_limit=settings.time_limit, workers=settings.workers, db=store)
    return rotation_json(done.rotation, done.team)
