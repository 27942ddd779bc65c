"""Step 1 of planning: the problem — the runs of free time (``runs.py``), the tasks as the planner
sees them, the sync windows to place, and what an earlier plan leaves to this one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from makertime.audit import away_of, windows_of
from makertime.marks import OWN_UID, RELIEVES_CATEGORY, marked_number
from makertime.model import Attention, Commitment, Depth, Interval, Period, Task, merge
from makertime.plan.runs import GRAIN, Barred, Run, barred_of, day_runs, units
from makertime.policy import Policy

DEFAULT_SHALLOW_MIN_BLOCK = 15


@dataclass(frozen=True, slots=True)
class Need:
    """A task as the planner sees it: grains still needed, smallest block, weight, deadline.

    An overdue task (its deadline passed before the plan starts) has no ``deadline`` to meet:
    ``overdue_since`` keeps the one it missed, for its reasons and to go first.
    """

    task: Task
    size: int
    min_size: int
    deadline: datetime | None
    weight: int
    overdue_since: datetime | None = None

    @property
    def overdue(self) -> bool:
        """Whether the task's deadline passed before the plan starts."""
        return self.overdue_since is not None

    @property
    def deep(self) -> bool:
        """Whether the task needs unbroken deep blocks."""
        return self.task.depth is Depth.DEEP

    def due(self, run: Run) -> int:
        """Grains into ``run`` by which this task's block must end."""
        return run.size if self.deadline is None else run.offset(self.deadline)


@dataclass(frozen=True, slots=True)
class SyncSlot:
    """One sync window to place on a day, near a preferred time (if any)."""

    day: date
    index: int
    prefer: datetime | None


SYNC = "sync-window"  # the key of sync windows in ``EarlierPlan.forbidden``


@dataclass(frozen=True, slots=True)
class EarlierPlan:
    """What an earlier plan leaves to this one: blocks held still, blocks that may stay, times
    ruled out, and where moved blocks were.

    ``fixed`` spans are taken out of the free time (without buffers: they are the person's own
    work); ``deep_used`` is the deep time they already take per day and ``sync_kept`` the sync
    windows they already hold per day. ``soft`` maps a task id (or ``SYNC``) to the spans of its
    earlier blocks that may stay: each becomes a run of its own, so keeping it is one variable,
    and the model pays for every one it gives up. ``forbidden`` maps a task id (or ``SYNC``) to
    times the person ruled out by deleting a block there; ``anchors`` maps a task id to where its
    blocks were before they had to move, so the new ones go as near as they can.
    """

    fixed: tuple[Interval, ...] = ()
    soft: dict[str, tuple[Interval, ...]] = field(default_factory=dict)
    deep_used: dict[date, int] = field(default_factory=dict)
    sync_kept: dict[date, tuple[datetime, ...]] = field(default_factory=dict)
    forbidden: dict[str, tuple[Interval, ...]] = field(default_factory=dict)
    anchors: dict[str, tuple[datetime, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Problem:
    """Everything the model needs, and what the explanations need to say why."""

    policy: Policy
    period: Period
    runs: tuple[Run, ...]
    needs: tuple[Need, ...]
    sync_slots: tuple[SyncSlot, ...]
    sync_size: int
    commitments: tuple[Commitment, ...]
    origin: datetime
    now: datetime | None = None
    barred: tuple[Barred, ...] = ()
    runs_by_day: dict[date, tuple[int, ...]] = field(default_factory=dict)
    earlier: EarlierPlan = field(default_factory=EarlierPlan)  # what to keep of it
    windows: dict[date, tuple[Interval, ...]] = field(default_factory=dict)  # less away time

    @property
    def deep_cap(self) -> int:
        """Deep grains allowed per day."""
        return self.policy.focus.max_deep_minutes_per_day // GRAIN

    def deep_left(self, day: date) -> int:
        """Deep grains still allowed on ``day`` once the kept blocks are counted."""
        return max(0, self.deep_cap - self.earlier.deep_used.get(day, 0))

    def soft_size(self, key: str, run: Run) -> int:
        """The run's length when it is an earlier block of ``key`` that may stay, else 0."""
        return run.size if run.span in self.earlier.soft.get(key, ()) else 0

    def allows(self, key: str, run: Run) -> bool:
        """Whether the task ``key`` (or ``SYNC``) may go in ``run``: not where the person ruled
        it out by deleting a block."""
        return not any(span.clip(run.span) for span in self.earlier.forbidden.get(key, ()))

    @property
    def focus_size(self) -> int:
        """Grains in a focus block."""
        return units(self.policy.focus.min_block_minutes)


FINISH_LINE = 0.8  # progress from which a task gets the finish-line boost


OVERDUE_WEIGHT = 1  # an overdue task comes before the others of its priority, not above them


def weight_of(task: Task, *, overdue: bool = False) -> int:
    """How much an unplaced minute of ``task`` hurts: priority, overdue, waiting on me, finish
    line."""
    weight = 6 - max(1, min(5, task.priority))
    if overdue:
        weight += OVERDUE_WEIGHT
    if task.waiting_on_me:
        weight += 3
    if task.progress >= FINISH_LINE:
        weight += 4
    return weight


def build_problem(found: Sequence[Commitment], tasks: Sequence[Task], policy: Policy,
                  period: Period, *, now: datetime | None = None,
                  earlier: EarlierPlan | None = None) -> Problem:
    """The runs of ``period`` around ``found`` (and around ``earlier.fixed``) and the tasks still
    to place."""
    earlier = earlier or EarlierPlan()
    zone = policy.timezone
    origin = datetime.combine(period.first, time(), tzinfo=zone).astimezone(UTC)
    barred = barred_of(found, policy)
    off = merge(c.span for c in found if c.attention is Attention.OFF)
    runs: list[Run] = []
    by_day: dict[date, tuple[int, ...]] = {}
    windows = {day: tuple(windows_of(day, policy, away_of(day, off, policy)))
               for day in period.dates()}
    for day, pieces in windows.items():
        if now is not None:
            pieces = tuple(Interval(max(w.start, now), w.end) for w in pieces if now < w.end)
        if not pieces:
            continue
        first = len(runs)
        for window in pieces:
            runs.extend(day_runs(day, window, found, barred, len(runs), fixed=earlier.fixed,
                                  cuts=_cuts(earlier)))
        by_day[day] = tuple(range(first, len(runs)))
    needs = _needs(tasks, policy, now if now is not None else origin)
    slots = _sync_slots(by_day, policy, earlier.sync_kept, relieved(found, policy))
    return Problem(policy=policy, period=period, runs=tuple(runs), needs=tuple(needs),
                   sync_slots=tuple(slots), sync_size=units(policy.sync_windows.minutes),
                   commitments=tuple(found), origin=origin, now=now,
                   barred=tuple(barred), runs_by_day=by_day, earlier=earlier, windows=windows)



def _cuts(earlier: EarlierPlan) -> list[datetime]:
    """Where runs are cut so that every block that may stay is a run of its own."""
    return sorted({moment for spans in earlier.soft.values() for span in spans
                   for moment in (span.start, span.end)})


def _needs(tasks: Sequence[Task], policy: Policy,
           start: datetime) -> list[Need]:
    """Tasks with time still needed, overdue ones first (a passed deadline is still open work,
    planned as early as the rules allow); nothing is left out before solving."""
    needs: list[Need] = []
    for task in tasks:
        size = units(task.estimate_minutes)
        if size == 0 or task.progress >= 1:
            continue
        deadline = task.deadline
        if deadline is not None and deadline.tzinfo is None:
            deadline = deadline.replace(tzinfo=policy.timezone)
        deadline = None if deadline is None else deadline.astimezone(UTC)
        missed = deadline if deadline is not None and deadline <= start else None
        default = (policy.focus.min_block_minutes if task.depth is Depth.DEEP
                   else DEFAULT_SHALLOW_MIN_BLOCK)
        smallest = units(task.min_block_minutes if task.min_block_minutes else default)
        needs.append(Need(task, size, max(1, min(smallest, size)),
                          None if missed is not None else deadline,
                          weight_of(task, overdue=missed is not None), overdue_since=missed))
    needs.sort(key=lambda need: not need.overdue)  # stable: the given order otherwise
    return needs


def relieved(found: Sequence[Commitment], policy: Policy) -> dict[date, int]:
    """The sync windows a date keeps when another member holds the team's shield (their relief
    markers, docs/team.md): the streams go to the shield."""
    caps: dict[date, int] = {}
    for item in found:
        number = marked_number(item.categories, RELIEVES_CATEGORY)
        if number is not None and item.uid.endswith(OWN_UID):
            day = item.span.start.astimezone(policy.timezone).date()
            caps[day] = min(caps.get(day, number), number)
    return caps


def _sync_slots(by_day: dict[date, tuple[int, ...]], policy: Policy,
                kept: dict[date, tuple[datetime, ...]],
                caps: dict[date, int] | None = None) -> list[SyncSlot]:
    """``sync_windows.per_day`` windows on every work day that has runs (``caps``: fewer on a
    date the shield relieves), less the windows kept from an earlier plan (each takes the slot
    whose preferred time is nearest)."""
    windows = policy.sync_windows
    slots: list[SyncSlot] = []
    if windows.per_day <= 0 or windows.minutes <= 0:
        return slots
    for day, indices in by_day.items():
        if not indices:
            continue
        day_slots = []
        for number in range(min(windows.per_day, (caps or {}).get(day, windows.per_day))):
            prefer = None
            if number < len(windows.prefer):
                prefer = datetime.combine(day, windows.prefer[number],
                                          tzinfo=policy.timezone).astimezone(UTC)
            day_slots.append(SyncSlot(day, number, prefer))
        for start in kept.get(day, ()):
            if day_slots:
                day_slots.remove(min(day_slots, key=lambda s: _distance(s.prefer, start)))
        slots.extend(day_slots)
    return slots


def _distance(prefer: datetime | None, start: datetime) -> float:
    return 0.0 if prefer is None else abs((prefer - start).total_seconds())
