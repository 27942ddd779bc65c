"""What makertime has published where: the record that lets a later run tell its own writes
from the person's edits, and the journal that makes a publish safe to interrupt.

A publish records, on the journal of the store it runs from:

- ``adopt``: makertime's events it found on the target and did not know (written by another
  store, or by a run killed before it recorded them), as soon as it has read the target: from
  then on they are known, so a person deleting one later is recognised; in the same breath the
  changes a killed run left announced are closed (``finished``) with what the read found;
- ``intend`` before each change and ``finished`` after it, so a run killed in between leaves an
  intention behind: the next run reads the target again and finishes the job, and a block that
  is missing because makertime itself deleted it is never mistaken for one the person deleted;
- ``settle`` at the end: the record becomes exactly what the target holds of makertime's, the
  intentions are closed and the blocks the person deleted are remembered, in one step.

A record means makertime *saw* the event on the target (in a read, or as the answer to its own
write); a block is taken as deleted by the person only when it is recorded and then gone.

Here are the journal's records (what it holds, and the ``PublishJournal`` a publish writes to)
and its rows: what makertime published where, the intentions of a run under way, and the blocks
a person deleted from a target (never created there again).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from makertime.store.sql import PARAMETERS, chunks, upsert
from makertime.store.tables import DeclinedRow, IntentionRow, PublishedRow


class Action(StrEnum):
    """A change a publish makes to a target."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class PublishedItem:
    """One block as makertime last saw it on a target.

    ``start``/``end`` are aware UTC datetimes: where makertime put the block. ``etag`` is the
    target's ETag as last seen ("" where a target has none, as an .ics file).
    """

    target: str
    uid: str
    href: str
    etag: str
    kind: str
    task: str | None
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Intention:
    """A change a publish announced and has not yet reported finished."""

    target: str
    uid: str
    action: Action
    at: datetime


@dataclass(frozen=True, slots=True)
class Journalled:
    """What the store knows of one target, read at once: what makertime saw there (by UID),
    the changes announced and not finished, and the blocks the person deleted."""

    published: dict[str, PublishedItem]
    intentions: tuple[Intention, ...]
    declined: frozenset[str]


class PublishJournal(Protocol):
    """Where a publish records, change by change, what it is about to do and what it did."""

    def adopt(self, target: str, items: Sequence[PublishedItem]) -> None:
        """Record makertime's events found on the target that were not recorded yet."""
        ...

    def intend(self, target: str, uid: str, action: Action) -> None:
        """Record that ``action`` on ``uid`` is about to be sent (before the request)."""
        ...

    def finished(self, target: str, uid: str, item: PublishedItem | None) -> None:
        """Record the outcome: the item as now published, or None when it no longer exists."""
        ...

    def settle(self, target: str, published: Mapping[str, PublishedItem],
               declined: Collection[str]) -> None:
        """At the end of a publish, at once: the record of ``target`` becomes ``published``,
        every intention on it is closed, and ``declined`` (deleted by the person) is kept."""
        ...


# the rows

_ITEM_COLUMNS = ("href", "etag", "kind", "task", "start_at", "end_at")


def published(session: Session, target: str) -> dict[str, PublishedItem]:
    """What is published to ``target``, by UID."""
    query = select(PublishedRow).where(PublishedRow.target == target)
    return {row.uid: _item(row) for row in session.scalars(query)}


def journalled(session: Session, target: str) -> Journalled:
    """What the store knows of ``target``: records, pending intentions and declined UIDs."""
    return Journalled(published=published(session, target),
                      intentions=tuple(intentions(session, target)),
                      declined=frozenset(declined(session, target)))


def adopt(session: Session, target: str, items: Sequence[PublishedItem]) -> None:
    """Record ``items`` found on ``target``; a UID recorded already keeps its record."""
    for item in items:
        _check(target, item.uid, item)
    upsert(session, PublishedRow, [_values(item) for item in items])


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
    upsert(session, PublishedRow, [_values(items[uid]) for uid in sorted(items)],
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
        upsert(session, PublishedRow, [_values(item)], update=_ITEM_COLUMNS)


def intentions(session: Session, target: str) -> list[Intention]:
    """Changes to ``target`` announced and not reported finished, oldest first."""
    query = (select(IntentionRow).where(IntentionRow.target == target)
             .order_by(IntentionRow.at, IntentionRow.uid))
    return [_intention(row) for row in session.scalars(query)]


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


def _item(row: PublishedRow) -> PublishedItem:
    """The record of a published row."""
    return PublishedItem(target=row.target, uid=row.uid, href=row.href, etag=row.etag,
                         kind=row.kind, task=row.task, start=row.start_at, end=row.end_at)


def _values(item: PublishedItem) -> dict[str, str | datetime | None]:
    """The column values of ``item``."""
    return {"target": item.target, "uid": item.uid, "href": item.href, "etag": item.etag,
            "kind": item.kind, "task": item.task, "start_at": item.start, "end_at": item.end}


def _intention(row: IntentionRow) -> Intention:
    """The record of an intention row."""
    return Intention(target=row.target, uid=row.uid, action=Action(row.action), at=row.at)
