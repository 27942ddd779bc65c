"""Engines for the store's two backends, with SQLite's transactions made real.

Python's sqlite3 driver begins a transaction only at the first INSERT/UPDATE/DELETE, so a read
followed by a write is not one transaction, and DDL is not transactional at all. The store takes
over: it emits BEGIN itself, and BEGIN IMMEDIATE for writes, so two processes that read and then
write queue for the write lock instead of one failing halfway.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

WRITE = "makertime_write"
"""Execution option that marks a connection as one that will write."""

CONNECT_TIMEOUT_SECONDS = 10


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (already normalised by ``database_url``); connects lazily."""
    if url.startswith("sqlite"):
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS})


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
