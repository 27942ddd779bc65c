"""The current plan's week as a front end draws it: its blocks (which the person may still move
or delete), its commitments and days, the totals before and after, read from the store alone
(no calendar is read: a week view is shown often, and the plan saved what it was made from)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from makertime.app.options import clock_and_now, opened, stored_zone
from makertime.app.week import CALENDAR, current_plan, moved_here, pinned_of
from makertime.plan.result import Block, BlockKind
from makertime.store import Store, StoredPlan

EDITABLE = (BlockKind.DEEP, BlockKind.SHALLOW, BlockKind.SYNC_WINDOW)
"""The kinds of block a person may move or delete: the work the plan placed (rest and
recovery follow the commitments they belong to)."""


@dataclass(frozen=True, slots=True)
class WeekView:
    """The current plan as of ``now``: the stored plan, which of its blocks stand where the
    person put them, and what it saved to draw (empty for a plan saved before it did)."""

    stored: StoredPlan
    now: datetime
    zone: tzinfo
    pinned: frozenset[str]
    moved_here: frozenset[str]
    calendar: dict[str, Any]

    @property
    def first(self) -> date:
        """The plan's first date."""
        return self.stored.inputs.first

    @property
    def last(self) -> date:
        """The plan's last date."""
        return self.stored.inputs.last

    @property
    def target(self) -> str | None:
        """Where the plan publishes to, if anywhere."""
        return self.stored.inputs.target

    def editable(self, block: Block) -> bool:
        """Whether the person may still move or delete ``block``: placed work not yet begun."""
        return block.kind in EDITABLE and block.span.start >= self.now


def week_view(*, now: str | None = None, db: str | Store | None = None) -> WeekView:
    """The current plan's week as of ``now`` (default: the clock), to the minute."""
    with opened(db) as store:
        stored = current_plan(store)
        zone = stored_zone(stored)
        _, moment = clock_and_now(now, zone)
        moment = moment.replace(second=0, microsecond=0)  # a week is shown as of the minute
        return WeekView(stored, moment, zone, pinned_of(stored), moved_here(stored),
                        dict(stored.result.get(CALENDAR, {})))


__all__ = ["EDITABLE", "WeekView", "week_view"]
