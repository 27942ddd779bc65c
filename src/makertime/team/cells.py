"""Slots laid on the rostering core's day grid: a slot takes one cell (day, shift) — an on-call
turn a cell on every date it touches, linked to one holder — and seats of the same skill at the
same event share a cell whose cover is their number."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from makertime.team.model import DutyKind, Slot

Cell = tuple[int, str]  # (day index, shift id)


@dataclass(frozen=True, slots=True)
class Grid:
    """The cells of a period's slots: each slot's cells (its first one stands for it), and the
    slots that share each first cell."""

    first: date
    days: int
    cells: dict[str, tuple[Cell, ...]]  # slot id → its cells, the representative first
    units: dict[Cell, tuple[Slot, ...]]  # representative cell → the slots sharing it

    def cell(self, slot: Slot) -> Cell:
        """The cell standing for ``slot``."""
        return self.cells[slot.id][0]

    def day(self, index: int) -> date:
        """The date of day ``index``."""
        return self.first + timedelta(days=index)


def lay_out(slots: Sequence[Slot], first: date, days: int, zone: tzinfo,
            back_to_back: frozenset[str] = frozenset()) -> Grid:
    """The cells of ``slots`` over ``days`` days from ``first`` (``back_to_back``: the on-call
    duties whose turns one member may hold running — their turns leave the handoff date to
    the next turn, so one person may hold both; spans still keep other duties away)."""
    cells: dict[str, tuple[Cell, ...]] = {}
    units: dict[Cell, list[Slot]] = {}
    turns: dict[tuple[str, str], int] = {}
    for slot in slots:
        indexes = [(d - first).days for d in slot.dates]
        if not indexes:
            continue
        if slot.kind is DutyKind.ON_CALL:
            # consecutive turns share their handoff date: alternate shift ids keep them apart
            number = turns.get((slot.duty, slot.seat), 0)
            turns[(slot.duty, slot.seat)] = number + 1
            shift = f"{slot.duty}:{slot.seat}:{number % 2}"
            handoff = (slot.span.end - timedelta(microseconds=1)).astimezone(zone).date()
            if slot.duty in back_to_back and len(indexes) > 1 and slot.dates[-1] == handoff:
                indexes = indexes[:-1]
            laid: tuple[Cell, ...] = tuple((i, shift) for i in indexes)
        elif slot.kind is DutyKind.CREW:
            event = slot.id.split("/")[1]
            laid = ((indexes[0], f"{slot.duty}@{event[11:]}:{slot.seat}"),)
        else:
            laid = ((indexes[0], slot.duty),)
        cells[slot.id] = laid
        units.setdefault(laid[0], []).append(slot)
    return Grid(first, days, cells, {c: tuple(s) for c, s in units.items()})
