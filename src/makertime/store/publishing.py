"""What makertime published where, the journal that makes a publish safe to interrupt, and the
blocks a person deleted from a target (never created there again)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from makertime.store import mapping
from makertime.store.journal import Action, PublishedItem
from makertime.store.records import Intention, Journalled
from makertime.store.sql import PARAMETERS, chunks, upsert
from makertime.store.tables import DeclinedRow, IntentionRow, PublishedRow

_ITEM_COLUMNS = ("href", "etag", "kind", "task", "start_at", "end_at")


def published(session: Session, target: str) -> dict[str, PublishedItem]:
    """What is published to ``target``, by UID."""
    query = select(PublishedRow).where(PublishedRow.target == target)
    return {row.uid: mapping.published(row) for row in session.scalars(query)}


def journalled(session: Session, target: str) -> Journalled:
    """What the store knows of ``target``: records, pending intentions and declined UIDs."""
    return Journalled(published=published(session, target),
                      intentions=tuple(intentions(session, target)),
                      declined=frozenset(declined(session, target)))


def adopt(session: Session, target: str, items: Sequence[PublishedItem]) -> None:
    """Record ``items`` found on ``target``; a UID recorded already keeps its record."""
    for item in items:
        _check(target, item.uid, item)
    upsert(session, PublishedRow, [mapping.published_values(item) for item in items])


def settle(session: Session, target: str, items: Mapping[str, PublishedItem],
           declined_uids: Iterable[str]) -> None:
    """Make the record of ``target`` exactly ``items``, close every intention on it and
    remember ``declined_uids`` as deleted by the person."""
    for uid, item in items.items():
        _check(target, uid, item)
    session.execute(delete(IntentionRow).where(IntentionRow.target == target))
    recorded = session.scalars(select(PublishedRow.uid).where(PublishedRow.target == target))
    for gone in chunks(sorted(set(recorded) - set(items)), PARAMETERS):
        session.execute(delete(PublishedRow).where(PublishedRow.target == target,
                                                   PublishedRow.uid.in_(gone)))
    upsert(session, PublishedRow, [mapping.published_values(items[uid]) for uid in sorted(items)],
           update=_ITEM_COLUMNS)
    decline(session, target, declined_uids)


def intend(session: Session, target: str, uid: str, action: Action, at: datetime) -> None:
    """Record that ``action`` on ``uid`` at ``target`` is about to be sent."""
    upsert(session, IntentionRow,
           [{"target": target, "uid": uid, "action": Action(action).value, "at": at}],
           update=["action", "at"])


def finished(session: Session, target: str, uid: str, item: PublishedItem | None) -> None:
    """Clear the intention on ``uid`` and record ``item`` as published (None: gone)."""
    if item is not None:
        _check(target, uid, item)
    session.execute(delete(IntentionRow).where(IntentionRow.target == target,
                                               IntentionRow.uid == uid))
    if item is None:
        session.execute(delete(PublishedRow).where(PublishedRow.target == target,
                                                   PublishedRow.uid == uid))
    else:
        upsert(session, PublishedRow, [mapping.published_values(item)], update=_ITEM_COLUMNS)


def intentions(session: Session, target: str) -> list[Intention]:
    """Changes to ``target`` announced and not reported finished, oldest first."""
    query = (select(IntentionRow).where(IntentionRow.target == target)
             .order_by(IntentionRow.at, IntentionRow.uid))
    return [mapping.intention(row) for row in session.scalars(query)]


def declined(session: Session, target: str) -> set[str]:
    """UIDs the person deleted from ``target``."""
    return set(session.scalars(select(DeclinedRow.uid).where(DeclinedRow.target == target)))


def decline(session: Session, target: str, uids: Iterable[str]) -> None:
    """Remember that the person deleted ``uids`` from ``target``."""
    upsert(session, DeclinedRow, [{"target": target, "uid": uid} for uid in sorted(set(uids))])


def _check(target: str, uid: str, item: PublishedItem) -> None:
    """Refuse to record ``item`` as the item ``uid`` of ``target`` when it is another's."""
    if (item.target, item.uid) != (target, uid):
        raise ValueError(f"finished({target!r}, {uid!r}) given the item of "
                         f"{item.target!r}, {item.uid!r}")
