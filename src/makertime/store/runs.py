"""The publish journal of one run over a store (``Store.journal``)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from makertime.store.journal import Action, PublishedItem, PublishJournal
from makertime.store.locks import Hold
from makertime.store.records import Holder


class Recording(Protocol):
    """What a run records through: the store's journal writes (``Store``)."""

    def adopt(self, target: str, items: Sequence[PublishedItem], *,
              hold: Hold | None = None) -> None: ...

    def intend(self, target: str, uid: str, action: Action, at: datetime, *,
               hold: Hold | None = None) -> None: ...

    def finished(self, target: str, uid: str, item: PublishedItem | None, *,
                 hold: Hold | None = None) -> None: ...

    def settle(self, target: str, items: Mapping[str, PublishedItem],
               declined: Collection[str], *, hold: Hold | None = None) -> None: ...


class Journal(PublishJournal):
    """The ``PublishJournal`` of one publish run: each call is its own transaction, so what
    was announced survives a crash until it is reported finished; each also refreshes the
    run's publish lock, and fails (StoreBusyError) when another makertime took it over."""

    def __init__(self, store: Recording, at: datetime, *, holder: Holder | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self._store = store
        self.at = at
        self._holder = holder
        self._clock = clock

    def _hold(self) -> Hold | None:
        if self._holder is None:
            return None
        return Hold(self._holder, self._clock() if self._clock is not None else self.at)

    def adopt(self, target: str, items: Sequence[PublishedItem]) -> None:
        """Record makertime's events found on the target that were not recorded yet."""
        self._store.adopt(target, items, hold=self._hold())

    def intend(self, target: str, uid: str, action: Action) -> None:
        """Record that ``action`` on ``uid`` is about to be sent (before the request)."""
        self._store.intend(target, uid, action, self.at, hold=self._hold())

    def finished(self, target: str, uid: str, item: PublishedItem | None) -> None:
        """Record the outcome: the item as now published, or None when it no longer exists."""
        self._store.finished(target, uid, item, hold=self._hold())

    def settle(self, target: str, published: Mapping[str, PublishedItem],
               declined: Collection[str]) -> None:
        """Record the target as the publish leaves it, close its intentions, keep declines."""
        self._store.settle(target, published, declined, hold=self._hold())
