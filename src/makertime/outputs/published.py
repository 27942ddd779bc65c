"""What makertime has published where: the record that lets a later run tell its own writes
from the person's edits, and the journal that makes a publish safe to interrupt.

A publish writes an intention before each change and a record after it. A run that was killed in
between leaves an intention behind; the next run reads the target again and finishes the job, and
a block that is missing because makertime itself deleted it is never mistaken for one the person
deleted.
"""

from __future__ import annotations

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
    """One block as makertime last wrote it to a target.

    ``start``/``end`` are aware UTC datetimes: where makertime put the block. ``etag`` is the
    target's ETag after the write ("" where a target has none, as an .ics file).
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

    def intend(self, target: str, uid: str, action: Action) -> None:
        """Record that ``action`` on ``uid`` is about to be sent (before the request)."""
        ...

    def finished(self, target: str, uid: str, item: PublishedItem | None) -> None:
        """Record the outcome: the item as now published, or None when it no longer exists."""
        ...
