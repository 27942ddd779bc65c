"""When it cannot all fit: the capacity check before solving, and per task the reason in numbers.

Both count the same things the model does — runs before a deadline, the part of them where deep
work is allowed, blocks at least the task's minimum, the daily deep cap — so the numbers a person
reads are the ones that decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from makertime.model import Interval, format_minutes
from makertime.plan.problem import GRAIN, Need, Problem, Run, units
from makertime.plan.reasons import quoted, stretch, when
from makertime.plan.result import Block, Unscheduled

_SHOWN = 4  # windows listed in a reason before "and N more"


def _window(run: Run, need: Need) -> Interval | None:
    """Where ``need`` may go in ``run`` (the deep piece for deep work), cut at its deadline."""
    span = run.deep if need.deep else run.span
    if span is None:
        return None
    end = span.end if need.deadline is None else min(span.end, need.deadline)
    if end <= span.start:
        return None
    if (end - span.start).total_seconds() // 60 < need.min_size * GRAIN:
        return None
    return Interval(span.start, end)


def windows(problem: Problem, need: Need) -> list[Interval]:
    """Every stretch where a block of ``need`` could go, before its deadline."""
    found = []
    for run in problem.runs:
        if need.deep and run.deep is None:
            continue
        span = _window(run, need)
        if span is not None:
            found.append(span)
    return found


def capacity_minutes(problem: Problem, need: Need,
                     found: Sequence[Interval] | None = None) -> int:
    """Minutes those windows (``found``, when already known) hold; deep: no more than the daily
    cap per day."""
    found = windows(problem, need) if found is None else found
    if not need.deep:
        return sum(w.minutes for w in found)
    per_day: dict[object, int] = {}
    zone = problem.policy.timezone
    for span in found:
        day = span.start.astimezone(zone).date()
        per_day[day] = per_day.get(day, 0) + span.minutes
    cap = problem.policy.focus.max_deep_minutes_per_day
    return sum(min(cap, minutes) for minutes in per_day.values())


def _by(problem: Problem, need: Need) -> str:
    if need.deadline is None:
        return f" by {problem.period.last:%a %d %b} (the end of the period)"
    return f" before {when(problem, need.deadline)}"


def capacity_findings(problem: Problem) -> list[str]:
    """What cannot fit, found before solving: per task, per deadline and in total."""
    found: list[str] = []
    for need in problem.needs:
        room = capacity_minutes(problem, need)
        minutes = need.size * GRAIN
        if room < minutes:
            depth = "deep time" if need.deep else "time"
            found.append(f"{need.task.id}: needs {minutes} min of {depth}{_by(problem, need)}; "
                         f"{room} min exist")
    dated = sorted({n.deadline for n in problem.needs if n.deadline is not None})
    for deadline in dated:
        due = [n for n in problem.needs if n.deadline is not None and n.deadline <= deadline]
        needed = sum(n.size for n in due) * GRAIN
        free = sum(part.minutes for r in problem.runs
                   if (part := r.span.clip(Interval(r.span.start, deadline))) is not None)
        if needed > free and len(due) > 1:
            found.append(f"tasks due by {when(problem, deadline)} need {needed} min together; "
                         f"{free} min are free before then")
    needed = sum(n.size for n in problem.needs) * GRAIN
    free = sum(r.span.minutes for r in problem.runs)
    if needed > free:
        found.append(f"all tasks need {format_minutes(needed)}; the period has "
                     f"{format_minutes(free)} free in its work windows")
    return found


def unscheduled(problem: Problem, blocks: Sequence[Block]) -> list[Unscheduled]:
    """Every task minute not placed, with the reason in numbers (and tasks left out before)."""
    placed: dict[str, int] = {}
    for block in blocks:
        if block.task is not None and block.kind.is_work:
            placed[block.task] = placed.get(block.task, 0) + block.minutes
    # minutes are on the planner's grain: a 20-minute estimate is a 30-minute block, placed or not
    left = [Unscheduled(task.id, units(task.estimate_minutes) * GRAIN, reason)
            for task, reason in problem.skipped]
    for need in problem.needs:
        missing = need.size * GRAIN - placed.get(need.task.id, 0)
        if missing > 0:
            left.append(Unscheduled(need.task.id, missing, reason(problem, need, blocks,
                                                                 missing)))
    return left


def reason(problem: Problem, need: Need, blocks: Sequence[Block], missing: int) -> str:
    """``needs 240 min of deep time before Tue 17:00; 180 min exist: Mon 09:45–12:45; …``."""
    minutes = need.size * GRAIN
    depth = "deep time" if need.deep else "time"
    found = windows(problem, need)
    room = capacity_minutes(problem, need, found)
    text = f"needs {minutes} min of {depth}{_by(problem, need)}"
    if need.deep:
        text += f" in blocks of at least {need.min_size * GRAIN} min"
    text += f"; {room} min exist"
    if found:
        shown = ", ".join(stretch(problem, w) for w in found[:_SHOWN])
        more = f" and {len(found) - _SHOWN} more" if len(found) > _SHOWN else ""
        text += f": {shown}{more}"
    rest = _the_rest(problem, need, found, blocks, room)
    if rest:
        text += f"; {rest}"
    return text + f"; {missing} min left unplaced"


def _the_rest(problem: Problem, need: Need, found: Sequence[Interval],
              blocks: Sequence[Block], room: int) -> str:
    """What took the time: other tasks' blocks in those windows, and what kept deep work out."""
    parts: list[str] = []
    others: dict[str, int] = {}
    for block in blocks:
        if block.kind.is_work and block.task != need.task.id:
            for span in found:
                part = block.span.clip(span)
                if part is not None:
                    name = block.task or "sync windows"
                    others[name] = others.get(name, 0) + part.minutes
    if others:
        used = ", ".join(f"{name} {format_minutes(m)}" for name, m in
                         sorted(others.items(), key=lambda item: -item[1]))
        parts.append(f"in use by {used}")
    if need.deep:
        kept = _barred_before(problem, need.deadline)
        if kept:
            parts.append("the rest is " + ", ".join(kept))
        if room < sum(w.minutes for w in found):  # the daily cap cut the room
            parts.append(f"no more than {problem.policy.focus.max_deep_minutes_per_day} min of "
                         "deep work a day")
    return "; ".join(parts)


def _barred_before(problem: Problem, deadline: datetime | None) -> list[str]:
    """Minutes of free runs kept from deep work, by cause, before ``deadline``."""
    causes: dict[str, int] = {}
    for run in problem.runs:
        if deadline is not None and run.span.start >= deadline:
            break
        if run.partial is not None:
            key = f"under {quoted(run.partial.summary)} (shallow only)"
            causes[key] = causes.get(key, 0) + run.span.minutes
            continue
        for barred in run.barred:
            part = barred.span.clip(run.span)
            if part is None:
                continue
            name = {"rest": "rest before", "recovery": "recovery after",
                    "buffer": "buffer after"}[barred.why]
            key = f"{name} {quoted(barred.commitment.summary)}"
            causes[key] = causes.get(key, 0) + part.minutes
    ordered = sorted(causes.items(), key=lambda item: -item[1])
    return [f"{format_minutes(m)} {name}" for name, m in ordered[:_SHOWN]]
