"""The sample week of ``makertime demo``, as a library call."""

from __future__ import annotations

from dataclasses import dataclass

from makertime.audit import AuditReport, audit_calendars
from makertime.model import Task
from makertime.policy import Policy, load_policy
from makertime.sample import SAMPLE_WEEK, sample_path
from makertime.sources.tasks import load_tasks


@dataclass(frozen=True, slots=True)
class Demo:
    """The sample person's policy, the audit of their week and the work they owe."""

    policy: Policy
    report: AuditReport
    tasks: tuple[Task, ...]


def sample_demo() -> Demo:
    """Audit the bundled week of a live-media engineer and load their tasks."""
    policy = load_policy(sample_path("policy.toml"))
    report = audit_calendars([str(sample_path("week.ics"))], policy, SAMPLE_WEEK)
    return Demo(policy, report, tuple(load_tasks(sample_path("tasks.toml"), policy.timezone)))
