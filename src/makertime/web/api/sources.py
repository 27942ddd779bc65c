"""Remembered sources and the policy in effect (with every default's source and grade)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response

from makertime import app as ops
from makertime.web.bodies import SourceRequest
from makertime.web.deps import Changing, Kept
from makertime.web.schemas import PolicyShown, Source
from makertime.web.shapes import policy_json, source_json

router = APIRouter(tags=["sources"])

Name = Annotated[str, Path(max_length=255, description="The source's name.")]


@router.get("/sources", response_model=list[Source])
def sources(store: Kept) -> list[dict[str, Any]]:
    """The remembered sources (their URLs; never a password)."""
    return [source_json(s) for s in ops.list_sources(db=store)]


@router.post("/sources", response_model=Source, status_code=201)
def add(body: SourceRequest, store: Kept, _: Changing) -> dict[str, Any]:
    """Remember a calendar by name (a CalDAV collection is read once now)."""
    source, objects = ops.add_source(body.name, body.url, db=store)
    return source_json(source, objects)


@router.delete("/sources/{name}", status_code=204, response_class=Response)
def remove(name: Name, store: Kept, _: Changing) -> None:
    """Forget a source (its calendar is not touched)."""
    ops.remove_source(name, db=store)


@router.get("/policy", response_model=PolicyShown)
def policy(store: Kept) -> dict[str, Any]:
    """The current plan's policy, setting by setting, with each default's source and evidence
    grade; or the one line that says why its policy.toml cannot be used."""
    from makertime.app.policy_view import policy_in_effect

    return policy_json(policy_in_effect(db=store))
