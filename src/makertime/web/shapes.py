"""Domain values as the API's JSON: the command line's own ``--json`` dictionaries where it
has them (``outputs.json``, ``outputs.team_json``), and the same style (ISO 8601 with offset,
integer minutes) for what only the web shows."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from makertime.outputs.json import block_to_dict, repair_to_dict

if TYPE_CHECKING:
    from makertime.app.kept_tasks import TaskRow
    from makertime.app.operations import Repaired
    from makertime.app.past_weeks import Costly, History
    from makertime.app.policy_view import PolicyInEffect
    from makertime.app.week_view import WeekView
    from makertime.calendars.base import RemoteEvent
    from makertime.publish.report import PublishReport
    from makertime.store import Source

PLAN_KEYS = ("period", "timezone", "blocks", "unscheduled", "tasks", "before", "after",
             "solver", "capacity", "read_warnings")
"""The keys of ``plan --json``; a stored plan keeps more (for replanning) that are not shown."""


def local(moment: datetime, zone: tzinfo) -> str:
    """``moment`` in ``zone``, ISO 8601 with its offset."""
    return moment.astimezone(zone).isoformat()


def plan_json(result: dict[str, Any]) -> dict[str, Any]:
    """A stored plan's JSON as ``plan --json`` printed it."""
    return {key: result[key] for key in PLAN_KEYS if key in result}


def week_json(view: WeekView) -> dict[str, Any]:
    """The current plan's week: blocks (with whether each is pinned and may still be moved),
    commitments and days, the ledger and the totals."""
    zone, result = view.zone, view.stored.result
    blocks = [{**block_to_dict(b, zone), "pinned": b.uid in view.pinned,
               "moved_here": b.uid in view.moved_here, "editable": view.editable(b)}
              for b in view.stored.blocks]
    return {"plan_id": view.stored.id, "timezone": str(zone), "now": local(view.now, zone),
            "period": {"from": view.first.isoformat(), "to": view.last.isoformat()},
            "target": view.target, "blocks": blocks,
            "commitments": view.calendar.get("commitments", []),
            "days": view.calendar.get("days", []),
            **{key: result[key] for key in ("unscheduled", "tasks", "before", "after", "solver")}}


def event_json(event: RemoteEvent, zone: tzinfo) -> dict[str, Any]:
    """One of makertime's events on a target."""
    return {"uid": event.uid, "kind": event.kind or None, "task": event.task,
            "start": local(event.span.start, zone), "end": local(event.span.end, zone)}


def publish_json(report: PublishReport, zone: tzinfo) -> dict[str, Any]:
    """What a publish did: created, moved, removed, kept as the person left it, declined."""
    return {"target": report.target, "dry_run": report.dry_run, "summary": report.summary(),
            "created": [block_to_dict(b, zone) for b in report.created],
            "updated": [{"was": event_json(e, zone), "now": block_to_dict(b, zone)}
                        for e, b in report.updated],
            "removed": [event_json(e, zone) for e in report.removed],
            "kept_theirs": [event_json(e, zone) for e in report.kept_theirs],
            "declined": [block_to_dict(b, zone) for b in report.declined],
            "failed": [{"action": f.action.value, "uid": f.uid, "kind": f.kind, "task": f.task,
                        "start": local(f.span.start, zone), "end": local(f.span.end, zone)}
                       for f in report.failed],
            "untouched": len(report.untouched), "foreign": report.foreign}


def repaired_json(repaired: Repaired) -> dict[str, Any]:
    """A replan as ``replan --json`` prints it, with its publish when there was one."""
    done, zone = repaired.replanned, repaired.zone
    data = repair_to_dict(done.repair, done.now, zone)
    data["published"] = None if done.published is None else publish_json(done.published, zone)
    return data


def task_json(row: TaskRow, now: datetime) -> dict[str, Any]:
    """One task as ``makertime tasks`` lists it."""
    task = row.state.task
    deadline = task.deadline
    return {"id": task.id, "title": task.title, "origin": row.origin,
            "depth": task.depth.value, "estimate_minutes": task.estimate_minutes,
            "left_minutes": row.left_minutes, "planned_minutes": row.planned_minutes,
            "progress": task.progress, "done": row.state.done,
            "deadline": None if deadline is None else (
                deadline.astimezone(now.tzinfo) if deadline.tzinfo else deadline).isoformat(),
            "overdue": (not row.state.done and deadline is not None
                        and deadline.tzinfo is not None and deadline < now),
            "priority": task.priority, "waiting_on_me": task.waiting_on_me,
            "stale_days": row.stale_days, "estimate_spent": row.estimate_spent}


def costly_json(item: Costly, zone: tzinfo) -> dict[str, Any]:
    """One logged interruption and the focus it cost."""
    return {"id": item.id, "text": item.text, "start": local(item.start, zone),
            "minutes": item.minutes, "focus_lost": item.focus_lost}


def history_json(history: History, zone: tzinfo) -> dict[str, Any]:
    """Maker time week by week, and the costliest interruptions."""
    return {"weeks": [{"week": w.week.isoformat(), "totals": w.totals,
                       "recorded": local(w.recorded, zone)} for w in history.weeks],
            "costliest": [costly_json(c, zone) for c in history.costly]}


def source_json(source: Source, objects: int | None = None) -> dict[str, Any]:
    """A remembered source: its URL and where its credentials come from (never them)."""
    return {"name": source.name, "url": source.url, "credentials": source.credentials,
            "added": source.added.isoformat(), "objects": objects}


def policy_json(shown: PolicyInEffect) -> dict[str, Any]:
    """The policy in effect, setting by setting, or the error that keeps it from being used."""
    return {"path": shown.path, "timezone": shown.timezone,
            "error": None if shown.error is None else str(shown.error),
            "settings": [{"key": s.setting.key, "value": s.value,
                          "default": _plain(s.setting.default), "unit": s.setting.unit,
                          "grade": s.setting.grade, "source": s.setting.source,
                          "meaning": s.setting.meaning, "changed": s.changed}
                         for s in shown.settings]}


def _plain(value: object) -> object:
    """A default as JSON can hold it."""
    from makertime.defaults import toml_value

    if value is None or isinstance(value, bool | int | float | str):
        return value
    return toml_value(value)
