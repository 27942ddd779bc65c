"""The home page and logging in and out (needed only off loopback)."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from makertime.web.deps import form_csrf
from makertime.web.pages.common import render
from makertime.web.security import FAILED_LOGIN_PAUSE, token_matches
from makertime.web.settings import WebSettings

router = APIRouter(include_in_schema=False)


def _next(target: str) -> str:
    """Where to go after logging in: a path of this app only."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/")
def home() -> Response:
    """The week is the home page."""
    return RedirectResponse("/week", status_code=303)


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    """The login form (only when a token is needed)."""
    return render(request, "login.html", {"next": _next(next)})


@router.post("/login", dependencies=[Depends(form_csrf)])
async def login(request: Request, token: Annotated[str, Form(max_length=512)],
                next: Annotated[str, Form(max_length=2048)] = "/") -> Response:
    """Log in with the token: a session cookie for the pages."""
    settings: WebSettings = request.app.state.settings
    if settings.token is None:
        return RedirectResponse(_next(next), status_code=303)
    if not token_matches(token, settings.token):
        await asyncio.sleep(FAILED_LOGIN_PAUSE)
        return render(request, "login.html", {"next": _next(next),
                                              "error": "that is not the token"}, status=401)
    request.session["auth"] = True
    return RedirectResponse(_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(form_csrf)])
def logout(request: Request) -> Response:
    """Forget the session."""
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
