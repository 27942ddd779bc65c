"""The sample week of ``makertime demo``, as a library call."""

from __future__ import annotations

from dataclasses import dataclass

from makertime.app.planning import plan_calendars
from makertime.app.reading import audit_calendars
from makertime.audit import AuditReport
from makertime.model import Task
from makertime.plan.result import PlanResult
from makertime.plan.solve import PlanOptions
from makertime.policy import Policy, load_policy
from makertime.sample import SAMPLE_WEEK, sample_path
from makertime.tasks import load_tasks


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
