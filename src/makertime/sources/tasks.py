"""Tasks from tasks.toml and from VTODO components (never busy time, always tasks)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import Any

from makertime.defaults import TODO_ESTIMATE
from makertime.errors import TasksError
from makertime.model import Depth, ReadWarning, Task, parse_duration
from makertime.tomlfile import load_toml

_FIELDS = ("id", "title", "estimate", "depth", "deadline", "priority", "min_block", "progress",
           "last_touched", "waiting_on_me")


def load_tasks(path: Path, zone: tzinfo) -> list[Task]:
    """Read tasks.toml; deadlines without an offset are local times of ``zone``."""
    where = str(path)
    data = load_toml(path, TasksError, "tasks.toml")
    entries = data.get("task", [])
    if not isinstance(entries, list) or set(data) - {"task"}:
        raise TasksError(where, "expected only [[task]] tables", "see tasks.toml in the README")
    tasks = [_task(where, index, entry, zone) for index, entry in enumerate(entries, start=1)]
    seen: set[str] = set()
    for task in tasks:
        if task.id in seen:
            raise TasksError(where, f"task {task.id!r} appears twice", "give each task its own id")
        seen.add(task.id)
    return tasks


def _task(where: str, index: int, entry: object, zone: tzinfo) -> Task:
    if not isinstance(entry, dict):
        raise TasksError(where, f"task #{index} is not a table")
    name = str(entry.get("id", f"#{index}"))

    def fail(field: str, problem: str, fix: str = "") -> TasksError:
        return TasksError(where, f"task {name!r}: {field} {problem}", fix)

    for key in entry:
        if key not in _FIELDS:
            raise fail(key, "is not a task field", "allowed: " + ", ".join(_FIELDS))
    if not isinstance(entry.get("id"), str) or not entry["id"].strip():
        raise fail("id", "is missing", 'give every task an id, e.g. id = "pr-42"')
    if "estimate" not in entry:
        raise fail("estimate", "is missing", 'write e.g. estimate = "1h30m"')
    estimate = parse_duration(entry["estimate"])
    if estimate is None:
        raise fail("estimate", f"{entry['estimate']!r} is not a duration",
                   'write e.g. "2h" or "1h30m"')
    min_block = None
    if "min_block" in entry:
        min_block = parse_duration(entry["min_block"])
        if min_block is None:
            raise fail("min_block", f"{entry['min_block']!r} is not a duration", 'write e.g. "30m"')
    depth = str(entry.get("depth", "deep"))
    if depth not in ("deep", "shallow"):
        raise fail("depth", f"{depth!r} is not allowed", 'use "deep" or "shallow"')
    priority = entry.get("priority", 3)
    if isinstance(priority, bool) or not isinstance(priority, int) or not 1 <= priority <= 5:
        raise fail("priority", f"{priority!r} is not allowed", "use 1 (highest) … 5 (lowest)")
    progress = entry.get("progress", 0.0)
    if (isinstance(progress, bool) or not isinstance(progress, int | float)
            or not 0 <= progress <= 1):
        raise fail("progress", f"{progress!r} is not a fraction", "use 0..1, e.g. 0.6")
    waiting = entry.get("waiting_on_me", False)
    if not isinstance(waiting, bool):
        raise fail("waiting_on_me", f"{waiting!r} is not true or false")
    return Task(
        id=entry["id"].strip(), title=str(entry.get("title", entry["id"])),
        estimate_minutes=estimate, depth=Depth(depth),
        deadline=_deadline(entry.get("deadline"), zone, fail), priority=priority,
        min_block_minutes=min_block, progress=float(progress),
        last_touched=_day(entry.get("last_touched"), fail), waiting_on_me=waiting, source=where,
    )


def _deadline(value: Any, zone: tzinfo, fail: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):  # a bare date: the end of that day
        return datetime.combine(value, time(23, 59), tzinfo=zone)
    raise fail("deadline", f"{value!r} is not a date or time", "write e.g. 2026-03-26T17:00:00")


def _day(value: Any, fail: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise fail("last_touched", f"{value!r} is not a date", "write e.g. 2026-02-27")


def tasks_from_calendar(calendar: Any, source: str) -> tuple[list[Task], list[ReadWarning]]:
    """Open VTODOs of a parsed calendar as tasks; completed and cancelled ones are left out."""
    tasks: list[Task] = []
    problems: list[ReadWarning] = []
    for todo in calendar.walk("VTODO"):
        if "RECURRENCE-ID" in todo:
            continue
        uid = str(todo.get("UID", ""))
        status = str(todo.get("STATUS", "")).upper()
        if status in ("COMPLETED", "CANCELLED") or "COMPLETED" in todo:
            continue
        estimate = _todo_estimate(todo)
        if estimate is None:
            estimate = TODO_ESTIMATE.default
            problems.append(ReadWarning(source, "VTODO has no estimate (DURATION or "
                                        f"X-MAKERTIME-ESTIMATE); {estimate} minutes assumed",
                                        uid))
        depth = str(todo.get("X-MAKERTIME-DEPTH", "deep")).lower()
        tasks.append(Task(
            id=uid or str(todo.get("SUMMARY", "todo")), title=str(todo.get("SUMMARY", uid)),
            estimate_minutes=estimate, depth=Depth.SHALLOW if depth == "shallow" else Depth.DEEP,
            deadline=_due(todo["DUE"].dt) if "DUE" in todo else None,
            priority=_priority(todo.get("PRIORITY")),
            min_block_minutes=parse_duration(str(todo.get("X-MAKERTIME-MIN-BLOCK", "x"))),
            progress=min(1.0, max(0.0, _int(todo.get("PERCENT-COMPLETE"), 0) / 100)),
            last_touched=_touched(todo),
            waiting_on_me=str(todo.get("X-MAKERTIME-WAITING-ON-ME", "")).upper() == "TRUE",
            source=source,
        ))
    return tasks, problems


def _todo_estimate(todo: Any) -> int | None:
    if "X-MAKERTIME-ESTIMATE" in todo:
        return parse_duration(str(todo["X-MAKERTIME-ESTIMATE"]))
    if "DURATION" in todo:
        return int(todo["DURATION"].dt.total_seconds() // 60)
    return None


def _priority(value: Any) -> int:
    """RFC 5545 PRIORITY 1 (highest) … 9 (lowest), 0 undefined → makertime's 1 … 5."""
    number = _int(value, 0)
    return 3 if not 1 <= number <= 9 else (1, 2, 2, 3, 3, 4, 4, 5, 5)[number - 1]


def _int(value: Any, default: int) -> int:
    found = re.match(r"\s*(\d+)", str(value)) if value is not None else None
    return int(found.group(1)) if found else default


def _due(value: date | datetime) -> datetime:
    """DUE as a deadline: as given, or the end of a DATE due day (naive: the person's zone)."""
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time(23, 59))


def _touched(todo: Any) -> date | None:
    for name in ("LAST-MODIFIED", "DTSTAMP"):
        if name in todo:
            value = todo[name].dt
            return value.date() if isinstance(value, datetime) else value
    return None
