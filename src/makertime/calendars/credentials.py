"""Who makertime logs in as on a CalDAV server: from the environment, else from a netrc file.

The environment wins (``MAKERTIME_CALDAV_USERNAME`` / ``MAKERTIME_CALDAV_PASSWORD``); otherwise the
netrc file (``$NETRC``, else ``~/.netrc``) is asked for the URL's host, then for its ``default``
entry. What a store keeps is only where the credentials came from (``credentials_reference``),
never the password itself.
"""

from __future__ import annotations

import netrc
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from makertime.errors import SourceError

USERNAME_VARIABLE = "MAKERTIME_CALDAV_USERNAME"
PASSWORD_VARIABLE = "MAKERTIME_CALDAV_PASSWORD"

Reference = Literal["env", "netrc", "none"]


@dataclass(frozen=True, slots=True)
class Credentials:
    """A user name and password for one server; the password never shows in a repr."""

    username: str
    password: str = field(repr=False)
    reference: Reference = "env"


def netrc_path() -> Path:
    """The netrc file consulted: ``$NETRC`` when set, else ``~/.netrc``."""
    configured = os.environ.get("NETRC", "")
    return Path(configured).expanduser() if configured else Path.home() / ".netrc"


def credentials_for(url: str) -> Credentials | None:
    """The credentials for ``url``: the environment's, else the netrc entry for its host."""
    username = os.environ.get(USERNAME_VARIABLE, "")
    if username:
        return Credentials(username, os.environ.get(PASSWORD_VARIABLE, ""), "env")
    host = urlsplit(url).hostname
    if not host:
        return None
    entry = _netrc_entry(host)
    if entry is None:
        return None
    login, _account, password = entry
    return Credentials(login or "", password or "", "netrc")


def credentials_reference(url: str) -> Reference:
    """Where the credentials for ``url`` come from: ``"env"``, ``"netrc"`` or ``"none"``."""
    found = credentials_for(url)
    return "none" if found is None else found.reference


def public_url(url: str) -> str:
    """``url`` without any user name or password written into it, fit for messages and stores;
    SourceError when it is no URL at all (a bad port, an unclosed IPv6 bracket)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        where = url.rsplit("@", maxsplit=1)[-1]  # never the user name or password
        raise SourceError(where, f"is not a URL makertime can use: {error}",
                          "write e.g. https://dav.example.org/calendars/ana/work/") from None
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _netrc_entry(host: str) -> tuple[str, str, str] | None:
    """The netrc entry for ``host`` (or the default one); None without a file or an entry."""
    path = netrc_path()
    if not path.is_file():
        return None
    try:
        found = netrc.netrc(str(path)).authenticators(host)
    except netrc.NetrcParseError as error:
        # the parser's message may quote a token, and a token may be a password: never shown
        where = f"{path} line {error.lineno}" if error.lineno else str(path)
        raise SourceError(where, "is not a valid netrc file",
                          "write entries as: machine HOST login NAME password SECRET") from None
    except OSError as error:
        raise SourceError(str(path), f"cannot be read: {error.strerror or error}",
                          "check its permissions") from None
    return found
