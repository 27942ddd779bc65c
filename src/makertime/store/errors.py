"""The store's error: a database makertime cannot use, reach or read.

``StoreError`` is an ``InputError``: the URL comes from the person (``--db``, ``MAKERTIME_DB``)
and so does a task id or a source name, so front ends print its one line and exit with status 2.
"""

from __future__ import annotations

import re

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from makertime.errors import InputError

_SEVERITY = re.compile(r"^(?:FATAL|ERROR):\s+")


class StoreError(InputError):
    """The database cannot be used, or a request names something the store does not hold."""


def masked(url: str) -> str:
    """``url`` with any password replaced by ``***``, fit to show in a message."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def unavailable(url: str, error: DBAPIError) -> StoreError:
    """A one-line StoreError for a database that refused a connection or a statement."""
    lines = [line.strip() for line in str(error.orig or error).splitlines() if line.strip()]
    problem = lines[0] if lines else type(error).__name__
    # psycopg says where it tried before why it failed; the why is what a person can act on.
    connecting = problem.startswith(("connection failed:", "connection to server"))
    if connecting:
        problem = problem.rsplit("failed: ", 1)[-1]
    problem = _SEVERITY.sub("", problem).strip()
    if connecting:
        problem = f"cannot connect: {problem}"
    if "locked" in problem:
        fix = "another makertime is writing to it; try again"
    elif url.startswith("sqlite"):
        fix = "check that the file's folder exists and is writable, or give another --db"
    else:
        fix = "check that the server is running and the user, password and database are right"
    return StoreError(f'database "{masked(url)}"', problem, fix)
