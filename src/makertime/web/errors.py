"""makertime's errors as HTTP answers, in one place: a person's mistake is a 4xx with the
same one line the command line prints; a calendar server out of reach a 502, a busy store a
503 with what to check; a request the API cannot read a 422 naming the field. Anything else is
a fault of makertime's: a 500 that says only that, the detail going to the server's log."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from makertime.errors import (
    Conflict,
    MakertimeError,
    NoPlanError,
    ServerError,
    StoreBusyError,
    UnavailableError,
    UnknownItem,
)
from makertime.text import clean

log = logging.getLogger("makertime.web")

API = "/api/"


def status_of(error: MakertimeError) -> int:
    """The HTTP status of one of makertime's errors."""
    statuses: list[tuple[type[MakertimeError], int]] = [
        (UnknownItem, 404), (NoPlanError, 409), (Conflict, 409), (ServerError, 502),
        (StoreBusyError, 503), (UnavailableError, 503)]
    return next((status for kind, status in statuses if isinstance(error, kind)), 400)


FIELDS = {"first": "from", "last": "to", "day": "date"}
"""Each parameter an error may name (``makertime.errors.param``) that the API's request calls
otherwise: its field's name."""
CALENDARS = "CAL"
"""How the reading of calendars names the calendars asked for (the command line's argument);
the API's field is ``cals``."""


def field(parameter: str) -> str:
    """How the API asks for ``parameter``: its field's name."""
    return FIELDS.get(parameter, parameter)


def line(error: MakertimeError) -> str:
    """The error's one line, each parameter named as the API's field is."""
    if error.where == CALENDARS:
        return clean(f"cals: {error.detail}", chars=2000)
    return clean(error.render(field), chars=2000)


def answer(request: Request, status: int, message: str,
           headers: dict[str, str] | None = None) -> Response:
    """``message`` as JSON for the API, as a page for a person's browser."""
    if request.url.path.startswith(API) or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"error": message, "status": status}, status_code=status,
                            headers=headers)
    templates = request.app.state.templates
    page: Response = templates.TemplateResponse(request, "error.html",
                                      {"status": status, "message": message},
                                      status_code=status, headers=headers)
    return page


def install(app: FastAPI, guarded: Mapping[str, str]) -> None:
    """Register the handlers on ``app``; a fault's answer, made outside every middleware,
    carries the headers ``guarded`` that the others get from the guard."""

    @app.exception_handler(MakertimeError)
    async def makertime_error(request: Request, error: MakertimeError) -> Response:
        status = status_of(error)
        headers = {"Retry-After": "5"} if status == 503 else None
        return answer(request, status, line(error), headers)

    @app.exception_handler(RequestValidationError)
    async def unreadable(request: Request, error: RequestValidationError) -> Response:
        return answer(request, 422, validation_line(error.errors()))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        headers = dict(error.headers or {})
        return answer(request, error.status_code, str(error.detail), headers or None)

    @app.exception_handler(Exception)
    async def fault(request: Request, error: Exception) -> Response:
        log.exception("makertime failed on %s %s", request.method, request.url.path)
        return answer(request, 500, "makertime failed on this request; its log says where "
                      "(please report it)", dict(guarded))


def validation_line(problems: Any) -> str:
    """The first problem of a request the API cannot read, as one line naming the field."""
    for problem in problems:
        where = ".".join(str(part) for part in problem.get("loc", ()) if part != "body")
        message = str(problem.get("msg", "is not valid")).removeprefix("Value error, ")
        return clean(f"{where or 'request'}: {message}", chars=500)
    return "the request cannot be read"


__all__ = ["answer", "install", "status_of"]
