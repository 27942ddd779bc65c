"""The rostering core's problem: staff, days and shift types on a day grid, with the rules of
shift scheduling (cover, requests, successions, consecutive runs, weekends, minutes) and the
terms a team rotation adds (a cost per assignment, cells held together, weighted load and its
fairness, the previous roster to stay close to).

It is the standard shift-scheduling problem (Curtois & Qu's benchmark reads straight into it)
made general enough for duties: a shield day is a one-day shift, an on-call turn is a run of
cells ``linked`` to one person, a crew seat is a shift of the event's day that only the staff
with its skill may take. Plain data, no solver: ``makertime.team.roster`` builds and solves it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ShiftType:
    """A kind of shift: its id, its length and the shift ids that may not follow it on the next
    day (a night before an early)."""

    id: str
    minutes: int
    not_followed_by: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Staff:
    """One person and their hard limits over the horizon (None: no limit)."""

    id: str
    max_shifts: dict[str, int] = field(default_factory=dict)  # per shift id
    min_minutes: int = 0
    max_minutes: int | None = None
    max_consecutive: int | None = None  # working days in a row
    min_consecutive: int | None = None  # working days in a row (runs at the horizon's ends exempt)
    min_consecutive_off: int | None = None  # days off in a row (runs at the ends exempt)
    max_weekends: int | None = None  # a weekend is worked when Saturday or Sunday has a shift
    days_off: frozenset[int] = frozenset()  # day indexes with no shift at all


@dataclass(frozen=True, slots=True)
class Cover:
    """How many staff shift ``shift`` needs on ``day``: each missing person costs
    ``under_weight``, each extra one ``over_weight``; ``hard`` forbids more than ``requirement``
    (a duty slot is held by exactly the staff it needs, or left uncovered at ``under_weight``)."""

    day: int
    shift: str
    requirement: int
    under_weight: int
    over_weight: int = 0
    hard_max: bool = False


@dataclass(frozen=True, slots=True)
class Request:
    """A wish: ``on`` = True asks for ``shift`` on ``day`` (cost ``weight`` when not given),
    False asks not to work it (cost ``weight`` when given); ``shift`` None means any shift."""

    staff: str
    day: int
    shift: str | None
    on: bool
    weight: int


@dataclass(frozen=True, slots=True)
class CellLimit:
    """Hard: Σ weight over the ``cells`` (day, shift) that ``staff`` holds ≤ ``most`` (a duty's
    most per week or per period, the most minutes on call)."""

    staff: str
    cells: tuple[tuple[tuple[int, str], int], ...]
    most: int


@dataclass(frozen=True, slots=True)
class RosterProblem:
    """Everything the rostering core solves. Day 0 is ``first_weekday`` (0 = Monday).

    The team terms, all optional:
    ``allowed``: when given, the only (staff, day, shift) cells that may be assigned (skills,
    away time); ``cost``: an objective cost per assigned cell (negative: a gain);
    ``linked``: groups of (day, shift) cells one person holds together (an on-call turn);
    ``conflicts``: pairs of cells one person may not both hold (rest after a night before a
    shield day); ``load``: weighted load per cell, with ``carried`` load per staff, whose
    spread (max − min over staff) costs ``spread_weight`` each and may not exceed
    ``max_spread``; ``previous``: the staff that held a cell before, each change costing
    ``change_weight``; ``limits``: weighted counts of cells per staff, capped;
    ``max_shifts_per_window``: (shift, window days, most) — at most ``most``
    of that shift in any ``window`` consecutive days (no two turns running, per week limits)."""

    days: int
    shifts: tuple[ShiftType, ...]
    staff: tuple[Staff, ...]
    cover: tuple[Cover, ...]
    requests: tuple[Request, ...] = ()
    first_weekday: int = 0
    allowed: frozenset[tuple[str, int, str]] | None = None
    cost: dict[tuple[str, int, str], int] = field(default_factory=dict)
    linked: tuple[tuple[tuple[int, str], ...], ...] = ()
    conflicts: tuple[tuple[tuple[int, str], tuple[int, str]], ...] = ()
    load: dict[tuple[str, int, str], int] = field(default_factory=dict)
    carried: dict[str, int] = field(default_factory=dict)
    spread_weight: int = 0
    max_spread: int | None = None
    previous: dict[tuple[int, str], frozenset[str]] = field(default_factory=dict)
    change_weight: int = 0
    max_shifts_per_window: tuple[tuple[str, int, int], ...] = ()
    limits: tuple[CellLimit, ...] = ()


@dataclass(frozen=True, slots=True)
class RosterSolution:
    """A solved roster: the cells assigned, the objective split by term, the proven bound (None
    when none was proven), and how the solve ended."""

    assigned: frozenset[tuple[str, int, str]]
    objective: int
    bound: int | None
    status: str  # "optimal", "feasible", "infeasible", "unknown"
    seconds: float
    terms: dict[str, int] = field(default_factory=dict)  # "cover", "requests", "cost", ...

    @property
    def gap(self) -> float | None:
        """The relative gap to the bound (0 when proven optimal), None without a bound."""
        if self.bound is None:
            return None
        if self.objective == self.bound:
            return 0.0
        return abs(self.objective - self.bound) / max(1, abs(self.objective))
