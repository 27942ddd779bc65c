"""Plans with their inputs, the interruption log and the weekly totals: what happened when."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from makertime.errors import StoreError, UnknownItem
from makertime.plan.result import Block
from makertime.store import mapping
from makertime.store.records import Interruption, PlanInputs, StoredPlan, WeekTotals
from makertime.store.sql import upsert
from makertime.store.tables import InterruptionRow, PlanBlockRow, PlanRow, WeekRow

SHOW_IDS = 5  # the latest interruption ids an unknown one is answered with
LARGEST_ID = 2**31 - 1  # PostgreSQL's INTEGER: a larger id is no id, not a database error


def save_plan(session: Session, *, created: datetime, now: datetime, inputs: PlanInputs,
              blocks: Sequence[Block], result: dict[str, Any]) -> StoredPlan:
    """Save a plan with its blocks; being the newest, it is the current plan."""
    row = mapping.plan_row(created, now, inputs, result)
    session.add(row)
    session.flush()
    block_rows = [mapping.block_row(row.id, position, block)
                  for position, block in enumerate(blocks)]
    session.add_all(block_rows)
    session.flush()
    return mapping.plan(row, block_rows)


def newest_id(session: Session) -> int | None:
    """The id of the plan saved last (None: no plan yet)."""
    found: int | None = session.scalar(select(PlanRow.id).order_by(PlanRow.id.desc()).limit(1))
    return found


def plans(session: Session, limit: int) -> list[StoredPlan]:
    """The ``limit`` newest plans, newest first."""
    rows = list(session.scalars(select(PlanRow).order_by(PlanRow.id.desc()).limit(limit)))
    if not rows:
        return []
    by_plan: dict[int, list[PlanBlockRow]] = {row.id: [] for row in rows}
    query = select(PlanBlockRow).where(PlanBlockRow.plan_id.in_(by_plan))
    for block in session.scalars(query):
        by_plan[block.plan_id].append(block)
    return [mapping.plan(row, by_plan[row.id]) for row in rows]


def results_as_of(session: Session, limit: int) -> list[tuple[datetime, dict[str, Any]]]:
    """The ``now`` and the JSON of the ``limit`` newest plans, newest first (no blocks)."""
    query = select(PlanRow.now_at, PlanRow.result).order_by(PlanRow.id.desc()).limit(limit)
    return [(now, dict(found)) for now, found in session.execute(query)]


def log_interruption(session: Session, text: str, start: datetime, minutes: int,
                     logged: datetime) -> Interruption:
    """Log an interruption of ``minutes`` (more than none) that began at ``start``."""
    if minutes <= 0:
        raise StoreError("interruption", f"lasted {minutes} minutes",
                         "an interruption lasts a minute at least")
    row = InterruptionRow(text=text, start_at=start, minutes=minutes, logged=logged)
    session.add(row)
    session.flush()
    return mapping.interruption(row)


def interruptions(session: Session, since: datetime | None,
                  until: datetime | None) -> list[Interruption]:
    """Interruptions that began at or after ``since`` and before ``until``, by start."""
    query = select(InterruptionRow).order_by(InterruptionRow.start_at, InterruptionRow.id)
    if since is not None:
        query = query.where(InterruptionRow.start_at >= since)
    if until is not None:
        query = query.where(InterruptionRow.start_at < until)
    return [mapping.interruption(row) for row in session.scalars(query)]


def interruption(session: Session, number: int) -> Interruption:
    """Interruption ``number``, or a StoreError that says where to find the ids."""
    row = session.get(InterruptionRow, number) if 0 < number <= LARGEST_ID else None
    if row is None:
        raise _unknown(session, number)
    return mapping.interruption(row)


def edit_interruption(session: Session, number: int, minutes: int) -> tuple[Interruption,
                                                                           Interruption]:
    """Set how long interruption ``number`` lasted; returns it before and after."""
    if minutes <= 0:
        raise StoreError(f"interruption {number}", f"lasted {minutes} minutes",
                         "an interruption lasts a minute at least")
    row = _interruption_row(session, number)
    before = mapping.interruption(row)
    row.minutes = minutes
    session.flush()
    return before, mapping.interruption(row)


def remove_interruption(session: Session, number: int) -> Interruption:
    """Delete interruption ``number``; returns what it was."""
    row = _interruption_row(session, number)
    gone = mapping.interruption(row)
    session.delete(row)
    session.flush()
    return gone


def _interruption_row(session: Session, number: int) -> InterruptionRow:
    """The row of interruption ``number``, locked for the update."""
    row = (session.get(InterruptionRow, number, with_for_update=True)
           if 0 < number <= LARGEST_ID else None)
    if row is None:
        raise _unknown(session, number)
    return row


def _unknown(session: Session, number: int) -> UnknownItem:
    """No interruption ``number``: the error names the latest ids."""
    latest = list(session.scalars(select(InterruptionRow.id)
                                  .order_by(InterruptionRow.id.desc()).limit(SHOW_IDS)))
    known = (f"the latest: {', '.join(str(n) for n in reversed(latest))}" if latest
             else "none is logged yet")
    return UnknownItem(f"interruption {number}", f"no such interruption ({known})",
                      "run `makertime interruptions` to list them")


def monday(day: date) -> date:
    """The Monday of the ISO week holding ``day``."""
    return day - timedelta(days=day.weekday())


def record_week(session: Session, week: date, totals: dict[str, Any], recorded: datetime) -> None:
    """Keep the totals of the week holding ``week``; a later ``recorded`` replaces earlier ones."""
    upsert(session, WeekRow, [{"week": monday(week), "totals": totals, "recorded": recorded}],
           update=["totals", "recorded"], newer="recorded")


def weeks(session: Session) -> list[WeekTotals]:
    """Every recorded week, oldest first."""
    return [mapping.week(row) for row in session.scalars(select(WeekRow).order_by(WeekRow.week))]
