"""What routes are given (FastAPI ``Annotated`` dependencies): the one store the app keeps open,
its settings, the lock every change takes (one change at a time, as the command line's runs are
one at a time), and the CSRF checks of unsafe requests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from makertime.store import Store
from makertime.web.changes import ChangeLock
from makertime.web.security import SAFE, csrf_ok, from_browser
from makertime.web.settings import WebSettings

NO_CSRF = ("the request carries no valid CSRF token (X-CSRF-Token): reload the page and try "
           "again")


async def settings_of(request: Request) -> WebSettings:
    """The app's settings."""
    settings: WebSettings = request.app.state.settings
    return settings


async def store_of(request: Request) -> Store:
    """The store the app serves (open for the app's life)."""
    store: Store = request.app.state.store
    return store


def writing(request: Request) -> Iterator[None]:
    """Hold the store's change lock (``web.changes``): a change sees the plan the one before
    it saved, whichever of the server's processes made it."""
    lock: ChangeLock = request.app.state.changing
    with lock.held():
        yield


async def api_csrf(request: Request) -> None:
    """An unsafe API request from a browser carries the session's CSRF token in a header (a
    script with the bearer token, or on loopback with no browser's headers, needs none)."""
    if request.method in SAFE or getattr(request.state, "bearer", False):
        return
    if from_browser(request) and not csrf_ok(request, request.headers.get("x-csrf-token")):
        raise HTTPException(403, NO_CSRF)


async def form_csrf(request: Request) -> None:
    """A form posted by a page carries the session's CSRF token (field ``csrf``)."""
    if request.method in SAFE:
        return
    given = request.headers.get("x-csrf-token")
    if given is None:
        form = await request.form()
        field = form.get("csrf")
        given = field if isinstance(field, str) else None
    if not csrf_ok(request, given):
        raise HTTPException(403, NO_CSRF)


Settings = Annotated[WebSettings, Depends(settings_of)]
Kept = Annotated[Store, Depends(store_of)]
Changing = Annotated[None, Depends(writing)]

__all__ = ["Changing", "Kept", "Settings", "api_csrf", "form_csrf", "store_of", "writing"]
