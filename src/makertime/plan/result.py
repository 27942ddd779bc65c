"""What a plan is: blocks placed in time, what could not be placed and why, and how it was solved.

These are the planner's public results; outputs (ICS, JSON, terminal, HTML) read only these.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from makertime.audit import AuditReport
from makertime.marks import own_uid
from makertime.model import Commitment, Interval, Period, ReadWarning, Task


class BlockKind(StrEnum):
    """What a planned block holds (``X-MAKERTIME-KIND`` in ICS)."""

    DEEP = "deep"
    SHALLOW = "shallow"
    SYNC_WINDOW = "sync-window"
    REST = "rest"
    RECOVERY = "recovery"
    DUTY = "duty"  # a team duty published to a member's calendar, not a planned block
    RELIEF = "relief"  # another member holds the shield that day: a marker, takes no time

    @property
    def is_work(self) -> bool:
        """Deep, shallow and sync windows (and duties) take the person's time; rest and
        recovery mark time kept free of deep work and may lie under shallow blocks."""
        return self not in (BlockKind.REST, BlockKind.RECOVERY, BlockKind.RELIEF)


PLANNED_KINDS = (BlockKind.DEEP, BlockKind.SHALLOW, BlockKind.SYNC_WINDOW, BlockKind.REST,
                 BlockKind.RECOVERY)
"""The kinds a plan places (a team's duties are published as blocks too, but never planned)."""


@dataclass(frozen=True, slots=True)
class Block:
    """One planned block: its kind, its time, the task it serves and why it sits there."""

    kind: BlockKind
    span: Interval
    reason: str
    task: str | None = None
    title: str = ""
    # the UID a block keeps when it moves (the person moved it in their calendar, or a repair
    # moved or shortened it): its published event is then changed in place, not replaced
    key: str = ""
    categories: tuple[str, ...] = ()  # written as CATEGORIES next to makertime's own

    @property
    def uid(self) -> str:
        """A UID that is the same on every run for the same block (kind, task and time)."""
        if self.key:
            return self.key
        key = f"{self.kind}|{self.task or ''}|{self.span.start.isoformat()}|"
        key += self.span.end.isoformat()
        return own_uid(hashlib.sha256(key.encode()).hexdigest()[:24])

    @property
    def minutes(self) -> int:
        """The block's length in minutes."""
        return self.span.minutes


def in_time_order(blocks: Iterable[Block]) -> list[Block]:
    """``blocks`` by start, a rest marker before whatever starts with it."""
    return sorted(blocks, key=lambda b: (b.span.start, b.kind != BlockKind.REST))


@dataclass(frozen=True, slots=True)
class Unscheduled:
    """Minutes of a task the plan could not place, with the reason in numbers."""

    task: str
    minutes: int
    reason: str


@dataclass(frozen=True, slots=True)
class Held:
    """Minutes of a task an earlier saved plan already holds, and where (outside this plan's
    period, moved there by the person, or in the past: work already done)."""

    minutes: int
    spans: tuple[Interval, ...] = ()


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """Where every minute of one open task went: ``needed = placed + held + unscheduled``."""

    task: str
    title: str
    needed: int
    placed: int
    held: int
    unscheduled: int
    overdue: bool = False
    held_at: tuple[Interval, ...] = ()
    reason: str = ""  # why the unscheduled minutes were left out


@dataclass(frozen=True, slots=True)
class SolverStats:
    """How the solve went: status, objective, best bound (None when none was proven), time."""

    status: str
    objective: float
    bound: float | None
    seconds: float
    workers: int = 1

    @property
    def proven(self) -> bool:
        """Whether the plan is proven optimal: the bound meets the objective."""
        return self.status == "OPTIMAL"

    @property
    def gap(self) -> float | None:
        """Relative distance between the plan and the best bound; None without a bound."""
        if self.bound is None or not math.isfinite(self.bound):
            return None
        if not math.isfinite(self.objective):
            return None
        if self.objective <= 0:
            return 0.0
        return max(0.0, (self.objective - self.bound) / self.objective)


@dataclass(frozen=True, slots=True)
class PlanResult:
    """A plan for a period: blocks, the unscheduled list, the week before and after, the solve."""

    period: Period
    timezone: str
    blocks: tuple[Block, ...]
    unscheduled: tuple[Unscheduled, ...]
    before: AuditReport
    after: AuditReport
    solver: SolverStats
    tasks: tuple[Task, ...] = ()
    capacity: tuple[str, ...] = ()
    read_warnings: tuple[ReadWarning, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    ledger: tuple[LedgerEntry, ...] = ()

    @property
    def work_blocks(self) -> tuple[Block, ...]:
        """Blocks that take the person's time (not rest or recovery markers)."""
        return tuple(b for b in self.blocks if b.kind.is_work)
