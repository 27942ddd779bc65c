"""A block moved or deleted through makertime itself (its week view, its API): the person's
edit, taken exactly as the same edit in their calendar. A moved block is pinned where they put
it, a deleted one rules its stretch out for its task; the rest of the week is repaired around
the edit, and the result says what changed and why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path

from makertime.app.operations import Repaired
from makertime.app.options import clock_and_now, opened, solver_options, stored_zone
from makertime.app.week import current_plan, replan_week
from makertime.app.week_view import EDITABLE
from makertime.errors import OptionError, UnknownItem
from makertime.model import Interval, Progress, option_moment
from makertime.plan.replan import Edits
from makertime.plan.result import Block
from makertime.policy import load_policy
from makertime.store import Store, StoredPlan


def move_block(uid: str, start: str, *, now: str | None = None, time_limit: float = 10.0,
               workers: int | None = None, db: str | Store | None = None,
               progress: Progress | None = None) -> Repaired:
    """Move the current plan's block ``uid`` to begin at ``start`` (ISO 8601; without an offset,
    wall time in the plan's zone), keeping its length; then repair the week around it."""

    def moved(stored: StoredPlan, block: Block, moment: datetime, zone: tzinfo) -> Edits:
        begin = option_moment(start, zone, "start")
        span = Interval(begin, begin + (block.span.end - block.span.start))
        _inside(stored, span, moment, zone)
        return Edits(moved={uid: span})

    return _edited(uid, moved, now=now, time_limit=time_limit, workers=workers, db=db,
                   progress=progress)


def delete_block(uid: str, *, now: str | None = None, time_limit: float = 10.0,
                 workers: int | None = None, db: str | Store | None = None,
                 progress: Progress | None = None) -> Repaired:
    """Delete the current plan's block ``uid``: its stretch is ruled out for its task (as a
    block deleted in the calendar is), and the week is repaired without it."""
    return _edited(uid, lambda *_: Edits(deleted=frozenset({uid})), now=now,
                   time_limit=time_limit, workers=workers, db=db, progress=progress)


def _edited(uid: str, edit: Callable[[StoredPlan, Block, datetime, tzinfo], Edits], *,
            now: str | None, time_limit: float, workers: int | None, db: str | Store | None,
            progress: Progress | None) -> Repaired:
    """The week repaired around ``edit`` of the block ``uid`` (checked first: it exists, is
    placed work and has not begun)."""
    options = solver_options(time_limit, workers)
    with opened(db) as store:
        stored = current_plan(store)
        zone = stored_zone(stored)
        clock, moment = clock_and_now(now, zone)
        asked = edit(stored, _block(stored, uid, moment, zone), moment, zone)
        done = replan_week(store, now=moment, clock=clock, options=options, asked=asked,
                           progress=progress)
    policy = load_policy(Path(stored.inputs.policy_path) if stored.inputs.policy_path else None)
    return Repaired(done, policy.timezone, policy)


def _block(stored: StoredPlan, uid: str, now: datetime, zone: tzinfo) -> Block:
    """The block ``uid`` of the plan, if the person may still move or delete it."""
    found = next((b for b in stored.blocks if b.uid == uid), None)
    if found is None:
        raise UnknownItem(f'block "{uid}"', "is not a block of the current plan",
                          "the plan may have changed: reload the week")
    if found.kind not in EDITABLE:
        raise OptionError("uid", f"is a {found.kind.value} block, which follows its commitment",
                          "move or delete the commitment in your calendar instead")
    if found.span.start < now:
        raise OptionError("uid", f"began at {found.span.start.astimezone(zone):%a %d %b %H:%M}, "
                          "and the past is kept", "move or delete a block that has not begun")
    return found


def _inside(stored: StoredPlan, span: Interval, now: datetime, zone: tzinfo) -> None:
    """Refuse a move into the past or out of the plan's dates."""
    if span.start < now:
        raise OptionError("start", f"{span.start.astimezone(zone):%a %d %b %H:%M} is in the "
                          "past", "move the block to a time after now")
    first, last = stored.inputs.first, stored.inputs.last
    if not first <= span.start.astimezone(zone).date() <= last or (
            span.end.astimezone(zone).date() > last and span.end.astimezone(zone).time() != 0):
        raise OptionError("start", f"{span.start.astimezone(zone):%a %d %b %H:%M} is outside "
                          f"the plan's dates, {first} to {last}",
                          "move the block within them, or plan that week first")


__all__ = ["delete_block", "move_block"]
