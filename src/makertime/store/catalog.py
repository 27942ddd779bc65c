"""Calendar sources a person added by name, and what makertime last fetched from remote ones.

A source keeps where its credentials come from (``env``, ``netrc`` or ``none``), never the
credentials: a URL that carries a password is refused.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from makertime.calendars.remote import CollectionState
from makertime.errors import StoreError
from makertime.store import mapping
from makertime.store.records import CREDENTIALS, Source
from makertime.store.sql import upsert
from makertime.store.tables import CollectionRow, RemoteItemRow, SourceRow


def add_source(session: Session, name: str, url: str, credentials: str,
               at: datetime) -> Source:
    """Add source ``name``; adding it again with the same URL only updates its credentials."""
    where = f'source "{name}"'
    if not name.strip():
        raise StoreError("source", "has no name", "give a name, e.g. `work`")
    if credentials not in CREDENTIALS:
        raise StoreError(where, f"credentials {credentials!r} are not one of "
                         f"{', '.join(CREDENTIALS)}", "say where they come from, not what they are")
    try:
        has_password = urlsplit(url).password is not None
    except ValueError:
        has_password = False
    if has_password:
        raise StoreError(where, "its URL holds a password, and the store never keeps one",
                         "remove it from the URL; give it in MAKERTIME_CALDAV_PASSWORD or ~/.netrc")
    row = session.get(SourceRow, name, with_for_update=True)
    if row is None:
        row = SourceRow(name=name, url=url, credentials=credentials, added=at)
        session.add(row)
    elif row.url != url:
        raise StoreError(where, f"already added with the URL {row.url}",
                         "choose another name, or remove that source first")
    else:
        row.credentials = credentials
    session.flush()
    return mapping.source(row)


def sources(session: Session) -> list[Source]:
    """Every source, by name."""
    query = select(SourceRow).order_by(SourceRow.name)
    return [mapping.source(row) for row in session.scalars(query)]


def source(session: Session, name: str) -> Source | None:
    """Source ``name``, or None."""
    row = session.get(SourceRow, name)
    return None if row is None else mapping.source(row)


def remove_source(session: Session, name: str) -> bool:
    """Remove source ``name``; False when there was none."""
    row = session.get(SourceRow, name, with_for_update=True)
    if row is None:
        return False
    session.delete(row)
    return True


def collection_state(session: Session, url: str) -> CollectionState | None:
    """What was last fetched from the collection at ``url``, or None if it never was."""
    row = session.get(CollectionRow, url)
    if row is None:
        return None
    items = list(session.scalars(select(RemoteItemRow).where(RemoteItemRow.url == url)))
    return mapping.collection(row, items)


def save_collection_state(session: Session, state: CollectionState) -> None:
    """Replace what is kept of the collection at ``state.url`` by ``state``."""
    upsert(session, CollectionRow, [{"url": state.url, "sync_token": state.sync_token}],
           update=["sync_token"])
    session.execute(delete(RemoteItemRow).where(RemoteItemRow.url == state.url))
    rows = [{"url": state.url, "href": item.href, "etag": item.etag, "data": item.data}
            for item in state.items.values()]
    if rows:
        session.execute(insert(RemoteItemRow), rows)
