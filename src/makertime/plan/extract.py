"""Step 4 of planning: pieces per run → blocks in time, each with the reason it sits there."""

from __future__ import annotations

from collections.abc import Sequence

from makertime.model import Attention, Commitment, Interval, merge, subtract
from makertime.plan.greedy import Fill
from makertime.plan.layout import Piece, Side, place
from makertime.plan.problem import Problem
from makertime.plan.reasons import deep_reason, marker_reason, shallow_reason, sync_reason
from makertime.plan.result import Block, BlockKind, in_time_order
from makertime.plan.runs import BarKind, Run


def extract(problem: Problem, fill: Fill) -> list[Block]:
    """Every block of ``fill`` with its time and reason, plus rest and recovery markers."""
    counts = _block_counts(fill)
    windows: list[tuple[Run, Piece, Interval]] = []
    seen: dict[int, int] = {}
    blocks: list[Block] = []
    for run in problem.runs:
        pieces = fill.get(run.index, [])
        if not pieces:
            continue
        dues = [run.size if p.need is None else problem.needs[p.need].due(run) for p in pieces]
        for piece, start, end in place(run, problem.sync_size, pieces, dues):
            span = Interval(run.at(start), run.at(end))
            if piece.need is None:
                windows.append((run, piece, span))
                continue
            need = problem.needs[piece.need]
            seen[piece.need] = seen.get(piece.need, 0) + 1
            if piece.side is Side.DEEP:
                reason = deep_reason(problem, run, need, span, number=seen[piece.need],
                                     count=counts[piece.need])
                blocks.append(Block(BlockKind.DEEP, span, reason, need.task.id, need.task.title))
            else:
                reason = shallow_reason(problem, run, need, span, piece.side)
                blocks.append(Block(BlockKind.SHALLOW, span, reason, need.task.id,
                                    need.task.title))
    staying = {span for spans in problem.earlier.soft.values() for span in spans}
    merged = _merge_touching([*blocks, *_sync_blocks(problem, windows)], staying)
    return in_time_order([*merged, *markers(problem)])


def _block_counts(fill: Fill) -> dict[int, int]:
    counts: dict[int, int] = {}
    for pieces in fill.values():
        for piece in pieces:
            if piece.need is not None:
                counts[piece.need] = counts.get(piece.need, 0) + 1
    return counts


def _sync_blocks(problem: Problem, windows: list[tuple[Run, Piece, Interval]]) -> list[Block]:
    """Sync windows with the day's preferred times matched in time order (the first window
    serves the first preferred time: the same total distance, and the reasons read true)."""
    by_day: dict[object, list[tuple[Run, Piece, Interval]]] = {}
    for item in sorted(windows, key=lambda w: w[2].start):
        by_day.setdefault(item[0].day, []).append(item)
    blocks = []
    for day, found in by_day.items():
        slots = sorted((s for s in problem.sync_slots if s.day == day), key=lambda s: s.index)
        for (run, piece, span), slot in zip(found, slots, strict=False):
            blocks.append(Block(BlockKind.SYNC_WINDOW, span,
                                sync_reason(problem, run, slot, span, piece.side), None,
                                "Chat and email"))
    return blocks


def _merge_touching(blocks: list[Block], staying: set[Interval]) -> list[Block]:
    """Shallow blocks of one task that touch across a run boundary become one block — unless
    one of them is an earlier block that stays where it was (``staying``): it stays exactly
    as it was, and the new time beside it is a block of its own."""
    merged: list[Block] = []
    for block in sorted(blocks, key=lambda b: b.span.start):
        last = merged[-1] if merged else None
        if (last is not None and last.kind is BlockKind.SHALLOW and block.kind is last.kind
                and last.task == block.task and last.span.end == block.span.start
                and last.span not in staying and block.span not in staying):
            merged[-1] = Block(last.kind, Interval(last.span.start, block.span.end), last.reason,
                               last.task, last.title)
            continue
        merged.append(block)
    return merged


def markers(problem: Problem) -> list[Block]:
    """Rest and recovery inside the work windows of the period, where nothing blocks; where
    several draining commitments ask for the same time, one marker names them all."""
    blocking = merge(c.span for c in problem.commitments if c.attention is not Attention.NONE)
    windows = [w for pieces in problem.windows.values() for w in pieces]
    found: list[Block] = []
    for kind, bar in ((BlockKind.REST, BarKind.REST), (BlockKind.RECOVERY, BarKind.RECOVERY)):
        barred = [(b.span, b.commitment) for b in problem.barred if b.why is bar]
        for united in merge(span for span, _ in barred):
            for window in windows:
                part = united.clip(window)
                if part is None:
                    continue
                for free in subtract(part, [b for b in blocking if b.clip(part)]):
                    causes = [item for span, item in barred if span.clip(free)]
                    reason = " ".join(marker_reason(problem, kind, item) for item in causes)
                    title = ", ".join(dict.fromkeys(item.summary for item in causes))
                    found.append(Block(kind, free, reason, None, title))
    return found


def as_commitments(blocks: Sequence[Block]) -> list[Commitment]:
    """Shallow blocks and sync windows as commitments, to audit the week after the plan.

    Deep blocks stay free time: they are the focus the plan protects."""
    return [Commitment(summary=b.title, span=b.span, uid=b.uid, source="makertime")
            for b in blocks if b.kind in (BlockKind.SHALLOW, BlockKind.SYNC_WINDOW)]
