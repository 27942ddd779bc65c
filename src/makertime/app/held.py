"""What an earlier saved plan already holds for each task, for the ledger of the next plan:
work done in its past blocks (taken off the estimate as worked) and the future minutes of its
blocks a fresh plan carries (outside the new period, or moved there by the person)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from makertime.model import Interval, Task
from makertime.plan.replan import held_minutes
from makertime.plan.result import Block, Held
from makertime.store import TaskState


def held_by_earlier(listed: Sequence[TaskState], left: Sequence[Task], earlier: Sequence[Block],
                    carried: Sequence[Block], now: datetime) -> dict[str, Held]:
    """Per task: the minutes ``remaining`` counted as worked (with the earlier blocks before
    ``now`` where they were done) and the minutes ``carried`` blocks hold from ``now`` on."""
    given = {state.task.id: state.task.estimate_minutes for state in listed}
    since = {state.task.id: state.estimate_at for state in listed}
    future = held_minutes(carried, now)
    held: dict[str, Held] = {}
    for task in left:
        if task.id not in given:
            continue
        worked = max(0, given[task.id] - task.estimate_minutes)
        ahead = future.get(task.id, 0)
        if not worked and not ahead:
            continue
        spans: list[Interval] = []
        for block in (*earlier, *carried):
            if block.task != task.id or not block.kind.is_work:
                continue
            if worked and block.span.start < now and block.span.end > since[task.id]:
                spans.append(Interval(block.span.start, min(block.span.end, now)))
            if ahead and block in carried and block.span.end > now:
                spans.append(Interval(max(block.span.start, now), block.span.end))
        held[task.id] = Held(worked + ahead, tuple(sorted(set(spans))))
    return held
