"""Statements both backends share but spell through their own dialects: insert-or-update."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from makertime.store.tables import Base

_T = TypeVar("_T")


# SQLite refuses a statement with more bound values than its limit (32,766; 999 before 3.32):
# many rows are written a few hundred values at a time
PARAMETERS = 900


def chunks(items: Sequence[_T], size: int) -> list[Sequence[_T]]:
    """``items`` in consecutive pieces of at most ``size``."""
    return [items[start:start + size] for start in range(0, len(items), max(1, size))]


def upsert(session: Session, table: type[Base], rows: Sequence[Mapping[str, Any]], *,
           update: Sequence[str] = (), newer: str | None = None) -> None:
    """Insert ``rows`` into ``table``; on a primary-key clash set the ``update`` columns (or
    leave the row as it is when there are none). With ``newer``, a clash only updates when the
    new row's ``newer`` column is at least the stored one (the latest wins). Many rows go in
    several statements, each within the bound values a backend takes."""
    if not rows:
        return
    for part in chunks(rows, PARAMETERS // max(1, len(rows[0]))):
        _upsert(session, table, part, update=update, newer=newer)


def _upsert(session: Session, table: type[Base], rows: Sequence[Mapping[str, Any]], *,
            update: Sequence[str], newer: str | None) -> None:
    found = table.__table__
    assert isinstance(found, Table)
    keys = [column.name for column in found.primary_key.columns]
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    statement = dialect.insert(found).values(list(rows))
    if not update:
        session.execute(statement.on_conflict_do_nothing(index_elements=keys))
        return
    where = found.c[newer] <= statement.excluded[newer] if newer else None
    session.execute(statement.on_conflict_do_update(
        index_elements=keys, set_={name: statement.excluded[name] for name in update},
        where=where))
