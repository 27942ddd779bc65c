"""The store's errors: a database makertime cannot use (``StoreError``, exit status 2), or one
that is busy or does not answer now (``StoreBusyError``, exit status 4).

A ``StoreError`` is an ``InputError``: the URL comes from the person (``--db``, ``MAKERTIME_DB``)
and so does a task id or a source name. A database locked by another makertime, or a database
server that cannot be reached, is no mistake of theirs: the same command may work later.
"""

from __future__ import annotations

import re

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from makertime.errors import StoreBusyError, StoreError, param

_SEVERITY = re.compile(r"^(?:FATAL|ERROR):\s+")


def masked(url: str) -> str:
    """``url`` with any password replaced by ``***``, fit to show in a message."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


# what a connection attempt answers when the URL itself is wrong: no waiting will mend it
_REFUSED = ("authentication failed", "does not exist", "permission denied", "not a database",
            "pg_hba.conf", "no password supplied", "ssl", "certificate", "not supported")


def unavailable(url: str, error: DBAPIError) -> StoreError | StoreBusyError:
    """A one-line error for a database that refused a connection or a statement: busy or out of
    reach (StoreBusyError), or not usable as given (StoreError)."""
    lines = [line.strip() for line in str(error.orig or error).splitlines() if line.strip()]
    problem = lines[0] if lines else type(error).__name__
    # psycopg says where it tried before why it failed; the why is what a person can act on.
    connecting = problem.startswith(("connection failed:", "connection to server"))
    if connecting:
        problem = problem.rsplit("failed: ", 1)[-1]
    problem = _SEVERITY.sub("", problem).strip()
    if connecting:
        problem = f"cannot connect: {problem}"
    where = f'database "{masked(url)}"'
    if "locked" in problem or "busy" in problem:
        return StoreBusyError(where, problem, "another makertime is writing to it; try again")
    if connecting and not any(words in problem.lower() for words in _REFUSED):
        return StoreBusyError(where, problem, "check that the database server is running")
    if url.startswith("sqlite"):
        fix = ("check that the file's folder exists and is writable, or give another "
               f"{param('db')}")
    else:
        fix = "check that the server is running and the user, password and database are right"
    return StoreError(where, problem, fix)
