"""Statements both backends share but spell through their own dialects: insert-or-update."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from makertime.store.tables import Base


def upsert(session: Session, table: type[Base], rows: Sequence[Mapping[str, Any]], *,
           update: Sequence[str] = (), newer: str | None = None) -> None:
    """Insert ``rows`` into ``table``; on a primary-key clash set the ``update`` columns (or
    leave the row as it is when there are none). With ``newer``, a clash only updates when the
    new row's ``newer`` column is at least the stored one (the latest wins)."""
    if not rows:
        return
    found = table.__table__
    assert isinstance(found, Table)
    keys = [column.name for column in found.primary_key.columns]
    if session.get_bind().dialect.name == "sqlite":
        lite = sqlite.insert(found).values(list(rows))
        if not update:
            session.execute(lite.on_conflict_do_nothing(index_elements=keys))
            return
        lite_where = found.c[newer] <= lite.excluded[newer] if newer else None
        session.execute(lite.on_conflict_do_update(
            index_elements=keys, set_={name: lite.excluded[name] for name in update},
            where=lite_where))
        return
    pg = postgresql.insert(found).values(list(rows))
    if not update:
        session.execute(pg.on_conflict_do_nothing(index_elements=keys))
        return
    pg_where = found.c[newer] <= pg.excluded[newer] if newer else None
    session.execute(pg.on_conflict_do_update(
        index_elements=keys, set_={name: pg.excluded[name] for name in update}, where=pg_where))
