"""The REST API under ``/api/v1``: one module per resource, each route parsing its request,
calling one function of ``makertime.app`` and returning the command line's JSON."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from makertime.web.api import audit, sources, tasks, team, week
from makertime.web.deps import api_csrf
from makertime.web.schemas import Problem

ERRORS: dict[int | str, dict[str, object]] = {
    status: {"model": Problem, "description": what} for status, what in (
        (400, "Bad input: the command line's one line"), (401, "A token is needed"),
        (403, "Refused: another site's page, or no CSRF token"),
        (404, "The store holds no such item"), (409, "No plan yet, or nothing to publish to"),
        (421, "Not this server's name"),
        (422, "The request cannot be read: the field and why"),
        (500, "A fault of makertime's (its log says where)"),
        (502, "A calendar server cannot be reached: what to check"),
        (503, "The store is busy or cannot be reached: try again"))}

router = APIRouter(prefix="/api/v1", dependencies=[Depends(api_csrf)], responses=ERRORS)
for module in (week, tasks, audit, team, sources):
    router.include_router(module.router)

__all__ = ["router"]
