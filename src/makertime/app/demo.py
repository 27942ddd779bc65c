"""The sample week of ``makertime demo``, as a library call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from makertime.app.planning import plan_calendars
from makertime.app.reading import audit_calendars
from makertime.audit import AuditReport
from makertime.model import Period, Progress, Task
from makertime.plan.result import PlanResult
from makertime.plan.solve import PlanOptions
from makertime.policy import Policy, load_policy
from makertime.sample import SAMPLE_WEEK, sample_path
from makertime.tasks import load_tasks
from makertime.team.model import Rotation, Team


@dataclass(frozen=True, slots=True)
class Demo:
    """The sample person's policy, the audit of their week, the work they owe and its plan."""

    policy: Policy
    report: AuditReport
    tasks: tuple[Task, ...]
    plan: PlanResult


def sample_demo(options: PlanOptions | None = None) -> Demo:
    """Audit and plan the bundled week of a live-media engineer (``makertime demo`` plans with
    one worker and no gap, so that every run gives the same plan)."""
    policy = load_policy(sample_path("policy.toml"))
    calendar = [str(sample_path("week.ics"))]
    report = audit_calendars(calendar, policy, SAMPLE_WEEK)
    tasks = tuple(load_tasks(sample_path("tasks.toml"), policy.timezone))
    plan = plan_calendars(calendar, policy, SAMPLE_WEEK, tasks_path=sample_path("tasks.toml"),
                          options=options)
    return Demo(policy, report, tasks, plan)


SAMPLE_TEAM_WEEKS = Period(date(2026, 3, 23), date(2026, 4, 19))
"""The four weeks the sample team is rotated over (Easter Monday, 6 April, is a holiday)."""


@dataclass(frozen=True, slots=True)
class TeamDemo:
    """The sample team and its rotation (nothing is kept: the demo touches no store)."""

    team: Team
    rotation: Rotation
    path: Path


def sample_team_demo(*, time_limit: float = 10.0, workers: int = 1,
                     progress: Progress | None = None) -> TeamDemo:
    """Rotate the bundled six-person live-media team over its four weeks (one worker, so every
    run gives the same rotation)."""
    from makertime.app.team_reading import load_team, read_team
    from makertime.team.rotate import plan_rotation

    path = sample_path("team/team.toml")
    team = load_team(path)
    read = read_team(team, SAMPLE_TEAM_WEEKS, progress=progress)
    rotation = plan_rotation(team, read.members, read.events, SAMPLE_TEAM_WEEKS,
                             time_limit=time_limit, workers=workers, progress=progress)
    return TeamDemo(team, rotation, path)


SAMPLE_NOW = "2026-03-23T08:00"
"""The moment the served demo acts as of: Monday morning of the sample week."""


@dataclass(frozen=True, slots=True)
class SampleStore:
    """A store holding the sample week's plan (published to ``target``, an .ics file of
    makertime's own) and the sample team's rotation, as of ``now``."""

    db: str
    now: str
    target: str


def sample_store(folder: Path, *, db: str | None = None, calendar: Path | None = None,
                 publish: str | None = None, team: bool = True,
                 progress: Progress | None = None) -> SampleStore:
    """Plan the sample week into a store (``db``; default: a new SQLite file in ``folder``),
    publishing it to ``publish`` (default: an .ics file in ``folder``), and rotate the sample
    team into it: what ``makertime demo --serve`` serves. ``calendar`` stands in for the sample
    week.ics (the same week with other events)."""
    from makertime.app.planning import plan
    from makertime.app.team_ops import team_plan

    db = db or f"sqlite:///{folder / 'makertime.db'}"
    target = publish or str(folder / "plan.ics")
    if progress is not None:
        progress("planning the sample week…")
    plan([str(calendar or sample_path("week.ics"))], tasks=sample_path("tasks.toml"),
         policy=sample_path("policy.toml"), first=SAMPLE_WEEK.first.isoformat(),
         last=SAMPLE_WEEK.last.isoformat(), now=SAMPLE_NOW, workers=1, gap=0.0,
         publish=target, db=db)
    if team:
        if progress is not None:
            progress("rotating the sample team…")
        team_plan(sample_path("team/team.toml"), first=SAMPLE_TEAM_WEEKS.first.isoformat(),
                  last=SAMPLE_TEAM_WEEKS.last.isoformat(), time_limit=10.0, workers=1, db=db)
    return SampleStore(db, SAMPLE_NOW, target)
