"""Runs: the stretches of a work window where work may go, on a 15-minute grain.

A *run* is a maximal stretch of a work window where some work may go: ``free`` (nothing
blocking) or ``partial`` (under a partial-attention commitment: shallow work only). Inside a free
run, the part where deep work is allowed (outside buffers, rest and recovery) is one piece; a run
whose deep-allowed time falls in two pieces is split so that this stays true. Nothing inside a run
blocks anything else, which is what lets the model reason about lengths instead of times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from itertools import pairwise

from makertime.model import Attention, Commitment, Interval, merge, subtract
from makertime.policy import Policy

GRAIN = 15  # minutes: every block starts and ends on the quarter-hour
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


class BarKind(StrEnum):
    """Why deep work may not go somewhere: rest before, recovery after, or the buffer after a
    commitment (the values are the matching ``BlockKind`` values for rest and recovery)."""

    REST = "rest"
    RECOVERY = "recovery"
    BUFFER = "buffer"

@dataclass(frozen=True, slots=True)
class Barred:
    """Time where deep work may not go, and why (for reasons and explanations)."""

    span: Interval
    why: BarKind
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


def barred_of(found: Sequence[Commitment], policy: Policy) -> list[Barred]:
    """Rest before and recovery after rule commitments, and the buffer after every one."""
    barred: list[Barred] = []
    buffer = timedelta(minutes=policy.sync.buffer_after_minutes)
    for item in found:
        span = item.span
        if item.rest_before_minutes:
            rest = timedelta(minutes=item.rest_before_minutes)
            barred.append(Barred(Interval(span.start - rest, span.start), BarKind.REST, item))
        if item.recover_after_minutes:
            recover = timedelta(minutes=item.recover_after_minutes)
            barred.append(Barred(Interval(span.end, span.end + recover), BarKind.RECOVERY, item))
        if buffer and item.attention in (Attention.FULL, Attention.PARTIAL):
            barred.append(Barred(Interval(span.end, span.end + buffer), BarKind.BUFFER, item))
    return barred


def _cut(piece: Interval, cuts: Sequence[datetime]) -> list[Interval]:
    inside = [moment for moment in cuts if piece.start < moment < piece.end]
    edges = [piece.start, *inside, piece.end]
    return [Interval(a, b) for a, b in pairwise(edges)]


def day_runs(day: date, window: Interval, found: Sequence[Commitment], barred: list[Barred],
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

