"""The operations a person performs, each one function taking plain values (paths, URLs, dates,
options, the store's URL) and returning a result, printing nothing: the command line's thin
commands call them and render what they return; so can a library user or another front end.

Reading: ``audit``, ``check`` (and ``audit_calendars``, the audit of a policy and period).
Planning: ``plan`` (kept in the store) and ``plan_calendars`` (no store), ``sample_demo``.
The week: ``publish``, ``replan``, ``done``, ``progress``, ``tasks``, ``history``,
``interrupt``, ``interruptions``, ``add_source``, ``list_sources``, ``remove_source``.
Tasks added through makertime: ``add_task``, ``edit_task``. And, on an open store,
``make_plan``, ``replan_week``, ``publish_current``, ``log_interruption``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from makertime.app.demo import Demo, sample_demo
    from makertime.app.kept_tasks import TaskRow, task_rows, tasks_as_of
    from makertime.app.log import log_interruption
    from makertime.app.operations import (
        Edited,
        Interruptions,
        Listed,
        Logged,
        Published,
        Recorded,
        Removed,
        Repaired,
        add_source,
        done,
        history,
        interrupt,
        interruptions,
        list_sources,
        progress,
        publish,
        remove_source,
        replan,
        task_list,
        tasks,
    )
    from makertime.app.past_weeks import Costly, History
    from makertime.app.planning import PlannedWeek, plan, plan_calendars
    from makertime.app.reading import Audited, audit, audit_calendars, check
    from makertime.app.task_edits import add_task, edit_task
    from makertime.app.week import (
        Planned,
        Replanned,
        current_plan,
        make_plan,
        publish_current,
        replan_week,
    )
    from makertime.errors import NoPlanError

__all__ = ["Audited", "Costly", "Demo", "Edited", "History", "Interruptions", "Listed", "Logged",
           "NoPlanError", "Planned", "PlannedWeek", "Published", "Recorded", "Removed",
           "Repaired", "Replanned", "TaskRow", "add_source", "add_task", "audit",
           "audit_calendars", "check", "current_plan", "done", "edit_task", "history",
           "interrupt", "interruptions", "list_sources", "log_interruption", "make_plan",
           "plan", "plan_calendars", "progress", "publish", "publish_current", "remove_source",
           "replan", "replan_week", "sample_demo", "task_list", "task_rows", "tasks", "tasks_as_of"]

_HOME = {
    "Audited": "makertime.app.reading",
    "Costly": "makertime.app.past_weeks",
    "Demo": "makertime.app.demo",
    "Edited": "makertime.app.operations",
    "History": "makertime.app.past_weeks",
    "Interruptions": "makertime.app.operations",
    "Logged": "makertime.app.operations",
    "NoPlanError": "makertime.errors",
    "Planned": "makertime.app.week",
    "PlannedWeek": "makertime.app.planning",
    "Published": "makertime.app.operations",
    "Recorded": "makertime.app.operations",
    "Removed": "makertime.app.operations",
    "Repaired": "makertime.app.operations",
    "Replanned": "makertime.app.week",
    "TaskRow": "makertime.app.kept_tasks",
    "add_source": "makertime.app.operations",
    "add_task": "makertime.app.task_edits",
    "audit": "makertime.app.reading",
    "audit_calendars": "makertime.app.reading",
    "check": "makertime.app.reading",
    "current_plan": "makertime.app.week",
    "done": "makertime.app.operations",
    "edit_task": "makertime.app.task_edits",
    "history": "makertime.app.operations",
    "interrupt": "makertime.app.operations",
    "interruptions": "makertime.app.operations",
    "list_sources": "makertime.app.operations",
    "log_interruption": "makertime.app.log",
    "make_plan": "makertime.app.week",
    "plan": "makertime.app.planning",
    "plan_calendars": "makertime.app.planning",
    "progress": "makertime.app.operations",
    "publish": "makertime.app.operations",
    "publish_current": "makertime.app.week",
    "remove_source": "makertime.app.operations",
    "replan": "makertime.app.operations",
    "replan_week": "makertime.app.week",
    "sample_demo": "makertime.app.demo",
    "task_rows": "makertime.app.kept_tasks",
    "tasks": "makertime.app.operations",
    "task_list": "makertime.app.operations",
    "Listed": "makertime.app.operations",
    "tasks_as_of": "makertime.app.kept_tasks",
}


def __getattr__(name: str) -> object:
    """``name`` from the module that defines it, imported when first asked for: an audit loads
    neither the store nor the planner, a plan not the store unless it keeps one."""
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'makertime.app' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value
