"""Week by week, is maker time growing? The audit totals the store recorded for each ISO week,
and what each logged interruption cost.

An interruption's cost is measured with the audit's own definitions, against the plan as it
stood when the interruption was logged: that plan's commitments, shallow blocks and sync windows,
and no logged interruption at all. Each saved plan keeps the free stretches (gaps) of its work
windows on that footing; the cost is the effective focus minutes those gaps held less what they
hold with the interruption taken out (a 20-minute alert that splits a three-hour gap costs far
more than its 20 minutes). No other interruption enters the measure, so logging, editing or
removing one never changes another's figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from makertime.audit import audit_commitments
from makertime.model import Interval, subtract, to_utc
from makertime.plan.extract import as_commitments
from makertime.plan.result import PlanResult
from makertime.policy import Policy
from makertime.store import Interruption, Store, WeekTotals

COSTS = "makertime_interruptions"  # key in a stored plan's JSON: what interruptions cost against
INTERRUPTION = "interruption"  # the source of a logged interruption as a commitment
PLANS_READ = 200  # the newest plans whose footing is looked at


@dataclass(frozen=True, slots=True)
class Footing:
    """What a saved plan measures interruptions against: the gaps of its work windows with
    its commitments and blocks but without interruptions, over its days, as of its ``now``."""

    first: date
    last: date
    zone: ZoneInfo
    ramp_up: int
    gaps: tuple[Interval, ...]
    as_of: datetime

    def covers(self, moment: datetime) -> bool:
        """Whether ``moment`` falls on one of the plan's days."""
        return self.first <= moment.astimezone(self.zone).date() <= self.last

    def cost(self, span: Interval) -> int:
        """Effective focus minutes the gaps lose when ``span`` is taken out of them."""
        lost = 0
        for gap in self.gaps:
            if gap.clip(span) is not None:
                lost += self._effective(gap) - sum(self._effective(part)
                                                   for part in subtract(gap, [span]))
        return lost

    def _effective(self, gap: Interval) -> int:
        return max(0, gap.minutes - self.ramp_up)


@dataclass(frozen=True, slots=True)
class Costly:
    """A logged interruption and the effective focus minutes it cost its day (None when no
    plan covers that day)."""

    id: int
    text: str
    start: datetime
    minutes: int
    focus_lost: int | None


@dataclass(frozen=True, slots=True)
class History:
    """The weeks recorded, oldest first, and the costliest interruptions."""

    weeks: tuple[WeekTotals, ...]
    costly: tuple[Costly, ...]


def interruption_costs(result: PlanResult, policy: Policy) -> dict[str, Any]:
    """What a saved plan keeps to measure any interruption's cost by (its ``Footing``)."""
    kept = [c for c in result.commitments if c.source != INTERRUPTION]
    kept += as_commitments(result.blocks)
    audit = audit_commitments(sorted(kept, key=lambda c: (c.span.start, c.span.end)), policy,
                              result.period)
    return {"from": result.period.first.isoformat(), "to": result.period.last.isoformat(),
            "timezone": str(policy.timezone), "ramp_up": policy.focus.ramp_up_minutes,
            "gaps": [[gap.start.isoformat(), gap.end.isoformat()]
                     for day in audit.days for gap in day.gaps]}


def footing(as_of: datetime, data: Mapping[str, Any]) -> Footing | None:
    """The footing a plan's JSON keeps; None for a plan saved before plans kept one."""
    kept = data.get(COSTS)
    if not isinstance(kept, dict):
        return None
    return Footing(date.fromisoformat(kept["from"]), date.fromisoformat(kept["to"]),
                   ZoneInfo(kept["timezone"]), int(kept["ramp_up"]),
                   tuple(Interval(_utc(start), _utc(end)) for start, end in kept["gaps"]),
                   as_of)


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def standing(item: Interruption, footings: Sequence[Footing]) -> Footing | None:
    """The plan as it stood when ``item`` was logged: of the plans (newest first) covering its
    day, the newest made as of before then, else the first ever made for that day. (A plan
    made as of the very moment it was logged is taken to follow it: log, then replan.)"""
    covering = [f for f in footings if f.covers(item.start)]
    before = [f for f in covering if f.as_of < item.logged]
    if before:
        return before[0]
    return covering[-1] if covering else None


def costs(store: Store, items: Sequence[Interruption]) -> list[Costly]:
    """Each interruption with the focus it cost, against the plan as it stood when logged."""
    found = [f for as_of, data in store.plan_results_as_of(PLANS_READ)
             if (f := footing(as_of, data)) is not None] if items else []
    rows = []
    for item in items:
        assert item.id is not None  # read from the store
        base = standing(item, found)
        start = to_utc(item.start)  # real minutes, whatever zone it came in
        span = Interval(start, start + timedelta(minutes=item.minutes))
        rows.append(Costly(item.id, item.text, item.start, item.minutes,
                           None if base is None else base.cost(span)))
    return rows


def history(store: Store, *, worst: int = 5) -> History:
    """The weekly totals and the ``worst`` interruptions by focus lost."""
    measured = [c for c in costs(store, store.interruptions()) if c.focus_lost is not None]
    costly = sorted(measured, key=lambda c: (-(c.focus_lost or 0), -c.minutes, c.start))
    return History(tuple(store.weeks()), tuple(costly[:worst]))
