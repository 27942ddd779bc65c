"""Publish a plan's blocks to a target, changing only what differs and never the person's edits.

The target is read first; then, block by block (a block's UID is the same on every run):

- on the target where the plan wants it → untouched (also when the person put it there);
- on the target but moved by the person elsewhere → kept as they moved it, never overwritten;
- on the target elsewhere, not moved by the person (the plan moved it) → updated, If-Match;
- not on the target → created (If-None-Match), unless the person declined it or deleted it
  (makertime published it before and it is gone) → not created again;
- on the target, no longer planned → deleted (If-Match), unless the person moved it → kept.

A write refused because the event changed meanwhile (412) is never retried blindly: the event is
read again and what the person did stands. Each write is recorded in the journal before and after
it, and the target is read afresh on every run, so a publish killed midway is completed by the
next one without duplicates (UIDs are stable and creates are conditional).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import TypeVar

from makertime.outputs.published import Action, PublishedItem, PublishJournal
from makertime.outputs.targets import (
    Conflict,
    PublishTarget,
    RemoteEvent,
    Stored,
    TargetState,
    block_text,
)
from makertime.plan.result import Block

Progress = Callable[[str], None]
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class PublishReport:
    """What a publish did (or, in a dry run, would do) to a target.

    ``updated`` pairs each event as it was with the block it was moved to; ``kept_theirs`` holds
    the events the person moved or edited, left as they are; ``declined`` the blocks not created
    again because the person deleted (or declined) them; ``published`` what is on the target now,
    by UID; ``foreign`` how many events on the target are not makertime's (all untouched).
    """

    target: str
    created: tuple[Block, ...] = ()
    updated: tuple[tuple[RemoteEvent, Block], ...] = ()
    removed: tuple[RemoteEvent, ...] = ()
    untouched: tuple[RemoteEvent, ...] = ()
    kept_theirs: tuple[RemoteEvent, ...] = ()
    declined: tuple[Block, ...] = ()
    published: Mapping[str, PublishedItem] = field(default_factory=dict)
    foreign: int = 0
    dry_run: bool = False

    @property
    def writes(self) -> int:
        """Creates, updates and deletes sent (or, in a dry run, that would be sent)."""
        return len(self.created) + len(self.updated) + len(self.removed)

    def moves(self) -> list[tuple[RemoteEvent, Block]]:
        """Removed events paired with created blocks of the same kind and task, nearest first:
        a block the plan moved (its UID follows its time, so it is written anew)."""
        pairs: list[tuple[RemoteEvent, Block]] = []
        created = list(self.created)
        for event in self.removed:
            same = [b for b in created if b.kind.value == event.kind and b.task == event.task]
            if same:
                match = min(same, key=lambda b: abs(b.span.start - event.span.start))
                created.remove(match)
                pairs.append((event, match))
        return pairs

    def summary(self) -> str:
        """``3 created, 1 moved, 2 removed, 14 untouched, 1 kept as you moved it``; a removed
        event and a created block that are one block moved count as one move."""
        moved = len(self.moves())
        parts = [f"{len(self.created) - moved} created", f"{len(self.updated) + moved} moved",
                 f"{len(self.removed) - moved} removed", f"{len(self.untouched)} untouched"]
        if self.kept_theirs:
            parts.append(f"{len(self.kept_theirs)} kept as you moved it")
        if self.declined:
            parts.append(f"{len(self.declined)} not created again as you deleted it")
        return ", ".join(parts)


def publish(blocks: Sequence[Block], target: PublishTarget, zone: tzinfo, *,
            known: Mapping[str, PublishedItem], declined: Collection[str] = (),
            journal: PublishJournal | None = None, dry_run: bool = False,
            progress: Progress | None = None) -> PublishReport:
    """Make ``target`` hold ``blocks`` (times written in ``zone``), keeping the person's edits.

    ``known`` is what makertime published to this target before (a UID in it that is missing now
    was deleted by the person); ``declined`` UIDs are never created. A dry run reads the target,
    writes nothing, records nothing, and reports what a publish would do.
    """
    if progress is not None:
        progress(f"reading {target.name}")
    state = target.read()
    if not state.exists:
        known = {}  # the whole calendar or file is gone: publish afresh, decline nothing
    run = _Run(target, zone, None if dry_run else journal, dry_run, progress)
    remote = state.by_uid()
    wanted = {block.uid: block for block in blocks}
    for uid, block in sorted(wanted.items(), key=lambda pair: (pair[1].span.start, pair[0])):
        event = remote.get(uid)
        run.place(block, event, gone=uid in known or uid in declined,
                  theirs=event is not None and edited(event, known.get(uid)))
    for uid, event in sorted(remote.items(), key=lambda pair: (pair[1].span.start, pair[0])):
        if uid not in wanted:
            run.withdraw(event, theirs=edited(event, known.get(uid)))
    return run.report(state)


def edited(event: RemoteEvent, last: PublishedItem | None) -> bool:
    """Whether the person moved ``event``: it is not where makertime planned it, or not where
    makertime last put it (a block moved back to its first place is still their choice)."""
    if event.moved_by_person:
        return True
    return last is not None and (last.start, last.end) != (event.span.start, event.span.end)


class _Run:
    """One publish: decides per block, writes through the journal, collects the report."""

    def __init__(self, target: PublishTarget, zone: tzinfo, journal: PublishJournal | None,
                 dry_run: bool, progress: Progress | None) -> None:
        self.target, self.zone, self.journal = target, zone, journal
        self.dry_run, self.progress = dry_run, progress
        self.created: list[Block] = []
        self.updated: list[tuple[RemoteEvent, Block]] = []
        self.removed: list[RemoteEvent] = []
        self.untouched: list[RemoteEvent] = []
        self.kept: list[RemoteEvent] = []
        self.declined: list[Block] = []
        self.published: dict[str, PublishedItem] = {}

    def place(self, block: Block, event: RemoteEvent | None, *, gone: bool,
              theirs: bool) -> None:
        """Bring one planned block onto the target; ``theirs``: the person moved the event."""
        if event is None:
            if gone:
                self.declined.append(block)
            else:
                self._create(block)
        elif event.span == block.span:
            self._untouched(event)  # where planned, or the plan took up where the person put it
        elif theirs:
            self._keep(event)
        else:
            self._update(event, block)

    def withdraw(self, event: RemoteEvent, *, theirs: bool) -> None:
        """Take an event off the target that is no longer planned, unless the person moved it."""
        if theirs:
            self._keep(event)
        else:
            self._delete(event)

    def report(self, state: TargetState) -> PublishReport:
        """The report of everything decided so far."""
        return PublishReport(
            target=self.target.name, created=tuple(self.created), updated=tuple(self.updated),
            removed=tuple(self.removed), untouched=tuple(self.untouched),
            kept_theirs=tuple(self.kept), declined=tuple(self.declined),
            published=dict(self.published), foreign=state.foreign, dry_run=self.dry_run)

    def _create(self, block: Block) -> None:
        self.created.append(block)
        if self.dry_run:
            return
        data = block_text(block, self.zone)
        try:
            stored = self._write(block.uid, Action.CREATE,
                                 lambda: self.target.create(block.uid, data))
        except Conflict as conflict:
            self.created.pop()
            self._resolve(block.uid, conflict.href, block)
            return
        self._finish(block.uid, self._item(block, stored))

    def _update(self, event: RemoteEvent, block: Block) -> None:
        self.updated.append((event, block))
        if self.dry_run:
            self.published[event.uid] = event.as_published(self.target.name)
            return
        data = block_text(block, self.zone)
        try:
            etag = self._write(event.uid, Action.UPDATE,
                               lambda: self.target.update(event.href, event.etag, data))
        except Conflict:
            self.updated.pop()
            self._resolve(event.uid, event.href, block)
            return
        self._finish(event.uid, self._item(block, Stored(event.href, etag)))

    def _delete(self, event: RemoteEvent) -> None:
        self.removed.append(event)
        if self.dry_run:
            self.published[event.uid] = event.as_published(self.target.name)
            return
        try:
            self._write(event.uid, Action.DELETE,
                        lambda: self.target.delete(event.href, event.etag))
        except Conflict:
            self.removed.pop()
            self._resolve(event.uid, event.href, None, gone=event)
            return
        self._finish(event.uid, None)

    def _write(self, uid: str, action: Action, send: Callable[[], _T]) -> _T:
        if self.journal is not None:
            self.journal.intend(self.target.name, uid, action)
        if self.progress is not None:
            self.progress(f"{action.value} {uid}")
        return send()

    def _finish(self, uid: str, item: PublishedItem | None) -> None:
        if item is not None:
            self.published[uid] = item
        if self.journal is not None:
            self.journal.finished(self.target.name, uid, item)

    def _resolve(self, uid: str, href: str, block: Block | None, *,
                 gone: RemoteEvent | None = None) -> None:
        """After a refused write: read the event again and let what is there now stand."""
        current = self.target.read_event(href)
        if current is None:
            if block is not None:
                self.declined.append(block)  # the person deleted it meanwhile
            elif gone is not None:
                self.removed.append(gone)  # gone already, as this publish wanted
            self._finish(uid, None)
            return
        item = current.as_published(self.target.name)
        ours = block is not None and current.span == block.span
        # what makertime meant to write is there already (a run killed after its write), or
        # the person changed the event: either way it stays as it is
        (self.untouched if ours else self.kept).append(current)
        self._finish(uid, item)

    def _keep(self, event: RemoteEvent) -> None:
        self.kept.append(event)
        self.published[event.uid] = event.as_published(self.target.name)

    def _untouched(self, event: RemoteEvent) -> None:
        self.untouched.append(event)
        self.published[event.uid] = event.as_published(self.target.name)

    def _item(self, block: Block, stored: Stored) -> PublishedItem:
        return PublishedItem(target=self.target.name, uid=block.uid, href=stored.href,
                             etag=stored.etag, kind=block.kind.value, task=block.task,
                             start=block.span.start, end=block.span.end)
