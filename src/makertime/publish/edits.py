"""What the person changed on the target since makertime last published there: blocks they
moved (pinned where they put them) and blocks they deleted ("not then").

A block missing from the target is the person's deletion only when makertime saw it there
(the store records it) and did not itself set out to delete it: an intention left by a publish
that was killed midway means the deletion may be makertime's own. A record with any intention
pending may be stale (the write may or may not have gone through), so where such an event is
says nothing of the person unless the event itself says it was moved (``X-MAKERTIME-PLANNED``).
The target is read under its publish lock (a publish under way is not read halfway), except for
a dry run.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import tzinfo

from makertime.calendars.base import PublishTarget, RemoteEvent
from makertime.model import Interval, Progress
from makertime.plan.replan import Edits
from makertime.plan.result import Block
from makertime.publish.journalled import known, opening, pending
from makertime.publish.lock import Clock, held, wall_clock
from makertime.publish.retry import Retry
from makertime.publish.sync import edited
from makertime.store import Store
from makertime.store.journal import PublishedItem


def read_edits(store: Store, target: str | PublishTarget, blocks: Sequence[Block], zone: tzinfo, *,
               pinned: Collection[str] = (), dry_run: bool = False,
               progress: Progress | None = None, retry: Retry | None = None,
               lock_clock: Clock = wall_clock) -> Edits:
    """What the person did to the published ``blocks`` since makertime last wrote them: an
    event not where makertime last put it was moved by them, as was one of the ``pinned``
    blocks (where they had put it) that is elsewhere now (even back to where it first was);
    one makertime saw that is gone, and that makertime did not itself delete, they deleted.
    A block the plan moved and that is not published yet is no edit of theirs.

    ``target`` is a CalDAV URL or an .ics file, or a target already open (any backend)."""
    if progress is not None:
        progress(f"reading {target if isinstance(target, str) else target.name}…")
    target, opened = opening(target, zone)
    with held(store, target, zone, lock_clock, dry_run=dry_run):
        state = (retry if retry is not None else Retry()).call(opened.list)
        journalled = store.journalled(target)
    if not state.exists:  # the whole target is gone: a fresh start, not every block deleted
        return Edits(deleted=journalled.declined)
    seen, unsure = known(journalled), pending(journalled)
    ours = {event.uid: event for event in state.events}
    planned = {block.uid: block.span for block in blocks}
    moved = {uid: event.span for uid, event in ours.items()
             if _moved(event, planned.get(uid), seen.get(uid), unsure=uid in unsure,
                       pinned=uid in pinned)}
    deleted = {uid for uid in seen if uid not in ours}
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
