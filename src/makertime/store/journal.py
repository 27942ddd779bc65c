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
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


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
