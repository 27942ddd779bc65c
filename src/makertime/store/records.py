"""What the store hands out and takes in, besides the shared domain types: frozen dataclasses.

Every datetime here is aware and in UTC when it comes out of the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from makertime.model import Task
from makertime.plan.result import Block

CREDENTIALS = ("env", "netrc", "none")
"""Where a source's credentials are found: never the credentials themselves."""


@dataclass(frozen=True, slots=True)
class Source:
    """A calendar a person added by name: its URL and where its credentials come from."""

    name: str
    url: str
    credentials: str
    added: datetime


ORIGINS = ("tasks.toml", "calendar", "makertime")
"""Where a stored task comes from: tasks.toml, a VTODO of a calendar, or added through
makertime (kept in the store alone; no input of the person's is ever written)."""
FROM_FILE, FROM_CALENDAR, ADDED = ORIGINS


@dataclass(frozen=True, slots=True)
class TaskState:
    """A task as the store keeps it: the task, when its remaining estimate was last set (so a
    later run can subtract the work planned since), whether it is done, and where it comes
    from (one of ``ORIGINS``)."""

    task: Task
    estimate_at: datetime
    done: bool = False
    done_at: datetime | None = None
    origin: str = FROM_FILE


@dataclass(frozen=True, slots=True)
class Interruption:
    """Unplanned sync work a person logged: what, when it started, how long, when logged."""

    id: int | None
    text: str
    start: datetime
    minutes: int
    logged: datetime


@dataclass(frozen=True, slots=True)
class PlanInputs:
    """What a plan was made from, so that ``replan`` and ``publish`` can make it again."""

    cals: tuple[str, ...]
    tasks_path: str | None
    policy_path: str | None
    target: str | None
    first: date
    last: date


@dataclass(frozen=True, slots=True)
class StoredPlan:
    """A saved plan: when it was made, the ``now`` it was made for, its inputs, its blocks
    and its JSON (as ``makertime plan --json`` writes it)."""

    id: int
    created: datetime
    now: datetime
    inputs: PlanInputs
    blocks: tuple[Block, ...]
    result: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WeekTotals:
    """The audit totals of one ISO week (``week`` is its Monday), as last recorded."""

    week: date
    totals: dict[str, Any]
    recorded: datetime


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a publish lock: a process on a host, with a token of its own for this hold."""

    pid: int
    host: str
    token: str


@dataclass(frozen=True, slots=True)
class PublishLock:
    """A publish under way: its target, who holds it, since when, and when it last wrote."""

    target: str
    holder: Holder
    since: datetime
    refreshed: datetime
