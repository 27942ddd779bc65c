"""Publishing a plan's blocks to its target through the store: what the store's journal says
makertime saw there, the publish itself recording change by change, under the target's lock.

A record with any intention pending may be stale (a run killed midway: the write may or may not
have gone through); a block makertime had set out to delete is missing by makertime's doing,
not the person's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from makertime.calendars import open_target, target_name
from makertime.calendars.base import PublishTarget
from makertime.model import Progress
from makertime.plan.result import Block
from makertime.publish.lock import Clock, held, wall_clock
from makertime.publish.report import PublishReport
from makertime.publish.retry import Retry
from makertime.publish.sync import publish
from makertime.store import Journalled, Store
from makertime.store.journal import Action, PublishedItem


def publish_blocks(store: Store, target: str | PublishTarget, blocks: Sequence[Block],
                   zone: tzinfo, *, clock: datetime, dry_run: bool = False,
                   progress: Progress | None = None, retry: Retry | None = None,
                   lock_clock: Clock = wall_clock) -> PublishReport:
    """Publish ``blocks`` to ``target``: only makertime's own events are created, changed or
    deleted, each write conditional, each recorded in the store as it happens, under the
    target's publish lock (none for a dry run).

    ``target`` is a CalDAV URL or an .ics file, or a target already open (any backend), which
    the store then knows by its name."""
    target, opened = opening(target, zone)
    with held(store, target, zone, lock_clock, dry_run=dry_run) as holder:
        journalled = store.journalled(target)
        journal = (None if holder is None else
                   store.journal(clock, holder=holder, clock=lock_clock))
        return publish(blocks, opened, zone, known=known(journalled),
                       declined=journalled.declined, pending=pending(journalled),
                       journal=journal, dry_run=dry_run, progress=progress, retry=retry)


def opening(target: str | PublishTarget, zone: tzinfo) -> tuple[str, PublishTarget]:
    """The name the store knows ``target`` by — the opened target's own, which the publish
    records under: the same however the person wrote it (``calendars.target_name``) — and the
    target."""
    opened = open_target(target_name(target), zone) if isinstance(target, str) else target
    return opened.name, opened


def known(journalled: Journalled) -> dict[str, PublishedItem]:
    """What makertime saw on the target, less what it had set out to delete itself (a run
    killed midway): that block's absence is makertime's doing, not the person's."""
    own = {i.uid for i in journalled.intentions if i.action is Action.DELETE}
    return {uid: item for uid, item in journalled.published.items() if uid not in own}


def pending(journalled: Journalled) -> dict[str, Action]:
    """The changes a run killed midway left announced, by UID: their records may be stale."""
    return {intention.uid: intention.action for intention in journalled.intentions}
