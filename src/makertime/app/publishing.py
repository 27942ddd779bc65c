"""Publish a plan's blocks to its target through the store's journal, and read back what the
person changed there: blocks they moved (pinned where they put them) and blocks they deleted
("not then").

A block missing from the target is the person's deletion only when makertime saw it there
(the store records it) and did not itself set out to delete it: an intention left by a publish
that was killed midway means the deletion may be makertime's own. A record with any intention
pending may be stale (the write may or may not have gone through), so where such an event is
says nothing of the person unless the event itself says it was moved (``X-MAKERTIME-PLANNED``).

One publish at a time per store and target: a publish (and a replan reading what the person
did) holds the target's lock in the store, from before it reads the target until it has
recorded the outcome, and gives it back also when it fails. A second one fails at once with a
StoreBusyError (exit status 4) naming the holder. A lock whose process is gone (on this host),
or that has not been refreshed for ``STALE_AFTER``, is taken over. A dry run writes nothing to
the target or the store, so it takes no lock and waits for none: it shows what a publish would
do as of its reading, even while another publish is under way.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from datetime import UTC, datetime, timedelta, tzinfo

from makertime.calendars import open_target
from makertime.calendars.base import RemoteEvent
from makertime.errors import MakertimeError, StoreBusyError
from makertime.model import Interval, Progress
from makertime.plan.replan import Edits
from makertime.plan.result import Block
from makertime.publish.retry import Retry
from makertime.publish.sync import PublishReport, edited, publish
from makertime.store import Holder, Journalled, PublishLock, Store, this_host
from makertime.store.journal import Action, PublishedItem

Clock = Callable[[], datetime]
STALE_AFTER = timedelta(minutes=10)
"""A publish lock not refreshed for this long is taken over (its holder stopped elsewhere)."""


def wall_clock() -> datetime:
    """The time now, for the publish lock (which must follow real time across processes)."""
    return datetime.now(UTC)


def publish_blocks(store: Store, target: str, blocks: Sequence[Block], zone: tzinfo, *,
                   clock: datetime, dry_run: bool = False, progress: Progress | None = None,
                   retry: Retry | None = None, lock_clock: Clock = wall_clock) -> PublishReport:
    """Publish ``blocks`` to ``target``: only makertime's own events are created, changed or
    deleted, each write conditional, each recorded in the store as it happens, under the
    target's publish lock (none for a dry run)."""
    opened = open_target(target, zone)
    locked: AbstractContextManager[Holder | None] = (
        nullcontext(None) if dry_run else holding(store, target, zone, lock_clock))
    with locked as holder:
        known = store.journalled(target)
        journal = (None if holder is None else
                   store.journal(clock, holder=holder, clock=lock_clock))
        return publish(blocks, opened, zone, known=_known(known), declined=known.declined,
                       pending=_pending(known), journal=journal, dry_run=dry_run,
                       progress=progress, retry=retry)


def read_edits(store: Store, target: str, blocks: Sequence[Block], zone: tzinfo, *,
               pinned: Collection[str] = (), dry_run: bool = False,
               progress: Progress | None = None, retry: Retry | None = None,
               lock_clock: Clock = wall_clock) -> Edits:
    """What the person did to the published ``blocks`` since makertime last wrote them: an
    event not where makertime last put it was moved by them, as was one of the ``pinned``
    blocks (where they had put it) that is elsewhere now (even back to where it first was);
    one makertime saw that is gone, and that makertime did not itself delete, they deleted.
    A block the plan moved and that is not published yet is no edit of theirs.

    The target is read under its publish lock (a publish under way is not read halfway),
    except for a dry run."""
    if progress is not None:
        progress(f"reading {target}…")
    opened = open_target(target, zone)
    with nullcontext() if dry_run else holding(store, target, zone, lock_clock):
        state = (retry if retry is not None else Retry()).call(opened.list)
        journalled = store.journalled(target)
    if not state.exists:  # the whole target is gone: a fresh start, not every block deleted
        return Edits(deleted=journalled.declined)
    known, unsure = _known(journalled), _pending(journalled)
    ours = {event.uid: event for event in state.events}
    planned = {block.uid: block.span for block in blocks}
    moved = {uid: event.span for uid, event in ours.items()
             if _moved(event, planned.get(uid), known.get(uid), unsure=uid in unsure,
                       pinned=uid in pinned)}
    deleted = {uid for uid in known if uid not in ours}
    return Edits(moved=moved, deleted=frozenset(deleted | journalled.declined))


def _moved(event: RemoteEvent, planned: Interval | None, last: PublishedItem | None, *,
           unsure: bool, pinned: bool) -> bool:
    """Whether the person moved ``event``. Where the plan has it where they had put it
    (``pinned``), anywhere else is their move; where the plan has it elsewhere, it is theirs
    when it is not where makertime last put it (the plan may have moved it, keeping its UID,
    and not published that yet). With a write of makertime's pending on it, only the event
    itself can say so: where it is may be where that write left it, or did not move it."""
    if unsure and not event.moved_by_person:
        return False
    if planned is not None and event.span == planned:
        return False
    if planned is not None and pinned:
        return True
    return edited(event, None if unsure else last)


@contextmanager
def holding(store: Store, target: str, zone: tzinfo, clock: Clock = wall_clock
            ) -> Iterator[Holder]:
    """Hold the publish lock of ``target`` for this process while the block runs; a
    StoreBusyError at once when another makertime holds it."""
    holder = Holder(pid=os.getpid(), host=this_host(), token=secrets.token_hex(8))
    held = store.lock_target(target, holder, clock(), stale_after=STALE_AFTER)
    if held is not None:
        raise busy(held, zone)
    try:
        yield holder
    except BaseException:
        with suppress(MakertimeError):  # the error worth reporting is the first one
            store.unlock_target(target, holder)
        raise
    store.unlock_target(target, holder)


def busy(lock: PublishLock, zone: tzinfo) -> StoreBusyError:
    """The one line for a target another makertime is publishing to."""
    since = lock.since.astimezone(zone)
    minutes = int(STALE_AFTER.total_seconds() // 60)
    return StoreBusyError(
        lock.target, f"another makertime (process {lock.holder.pid} on {lock.holder.host}) "
        f"is publishing here since {since:%Y-%m-%d %H:%M:%S %Z}".rstrip(),
        f"run the command again when it is done; a lock whose process is gone, or that is "
        f"not refreshed for {minutes} minutes, is taken over")


def _known(journalled: Journalled) -> dict[str, PublishedItem]:
    """What makertime saw on the target, less what it had set out to delete itself (a run
    killed midway): that block's absence is makertime's doing, not the person's."""
    own = {i.uid for i in journalled.intentions if i.action is Action.DELETE}
    return {uid: item for uid, item in journalled.published.items() if uid not in own}


def _pending(journalled: Journalled) -> dict[str, Action]:
    """The changes a run killed midway left announced, by UID: their records may be stale."""
    return {intention.uid: intention.action for intention in journalled.intentions}
