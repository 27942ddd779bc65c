"""Engines for the store's two backends, with SQLite's transactions made real.

Python's sqlite3 driver begins a transaction only at the first INSERT/UPDATE/DELETE, so a read
followed by a write is not one transaction, and DDL is not transactional at all. The store takes
over: it emits BEGIN itself, and BEGIN IMMEDIATE for writes, so two processes that read and then
write queue for the write lock instead of one failing halfway.
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

WRITE = "makertime_write"
"""Execution option that marks a connection as one that will write."""

CONNECT_TIMEOUT_SECONDS = 10


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (already normalised by ``database_url``); connects lazily."""
    if url.startswith("sqlite"):
        _private(make_url(url).database)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS})


def _private(database: str | None) -> None:
    """Create the SQLite file readable by its owner only (0600): it holds calendar data, tasks
    and what was published where. SQLite gives its journals the file's own permissions. A file
    made earlier with wider permissions is narrowed; one that is not the owner's is left alone.
    """
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        with suppress(OSError):  # not a file, or not ours: SQLite will say, or it stays
            found = path.stat()
            owner = getattr(os, "getuid", lambda: found.st_uid)()  # no owner ids on Windows
            if found.st_mode & 0o077 and path.is_file() and found.st_uid == owner:
                path.chmod(0o600)
        return
    except OSError:
        return  # a folder that is missing or read-only: SQLite gives the one-line error
    os.close(descriptor)


def writer(engine: Engine) -> Engine:
    """The same engine (and pool) with connections that announce they will write."""
    return engine.execution_options(**{WRITE: True})


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Hand transaction control to SQLAlchemy, and enforce foreign keys."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """BEGIN, taking the write lock at once when the connection will write."""
    immediate = connection.get_execution_options().get(WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
