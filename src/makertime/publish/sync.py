"""Publish a plan's blocks to a target, changing only what differs and never the person's edits.

The target is read first; makertime's events found there that the journal does not know yet are
adopted (recorded as seen), and the changes a killed run left announced are closed with what the
read found. Then, block by block (a block's UID is the same on every run, and a block the plan
moved or shortened keeps the UID it had):

- on the target where the plan wants it → untouched (also when the person put it there);
- on the target but moved by the person elsewhere → kept as they moved it, never overwritten;
- on the target elsewhere, not moved by the person (the plan moved it, keeping its UID) →
  updated in place, If-Match, SEQUENCE one higher; the record then holds the new time, so the
  next run does not take makertime's own move for the person's;
- not on the target → created (If-None-Match), unless the person deleted it — makertime saw it
  on the target before (it is recorded) and it is gone — or declined it earlier (a block seen
  and gone is remembered as deleted by the person even while no plan wants it);
- on the target, no longer planned → deleted (If-Match), unless the person moved it → kept.

Whether the person moved an event is read from the event itself (``X-MAKERTIME-PLANNED``, where
makertime put it) and from the record of where makertime last put it; a record that a killed run
may have left behind its own write (an intention is pending on it) is not trusted for that.

A write refused because the event is not as read (412) is never taken for the person's doing
as such: the event is read again and decided afresh, as if just read — gone after being seen:
deleted by the person; moved by the person: kept; where the plan wants it: untouched (a write
that went through before its answer was lost); otherwise written again, once. A write refused
again is reported as failed, recorded as nothing, and tried by the next publish. A request that
fails for a passing reason (5xx, a dropped connection, no answer in time) is sent again a few
times (``retry``); then the publish stops with a ``ServerError`` and the journal keeps what was
intended, so the next publish completes the job without duplicates (UIDs are stable and every
write is conditional).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import tzinfo
from typing import TypeVar

from makertime.calendars.base import PublishTarget, RemoteEvent, Stored, TargetState
from makertime.errors import Conflict
from makertime.model import Progress
from makertime.plan.result import Block
from makertime.publish.events import as_published, block_text
from makertime.publish.report import Failed, PublishReport
from makertime.publish.retry import Retry
from makertime.store.journal import Action, PublishedItem, PublishJournal

CONFLICT_TRIES = 2  # a write refused (412) is decided afresh and sent once more, at most
_T = TypeVar("_T")

__all__ = ["CONFLICT_TRIES", "Failed", "PublishReport", "edited", "publish"]


def publish(blocks: Sequence[Block], target: PublishTarget, zone: tzinfo, *,
            known: Mapping[str, PublishedItem], declined: Collection[str] = (),
            pending: Mapping[str, Action] | None = None, journal: PublishJournal | None = None,
            dry_run: bool = False, progress: Progress | None = None,
            retry: Retry | None = None) -> PublishReport:
    """Make ``target`` hold ``blocks`` (times written in ``zone``), keeping the person's edits.

    ``known`` is what makertime saw on this target before (a UID in it that is missing now was
    deleted by the person); ``declined`` UIDs are never created; ``pending`` are the changes a
    run that did not finish left announced, by UID: their records may be stale. A dry run reads
    the target, writes nothing, records nothing, and reports what a publish would do.
    """
    retry = retry if retry is not None else Retry()
    if progress is not None:
        progress(f"reading {target.name}")
    state = retry.call(target.list)
    if not state.exists:
        known = {}  # the whole calendar or file is gone: publish afresh, decline nothing
    remote = state.by_uid()
    run = _Run(target, zone, None if dry_run else journal, retry, known=known,
               pending=pending or {}, dry_run=dry_run, progress=progress)
    run.reconcile(remote)
    wanted = {block.uid: block for block in blocks}
    for uid, block in sorted(wanted.items(), key=lambda pair: (pair[1].span.start, pair[0])):
        run.place(block, remote.get(uid), gone=uid in known or uid in declined)
    for uid, event in sorted(remote.items(), key=lambda pair: (pair[1].span.start, pair[0])):
        if uid not in wanted:
            run.withdraw(event)
    # seen before, gone now, no longer planned: the person deleted it all the same, and a
    # later plan that wants the block there again must not bring it back
    gone = sorted(uid for uid in known if uid not in remote and uid not in wanted)
    return run.report(state, also_declined=gone)


def edited(event: RemoteEvent, last: PublishedItem | None) -> bool:
    """Whether the person moved ``event``: it is not where makertime planned it, or not where
    makertime last put it (a block moved back to its first place is still their choice).
    ``last`` is None when there is no record to trust."""
    if event.moved_by_person:
        return True
    return last is not None and (last.start, last.end) != (event.span.start, event.span.end)


class _Run:
    """One publish: decides per block, writes through the journal, collects the report."""

    def __init__(self, target: PublishTarget, zone: tzinfo, journal: PublishJournal | None,
                 retry: Retry, *, known: Mapping[str, PublishedItem],
                 pending: Mapping[str, Action],
                 dry_run: bool, progress: Progress | None) -> None:
        self.target, self.zone, self.journal, self.retry = target, zone, journal, retry
        self.known, self.pending = known, pending
        self.dry_run, self.progress = dry_run, progress
        self.created: list[Block] = []
        self.updated: list[tuple[RemoteEvent, Block]] = []
        self.removed: list[RemoteEvent] = []
        self.untouched: list[RemoteEvent] = []
        self.kept: list[RemoteEvent] = []
        self.declined: list[Block] = []
        self.failed: list[Failed] = []
        self.published: dict[str, PublishedItem] = {}
        self.recorded: set[str] = set()  # UIDs the journal recorded as finished in this run

    def reconcile(self, remote: Mapping[str, RemoteEvent]) -> None:
        """Record what the read found, before any write: makertime's events the journal did not
        know (adopted), and the outcome of the changes a killed run left announced — an event
        there now is recorded as it is; one makertime was creating or deleting that is gone
        was never made or is deleted, by makertime as far as anyone can tell. (One it was
        updating that is gone was seen before: the person deleted it, as the run will find.)"""
        if self.journal is None:
            return
        name = self.target.name
        found = [as_published(event, name) for uid, event in sorted(remote.items())
                 if uid not in self.known and uid not in self.pending]
        if found:
            self.journal.adopt(name, found)
        for uid, action in sorted(self.pending.items()):
            event = remote.get(uid)
            if event is not None:
                self.journal.finished(name, uid, as_published(event, name))
            elif action is not Action.UPDATE:
                self.journal.finished(name, uid, None)

    def place(self, block: Block, event: RemoteEvent | None, *, gone: bool,
              tries: int = CONFLICT_TRIES) -> None:
        """Bring one planned block onto the target; ``gone``: a missing event was deleted by
        the person (makertime saw it before)."""
        if event is None:
            if gone:
                self.declined.append(block)
            else:
                self._create(block, tries)
        elif event.span == block.span:
            self._untouched(event)  # where planned, or the plan took up where the person put it
        elif self._theirs(event):
            self._keep(event)
        else:
            self._update(event, block, tries)

    def withdraw(self, event: RemoteEvent, tries: int = CONFLICT_TRIES) -> None:
        """Take an event off the target that is no longer planned, unless the person moved it."""
        if self._theirs(event):
            self._keep(event)
        else:
            self._delete(event, tries)

    def report(self, state: TargetState, also_declined: Sequence[str] = ()) -> PublishReport:
        """The report of everything decided; the journal settled to match it, with the
        ``also_declined`` UIDs (deleted by the person, and not planned) remembered too."""
        report = PublishReport(
            target=self.target.name, created=tuple(self.created), updated=tuple(self.updated),
            removed=tuple(self.removed), untouched=tuple(self.untouched),
            kept_theirs=tuple(self.kept), declined=tuple(self.declined),
            failed=tuple(self.failed), published=dict(self.published), foreign=state.foreign,
            dry_run=self.dry_run)
        if self.journal is not None:
            self.journal.settle(self.target.name, report.published,
                                [*(block.uid for block in report.declined), *also_declined])
        return report

    def _theirs(self, event: RemoteEvent) -> bool:
        last = None if event.uid in self.pending else self.known.get(event.uid)
        return edited(event, last)

    def _create(self, block: Block, tries: int) -> None:
        if tries <= 0:
            self._fail(_failed(Action.CREATE, block), None)
            return
        self.created.append(block)
        if self.dry_run:
            return
        data = block_text(block, self.zone)
        try:
            stored = self._write(block.uid, Action.CREATE,
                                 lambda: self.target.create(block.uid, data))
        except Conflict as conflict:
            self.created.pop()
            # nothing seen before: an event missing now is simply created again
            self.place(block, self._reread(conflict.href), gone=False, tries=tries - 1)
            self._close(block.uid)
            return
        self._finish(block.uid, self._item(block, stored))

    def _update(self, event: RemoteEvent, block: Block, tries: int) -> None:
        if tries <= 0:
            self._fail(_failed(Action.UPDATE, block), event)
            return
        self.updated.append((event, block))
        if self.dry_run:
            self.published[event.uid] = as_published(event, self.target.name)
            return
        data = block_text(block, self.zone, sequence=event.sequence + 1)
        try:
            etag = self._write(event.uid, Action.UPDATE,
                               lambda: self.target.update(event.href, event.etag, data))
        except Conflict:
            self.updated.pop()
            # seen in the read: gone now, the person deleted it
            self.place(block, self._reread(event.href), gone=True, tries=tries - 1)
            self._close(event.uid)
            return
        self._finish(event.uid, self._item(block, Stored(event.href, etag)))

    def _delete(self, event: RemoteEvent, tries: int) -> None:
        if tries <= 0:
            self._fail(Failed(Action.DELETE, event.uid, event.kind, event.task, event.span), event)
            return
        self.removed.append(event)
        if self.dry_run:
            self.published[event.uid] = as_published(event, self.target.name)
            return
        try:
            self._write(event.uid, Action.DELETE,
                        lambda: self.target.delete(event.href, event.etag))
        except Conflict:
            self.removed.pop()
            current = self._reread(event.href)
            if current is None:
                self.removed.append(event)  # gone already, as this publish wanted
            else:
                self.withdraw(current, tries - 1)
            self._close(event.uid)
            return
        self._finish(event.uid, None)

    def _fail(self, failed: Failed, seen: RemoteEvent | None) -> None:
        """A write refused again: reported; the event it was about, if any, recorded as is."""
        self.failed.append(failed)
        if seen is not None:
            self.published[seen.uid] = as_published(seen, self.target.name)

    def _reread(self, href: str) -> RemoteEvent | None:
        return self.retry.call(lambda: self.target.get(href))

    def _write(self, uid: str, action: Action, send: Callable[[], _T]) -> _T:
        if self.journal is not None:
            self.journal.intend(self.target.name, uid, action)
        if self.progress is not None:
            self.progress(f"{action.value} {uid}")
        return self.retry.call(send)

    def _close(self, uid: str) -> None:
        """After a refused write was decided afresh: record what is there now. A block the
        person deleted keeps its record until the end, when its deletion is recorded with it:
        were the run killed in between, the next one would still know it saw the block."""
        if (self.journal is None or uid in self.recorded
                or any(block.uid == uid for block in self.declined)):
            return  # recorded by the write decided afresh, or kept for the end
        self.journal.finished(self.target.name, uid, self.published.get(uid))

    def _finish(self, uid: str, item: PublishedItem | None) -> None:
        if item is not None:
            self.published[uid] = item
        if self.journal is not None:
            self.journal.finished(self.target.name, uid, item)
            self.recorded.add(uid)

    def _keep(self, event: RemoteEvent) -> None:
        self.kept.append(event)
        self.published[event.uid] = as_published(event, self.target.name)

    def _untouched(self, event: RemoteEvent) -> None:
        self.untouched.append(event)
        self.published[event.uid] = as_published(event, self.target.name)

    def _item(self, block: Block, stored: Stored) -> PublishedItem:
        return PublishedItem(target=self.target.name, uid=block.uid, href=stored.href,
                             etag=stored.etag, kind=block.kind.value, task=block.task,
                             start=block.span.start, end=block.span.end)


def _failed(action: Action, block: Block) -> Failed:
    return Failed(action, block.uid, block.kind.value, block.task, block.span)
