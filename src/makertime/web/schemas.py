"""The REST API's response shapes (Pydantic, at the edge only): the JSON the
command line's ``--json`` prints, declared so the OpenAPI document says exactly what comes back.
Domain values are mapped to them in ``web.shapes``; the one domain type here is the audit's
``Totals``, a flat record of numbers the API shows as it is. What a request may carry is in
``web.bodies``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from makertime.audit import Totals as AuditTotals
from makertime.web import bodies

# the bounds a request's fields keep, which the pages' forms keep too
ID, TEXT, WHEN = bodies.ID, bodies.TEXT, bodies.WHEN


class Problem(BaseModel):
    """A request makertime cannot carry out: the same one line the command line prints."""

    error: str = Field(description="What is wrong and how to fix it, in one line.")
    status: int


class Span(BaseModel):
    start: str
    end: str


class Period(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    first: str = Field(alias="from")
    last: str = Field(alias="to")


class Block(BaseModel):
    """One planned block (``plan --json``'s ``blocks``)."""

    task: str | None
    kind: str
    start: str
    end: str
    reason: str
    title: str
    minutes: int
    uid: str


class WeekBlock(Block):
    """A block as the week view shows it: whether it stands where the person put it (in their
    calendar or here), and whether it may still be moved or deleted."""

    pinned: bool
    moved_here: bool
    editable: bool


class Unscheduled(BaseModel):
    task: str
    minutes: int
    reason: str


class LedgerEntry(BaseModel):
    id: str
    needed: int
    placed: int
    held: int
    unscheduled: int
    overdue: bool
    title: str
    held_at: list[Span]
    reason: str


Totals = AuditTotals
"""The audit totals of a period (docs/metrics.md): the audit's own record, so the two cannot
drift apart."""


class Solver(BaseModel):
    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float


class ReadWarning(BaseModel):
    source: str
    uid: str | None
    message: str


class Plan(BaseModel):
    """The plan as ``makertime plan --json`` prints it."""

    model_config = ConfigDict(populate_by_name=True)

    period: Period
    timezone: str
    blocks: list[Block]
    unscheduled: list[Unscheduled]
    tasks: list[LedgerEntry]
    before: Totals
    after: Totals
    solver: Solver
    capacity: list[str]
    read_warnings: list[ReadWarning]


class Change(BaseModel):
    kind: str
    task: str | None
    before: Block | None
    after: Block | None
    why: str


class Event(BaseModel):
    """An event on the publish target (makertime's own)."""

    uid: str
    kind: str | None
    task: str | None
    start: str
    end: str


class Moved(BaseModel):
    was: Event
    now: Block


class Failure(BaseModel):
    action: str
    uid: str
    kind: str
    task: str | None
    start: str
    end: str


class Publish(BaseModel):
    """What a publish did (or, in a dry run, would do) to its target."""

    target: str
    dry_run: bool
    summary: str
    created: list[Block]
    updated: list[Moved]
    removed: list[Event]
    kept_theirs: list[Event]
    declined: list[Block]
    failed: list[Failure]
    untouched: int
    foreign: int


class Repair(Plan):
    """A replan as ``makertime replan --json`` prints it, and the publish when there was one."""

    now: str
    changes: list[Change]
    future_blocks: int
    unchanged: int
    published: Publish | None = None


class Commitment(BaseModel):
    summary: str
    start: str
    end: str
    attention: str
    interruption: bool
    rest_before: int
    recover_after: int


class DayMetrics(BaseModel):
    """One day's metrics (docs/metrics.md)."""

    work_minutes: int
    sync_minutes: int
    partial_minutes: int
    after_hours_sync_minutes: int
    free_minutes: int
    focus_minutes: int
    fragmented_minutes: int
    effective_focus_minutes: int
    longest_free_minutes: int
    switches: int
    maker_day: bool
    day_off: bool


class Day(BaseModel):
    """One day of the plan: its work window, whether it is off and why, its away time, and
    its metrics before and with the plan (absent for a plan saved before they were kept)."""

    date: str
    window: Span | None
    day_off: bool
    off_reason: str | None
    away: list[Span]
    before: DayMetrics | None = None
    after: DayMetrics | None = None


class Week(BaseModel):
    """The current plan's week as its view draws it."""

    model_config = ConfigDict(populate_by_name=True)

    plan_id: int
    timezone: str
    now: str
    period: Period
    target: str | None
    blocks: list[WeekBlock]
    commitments: list[Commitment]
    days: list[Day]
    unscheduled: list[Unscheduled]
    tasks: list[LedgerEntry]
    before: Totals
    after: Totals
    solver: Solver


class TaskRow(BaseModel):
    """One task as ``makertime tasks`` lists it."""

    id: str
    title: str
    origin: str
    depth: str
    estimate_minutes: int
    left_minutes: int
    planned_minutes: int
    progress: float
    done: bool
    deadline: str | None
    overdue: bool
    priority: int
    waiting_on_me: bool
    stale_days: int | None
    estimate_spent: bool


class Interruption(BaseModel):
    id: int
    text: str
    start: str
    minutes: int
    focus_lost: int | None


class WeekRecord(BaseModel):
    week: str
    totals: dict[str, Any]
    recorded: str


class History(BaseModel):
    weeks: list[WeekRecord]
    costliest: list[Interruption]


class Source(BaseModel):
    name: str
    url: str
    credentials: str
    added: str
    objects: int | None = None


class Setting(BaseModel):
    """One setting of the policy in effect, with its default's source and evidence grade."""

    key: str
    value: Any
    default: Any
    unit: str
    grade: str
    source: str
    meaning: str
    changed: bool


class PolicyShown(BaseModel):
    path: str | None
    timezone: str
    error: str | None
    settings: list[Setting]


class Assignment(BaseModel):
    slot: str
    duty: str
    kind: str
    seat: str
    event: str
    start: str
    end: str
    member: str
    focus_cost_minutes: int
    reason: str
    weighted_hours: float


class Blocked(BaseModel):
    member: str
    why: str


class UncoveredSlot(BaseModel):
    slot: str
    duty: str
    start: str
    end: str
    blocked: list[Blocked]


class MemberLoad(BaseModel):
    id: str
    name: str
    focus_before_minutes: int
    focus_after_minutes: int
    hours: float
    weighted_hours: float
    carried: float


class Fairness(BaseModel):
    spread_weighted_hours: float
    price_of_fairness_minutes: int | None


class TeamSolver(BaseModel):
    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float


class Rotation(BaseModel):
    """A team's rotation as ``makertime team plan --json`` prints it."""

    model_config = ConfigDict(populate_by_name=True)

    team: str
    first: str = Field(alias="from")
    last: str = Field(alias="to")
    assignments: list[Assignment]
    uncovered: list[UncoveredSlot]
    members: list[MemberLoad]
    fairness: Fairness
    team_focus_minutes: int
    focus_only_minutes: int | None
    changes: list[str]
    solver: TeamSolver
