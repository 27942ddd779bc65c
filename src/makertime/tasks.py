"""Tasks from tasks.toml and from VTODO components (never busy time, always tasks).

Both are bounded (``limits.py``): an id is 1 to 255 characters of a documented set, an estimate
and a minimum block at most 1,000 hours, a deadline within the calendar years. tasks.toml is the
person's own file: past a bound it is refused with one line. A VTODO comes from a calendar anyone
may share: past a bound it is skipped (or its DUE ignored) with a warning naming its UID.

``task_from_fields`` checks the fields of one [[task]] table: a task added through makertime
(``app.task_edits``) is checked by it too, with the same messages. A deadline or date may be
written as ISO 8601 text as well ("2026-03-26T17:00:00"), as a form sends it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import Any

from makertime.defaults import TODO_ESTIMATE
from makertime.errors import SkippedTask, TasksError
from makertime.limits import limit
from makertime.model import (
    OUTSIDE_YEARS,
    YEARS,
    Depth,
    ReadWarning,
    Task,
    format_minutes,
    parse_duration,
)
from makertime.text import ID_CHARACTERS, clean, is_id
from makertime.tomlfile import load_toml

_FIELDS = ("id", "title", "estimate", "depth", "deadline", "priority", "min_block", "progress",
           "last_touched", "waiting_on_me")


def load_tasks(path: Path, zone: tzinfo) -> list[Task]:
    """Read tasks.toml; deadlines without an offset are local times of ``zone``."""
    where = str(path)
    data = load_toml(path, TasksError, "tasks.toml", most=limit("tasks.file_bytes"))
    entries = data.get("task", [])
    if not isinstance(entries, list) or set(data) - {"task"}:
        raise TasksError(where, "expected only [[task]] tables", "see tasks.toml in the README")
    most = limit("tasks.count")
    if len(entries) > most:
        raise TasksError(where, f"holds {len(entries):,} tasks, more than the {most:,} one plan "
                         "takes", "keep the open tasks of the coming weeks in it")
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
    return task_from_fields(where, entry, zone, index=index)


def task_from_fields(where: str, entry: Mapping[str, object], zone: tzinfo, *,
                     index: int = 1) -> Task:
    """The task the keys of one [[task]] table describe, checked and bounded as tasks.toml is
    (a TasksError from ``where`` naming the task and field); deadlines without an offset are
    local times of ``zone``. A task without an id is named by its ``index``."""
    given = entry.get("id")
    name = clean(given, chars=60) if isinstance(given, str) else f"#{index}"

    def fail(field: str, problem: str, fix: str = "") -> TasksError:
        return TasksError(where, f"task {name!r}: {field} {problem}", fix)

    for key in entry:
        if key not in _FIELDS:
            raise fail(clean(str(key), chars=60), "is not a task field",
                       "allowed: " + ", ".join(_FIELDS))
    if not isinstance(given, str) or not given.strip():
        raise fail("id", "is missing", 'give every task an id, e.g. id = "pr-42"')
    if not is_id(given.strip()):
        raise fail("id", f"is not 1 to {limit('tasks.id_chars')} characters of {ID_CHARACTERS}",
                   'write e.g. id = "pr-42"')
    if "estimate" not in entry:
        raise fail("estimate", "is missing", 'write e.g. estimate = "1h30m"')
    estimate = _minutes(entry["estimate"], "estimate", fail, 'write e.g. "2h" or "1h30m"')
    min_block = None
    if "min_block" in entry:
        min_block = _minutes(entry["min_block"], "min_block", fail, 'write e.g. "30m"')
    depth = entry.get("depth", "deep")
    if depth not in ("deep", "shallow"):
        raise fail("depth", f"{_shown(depth)} is not allowed", 'use "deep" or "shallow"')
    title = entry.get("title", given)
    if not isinstance(title, str):
        raise fail("title", f"{_shown(title)} is not text", 'write e.g. title = "Review PR #42"')
    priority = entry.get("priority", 3)
    if isinstance(priority, bool) or not isinstance(priority, int) or not 1 <= priority <= 5:
        raise fail("priority", f"{_shown(priority)} is not allowed",
                   "use 1 (highest) … 5 (lowest)")
    progress = entry.get("progress", 0.0)
    if (isinstance(progress, bool) or not isinstance(progress, int | float)
            or not 0 <= progress <= 1):
        raise fail("progress", f"{_shown(progress)} is not a fraction", "use 0..1, e.g. 0.6")
    waiting = entry.get("waiting_on_me", False)
    if not isinstance(waiting, bool):
        raise fail("waiting_on_me", f"{_shown(waiting)} is not true or false")
    return Task(
        id=given.strip(), title=clean(title) or given.strip(),
        estimate_minutes=estimate, depth=Depth(depth),
        deadline=_deadline(entry.get("deadline"), zone, fail), priority=priority,
        min_block_minutes=min_block, progress=float(progress),
        last_touched=_day(entry.get("last_touched"), fail), waiting_on_me=waiting, source=where,
    )


def _shown(value: object) -> str:
    """A value as a message quotes it: repr (control characters escaped), and not too long."""
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _minutes(value: object, field: str, fail: Any, fix: str) -> int:
    """A duration of tasks.toml in minutes, at most ``tasks.estimate_minutes``."""
    minutes = parse_duration(value) if isinstance(value, str | int) else None
    if minutes is None:
        raise fail(field, f"{_shown(value)} is not a duration", fix)
    most = limit("tasks.estimate_minutes")
    if minutes > most:
        raise fail(field, f"{_shown(value)} is more than {format_minutes(most)}",
                   "split a task this large into tasks of what comes next")
    return minutes


def _deadline(value: Any, zone: tzinfo, fail: Any) -> datetime | None:
    value = _from_text(value)
    if value is None:
        return None
    if isinstance(value, date) and value.year not in YEARS:
        raise fail("deadline", f"{value} {OUTSIDE_YEARS}",
                   "write e.g. 2026-03-26T17:00:00")
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):  # a bare date: the end of that day
        return datetime.combine(value, time(23, 59), tzinfo=zone)
    raise fail("deadline", f"{_shown(value)} is not a date or time",
               "write e.g. 2026-03-26T17:00:00")


def _day(value: Any, fail: Any) -> date | None:
    value = _from_text(value)
    if value is None:
        return None
    if isinstance(value, date) and value.year not in YEARS:
        raise fail("last_touched", f"{value} {OUTSIDE_YEARS}",
                   "write e.g. 2026-02-27")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise fail("last_touched", f"{_shown(value)} is not a date", "write e.g. 2026-02-27")


def _from_text(value: object) -> object:
    """An ISO 8601 date or date and time written as text (quoted in TOML, or a form's field) as
    the date or datetime TOML reads unquoted; anything else as it is."""
    if not isinstance(value, str) or len(value) > 40:
        return value
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            return parse(value.strip())
        except ValueError:
            continue
    return value


def tasks_from_calendar(calendar: Any, source: str) -> tuple[list[Task], list[ReadWarning]]:
    """Open VTODOs of a parsed calendar as tasks; completed and cancelled ones are left out, and
    one past a bound is skipped with a warning naming its UID."""
    tasks: list[Task] = []
    problems: list[ReadWarning] = []
    for todo in calendar.walk("VTODO"):
        if "RECURRENCE-ID" in todo:
            continue
        status = str(todo.get("STATUS", "")).upper()
        if status in ("COMPLETED", "CANCELLED") or "COMPLETED" in todo:
            continue
        try:
            tasks.append(_todo_task(todo, source, problems))
        except SkippedTask as skipped:
            problems.append(ReadWarning(source, f"VTODO skipped: {skipped}", skipped.uid))
        except Exception as failure:  # noqa: BLE001 - a property icalendar gives in a shape
            # the task fields cannot take (a DUE given twice is a list): only this VTODO is lost
            problems.append(ReadWarning(source, "VTODO skipped: it cannot be read as a task "
                                        f"({type(failure).__name__})",
                                        clean(str(todo.get("UID", "")), chars=80)))
    return tasks, problems


def _todo_task(todo: Any, source: str, problems: list[ReadWarning]) -> Task:
    """One open VTODO as a Task (``SkippedTask`` when it is past a bound)."""
    raw = str(todo.get("UID", ""))
    uid = clean(raw, chars=80)
    summary = clean(str(todo.get("SUMMARY", "")))
    task_id = raw if raw else _summary_id(summary)
    if not is_id(task_id):
        raise SkippedTask(uid, f"its UID is not 1 to {limit('tasks.id_chars')} characters of "
                       f"{ID_CHARACTERS}, which a task id must be")
    estimate = _todo_minutes(todo, uid)
    if estimate is None:
        estimate = TODO_ESTIMATE.default
        problems.append(ReadWarning(source, "VTODO has no estimate (DURATION or "
                                    f"X-MAKERTIME-ESTIMATE); {estimate} minutes assumed", uid))
    depth = str(todo.get("X-MAKERTIME-DEPTH", "deep")).lower()
    return Task(
        id=task_id, title=summary or task_id,
        estimate_minutes=estimate, depth=Depth.SHALLOW if depth == "shallow" else Depth.DEEP,
        deadline=_todo_due(todo, uid, source, problems),
        priority=_priority(todo.get("PRIORITY")),
        min_block_minutes=_todo_duration(str(todo.get("X-MAKERTIME-MIN-BLOCK", "x")), uid,
                                         "X-MAKERTIME-MIN-BLOCK"),
        progress=min(1.0, max(0.0, _int(todo.get("PERCENT-COMPLETE"), 0) / 100)),
        last_touched=_touched(todo),
        waiting_on_me=str(todo.get("X-MAKERTIME-WAITING-ON-ME", "")).upper() == "TRUE",
        source=source,
    )


def _summary_id(summary: str) -> str:
    """An id for a VTODO without a UID (RFC 5545 requires one): the same for the same title."""
    return "todo-" + hashlib.sha256(summary.encode()).hexdigest()[:16]


def _todo_minutes(todo: Any, uid: str) -> int | None:
    """The VTODO's estimate: X-MAKERTIME-ESTIMATE, else DURATION; None when it gives none."""
    if "X-MAKERTIME-ESTIMATE" in todo:
        return _todo_duration(str(todo["X-MAKERTIME-ESTIMATE"]), uid, "X-MAKERTIME-ESTIMATE")
    if "DURATION" in todo:
        minutes = int(todo["DURATION"].dt.total_seconds() // 60)
        if minutes < 0:
            raise SkippedTask(uid, "its DURATION is negative")
        return _bounded(minutes, uid, "DURATION")
    return None


def _todo_duration(text: str, uid: str, name: str) -> int | None:
    """A makertime duration property of a VTODO ("2h30m"); None when it is not one."""
    minutes = parse_duration(text)
    return None if minutes is None else _bounded(minutes, uid, name)


def _bounded(minutes: int, uid: str, name: str) -> int:
    most = limit("tasks.estimate_minutes")
    if minutes > most:
        raise SkippedTask(uid, f"its {name} of {format_minutes(minutes)} is more than "
                       f"{format_minutes(most)}")
    return minutes


def _todo_due(todo: Any, uid: str, source: str, problems: list[ReadWarning]) -> datetime | None:
    """DUE as a deadline; one outside the calendar years is ignored with a warning."""
    if "DUE" not in todo:
        return None
    value = todo["DUE"].dt
    if value.year not in YEARS:
        problems.append(ReadWarning(source, f"DUE {value.year} {OUTSIDE_YEARS}; read without a "
                                    "deadline", uid))
        return None
    return _due(value)


def _priority(value: Any) -> int:
    """RFC 5545 PRIORITY 1 (highest) … 9 (lowest), 0 undefined → makertime's 1 … 5."""
    number = _int(value, 0)
    return 3 if not 1 <= number <= 9 else (1, 2, 2, 3, 3, 4, 4, 5, 5)[number - 1]


def _int(value: Any, default: int) -> int:
    # a few digits at most: int() of thousands of digits is slow, and refused past 4,300
    found = re.match(r"\s*(\d{1,9})(?!\d)", str(value)) if value is not None else None
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
