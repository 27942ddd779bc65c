"""What every page shares: rendering a template with the CSRF token and the app's note, the
moment the app acts as of, and the answer a page gives when the store holds no plan yet."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from makertime.errors import MakertimeError
from makertime.web.errors import line
from makertime.web.security import csrf_token
from makertime.web.settings import WebSettings


def render(request: Request, name: str, context: dict[str, Any] | None = None,
           status: int = 200) -> Response:
    """The template ``name`` with what every page shows (the CSRF token, the app's note)."""
    settings: WebSettings = request.app.state.settings
    _filters(request)
    page: Response = request.app.state.templates.TemplateResponse(
        request, name, {"csrf": csrf_token(request), "note": settings.note,
                        "login": settings.token is not None, "path": request.url.path,
                        **(context or {})},
        status_code=status)
    return page


def back(path: str) -> Response:
    """After a form's change: back to ``path`` (303, so a reload does not post again)."""
    return RedirectResponse(path, status_code=303)


def missing(error: MakertimeError) -> str:
    """The one line a page shows where the store holds nothing yet to draw."""
    return line(error)


def when(iso: str | None) -> str:
    """An ISO 8601 moment as a person reads it: ``Mon 23 Mar 09:30``."""
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso)
    return f"{moment:%a %d %b %H:%M}"


def clock(iso: str | None) -> str:
    """The wall-clock time of an ISO 8601 moment: ``09:30``."""
    return "" if not iso else f"{datetime.fromisoformat(iso):%H:%M}"


def day(iso: str) -> str:
    """A date as a person reads it: ``Mon 23 Mar``."""
    return f"{datetime.fromisoformat(iso):%a %d %b}"


def duration(minutes: int | float | None) -> str:
    """Minutes as ``1h30m`` (``0m`` for none)."""
    if minutes is None:
        return "—"
    whole = round(minutes)
    hours, rest = divmod(abs(whole), 60)
    sign = "-" if whole < 0 else ""
    if hours and rest:
        return f"{sign}{hours}h{rest:02d}m"
    return f"{sign}{hours}h" if hours else f"{sign}{rest}m"


FILTERS = {"when": when, "clock": clock, "day": day, "duration": duration}


def _filters(request: Request) -> None:
    """Give the app's templates the filters above (once)."""
    env = request.app.state.templates.env
    if "duration" not in env.filters:
        env.filters.update(FILTERS)


__all__ = ["back", "clock", "day", "duration", "missing", "render", "when"]
