"""Step 1 of planning: the problem — runs of free time and tasks, on a 15-minute grain.

A *run* is a maximal stretch of a work window where some work may go: ``free`` (nothing
blocking) or ``partial`` (under a partial-attention commitment: shallow work only). Inside a free
run, the part where deep work is allowed (outside buffers, rest and recovery) is one piece; a run
whose deep-allowed time falls in two pieces is split so that this stays true. Nothing inside a run
blocks anything else, which is what lets the model reason about lengths instead of times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

from makertime.audit import away_of, windows_of
from makertime.model import (
    Attention,
    Commitment,
    Depth,
    Interval,
    Period,
    Task,
    merge,
    subtract,
)
from makertime.policy import Policy

GRAIN = 15  # minutes: every block starts and ends on the quarter-hour
DEFAULT_SHALLOW_MIN_BLOCK = 15
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def units(minutes: int) -> int:
    """Whole grains in ``minutes``, rounded up (an estimate of 20 minutes needs two grains)."""
    return -(-minutes // GRAIN)


def grain_up(moment: datetime) -> datetime:
    """``moment`` moved forward to the grid (UTC quarter-hours are local quarter-hours)."""
    rest = int((moment - _EPOCH).total_seconds()) % (GRAIN * 60)
    return moment if rest == 0 else moment + timedelta(seconds=GRAIN * 60 - rest)


def grain_down(moment: datetime) -> datetime:
    """``moment`` moved back to the grid."""
    rest = int((moment - _EPOCH).total_seconds()) % (GRAIN * 60)
    return moment - timedelta(seconds=rest)


def _grains(delta: timedelta) -> int:
    return int(delta.total_seconds()) // 60 // GRAIN


def snap(span: Interval) -> Interval | None:
    """The grid-aligned part of ``span``, or None when less than one grain is left."""
    start, end = grain_up(span.start), grain_down(span.end)
    return Interval(start, end) if start < end else None


@dataclass(frozen=True, slots=True)
class Barred:
    """Time where deep work may not go, and why (for reasons and explanations)."""

    span: Interval
    why: str  # "rest" | "recovery" | "buffer"
    commitment: Commitment


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of a work window where work may go; ``deep`` is where deep work may go."""

    index: int
    day: date
    span: Interval
    deep: Interval | None
    partial: Commitment | None = None
    before: Commitment | None = None  # the commitment that ends where the run starts
    after: Commitment | None = None  # the commitment that starts where the run ends
    barred: tuple[Barred, ...] = ()

    @property
    def size(self) -> int:
        """Length in grains."""
        return self.span.minutes // GRAIN

    @property
    def deep_from(self) -> int:
        """Grains from the run's start to where deep work may begin."""
        return 0 if self.deep is None else _grains(self.deep.start - self.span.start)

    @property
    def deep_to(self) -> int:
        """Grains from the run's start to where deep work must end (0: no deep work here)."""
        return 0 if self.deep is None else _grains(self.deep.end - self.span.start)

    def offset(self, moment: datetime) -> int:
        """Grains from the run's start to ``moment`` (clamped to the run)."""
        grains = _grains(grain_down(moment) - self.span.start)
        return max(0, min(self.size, grains))

    def at(self, offset: int) -> datetime:
        """The moment ``offset`` grains into the run."""
        return self.span.start + timedelta(minutes=offset * GRAIN)


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


SYNC = "sync-window"  # the key of sync windows in ``Keep.forbidden``


@dataclass(frozen=True, slots=True)
class Keep:
    """What a repair holds still: blocks kept where they are, and times ruled out.

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
    keep: Keep = field(default_factory=Keep)
    windows: dict[date, tuple[Interval, ...]] = field(default_factory=dict)  # less away time

    @property
    def deep_cap(self) -> int:
        """Deep grains allowed per day."""
        return self.policy.focus.max_deep_minutes_per_day // GRAIN

    def deep_left(self, day: date) -> int:
        """Deep grains still allowed on ``day`` once the kept blocks are counted."""
        return max(0, self.deep_cap - self.keep.deep_used.get(day, 0))

    def soft_size(self, key: str, run: Run) -> int:
        """The run's length when it is an earlier block of ``key`` that may stay, else 0."""
        return run.size if run.span in self.keep.soft.get(key, ()) else 0

    def allows(self, key: str, run: Run) -> bool:
        """Whether the task ``key`` (or ``SYNC``) may go in ``run``: not where the person ruled
        it out by deleting a block."""
        return not any(span.clip(run.span) for span in self.keep.forbidden.get(key, ()))

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
                  keep: Keep | None = None) -> Problem:
    """The runs of ``period`` around ``found`` (and around ``keep.fixed``) and the tasks still
    to place."""
    keep = keep or Keep()
    zone = policy.timezone
    origin = datetime.combine(period.first, time(), tzinfo=zone).astimezone(UTC)
    barred = _barred(found, policy)
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
            runs.extend(_day_runs(day, window, found, barred, len(runs), fixed=keep.fixed,
                                  cuts=_cuts(keep)))
        by_day[day] = tuple(range(first, len(runs)))
    needs = _needs(tasks, policy, now if now is not None else origin)
    slots = _sync_slots(by_day, policy, keep.sync_kept)
    return Problem(policy=policy, period=period, runs=tuple(runs), needs=tuple(needs),
                   sync_slots=tuple(slots), sync_size=units(policy.sync_windows.minutes),
                   commitments=tuple(found), origin=origin, now=now,
                   barred=tuple(barred), runs_by_day=by_day, keep=keep, windows=windows)


def _barred(found: Sequence[Commitment], policy: Policy) -> list[Barred]:
    """Rest before and recovery after rule commitments, and the buffer after every one."""
    barred: list[Barred] = []
    buffer = timedelta(minutes=policy.sync.buffer_after_minutes)
    for item in found:
        span = item.span
        if item.rest_before_minutes:
            rest = timedelta(minutes=item.rest_before_minutes)
            barred.append(Barred(Interval(span.start - rest, span.start), "rest", item))
        if item.recover_after_minutes:
            recover = timedelta(minutes=item.recover_after_minutes)
            barred.append(Barred(Interval(span.end, span.end + recover), "recovery", item))
        if buffer and item.attention in (Attention.FULL, Attention.PARTIAL):
            barred.append(Barred(Interval(span.end, span.end + buffer), "buffer", item))
    return barred


def _cuts(keep: Keep) -> list[datetime]:
    """Where runs are cut so that every block that may stay is a run of its own."""
    return sorted({moment for spans in keep.soft.values() for span in spans
                   for moment in (span.start, span.end)})


def _cut(piece: Interval, cuts: Sequence[datetime]) -> list[Interval]:
    inside = [moment for moment in cuts if piece.start < moment < piece.end]
    edges = [piece.start, *inside, piece.end]
    return [Interval(a, b) for a, b in pairwise(edges)]


def _day_runs(day: date, window: Interval, found: Sequence[Commitment], barred: list[Barred],
              first: int, *, fixed: Sequence[Interval] = (),
              cuts: Sequence[datetime] = ()) -> list[Run]:
    """The runs of one work window: free stretches and stretches under partial commitments."""
    touching = [c for c in found if c.span.clip(window)
                and c.attention in (Attention.FULL, Attention.PARTIAL)]
    full = merge([*(c.span for c in touching if c.attention is Attention.FULL),
                  *(span for span in fixed if span.clip(window))])
    partial = merge(c.span for c in touching if c.attention is Attention.PARTIAL)
    busy = merge([*full, *partial])
    pieces: list[tuple[Interval, Commitment | None]] = []
    for gap in subtract(window, busy):
        pieces.extend((part, None) for part in _cut(gap, cuts))
    for merged in partial:
        clipped = merged.clip(window)
        for whole in subtract(clipped, full) if clipped else []:
            under = next(c for c in touching if c.attention is Attention.PARTIAL
                         and c.span.clip(whole))
            pieces.extend((part, under) for part in _cut(whole, cuts))
    runs: list[Run] = []
    for piece, holder in sorted(pieces, key=lambda p: p[0]):
        span = snap(piece)
        if span is None:
            continue
        before = _ending_at(touching, piece.start)
        after = _starting_at(touching, piece.end)
        if holder is not None:
            runs.append(Run(first + len(runs), day, span, None, holder, before, after))
            continue
        bars = tuple(b for b in barred if b.span.clip(span))
        allowed = [s for part in subtract(span, merge(b.span for b in bars))
                   if (s := snap(part)) is not None]
        runs.extend(_split(first + len(runs), day, span, allowed=allowed, bars=bars,
                           before=before, after=after))
    return runs


def _split(index: int, day: date, span: Interval, *, allowed: list[Interval],
           bars: tuple[Barred, ...], before: Commitment | None,
           after: Commitment | None) -> list[Run]:
    """One run per deep-allowed piece (a run with none stays whole, shallow only)."""
    if len(allowed) <= 1:
        deep = allowed[0] if allowed else None
        return [Run(index, day, span, deep, None, before, after, bars)]
    runs: list[Run] = []
    start = span.start
    for number, piece in enumerate(allowed):
        end = span.end if number == len(allowed) - 1 else piece.end
        part = Interval(start, end)
        runs.append(Run(index + number, day, part, piece, None,
                        before if number == 0 else None,
                        after if end == span.end else None,
                        tuple(b for b in bars if b.span.clip(part))))
        start = end
    return runs


def _ending_at(found: Sequence[Commitment], moment: datetime) -> Commitment | None:
    return next((c for c in found if c.span.start < moment <= c.span.end), None)


def _starting_at(found: Sequence[Commitment], moment: datetime) -> Commitment | None:
    return next((c for c in found if c.span.start <= moment < c.span.end), None)


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


def _sync_slots(by_day: dict[date, tuple[int, ...]], policy: Policy,
                kept: dict[date, tuple[datetime, ...]]) -> list[SyncSlot]:
    """``sync_windows.per_day`` windows on every work day that has runs, less the windows kept
    from an earlier plan (each takes the slot whose preferred time is nearest)."""
    windows = policy.sync_windows
    slots: list[SyncSlot] = []
    if windows.per_day <= 0 or windows.minutes <= 0:
        return slots
    for day, indices in by_day.items():
        if not indices:
            continue
        day_slots = []
        for number in range(windows.per_day):
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
