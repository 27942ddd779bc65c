"""Publish a plan's blocks to its target through the store's journal, and read back what the
person changed there: blocks they moved (pinned where they put them) and blocks they deleted
("not then").

A block missing from the target is the person's deletion only when makertime published it and
did not itself set out to delete it: an intention left by a publish that was killed midway
means the deletion was makertime's own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, tzinfo

from makertime.outputs.publish import PublishReport, edited, publish
from makertime.outputs.published import Action, PublishedItem
from makertime.outputs.targets import open_target
from makertime.plan.repair import Edits
from makertime.plan.result import Block
from makertime.store import Store

Progress = Callable[[str], None]


def publish_blocks(store: Store, target: str, blocks: Sequence[Block], zone: tzinfo, *,
                   clock: datetime, dry_run: bool = False,
                   progress: Progress | None = None) -> PublishReport:
    """Publish ``blocks`` to ``target``: only makertime's own events are created, changed or
    deleted, each write conditional, each recorded in the store as it happens."""
    opened = open_target(target, zone)
    known = _known(store, target)
    report = publish(blocks, opened, zone, known=known, declined=store.declined(target),
                     journal=None if dry_run else store.journal(clock), dry_run=dry_run,
                     progress=progress)
    if not dry_run:
        settle(store, target, report, known, clock=clock)
    return report


def settle(store: Store, target: str, report: PublishReport,
           known: Mapping[str, PublishedItem], *, clock: datetime) -> None:
    """Bring the store in line with the target after a publish: blocks the person deleted are
    declined for good; what is on the target is recorded; intentions a killed run left behind
    are closed; records of blocks no longer anywhere are dropped."""
    store.decline(target, [block.uid for block in report.declined])
    journal = store.journal(clock)
    pending = {intention.uid for intention in store.intentions(target)}
    for uid in pending | set(known):
        item = report.published.get(uid)
        if item is None or uid in pending:
            journal.finished(target, uid, item)


def read_edits(store: Store, target: str, blocks: Sequence[Block], zone: tzinfo, *,
               progress: Progress | None = None) -> Edits:
    """What the person did to the published ``blocks`` since makertime last wrote them: an
    event not where the plan has it was moved by them (even back to where it first was); one
    makertime published that is gone, and that makertime did not itself delete, they deleted."""
    if progress is not None:
        progress(f"reading {target}…")
    state = open_target(target, zone).read()
    if not state.exists:  # the whole target is gone: a fresh start, not every block deleted
        return Edits(deleted=frozenset(store.declined(target)))
    known = _known(store, target)
    ours = {event.uid: event for event in state.events}
    planned = {block.uid: block.span for block in blocks}
    moved = {uid: event.span for uid, event in ours.items()
             if event.span != planned.get(uid, event.span)
             or (uid not in planned and edited(event, known.get(uid)))}
    deleted = {uid for uid in known if uid not in ours}
    return Edits(moved=moved, deleted=frozenset(deleted | store.declined(target)))


def _known(store: Store, target: str) -> dict[str, PublishedItem]:
    """What makertime published to ``target``, less what it had set out to delete itself (a run
    killed midway): that block's absence is makertime's doing, not the person's."""
    own = {i.uid for i in store.intentions(target) if i.action is Action.DELETE}
    return {uid: item for uid, item in store.published(target).items() if uid not in own}
