"""Audit reports as plain JSON-ready dictionaries (times ISO 8601 with offset, minutes as ints)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, tzinfo
from typing import Any

from makertime.audit import METRIC_NAMES, AuditReport, DayMetrics
from makertime.model import Interval


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
