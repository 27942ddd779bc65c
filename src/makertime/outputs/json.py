"""Audits and plans as plain JSON-ready dictionaries (times ISO 8601 with offset, minutes int)."""

from __future__ import annotations

import math
from dataclasses import asdict
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from makertime.audit import METRIC_NAMES, AuditReport, DayMetrics
from makertime.model import Interval

if TYPE_CHECKING:  # the audit's JSON must not pay for importing the planner
    from makertime.plan.replan import Change, Repair
    from makertime.plan.result import Block, LedgerEntry, PlanResult


def _local(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).isoformat()


def _spans(spans: tuple[Interval, ...], zone: tzinfo) -> list[dict[str, str]]:
    return [{"start": _local(s.start, zone), "end": _local(s.end, zone)} for s in spans]


def day_to_dict(day: DayMetrics, zone: tzinfo) -> dict[str, Any]:
    """One day's metrics, its gaps and its busy time."""
    data: dict[str, Any] = {"date": day.date.isoformat()}
    data.update({name: getattr(day, name) for name in METRIC_NAMES})
    if day.energy_drain is not None:
        data["energy_drain"] = round(day.energy_drain, 1)
    data["gaps"] = _spans(day.gaps, zone)
    data["busy"] = _spans(day.busy, zone)
    data["partial"] = _spans(day.partial, zone)
    data["away"] = _spans(day.away, zone)
    if day.off_reason:
        data["off_reason"] = day.off_reason
    return data


def audit_to_dict(report: AuditReport, zone: tzinfo) -> dict[str, Any]:
    """The whole report: period, days, totals, findings and reading warnings."""
    return {
        "period": {"from": report.period.first.isoformat(), "to": report.period.last.isoformat()},
        "timezone": report.timezone,
        "days": [day_to_dict(day, zone) for day in report.days],
        "totals": asdict(report.totals),
        "warnings": [asdict(w) for w in report.warnings],
        "read_warnings": [{"source": w.source, "uid": w.uid, "message": w.message}
                          for w in report.read_warnings],
    }


def _finite(value: float | None) -> float | None:
    """``value``, or None where JSON has no number for it (none, NaN, infinity)."""
    return value if value is not None and math.isfinite(value) else None


def ledger_to_dict(entry: LedgerEntry, zone: tzinfo) -> dict[str, Any]:
    """One task of the ledger: the contract's id, needed, placed, held, unscheduled and
    overdue, then where the held minutes are and why the rest was left out."""
    return {"id": entry.task, "needed": entry.needed, "placed": entry.placed,
            "held": entry.held, "unscheduled": entry.unscheduled, "overdue": entry.overdue,
            "title": entry.title,
            "held_at": [{"start": _local(span.start, zone), "end": _local(span.end, zone)}
                        for span in entry.held_at],
            "reason": entry.reason}


def block_to_dict(block: Block, zone: tzinfo) -> dict[str, Any]:
    """One planned block: the contract's task, kind, start, end and reason, then title and uid."""
    return {"task": block.task, "kind": block.kind.value,
            "start": _local(block.span.start, zone), "end": _local(block.span.end, zone),
            "reason": block.reason, "title": block.title, "minutes": block.minutes,
            "uid": block.uid}


def plan_to_dict(result: PlanResult, zone: tzinfo) -> dict[str, Any]:
    """The plan as makertime's JSON: blocks, unscheduled, the ledger of every task, totals
    before and after, the solve (bound and gap null when no bound was proven)."""
    from makertime.outputs.plan_rows import ordered

    solver = result.solver
    return {
        "period": {"from": result.period.first.isoformat(), "to": result.period.last.isoformat()},
        "timezone": result.timezone,
        "blocks": [block_to_dict(block, zone) for block in ordered(result.blocks)],
        "unscheduled": [{"task": u.task, "minutes": u.minutes, "reason": u.reason}
                        for u in result.unscheduled],
        "tasks": [ledger_to_dict(entry, zone) for entry in result.ledger],
        "before": asdict(result.before.totals),
        "after": asdict(result.after.totals),
        "solver": {"status": solver.status, "objective": _finite(solver.objective),
                   "bound": _finite(solver.bound), "gap": _finite(solver.gap),
                   "seconds": round(solver.seconds, 3)},
        "capacity": list(result.capacity),
        "read_warnings": [{"source": w.source, "uid": w.uid, "message": w.message}
                          for w in result.read_warnings],
    }


def calendar_to_dict(result: PlanResult, zone: tzinfo) -> dict[str, Any]:
    """What a week view draws under the plan's blocks: each commitment (a logged interruption
    marked as one), each day's work window, away time and why a day is off."""
    commitments = [{"summary": c.summary, "start": _local(c.span.start, zone),
                    "end": _local(c.span.end, zone), "attention": c.attention.value,
                    "interruption": c.source == "interruption",
                    "rest_before": c.rest_before_minutes, "recover_after": c.recover_after_minutes}
                   for c in result.commitments]
    days = [{"date": day.date.isoformat(),
             "window": None if day.window is None else {"start": _local(day.window.start, zone),
                                                        "end": _local(day.window.end, zone)},
             "day_off": day.day_off, "off_reason": day.off_reason or None,
             "away": _spans(day.away, zone),
             "before": {name: getattr(day, name) for name in METRIC_NAMES},
             "after": {name: getattr(after, name) for name in METRIC_NAMES}}
            for day, after in zip(result.before.days, result.after.days, strict=True)]
    return {"commitments": commitments, "days": days}


def change_to_dict(change: Change, zone: tzinfo) -> dict[str, Any]:
    """One change of a repair: its kind, the block before and after (null when none), why."""
    block = change.before or change.after
    return {"kind": change.kind.value, "task": None if block is None else block.task,
            "before": None if change.before is None else block_to_dict(change.before, zone),
            "after": None if change.after is None else block_to_dict(change.after, zone),
            "why": change.why}


def repair_to_dict(repair: Repair, now: datetime, zone: tzinfo) -> dict[str, Any]:
    """A replan as JSON: the repaired plan as ``plan --json`` gives it (the ledger included),
    with the moment it was made for, what changed and why, and how much of the earlier future
    it kept."""
    return {**plan_to_dict(repair.plan, zone), "now": _local(now, zone),
            "changes": [change_to_dict(change, zone) for change in repair.changes],
            "future_blocks": repair.future, "unchanged": repair.unchanged}
