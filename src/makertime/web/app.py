"""The web app: FastAPI over the one store, the REST API under ``/api/v1``, the pages, the
vendored assets; security and errors installed once here."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import import_module
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from makertime import __version__
from makertime.errors import OptionError
from makertime.store import open_store
from makertime.web import errors
from makertime.web.answers import Answers
from makertime.web.changes import ChangeLock
from makertime.web.security import HEADERS, SESSION_COOKIE, SESSION_SECONDS, Guard
from makertime.web.settings import WebSettings

HERE = Path(__file__).parent

DESCRIPTION = """makertime's REST API: the operations of the command line over the same store,
in the shapes its `--json` prints (times ISO 8601 with their offset, minutes as integers).

On loopback no token is needed. Served anywhere else, every request carries
`Authorization: Bearer TOKEN`. A bad request is a 4xx whose body is `{"error": "…", "status": N}`
with the line the command line prints; a calendar server out of reach is a 502, a busy store a
503."""


def create_app(settings: WebSettings) -> FastAPI:
    """The app serving ``settings.db`` (opened at start-up, kept open, closed at shutdown);
    an OptionError for settings off loopback without a token (the ``Host`` check that guards
    loopback means nothing to a client elsewhere, who may send any name)."""
    from makertime.web.api import router as api
    from makertime.web.pages import router as pages

    if settings.token is None and not settings.loopback:
        raise OptionError("token", f"missing: {settings.host} is not loopback, and off "
                          "loopback every request must carry a token",
                          "set one (makertime serve makes one when MAKERTIME_TOKEN is unset)")
    settings = settings if settings.secret else _with_secret(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = app.state.store = open_store(settings.db)
        app.state.changing = ChangeLock(store.url)
        # the planner (OR-Tools) and the calendars' libraries load now, in every process,
        # not in the first replan a person waits for
        import_module("makertime.plan.cpsat")
        import_module("makertime.publish.journalled")
        try:
            yield
        finally:
            store.close()

    app = FastAPI(title="makertime", version=__version__, description=DESCRIPTION,
                  openapi_url="/api/v1/openapi.json", docs_url=None, redoc_url=None,
                  lifespan=lifespan)
    app.state.settings = settings
    app.state.answers = Answers()
    app.state.templates = templates()
    app.add_middleware(Guard)
    # added last, so it runs first: the guard reads the session
    app.add_middleware(SessionMiddleware, secret_key=settings.secret,
                       session_cookie=SESSION_COOKIE, max_age=SESSION_SECONDS,
                       same_site="strict", https_only=settings.https)
    errors.install(app, HEADERS)
    app.include_router(api)
    app.include_router(pages)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app


SETTINGS_VARIABLE = "MAKERTIME_WEB_SETTINGS"
"""How ``makertime serve`` hands its settings to the processes it starts (this user's alone)."""


def from_environment() -> FastAPI:
    """The app of the settings ``makertime serve`` put in the environment: what each of its
    processes runs."""
    import json

    return create_app(WebSettings(**json.loads(os.environ[SETTINGS_VARIABLE])))


def templates() -> Jinja2Templates:
    """The pages' templates (autoescaped: calendar text is shown as text)."""
    found = Jinja2Templates(directory=HERE / "templates")
    found.env.autoescape = True
    return found


def _with_secret(settings: WebSettings) -> WebSettings:
    from dataclasses import replace

    return replace(settings, secret=secrets.token_urlsafe(32))


__all__ = ["create_app"]
