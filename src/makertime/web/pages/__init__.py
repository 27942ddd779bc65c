"""The pages: server-rendered templates over the same application layer the API calls. Every
action is a plain form posting with the session's CSRF token; small scripts served from
``static/`` enhance them (drag a block, drag a duty holder, results shown in place)."""

from __future__ import annotations

from fastapi import APIRouter

from makertime.web.pages import audit, login, sources, tasks, team, week

router = APIRouter(include_in_schema=False)
for module in (login, week, tasks, audit, team, sources):
    router.include_router(module.router)

__all__ = ["router"]
