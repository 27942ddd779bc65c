"""How a running web app is set up: the store it serves, where it listens, the token it asks
for off loopback, and the moment it acts as of (the demo's fixed ``now``)."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass

from makertime.errors import OptionError, param

TOKEN_BYTES = 32
"""A generated token's randomness, in bytes (43 characters of URL-safe text)."""
SHORTEST_TOKEN = 16
"""The shortest token accepted from ``MAKERTIME_TOKEN``: a short one is a password to guess."""


@dataclass(frozen=True, slots=True)
class WebSettings:
    """A web app's settings. ``token`` is None only on loopback, where no login is needed;
    ``secret`` signs the session cookie (fresh for every start, so a restart logs out)."""

    db: str | None = None
    host: str = "127.0.0.1"
    port: int = 8765
    token: str | None = None
    now: str | None = None
    time_limit: float = 10.0
    workers: int | None = None
    https: bool = False
    secret: str = ""
    note: str = ""  # shown on every page (the demo says what it is)
    processes: int = 1  # server processes (each a core's worth of requests)

    @property
    def loopback(self) -> bool:
        """Whether the app listens on loopback only."""
        return is_loopback(self.host)

    def search_seconds(self, asked: float | None) -> float:
        """How long a request's plan may search: what it asks for, up to this server's own
        ``time_limit`` (its default): a request never holds the store longer than the person
        serving it allowed."""
        if asked is None:
            return self.time_limit
        if asked > self.time_limit:
            raise OptionError("time_limit", f"{asked:g} seconds is more than this server's "
                              f"{self.time_limit:g}", "ask for less, or leave it out for "
                              "the server's own")
        return asked


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address or ``localhost``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    """A fresh random token."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def checked_token(token: str | None, host: str) -> str | None:
    """The token the app asks for on ``host``: None on loopback with none given; an error for
    a token too short to be safe."""
    if token is None:
        return None
    token = token.strip()
    if len(token) < SHORTEST_TOKEN or not token.isprintable() or " " in token:
        raise OptionError("token", f"is {len(token)} characters, or holds spaces",
                          f"give at least {SHORTEST_TOKEN} printable characters without spaces "
                          f"in MAKERTIME_TOKEN, or leave it unset off loopback for one made for "
                          f"you ({param('host')})")
    return token
