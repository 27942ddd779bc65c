"""The sources and policy page: the remembered calendars (add, forget) and the policy in
effect, setting by setting, with each default's unit, evidence grade and source."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import Response

from makertime import app as ops
from makertime.web.deps import Changing, Kept, form_csrf
from makertime.web.pages.common import back, render
from makertime.web.schemas import ID
from makertime.web.shapes import policy_json, source_json

router = APIRouter()

Name = Annotated[str, Path(max_length=ID)]


@router.get("/sources")
def sources(request: Request, store: Kept) -> Response:
    """The remembered sources and the policy in effect."""
    from makertime.app.policy_view import policy_in_effect

    kept = [source_json(s) for s in ops.list_sources(db=store)]
    return render(request, "sources.html", {"sources": kept,
                                            "policy": policy_json(policy_in_effect(db=store))})


@router.post("/sources", dependencies=[Depends(form_csrf)])
def add(name: Annotated[str, Form(max_length=ID)], url: Annotated[str, Form(max_length=4096)],
        store: Kept, _: Changing) -> Response:
    """Remember a calendar by name."""
    ops.add_source(name.strip(), url.strip(), db=store)
    return back("/sources")


@router.post("/sources/{name}/remove", dependencies=[Depends(form_csrf)])
def remove(name: Name, store: Kept, _: Changing) -> Response:
    """Forget a source (its calendar is not touched)."""
    ops.remove_source(name, db=store)
    return back("/sources")
