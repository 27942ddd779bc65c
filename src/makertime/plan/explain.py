"""When it cannot all fit: the capacity check before solving, and per task the reason in numbers.

Both count the same things the model does — runs before a deadline, the part of them where deep
work is allowed, blocks at least the task's minimum, the daily deep cap — so the numbers a person
reads are the ones that decided.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from makertime.audit import day_bounds, work_window
from makertime.model import Interval, format_minutes
from makertime.plan.problem import Need, Problem
from makertime.plan.reasons import quoted, stretch, when
from makertime.plan.result import Block, Unscheduled
from makertime.plan.runs import GRAIN, BarKind, Run

_SHOWN = 4  # windows listed in a reason before "and N more"
MAX_DAYS_AFTER = 366  # work days counted after the period, at most


def _piece(run: Run, need: Need) -> Interval | None:
    """Where ``need`` may go in ``run`` (the deep piece for deep work), cut at its deadline."""
    span = run.deep if need.deep else run.span
    if span is None:
        return None
    end = span.end if need.deadline is None else min(span.end, need.deadline)
    return Interval(span.start, end) if end > span.start else None


def _window(run: Run, need: Need) -> Interval | None:
    """``_piece``, when it holds at least the task's minimum block."""
    span = _piece(run, need)
    if span is None or span.minutes < need.min_size * GRAIN:
        return None
    return span


def windows(problem: Problem, need: Need) -> list[Interval]:
    """Every stretch where a block of ``need`` could go, before its deadline."""
    return [span for run in problem.runs if (span := _window(run, need)) is not None]


def too_short(problem: Problem, need: Need) -> int:
    """Minutes before the deadline in stretches shorter than the task's minimum block."""
    least = need.min_size * GRAIN
    return sum(span.minutes for run in problem.runs
               if (span := _piece(run, need)) is not None and span.minutes < least)


def _capped(problem: Problem, spans: Iterable[Interval]) -> int:
    """Minutes of ``spans``, no more than the daily deep cap per local date."""
    per_day: dict[date, int] = {}
    zone = problem.policy.timezone
    for span in spans:
        day = span.start.astimezone(zone).date()
        per_day[day] = per_day.get(day, 0) + span.minutes
    cap = problem.policy.focus.max_deep_minutes_per_day
    return sum(min(cap, minutes) for minutes in per_day.values())


def capacity_minutes(problem: Problem, need: Need,
                     found: Sequence[Interval] | None = None) -> int:
    """Minutes those windows (``found``, when already known) hold; deep: no more than the daily
    cap per day."""
    found = windows(problem, need) if found is None else found
    return _capped(problem, found) if need.deep else sum(w.minutes for w in found)


def after_period(problem: Problem, deadline: datetime | None, *, deep: bool = False) -> int:
    """Work-window minutes between the end of the period and ``deadline`` (0 without one): time
    the deadline leaves that this plan does not cover. Its commitments were not read, so this
    counts the work windows whole, less the policy's days off (deep: within the daily cap)."""
    period_end = day_bounds(problem.period.last, problem.policy).end
    if deadline is None or deadline <= period_end:
        return 0
    spans = []
    for offset in range(1, MAX_DAYS_AFTER + 1):  # a deadline years away: a year says enough
        day = problem.period.last + timedelta(days=offset)
        window = work_window(day, problem.policy)
        if window is None or problem.policy.work.day_off(day):
            continue
        if window.start >= deadline:
            break
        spans.append(Interval(window.start, min(window.end, deadline)))
    return _capped(problem, spans) if deep else sum(span.minutes for span in spans)


def _by(problem: Problem, need: Need) -> str:
    if need.overdue_since is not None:
        return (f" by {problem.period.last:%a %d %b} (the end of the period; it was due "
                f"{when(problem, need.overdue_since)})")
    if need.deadline is None:
        return f" by {problem.period.last:%a %d %b} (the end of the period)"
    return f" before {when(problem, need.deadline)}"


def _task_capacity(problem: Problem, need: Need) -> str | None:
    """The capacity finding for one task, or None when its time exists."""
    room = capacity_minutes(problem, need)
    minutes = need.size * GRAIN
    if room >= minutes:
        return None
    depth = "deep time" if need.deep else "time"
    later = after_period(problem, need.deadline, deep=need.deep)
    head = f"{need.task.id}: needs {minutes} min of {depth}{_by(problem, need)}"
    if not later:
        return f"{head}; {room} min exist"
    if room + later < minutes:
        return (f"{head}; {room + later} min exist: {room} in this period and {later} in the "
                "work windows after it, up to the deadline")
    return (f"{head}; this period holds {room} min of it, and the work windows after it hold "
            f"{later} more before the deadline (plan up to the deadline to use them)")


def capacity_findings(problem: Problem) -> list[str]:
    """What cannot fit, found before solving: per task, per deadline and in total; a deadline
    after the period counts the work windows up to it too."""
    found = [finding for need in problem.needs
             if (finding := _task_capacity(problem, need)) is not None]
    dated = sorted({n.deadline for n in problem.needs if n.deadline is not None})
    for deadline in dated:
        due = [n for n in problem.needs if n.deadline is not None and n.deadline <= deadline]
        needed = sum(n.size for n in due) * GRAIN
        inside = sum(part.minutes for r in problem.runs
                     if (part := r.span.clip(Interval(r.span.start, deadline))) is not None)
        later = after_period(problem, deadline)
        if needed > inside + later and len(due) > 1:
            where = f" ({inside} in this period, {later} after it)" if later else ""
            found.append(f"tasks due by {when(problem, deadline)} need {needed} min together; "
                         f"{inside + later} min are free before then{where}")
    needed = sum(n.size for n in problem.needs) * GRAIN
    free = sum(r.span.minutes for r in problem.runs)
    if needed > free:
        found.append(f"all tasks need {format_minutes(needed)}; the period has "
                     f"{format_minutes(free)} free in its work windows")
    return found


def unscheduled(problem: Problem, blocks: Sequence[Block]) -> list[Unscheduled]:
    """Every task minute not placed, with the reason in numbers."""
    placed: dict[str, int] = {}
    for block in blocks:
        if block.task is not None and block.kind.is_work:
            placed[block.task] = placed.get(block.task, 0) + block.minutes
    # minutes are on the planner's grain: a 20-minute estimate is a 30-minute block, placed or not
    left: list[Unscheduled] = []
    for need in problem.needs:
        missing = need.size * GRAIN - placed.get(need.task.id, 0)
        if missing > 0:
            left.append(Unscheduled(need.task.id, missing, reason(problem, need, blocks,
                                                                 missing)))
    return left


def _listed(problem: Problem, found: Sequence[Interval]) -> str:
    """The stretches with their minutes; past ``_SHOWN``, the rest summed, so the parts add up
    to the total they stand for."""
    shown = ", ".join(f"{stretch(problem, w)} ({w.minutes})" for w in found[:_SHOWN])
    rest = found[_SHOWN:]
    if rest:
        shown += f" and {len(rest)} more ({sum(w.minutes for w in rest)} min)"
    return shown


def reason(problem: Problem, need: Need, blocks: Sequence[Block], missing: int) -> str:
    """``needs 240 min of deep time before Tue 17:00; 180 min exist: Mon 09:45–12:45 (180); …``.

    The stretches listed add up to the minutes said to exist; when the daily deep cap or the
    minimum block takes some of them away, that is said with its own number."""
    minutes = need.size * GRAIN
    depth = "deep time" if need.deep else "time"
    found = windows(problem, need)
    total = sum(w.minutes for w in found)
    room = capacity_minutes(problem, need, found)
    text = f"needs {minutes} min of {depth}{_by(problem, need)}"
    if need.deep or need.min_size > 1:
        text += f" in blocks of at least {need.min_size * GRAIN} min"
    text += f"; {total} min exist"
    if found:
        text += f": {_listed(problem, found)}"
    if room < total:  # the daily cap cut the room
        text += (f"; no more than {problem.policy.focus.max_deep_minutes_per_day} min of deep "
                 f"work a day leaves {room} min of them")
    short = too_short(problem, need)
    if short:
        text += (f"; {short} min more lie in stretches shorter than the "
                 f"{need.min_size * GRAIN} min minimum block")
    later = after_period(problem, need.deadline, deep=need.deep)
    if later:
        text += (f"; {later} min of work windows after the period, before the deadline, are "
                 "not planned here")
    rest = _the_rest(problem, need, found, blocks)
    if rest:
        text += f"; {rest}"
    return text + f"; {missing} min left unplaced"


def _the_rest(problem: Problem, need: Need, found: Sequence[Interval],
              blocks: Sequence[Block]) -> str:
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
            name = {BarKind.REST: "rest before", BarKind.RECOVERY: "recovery after",
                    BarKind.BUFFER: "buffer after"}[barred.why]
            key = f"{name} {quoted(barred.commitment.summary)}"
            causes[key] = causes.get(key, 0) + part.minutes
    ordered = sorted(causes.items(), key=lambda item: -item[1])
    return [f"{format_minutes(m)} {name}" for name, m in ordered[:_SHOWN]]
