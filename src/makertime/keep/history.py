"""Week by week, is maker time growing? The audit totals the store recorded for each ISO week,
and the logged interruptions that cost the most focus.

An interruption's cost is measured with the audit's own definitions: the effective focus minutes
of its day with every commitment, less the same without the interruption (a 20-minute alert that
splits a three-hour gap costs far more than its 20 minutes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from makertime.audit import audit_commitments
from makertime.model import Commitment, Period
from makertime.plan.result import PlanResult
from makertime.policy import Policy
from makertime.store import Store, WeekTotals

COSTS = "makertime_interruptions"  # key in a stored plan's JSON: each interruption's cost


@dataclass(frozen=True, slots=True)
class Costly:
    """A logged interruption and the effective focus minutes it cost its day."""

    text: str
    start: datetime
    minutes: int
    focus_lost: int


@dataclass(frozen=True, slots=True)
class History:
    """The weeks recorded, oldest first, and the costliest interruptions."""

    weeks: tuple[WeekTotals, ...]
    costly: tuple[Costly, ...]


def focus_lost(item: Commitment, found: Sequence[Commitment], policy: Policy) -> int:
    """Effective focus minutes the day of ``item`` has without it, less with it."""
    day = item.span.start.astimezone(policy.timezone).date()
    period = Period(day, day)
    with_it = audit_commitments(found, policy, period).totals.effective_focus_minutes
    others = [c for c in found if c is not item]
    without = audit_commitments(others, policy, period).totals.effective_focus_minutes
    return max(0, without - with_it)


def interruption_costs(result: PlanResult, policy: Policy) -> list[dict[str, Any]]:
    """Each interruption among the plan's commitments with its focus cost (for the store)."""
    found = list(result.commitments)
    return [{"uid": c.uid, "text": c.summary, "start": c.span.start.isoformat(),
             "minutes": c.span.minutes, "focus_lost": focus_lost(c, found, policy)}
            for c in found if c.source == "interruption"]


def history(store: Store, *, worst: int = 5) -> History:
    """The weekly totals and the ``worst`` interruptions by focus lost."""
    seen: dict[str, Costly] = {}
    for result in reversed(store.plan_results(limit=200)):  # oldest first: later ones win
        for entry in result.get(COSTS, []):
            seen[entry["uid"]] = Costly(entry["text"], datetime.fromisoformat(entry["start"]),
                                        int(entry["minutes"]), int(entry["focus_lost"]))
    costly = sorted(seen.values(), key=lambda c: (-c.focus_lost, -c.minutes, c.start))
    return History(tuple(store.weeks()), tuple(costly[:worst]))
