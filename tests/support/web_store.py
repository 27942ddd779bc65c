"""Stores and apps for the web tests: the sample week planned (and the sample team rotated) as
``makertime demo --serve`` serves it, in a SQLite file or in a PostgreSQL database, and the app
over it with the demo's fixed ``now``, one solver worker and a short time limit."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.testclient import TestClient

from makertime.app.demo import SAMPLE_NOW, sample_store
from makertime.web import create_app
from makertime.web.settings import WebSettings

LOCAL = "http://127.0.0.1"
"""The base URL a test client sends: a loopback ``Host``, as a browser on this machine does."""
TIME_LIMIT = 2.0
"""Seconds a plan or replan made through a test app may search (the sample week needs less)."""


def sample_state(db: str, folder: Path) -> str:
    """Plan the sample week into the store at ``db`` (publishing it to ``folder/plan.ics``) and
    rotate the sample team into it, as ``sample_store`` does for a SQLite file; returns ``db``."""
    return sample_store(folder, db=db).db


def sample_sqlite(folder: Path) -> str:
    """A SQLite store in ``folder`` holding the sample state; its URL."""
    return sample_store(folder).db


def settings_for(db: str, **changes: Any) -> WebSettings:
    """The settings of a test app over ``db``: the demo's ``now``, one worker, a short limit."""
    fields: dict[str, Any] = {"db": db, "now": SAMPLE_NOW, "workers": 1,
                              "time_limit": TIME_LIMIT}
    return WebSettings(**{**fields, **changes})


def app_for(db: str, **changes: Any) -> FastAPI:
    """The app over ``db`` with ``settings_for``'s settings (and ``changes``)."""
    return create_app(settings_for(db, **changes))


@contextmanager
def client(app: FastAPI, base_url: str = LOCAL, **options: Any) -> Iterator[TestClient]:
    """A test client of ``app`` with its store open (the app's lifespan runs around it)."""
    with TestClient(app, base_url=base_url, **options) as opened:
        yield opened


def loopback_only(host: object, *args: Any, **kwargs: Any) -> Any:
    """``socket.getaddrinfo`` that resolves loopback names only: anything else fails at once,
    as a name that does not resolve would (so a test never reaches out of this machine)."""
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name not in ("localhost", "127.0.0.1", "::1"):
        raise socket.gaierror(socket.EAI_NONAME, f"{name}: refused by the test")
    return REAL_GETADDRINFO(host, *args, **kwargs)  # type: ignore[arg-type]


REAL_GETADDRINFO = socket.getaddrinfo


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then let go)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


SECRET = "test-secret-" + "s" * 32
"""The session secret of a test app that a test signs its own session cookies with."""


def session_cookie(session: dict[str, Any], secret: str = SECRET) -> str:
    """A session cookie's value holding ``session``, signed as the app signs its own (so a test
    can stand for a browser that opened a page and was given a CSRF token)."""
    import json
    from base64 import b64encode

    import itsdangerous

    data = b64encode(json.dumps(session).encode())
    return itsdangerous.TimestampSigner(secret).sign(data).decode()


def empty_sqlite(folder: Path) -> str:
    """The URL of a new, empty SQLite store in ``folder``."""
    return f"sqlite:///{folder / 'makertime.db'}"


def assert_guarded(headers: object) -> None:
    """The security headers every answer carries."""
    from httpx2 import Headers

    assert isinstance(headers, Headers)
    policy = dict(part.strip().split(" ", 1) for part in headers["content-security-policy"]
                  .split(";"))
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == "'none'"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
