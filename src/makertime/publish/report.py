"""What a publish did (or, in a dry run, would do) to a target."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from makertime.calendars.base import RemoteEvent
from makertime.model import Interval
from makertime.plan.result import Block
from makertime.store.journal import Action, PublishedItem


@dataclass(frozen=True, slots=True)
class Failed:
    """A write the target refused again after the event was read afresh and found as makertime
    expected it: nothing is taken for the person's doing, and the next publish tries again.

    ``span`` is where the block was to be (a create or an update) or is (a delete).
    """

    action: Action
    uid: str
    kind: str
    task: str | None
    span: Interval


@dataclass(frozen=True, slots=True)
class PublishReport:
    """What a publish did (or, in a dry run, would do) to a target.

    ``updated`` pairs each event as it was with the block it was moved to; ``kept_theirs`` holds
    the events the person moved or edited, left as they are; ``declined`` the blocks not created
    again because the person deleted them; ``failed`` the writes the target kept refusing, tried
    again by the next publish; ``published`` what is on the target now, by UID; ``foreign`` how
    many events on the target are not makertime's (all untouched).
    """

    target: str
    created: tuple[Block, ...] = ()
    updated: tuple[tuple[RemoteEvent, Block], ...] = ()
    removed: tuple[RemoteEvent, ...] = ()
    untouched: tuple[RemoteEvent, ...] = ()
    kept_theirs: tuple[RemoteEvent, ...] = ()
    declined: tuple[Block, ...] = ()
    failed: tuple[Failed, ...] = ()
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
        if self.failed:
            parts.append(f"{len(self.failed)} refused by the server (tried again at the next "
                         "publish)")
        return ", ".join(parts)
