"""What every rendering of a plan shares: block names, the block list, before/after, the solver.

Kept free of Rich, matplotlib and icalendar so that each output imports only what it draws with.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import tzinfo

from makertime.audit import AuditReport
from makertime.model import Interval, format_minutes
from makertime.plan.result import PLANNED_KINDS, Block, BlockKind, PlanResult, SolverStats

KIND_NAMES = {BlockKind.DEEP: "deep", BlockKind.SHALLOW: "shallow",
              BlockKind.SYNC_WINDOW: "sync window", BlockKind.REST: "rest",
              BlockKind.RECOVERY: "recovery", BlockKind.DUTY: "duty", BlockKind.RELIEF: "relief"}
SYNC_STREAMS = "chat and email"
_COUNTED = {BlockKind.DEEP: "deep block", BlockKind.SHALLOW: "shallow block",
            BlockKind.SYNC_WINDOW: "sync window", BlockKind.REST: "rest marker",
            BlockKind.RECOVERY: "recovery marker"}
# how each kind names its block; the planner's title is the bare name (task title, the
# commitment a marker guards, or the streams a sync window batches)
_NAMED = {BlockKind.DEEP: "Deep: {}", BlockKind.SHALLOW: "Shallow: {}",
          BlockKind.SYNC_WINDOW: "Sync window: {}", BlockKind.REST: "Rest before {}",
          BlockKind.RECOVERY: "Recovery after {}", BlockKind.DUTY: "{}",
          BlockKind.RELIEF: "{}"}
_UNNAMED = {BlockKind.DEEP: "Deep work", BlockKind.SHALLOW: "Shallow work",
            BlockKind.SYNC_WINDOW: f"Sync window: {SYNC_STREAMS}", BlockKind.REST: "Rest",
            BlockKind.RECOVERY: "Recovery", BlockKind.DUTY: "Duty",
            BlockKind.RELIEF: "Shield relief"}


def block_summary(block: Block) -> str:
    """A block's one-line name, as a calendar shows it: ``Deep: <title>``, ``Rest before <…>``."""
    title = " ".join((block.title or block.task or "").split())  # SUMMARY is one line
    return _NAMED[block.kind].format(title) if title else _UNNAMED[block.kind]


def ordered(blocks: Iterable[Block]) -> list[Block]:
    """Blocks by start time; the same order on every run whatever order the planner used."""
    return sorted(blocks, key=lambda b: (b.span.start, b.span.end, b.kind.value, b.task or ""))


def local_times(span: Interval, zone: tzinfo) -> tuple[str, str]:
    """The day (``Mon 23 Mar``) and the clock times (``09:00–11:00``) of ``span`` in ``zone``."""
    start, end = span.start.astimezone(zone), span.end.astimezone(zone)
    # a recovery marker often runs past midnight: then the end names its own day
    until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %H:%M}"
    return f"{start:%a %d %b}", f"{start:%H:%M}–{until}"


@dataclass(frozen=True, slots=True)
class BlockRow:
    """One line of the block list, every field already text."""

    day: str
    time: str
    length: str
    kind: BlockKind
    task: str
    title: str
    summary: str
    reason: str

    @property
    def kind_name(self) -> str:
        """The kind as people write it (``sync window``)."""
        return KIND_NAMES[self.kind]


def block_rows(blocks: Iterable[Block], zone: tzinfo) -> list[BlockRow]:
    """The block list in time order: day, time, length, kind, task id, title, name, reason."""
    rows = []
    for block in ordered(blocks):
        day, time = local_times(block.span, zone)
        rows.append(BlockRow(day, time, format_minutes(block.minutes), block.kind,
                             block.task or "", block.title, block_summary(block),
                             block.reason))
    return rows


def unscheduled_rows(result: PlanResult) -> list[tuple[str, str, str, str]]:
    """What could not be placed: task id, its title, minutes left over, and why."""
    titles = {task.id: task.title for task in result.tasks}
    return [(u.task, titles.get(u.task, ""), format_minutes(u.minutes), u.reason)
            for u in result.unscheduled]


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One task of the ledger, every field already text."""

    task: str
    title: str
    needed: str
    placed: str
    held: str
    held_at: str
    unscheduled: str
    overdue: bool
    reason: str


def held_where(spans: Iterable[Interval], zone: tzinfo) -> str:
    """``Mon 23 Mar 09:00–11:00, Tue 24 Mar 14:00–15:00``: where an earlier plan holds a task."""
    return ", ".join(" ".join(local_times(span, zone)) for span in spans)


def ledger_rows(result: PlanResult, zone: tzinfo) -> list[LedgerRow]:
    """Every open task: needed, placed here, held by an earlier saved plan (and where), left
    unscheduled (and why)."""
    return [LedgerRow(e.task, e.title, format_minutes(e.needed), format_minutes(e.placed),
                      format_minutes(e.held), held_where(e.held_at, zone),
                      format_minutes(e.unscheduled), e.overdue, e.reason)
            for e in result.ledger]


def placed_line(result: PlanResult) -> str:
    """How much of each kind the plan places, in one line."""
    parts = []
    for kind in PLANNED_KINDS:
        found = [b for b in result.blocks if b.kind is kind]
        if not found:
            continue
        count = f"{len(found)} {_COUNTED[kind]}{'' if len(found) == 1 else 's'}"
        parts.append(f"{count} ({format_minutes(sum(b.minutes for b in found))})")
    return " · ".join(parts) if parts else "no blocks"


@dataclass(frozen=True, slots=True)
class TotalRow:
    """One metric of the totals before and after the plan, and the change."""

    label: str
    before: str
    after: str
    change: str


def _longest(report: AuditReport) -> int:
    return max((d.longest_free_minutes for d in report.days), default=0)


# (label, value, whether the value is minutes); the metrics of docs/metrics.md that move first
TOTALS: tuple[tuple[str, Callable[[AuditReport], int], bool], ...] = (
    ("focus", lambda r: r.totals.focus_minutes, True),
    ("effective focus", lambda r: r.totals.effective_focus_minutes, True),
    ("fragmented", lambda r: r.totals.fragmented_minutes, True),
    ("longest free stretch", _longest, True),
    ("switches", lambda r: r.totals.switches, False),
    ("maker days", lambda r: r.totals.maker_days, False),
    ("free", lambda r: r.totals.free_minutes, True),
    ("busy in the work window", lambda r: r.totals.sync_minutes, True),
    ("sync after hours", lambda r: r.totals.after_hours_sync_minutes, True),
)


def _change(difference: int, as_minutes: bool) -> str:
    if not difference:
        return "·"
    size = format_minutes(abs(difference)) if as_minutes else str(abs(difference))
    return ("+" if difference > 0 else "−") + size


def total_rows(before: AuditReport, after: AuditReport) -> list[TotalRow]:
    """The totals before and after the plan, side by side, with the change."""
    rows = []
    for label, value, as_minutes in TOTALS:
        old, new = value(before), value(after)
        show: Callable[[int], str] = format_minutes if as_minutes else str
        rows.append(TotalRow(label, show(old), show(new), _change(new - old, as_minutes)))
    return rows


def number(value: float | None) -> str:
    """An objective or bound for people: whole numbers plainly, ``–`` for none."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:.0f}" if value == int(value) else f"{value:.2f}"


def solver_line(stats: SolverStats) -> str:
    """Status, objective, bound, gap and time of the solve, in one line; ``no bound`` when none
    was proven (a greedy plan, a solve stopped before its first bound)."""
    gap = stats.gap
    proof = ([f"bound {number(stats.bound)}", f"gap {gap:.2%}"] if gap is not None
             else ["no bound"])
    parts = [f"solver {stats.status}", f"objective {number(stats.objective)}", *proof,
             f"{stats.seconds:.1f} s"]
    if stats.workers > 1:
        parts.append(f"{stats.workers} workers")
    return " · ".join(parts)
