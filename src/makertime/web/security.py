"""Who may use a running makertime, and how a browser is kept from being used against it.

On loopback with no token, anyone on this machine may (as with the command line), but only
through a ``Host`` of this machine (a page whose DNS name was rebound to 127.0.0.1 is turned
away). With a token (required off loopback): a bearer token for the API, or a session cookie
(``HttpOnly``, ``SameSite=Strict``, ``Secure`` over HTTPS) from the login form for pages.
Every unsafe request from a browser must come from this origin and carry the session's CSRF
token (a form field or the ``X-CSRF-Token`` header); a bearer token needs none. Every answer
carries a Content-Security-Policy without inline scripts.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from makertime.web.errors import answer
from makertime.web.settings import WebSettings, is_loopback

SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC = ("/login", "/static/")
SESSION_COOKIE = "makertime_session"
SESSION_SECONDS = 12 * 3600
FAILED_LOGIN_PAUSE = 0.5  # seconds a wrong token costs, so guessing one is slow
CSP = ("default-src 'self'; script-src 'self'; style-src-elem 'self'; "
       "style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY",
           "Cross-Origin-Opener-Policy": "same-origin", "Cache-Control": "no-store"}


def token_matches(given: str | None, token: str | None) -> bool:
    """Whether ``given`` is ``token``, compared in constant time."""
    return bool(given and token) and hmac.compare_digest(str(given).encode(), str(token).encode())


def bearer(request: Request, settings: WebSettings) -> bool:
    """Whether the request carries the app's token as ``Authorization: Bearer``."""
    kind, _, given = request.headers.get("authorization", "").partition(" ")
    return kind.lower() == "bearer" and token_matches(given.strip(), settings.token)


def from_browser(request: Request) -> bool:
    """Whether a browser sent the request (it sends cookies, ``Origin`` or ``Sec-Fetch-*``)."""
    headers = request.headers
    return any(name in headers for name in ("cookie", "origin", "sec-fetch-site"))


def same_origin(request: Request) -> bool:
    """Whether a browser's request comes from a page of this app."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc.lower() == request.headers.get("host", "").lower()


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use)."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def csrf_ok(request: Request, given: str | None) -> bool:
    """Whether ``given`` is the session's CSRF token."""
    return token_matches(given, request.session.get("csrf"))


def loopback_host(request: Request) -> bool:
    """Whether the ``Host`` the request names is this machine's loopback."""
    host = urlsplit(f"//{request.headers.get('host', '')}").hostname or ""
    return is_loopback(host)


class Guard:
    """Authenticate, refuse cross-site writes, then add the security headers to whatever is
    sent (plain ASGI: it wraps no response object, so a request costs it a few dict looks)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        static = request.url.path.startswith("/static/")

        async def headed(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if static:  # assets may be kept, asking again whether they changed
                    headers["Cache-Control"] = "no-cache"
            await send(message)

        refused = await _refusal(request, request.app.state.settings)
        if refused is not None:
            await refused(scope, receive, headed)
            return
        await self.app(scope, receive, headed)


async def _refusal(request: Request, settings: WebSettings) -> Response | None:
    path = request.url.path
    if settings.token is None and not loopback_host(request):
        return answer(request, 421, "this makertime answers only as 127.0.0.1 or localhost "
                      "(it listens on loopback); open it by that name")
    if request.method not in SAFE and not same_origin(request):
        return answer(request, 403, "refused: the request comes from another site's page "
                      "(open makertime itself and try again)")
    request.state.bearer = settings.token is not None and bearer(request, settings)
    if settings.token is None or request.state.bearer or path.startswith(PUBLIC):
        return None
    if request.session.get("auth") is True:
        return None
    if "authorization" in request.headers:
        await asyncio.sleep(FAILED_LOGIN_PAUSE)
    if path.startswith("/api/") or request.method not in SAFE:
        return answer(request, 401, "a token is needed: send Authorization: Bearer TOKEN (the "
                      "token makertime serve printed, or MAKERTIME_TOKEN)",
                      {"WWW-Authenticate": 'Bearer realm="makertime"'})
    return RedirectResponse(f"/login?next={quote(path)}", status_code=303)


__all__ = ["CSP", "HEADERS", "SESSION_COOKIE", "Guard", "csrf_ok", "csrf_token", "from_browser",
           "token_matches"]
