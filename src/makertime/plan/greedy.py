"""A first-fit plan: the solver's hint and the baseline it is measured against.

Deep tasks first (earliest deadline, then priority), each as one block in the earliest run with
room and daily deep time left, else as an even split into the fewest blocks that fit; then
shallow tasks, first fit; then sync windows, each in the run side nearest its preferred time.
Every placement goes through ``layout.fits``, so the greedy plan obeys every hard rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

from makertime.plan.layout import Piece, Side, fits, shallow_side
from makertime.plan.problem import SYNC, Need, Problem
from makertime.plan.runs import Run

Fill = dict[int, list[Piece]]
WAYS_TRIED = 12  # cuts tried per deep task, fewest blocks first: the hint need not be perfect
_FAR = datetime.max.replace(tzinfo=UTC)


def longest_blocks(problem: Problem) -> tuple[int, int]:
    """The longest block a deep task could get anywhere (within the daily cap and the longest
    deep-allowed piece) and a shallow one (the longest run); each at least one grain."""
    deep = max((run.deep_to - run.deep_from for run in problem.runs), default=0)
    shallow = max((run.size for run in problem.runs), default=0)
    return max(1, min(deep, problem.deep_cap)), max(1, shallow)


def _counts(need: Need, longest: int, most: int) -> range:
    """How many blocks an allowed cut of ``need`` may have: enough that none is longer than
    ``longest``, few enough that each holds the minimum, and no more than ``most``."""
    fewest = -(-need.size // max(1, longest))
    return range(max(1, fewest), min(most, max(1, need.size // max(1, need.min_size))) + 1)


def _near_equal(size: int, count: int) -> list[int]:
    small, extra = divmod(size, count)
    return [small + 1] * extra + [small] * (count - extra)


def splits(need: Need, longest: int, most: int, *, ways: int | None = None) -> list[list[int]]:
    """The allowed ways to cut a task, fewest blocks first (the first ``ways`` of them): whole,
    or ``k`` near-equal blocks of at least its minimum, none longer than ``longest`` (see
    ``longest_blocks``), at most ``most`` (one per run).

    The number of ways is bounded by the runs, not by the estimate: a 1,000-hour task costs no
    more to cut than one that fills the period.
    """
    found: list[list[int]] = []
    for count in _counts(need, longest, most):
        if ways is not None and len(found) >= ways:
            break
        sizes = _near_equal(need.size, count)
        if count == 1 or sizes[-1] >= need.min_size:
            found.append(sizes)
    return found


def block_sizes(need: Need, longest: int) -> list[int]:
    """Every block length some allowed cut of ``need`` uses (``k`` near-equal blocks of at least
    its minimum, any ``k``), up to ``longest``, largest first — and the minimum block, so that
    what is left of a task can still take a stretch of exactly that length.

    The cuts are walked by their quotient, not by ``k``: the loop visits each length once, so it
    costs what ``longest`` allows, however large the estimate.
    """
    size, least = need.size, max(1, need.min_size)
    sizes: set[int] = set()
    count = max(1, size // (longest + 1))
    while count <= size:
        small = size // count
        last = size // small  # the last count whose blocks are ``small`` and ``small + 1``
        if count > 1 and small < least:
            break  # more blocks only make them smaller
        sizes.add(small)
        if last > count or size % count:  # some cut in the range leaves a remainder
            sizes.add(small + 1)
        count = last + 1
    sizes = {length for length in sizes if length <= longest}
    if need.min_size <= min(need.size, longest):
        sizes.add(need.min_size)
    return sorted(sizes, reverse=True)


def order(problem: Problem, deep: bool) -> list[int]:
    """Needs of one depth, earliest deadline first (an overdue task's missed deadline is the
    earliest of all: it goes first), then priority, then weight."""
    chosen = [i for i, n in enumerate(problem.needs) if n.deep is deep]
    return sorted(chosen, key=lambda i: (problem.needs[i].overdue_since
                                         or problem.needs[i].deadline or _FAR,
                                         problem.needs[i].task.priority,
                                         -problem.needs[i].weight, i))


class Greedy:
    """First-fit placement over the runs of a problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.fill: Fill = {run.index: [] for run in problem.runs}
        self.deep_left = {day: problem.deep_left(day) for day in problem.runs_by_day}
        self.sync_used: set[int] = set()
        self.longest = longest_blocks(problem)

    def dues(self, run: Run, pieces: list[Piece]) -> list[int]:
        """Due offsets of ``pieces`` in ``run``."""
        return [run.size if p.need is None else self.problem.needs[p.need].due(run)
                for p in pieces]

    def try_add(self, run: Run, piece: Piece) -> bool:
        """Add ``piece`` to ``run`` when every limit still holds."""
        held = self.fill[run.index]
        if sum(p.size for p in held) + piece.size > run.size:
            return False  # no room at all: the cheap test first, as runs fill up
        if piece.need is not None and any(p.need == piece.need for p in held):
            return False
        pieces = [*held, piece]
        if piece.side is Side.DEEP and self.deep_left[run.day] < piece.size:
            return False
        if not fits(run, self.problem.sync_size, pieces, self.dues(run, pieces)):
            return False
        self.fill[run.index].append(piece)
        if piece.side is Side.DEEP:
            self.deep_left[run.day] -= piece.size
        return True

    def remove(self, run: Run, piece: Piece) -> None:
        """Undo ``try_add``."""
        self.fill[run.index].remove(piece)
        if piece.side is Side.DEEP:
            self.deep_left[run.day] += piece.size

    def placed(self, index: int) -> int:
        """Grains of need ``index`` already in the fill (earlier blocks kept)."""
        return sum(p.size for pieces in self.fill.values() for p in pieces if p.need == index)

    def place_deep(self, index: int) -> None:
        """The fewest blocks that place the whole task; else as much of it as fits."""
        need = self.problem.needs[index]
        if self.placed(index):
            left = need.size - self.placed(index)
            need = replace(need, size=left, min_size=max(1, min(need.min_size, left)))
            if need.size <= 0:
                return
        best: list[tuple[Run, Piece]] = []
        longest = self.longest[0 if need.deep else 1]
        for way in splits(need, longest, len(self.problem.runs), ways=WAYS_TRIED):
            added = self._place_sizes(index, way)
            if sum(p.size for _, p in added) == need.size:
                return
            if sum(p.size for _, p in added) > sum(p.size for _, p in best):
                best = added
            for run, piece in added:
                self.remove(run, piece)
        for run, piece in best:
            self.try_add(run, piece)

    def _place_sizes(self, index: int, sizes: list[int]) -> list[tuple[Run, Piece]]:
        added: list[tuple[Run, Piece]] = []
        for size in sizes:
            piece = Piece(Side.DEEP, size, need=index)
            run = next((r for r in self._open_runs(index) if self.try_add(r, piece)), None)
            if run is not None:
                added.append((run, piece))
        return added

    def _open_runs(self, index: int) -> Iterator[Run]:
        need = self.problem.needs[index]
        for run in self.problem.runs:
            if need.deadline is not None and run.span.start >= need.deadline:
                return
            if self.problem.allows(need.task.id, run):
                yield run

    def place_shallow(self, index: int) -> None:
        """First fit, as long a block (of an allowed cut) as each run takes."""
        need = self.problem.needs[index]
        left = need.size - self.placed(index)
        sizes = block_sizes(need, self.longest[0 if need.deep else 1])
        for run in self._open_runs(index):
            room = run.size - sum(p.size for p in self.fill[run.index])
            for size in [s for s in sizes if s <= min(left, room)]:
                side = shallow_side(run, need.due(run))
                if self.try_add(run, Piece(side, size, need=index)):
                    left -= size
                    break

    def keep_earlier(self) -> None:
        """Put every earlier block that may stay back where it was (a run of its own)."""
        ids = {need.task.id: n for n, need in enumerate(self.problem.needs)}
        used: set[int] = set()
        for run in self.problem.runs:
            for key, spans in self.problem.earlier.soft.items():
                if run.span not in spans:
                    continue
                if key == SYNC:
                    slot = next((s for s, found in enumerate(self.problem.sync_slots)
                                 if found.day == run.day and s not in used), None)
                    if slot is not None and self.try_add(run, Piece(Side.FRONT, run.size,
                                                                    slot=slot)):
                        used.add(slot)
                elif key in ids:
                    need = self.problem.needs[ids[key]]
                    side = Side.DEEP if need.deep else shallow_side(run, need.due(run))
                    self.try_add(run, Piece(side, run.size, need=ids[key]))
        self.sync_used = used

    def place_sync(self) -> None:
        """Each sync window in the fitting run side nearest its preferred time."""
        size = self.problem.sync_size
        for slot_index, slot in enumerate(self.problem.sync_slots):
            if slot_index in self.sync_used:
                continue
            options = []
            for run_index in self.problem.runs_by_day.get(slot.day, ()):
                run = self.problem.runs[run_index]
                if not self.problem.allows(SYNC, run):
                    continue
                for side in (Side.FRONT, Side.BACK):
                    anchor = run.span.start if side is Side.FRONT else run.at(run.size - size)
                    distance = 0 if slot.prefer is None else abs(anchor - slot.prefer)
                    options.append((distance, run_index, side))
            for _, run_index, side in sorted(options):
                if self.try_add(self.problem.runs[run_index], Piece(side, size, slot=slot_index)):
                    break


def greedy_fill(problem: Problem) -> Fill:
    """The first-fit plan of ``problem``, as pieces per run (earlier blocks that may stay are
    kept first, so a repair starts from moving nothing)."""
    greedy = Greedy(problem)
    greedy.keep_earlier()
    for index in order(problem, deep=True):
        greedy.place_deep(index)
    for index in order(problem, deep=False):
        greedy.place_shallow(index)
    greedy.place_sync()
    return greedy.fill
