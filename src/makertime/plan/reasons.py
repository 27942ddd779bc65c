"""Why each block sits where it does, in words a person can check against their calendar."""

from __future__ import annotations

from datetime import datetime, timedelta

from makertime.model import Commitment, Interval, format_minutes
from makertime.plan.layout import Side
from makertime.plan.problem import FINISH_LINE, Need, Problem, SyncSlot
from makertime.plan.result import BlockKind
from makertime.plan.runs import BarKind, Run


def when(problem: Problem, moment: datetime) -> str:
    """``Thu 26 Mar 12:00`` in the person's zone."""
    return moment.astimezone(problem.policy.timezone).strftime("%a %d %b %H:%M")


def clock(problem: Problem, moment: datetime) -> str:
    """``12:00`` in the person's zone."""
    return moment.astimezone(problem.policy.timezone).strftime("%H:%M")


def stretch(problem: Problem, span: Interval) -> str:
    """``Mon 09:45–12:45`` in the person's zone."""
    start = span.start.astimezone(problem.policy.timezone)
    return f"{start:%a} {clock(problem, span.start)}–{clock(problem, span.end)}"


def quoted(text: str) -> str:
    """A calendar or task title in quotes, shortened."""
    text = " ".join(text.split())
    return f"“{text[:57]}…”" if len(text) > 60 else f"“{text}”"


def _task_facts(problem: Problem, need: Need) -> str:
    facts = [f"priority {need.task.priority}"]
    if need.deadline is not None:
        facts.insert(0, f"due {when(problem, need.deadline)}")
    if need.overdue_since is not None:
        facts.insert(0, f"overdue: was due {when(problem, need.overdue_since)}, so it goes "
                        "first")
    if need.task.waiting_on_me:
        facts.append("someone is waiting on you")
    if need.task.progress >= FINISH_LINE:
        facts.append(f"{need.task.progress:.0%} done: finish-line boost")
    return "; ".join(facts)


def _edges(problem: Problem, run: Run) -> str:
    before = f"after {quoted(run.before.summary)}" if run.before else ""
    after = f"before {quoted(run.after.summary)}" if run.after else ""
    joined = " and ".join(part for part in (before, after) if part)
    return f" ({joined})" if joined else ""


def deep_reason(problem: Problem, run: Run, need: Need, span: Interval, *, number: int,
                count: int) -> str:
    """Why a deep block is here: its share of the task, the stretch and what was kept out."""
    of = f", block {number} of {count}" if count > 1 else ""
    text = (f"{format_minutes(span.minutes)} unbroken for {quoted(need.task.title)}{of} "
            f"({_task_facts(problem, need)}). Free stretch {stretch(problem, run.span)}"
            f"{_edges(problem, run)}")
    kept = sorted({_barred_words(problem, b.why, b.commitment) for b in run.barred})
    if kept:
        text += "; deep work kept out of " + ", ".join(kept)
    return text + "."


def shallow_reason(problem: Problem, run: Run, need: Need, span: Interval, side: Side) -> str:
    """Why a shallow block is here: a fragment, next to a commitment, or under partial attention."""
    title = quoted(need.task.title)
    facts = _task_facts(problem, need)
    length = format_minutes(span.minutes)
    if run.partial is not None:
        return (f"{length} of shallow work on {title} ({facts}) during "
                f"{quoted(run.partial.summary)}: partial attention admits shallow work only.")
    size = format_minutes(run.span.minutes)
    kind = "fragment" if run.size < problem.focus_size else "stretch"
    neighbour = run.before if side is Side.FRONT else run.after
    beside = f", next to {quoted(neighbour.summary)}" if neighbour else ""
    keep = ("so the long gaps stay whole" if kind == "fragment"
            else "at its edge, so the rest of it stays whole")
    return (f"{length} of shallow work on {title} ({facts}) in a {size} {kind} "
            f"{stretch(problem, run.span)}{beside}, {keep}.")


_NEAR_MINUTES = 60


def sync_reason(problem: Problem, run: Run, slot: SyncSlot, span: Interval, side: Side) -> str:
    """Why a sync window is here: near its preferred time and next to other sync work."""
    per_day = problem.policy.sync_windows.per_day
    text = f"Chat and email batched into one {format_minutes(span.minutes)} window"
    if slot.prefer is not None:
        off = abs(span.start - slot.prefer).total_seconds() / 60
        text += (f" near {clock(problem, slot.prefer)}" if off <= _NEAR_MINUTES else
                 f" (preferred {clock(problem, slot.prefer)}; moved to where it cuts no focus "
                 "block and leaves room for the deep work)")
    neighbour = run.partial or (run.before if side is Side.FRONT else run.after)
    if neighbour is not None:
        text += f", next to {quoted(neighbour.summary)}"
    return text + f" ({slot.index + 1} of {per_day} today); answer messages here, not in between."


def _barred_words(problem: Problem, why: BarKind, item: Commitment) -> str:
    if why is BarKind.REST:
        return (f"the {format_minutes(item.rest_before_minutes)} of rest before "
                f"{quoted(item.summary)} ({when(problem, item.span.start)})")
    if why is BarKind.RECOVERY:
        return (f"the {format_minutes(item.recover_after_minutes)} of recovery after "
                f"{quoted(item.summary)} (ended {when(problem, item.span.end)})")
    return (f"the {format_minutes(problem.policy.sync.buffer_after_minutes)} buffer after "
            f"{quoted(item.summary)}")


def marker_reason(problem: Problem, kind: BlockKind, item: Commitment) -> str:
    """Why a rest or recovery marker is here."""
    if kind is BlockKind.REST:
        return (f"No deep work: {format_minutes(item.rest_before_minutes)} of rest before "
                f"{quoted(item.summary)} ({when(problem, item.span.start)}). Shallow work and "
                "breaks only.")
    end = item.span.end + timedelta(minutes=item.recover_after_minutes)
    return (f"No deep work: recovering from {quoted(item.summary)} (ended "
            f"{when(problem, item.span.end)}) until {when(problem, end)}.")
