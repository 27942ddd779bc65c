"""Planning a period: ``plan`` (kept in the store, published when asked) and
``plan_calendars``, the plan of a policy and period straight from the calendars, with no
store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from makertime.app.options import moment, opened, solver_options
from makertime.app.week import Planned, make_plan
from makertime.errors import PeriodError
from makertime.inputs import read_inputs, resolve
from makertime.limits import limit
from makertime.model import Period, Progress
from makertime.plan.result import PlanResult
from makertime.plan.solve import PlanOptions, plan_commitments
from makertime.policy import Policy, load_policy

if TYPE_CHECKING:
    from makertime.calendars.cache import InstanceCache
    from makertime.store import Store


def plan_calendars(cals: Sequence[str], policy: Policy, period: Period, *,
                   tasks_path: Path | None = None, now: datetime | None = None,
                   options: PlanOptions | None = None, cache: InstanceCache | None = None,
                   progress: Progress | None = None) -> PlanResult:
    """Read the calendars and tasks (tasks.toml and VTODO), then plan ``period``."""
    read = read_inputs(cals, policy, period, tasks=tasks_path, planning=True, cache=cache,
                       progress=progress)
    return plan_commitments(read.commitments, read.tasks, policy, period, now=now,
                            options=options, read_warnings=read.warnings, progress=progress)


@dataclass(frozen=True, slots=True)
class PlannedWeek:
    """A plan made, saved (and published when asked), with the policy it was made by."""

    planned: Planned
    policy: Policy


def plan(cals: Sequence[str], *, tasks: Path | None = None, policy: Path | None = None,
         first: str | None = None, last: str | None = None, now: str | None = None,
         time_limit: float = 10.0, gap: float = 0.005, workers: int | None = None,
         out: Path | None = None, html: Path | None = None, publish: str | None = None,
         force: bool = False, db: str | Store | None = None, cache: bool = True,
         progress: Progress | None = None) -> PlannedWeek:
    """Plan the tasks into the dates ``first``..``last`` (default: this week) around the
    calendars ``cals`` (none: every remembered source), as of ``now`` (default: the clock,
    when it falls in the period); keep the plan in the store ``db`` and publish it to
    ``publish`` when given. The files ``out`` and ``html`` a front end writes afterwards are
    checked first, with ``publish`` (see ``outputs.safety``)."""
    from makertime.outputs.safety import check_options
    from makertime.store import PlanInputs

    options = solver_options(time_limit, workers, gap)
    chosen = load_policy(policy)
    clock = datetime.now(chosen.timezone)
    period = Period.from_options(first, last, clock.date())
    plannable(period)
    at = moment(now, chosen.timezone) if now else (
        clock if period.first <= clock.date() <= period.last else None)
    with opened(db) as store:
        inputs = PlanInputs(cals=resolve(store, cals), tasks_path=_absolute(tasks),
                            policy_path=_absolute(policy), target=target_name(publish),
                            first=period.first, last=period.last)
        check_options(out=out, html=html, publish=publish, cals=inputs.cals, tasks=tasks,
                      policy=policy, store=store.url, force=force)
        planned = make_plan(store, inputs, now=at, clock=clock, options=options,
                            publish=publish is not None, cache=cache, progress=progress)
    return PlannedWeek(planned, chosen)


def plannable(period: Period) -> None:
    """Refuse a period longer than one plan may cover (the planner grows with its length)."""
    days, most = (period.last - period.first).days + 1, limit("plan.days")
    if days > most:
        raise PeriodError("last", f"{period.first} to {period.last} is {days} days, longer than "
                          f"the {most} days one plan covers", "plan a shorter period")


def target_name(target: str | None) -> str | None:
    """A publish target as the store names it (``calendars.target_name``), or None."""
    from makertime.calendars import target_name as named

    return None if target is None else named(target)


def _absolute(path: Path | None) -> str | None:
    return None if path is None else str(path.expanduser().resolve())
