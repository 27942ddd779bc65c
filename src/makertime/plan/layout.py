"""How blocks sit inside a run, and the limits that make that layout always succeed.

The layout is fixed, so the model can reason about lengths alone and extraction cannot fail:

    start │ sync window │ shallow, earliest deadline first │ deep … │ shallow │ sync window │ end
          └──────────────── front ─────────────────────┘  stack   └──────── back ───────┘

The deep stack starts where deep work is first allowed or after the front, whichever is later,
and holds its blocks earliest deadline first. Back blocks hug the run's end, so only tasks whose
deadline is not inside the run may go there. ``run_limits`` states the conditions as linear
inequalities over any numbers that support ``+`` and ``*`` — CP-SAT expressions in the model,
plain integers in the greedy plan and in extraction — so both obey exactly the same rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Generic, TypeAlias, TypeVar

from makertime.plan.runs import Run

if TYPE_CHECKING:
    from ortools.sat.python.cp_model import LinearExpr

Amount: TypeAlias = "int | LinearExpr"  # grains: a number, or a CP-SAT expression in the model
Used = TypeVar("Used")  # what says a piece is used: 1 in the greedy plan, a boolean in the model


class Side(StrEnum):
    """Where in a run a piece sits."""

    FRONT = "front"
    DEEP = "deep"
    BACK = "back"


@dataclass(frozen=True, slots=True)
class Piece:
    """One block in a run, before it has times: a task's (``need``) or a sync window's."""

    side: Side
    size: int
    need: int | None = None
    slot: int | None = None


@dataclass(frozen=True, slots=True)
class Entry(Generic[Used]):
    """A piece as the limits see it: its size, its due offset, and whether it is used."""

    size: Amount
    due: int
    used: Used


@dataclass(frozen=True, slots=True)
class Limit(Generic[Used]):
    """``lhs <= rhs``, enforced only when one of ``when`` is used (always, when empty)."""

    name: str
    lhs: Amount
    rhs: int
    when: tuple[Used, ...] = ()


def run_limits(run: Run, sync_size: int, *, front: Sequence[Entry[Used]],
               deep: Sequence[Entry[Used]], back: Sequence[Entry[Used]], sync_front: Amount,
               sync_back: Amount) -> list[Limit[Used]]:
    """Every condition under which the layout above fits ``run`` (hard rules)."""
    front_total: Amount = sum((e.size for e in front), sync_size * sync_front)
    deep_total: Amount = sum((e.size for e in deep), 0)
    back_total: Amount = sum((e.size for e in back), sync_size * sync_back)
    limits: list[Limit[Used]] = [Limit("fits", front_total + deep_total + back_total, run.size)]
    if deep:
        used = tuple(e.used for e in deep)
        limits += [
            Limit("deep-fits", deep_total, run.deep_to - run.deep_from),
            Limit("deep-after-front", front_total + deep_total, run.deep_to, used),
            Limit("back-after-deep", deep_total + back_total, run.size - run.deep_from, used),
        ]
    for due in sorted({e.due for e in (*front, *deep) if e.due < run.size}):
        early_front = [e for e in front if e.due <= due]
        if early_front:
            total = sum((e.size for e in early_front), sync_size * sync_front)
            limits.append(Limit(f"front-by-{due}", total, due, tuple(e.used for e in early_front)))
        early_deep = [e for e in deep if e.due <= due]
        if early_deep:
            total = sum((e.size for e in early_deep), 0)
            used = tuple(e.used for e in early_deep)
            limits.append(Limit(f"deep-by-{due}", total, due - run.deep_from))
            limits.append(Limit(f"deep-after-front-by-{due}", front_total + total, due, used))
    return limits


def shallow_side(run: Run, due: int) -> Side:
    """The one side of ``run`` a task's shallow block may take: where deep work cannot go, else
    next to a commitment. Fixing it halves the model and loses little: shallow work at the
    other end would only crowd the deep stack."""
    if due < run.size:
        return Side.FRONT  # back blocks hug the run's end, past this deadline
    if run.deep is None:
        return Side.FRONT if run.before is not None or run.after is None else Side.BACK
    if run.deep_from > 0 and run.deep_to == run.size:
        return Side.FRONT
    if run.deep_from == 0 and run.deep_to < run.size:
        return Side.BACK
    return Side.FRONT if run.before is not None or run.after is None else Side.BACK


def holds(limit: Limit[int]) -> bool:
    """Whether a limit over plain integers holds."""
    if limit.when and not any(limit.when):
        return True
    return bool(limit.lhs <= limit.rhs)


def fits(run: Run, sync_size: int, pieces: Sequence[Piece], dues: Sequence[int]) -> bool:
    """Whether ``pieces`` (with each task piece's due offset in ``dues``) fit ``run``."""
    front, deep, back = entries(pieces, dues)
    sync_front = sum(1 for p in pieces if p.slot is not None and p.side is Side.FRONT)
    sync_back = sum(1 for p in pieces if p.slot is not None and p.side is Side.BACK)
    if sync_front > 1 or sync_back > 1 or (deep and run.deep is None):
        return False
    if any(e.due < run.size for e in back):
        return False  # back blocks hug the run's end: only for deadlines at or after it
    limits = run_limits(run, sync_size, front=front, deep=deep, back=back,
                        sync_front=sync_front, sync_back=sync_back)
    return all(holds(limit) for limit in limits)


def entries(pieces: Sequence[Piece],
            dues: Sequence[int]) -> tuple[list[Entry[int]], list[Entry[int]], list[Entry[int]]]:
    """Task pieces as entries per side (``dues`` runs parallel to ``pieces``)."""
    sides: dict[Side, list[Entry[int]]] = {side: [] for side in Side}
    for piece, due in zip(pieces, dues, strict=True):
        if piece.need is not None:
            sides[piece.side].append(Entry(piece.size, due, 1))
    return sides[Side.FRONT], sides[Side.DEEP], sides[Side.BACK]


def place(run: Run, sync_size: int, pieces: Sequence[Piece],
          dues: Sequence[int]) -> list[tuple[Piece, int, int]]:
    """Offsets ``(piece, start, end)`` in grains for pieces that ``fits`` accepted."""
    order = sorted(range(len(pieces)), key=lambda i: (pieces[i].slot is None, dues[i], i))
    placed: list[tuple[Piece, int, int]] = []
    cursor = 0
    for i in order:
        if pieces[i].side is Side.FRONT:
            placed.append((pieces[i], cursor, cursor + pieces[i].size))
            cursor += pieces[i].size
    cursor = max(cursor, run.deep_from)
    for i in sorted(range(len(pieces)), key=lambda i: (dues[i], i)):
        if pieces[i].side is Side.DEEP:
            placed.append((pieces[i], cursor, cursor + pieces[i].size))
            cursor += pieces[i].size
    cursor = run.size
    for i in order:
        if pieces[i].side is Side.BACK:
            placed.append((pieces[i], cursor - pieces[i].size, cursor))
            cursor -= pieces[i].size
    return sorted(placed, key=lambda item: item[1])
