"""An independent checker of the hard rules every plan must hold, from the inputs alone.

It never calls planner code: the work windows, the grain, the minimum blocks and the rounding of
estimates are worked out again here from the policy, the tasks and the commitments, so that a
planner bug cannot hide behind a helper the planner shares. Each rule is one function returning
violation strings that start with ``rule N:``; ``check_plan`` runs them all.

The rules (numbered as in the tests):

1. work blocks (deep, shallow, sync-window) lie inside a work window of a work day of the period
   that is no day off (``work.days_off``, a public holiday of ``work.holidays``), on the
   15-minute grid of the local clock, and are not empty;
2. work blocks never overlap each other;
3. no work block overlaps a full-attention commitment or away (``off``) time, and no deep block
   a partial one;
4. deep/shallow blocks belong to a task of that depth, are at least its minimum block (never more
   than its whole rounded estimate) and end by its deadline — unless that deadline had passed
   when the plan starts (``now``, else the period's first midnight): an overdue task has none
   to meet, and its blocks' reasons say it is overdue;
5. per task, placed minutes ≤ the estimate rounded up to the grain, and placed + unscheduled ==
   that rounded estimate; tasks with nothing left to do appear nowhere;
6. deep minutes per local date ≤ ``focus.max_deep_minutes_per_day``;
7. no deep block inside a commitment's rest-before or recover-after window;
8. no deep block inside ``sync.buffer_after_minutes`` after a full or partial commitment (away
   time and transparent items ask for no buffer);
9. no work block starts before ``now``;
10. at most ``sync_windows.per_day`` sync windows per local date, each exactly
    ``sync_windows.minutes`` long;
11. the ledger holds every open task exactly once and nothing else, with ``needed = placed +
    held + unscheduled``; for a plan made from the tasks alone (no earlier plan), placed is the
    task's block minutes, held 0, unscheduled its unscheduled minutes (so, with rule 5, needed
    is the rounded estimate), and ``overdue`` says whether its deadline had passed when the
    plan starts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo

import holidays

from makertime.model import Attention, Commitment, Depth, Interval, Period, Task
from makertime.plan.result import Block, BlockKind, LedgerEntry, PlanResult, Unscheduled
from makertime.policy import Policy

GRAIN = 15  # minutes: the plan's grid on the local clock
SHALLOW_MIN_BLOCK = 15  # a shallow task without its own min_block may go in one grain
WORK_KINDS = (BlockKind.DEEP, BlockKind.SHALLOW, BlockKind.SYNC_WINDOW)
TASK_KINDS = {BlockKind.DEEP: Depth.DEEP, BlockKind.SHALLOW: Depth.SHALLOW}


def check_plan(result: PlanResult, found: Sequence[Commitment], tasks: Sequence[Task],
               policy: Policy, period: Period, *, now: datetime | None = None) -> list[str]:
    """Every hard-rule violation of ``result`` for these inputs (empty when the plan holds)."""
    work = work_blocks(result.blocks)
    start = plan_start(policy, period, now)
    return [
        *check_windows(work, policy, period),
        *check_no_overlap(work, policy),
        *check_attention(work, found, policy),
        *check_task_blocks(work, tasks, policy, start),
        *check_minutes(work, result.unscheduled, tasks, policy),
        *check_daily_deep(work, policy),
        *check_rest_and_recovery(work, found, policy),
        *check_buffer(work, found, policy),
        *check_now(work, now, policy),
        *check_sync_windows(work, policy),
        *check_ledger(result, tasks, policy, start),
    ]


def plan_start(policy: Policy, period: Period, now: datetime | None) -> datetime:
    """When the plan starts: ``now``, else local midnight of the period's first day."""
    if now is not None:
        return now
    return datetime.combine(period.first, datetime.min.time(), tzinfo=policy.timezone)


def overdue(task: Task, policy: Policy, start: datetime) -> bool:
    """Whether the task's deadline had passed when the plan starts."""
    deadline = deadline_of(task, policy)
    return deadline is not None and deadline <= start


def work_blocks(blocks: Iterable[Block]) -> list[Block]:
    """The blocks that take the person's time; rest and recovery are markers, never work."""
    return [b for b in blocks if b.kind in WORK_KINDS]


def rounded(minutes: int) -> int:
    """``minutes`` rounded up to the grain (an estimate of 50 minutes needs 60)."""
    return -(-minutes // GRAIN) * GRAIN


def active(task: Task) -> bool:
    """Whether a task still asks for time; others must appear nowhere in the plan."""
    return rounded(task.estimate_minutes) > 0 and task.progress < 1


def is_day_off(day: date, policy: Policy) -> bool:
    """A date of ``work.days_off`` or a public holiday of ``work.holidays``, asked of the holidays
    library directly (not through makertime)."""
    if day in policy.work.days_off:
        return True
    if not policy.work.holidays:
        return False
    country, _, subdivision = policy.work.holidays.partition("-")
    return day in holidays.country_holidays(country, subdiv=subdivision or None, years=day.year)


def window_of(day: date, policy: Policy) -> Interval | None:
    """``day``'s work window in UTC, or None on a day off (worked out here, not imported)."""
    if day.weekday() not in policy.work.days or is_day_off(day, policy):
        return None
    zone = policy.timezone
    start = datetime.combine(day, policy.work.start, tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day, policy.work.end, tzinfo=zone).astimezone(UTC)
    return Interval(start, end)


def local(moment: datetime, zone: tzinfo) -> datetime:
    """``moment`` on the person's clock."""
    return moment.astimezone(zone)


def describe(block: Block, zone: tzinfo) -> str:
    """``deep 'design-doc' Mon 2026-03-23 10:00-12:00`` (local times)."""
    start, end = local(block.span.start, zone), local(block.span.end, zone)
    task = f" {block.task!r}" if block.task else ""
    return f"{block.kind.value}{task} {start:%a %Y-%m-%d %H:%M}-{end:%H:%M}"


def what(item: Commitment, zone: tzinfo) -> str:
    """``full commitment 'standup' Mon 2026-03-23 09:30-09:45`` (local times)."""
    start, end = local(item.span.start, zone), local(item.span.end, zone)
    return (f"{item.attention.value} commitment {item.summary!r} "
            f"{start:%a %Y-%m-%d %H:%M}-{end:%a %H:%M}")


def overlaps(one: Interval, other: Interval) -> bool:
    """Whether two half-open spans share any time."""
    return one.start < other.end and other.start < one.end


def check_windows(work: Sequence[Block], policy: Policy, period: Period) -> list[str]:
    """Rule 1: inside a work window of a work day of the period, on the local grid, not empty."""
    zone, found = policy.timezone, []
    for block in work:
        name = describe(block, zone)
        if block.span.end <= block.span.start:
            found.append(f"rule 1: {name} is empty or reversed")
            continue
        day = local(block.span.start, zone).date()
        if not period.first <= day <= period.last:
            found.append(f"rule 1: {name} is outside the period {period.first}..{period.last}")
        window = window_of(day, policy)
        if window is None:
            found.append(f"rule 1: {name} is on a day off")
        elif not (window.start <= block.span.start and block.span.end <= window.end):
            found.append(f"rule 1: {name} is outside the work window {policy.work.start:%H:%M}-"
                         f"{policy.work.end:%H:%M}")
        for moment in (block.span.start, block.span.end):
            clock = local(moment, zone)
            if clock.minute % GRAIN or clock.second or clock.microsecond:
                found.append(f"rule 1: {name} is off the {GRAIN}-minute grid at {clock:%H:%M:%S}")
                break
    return found


def check_no_overlap(work: Sequence[Block], policy: Policy) -> list[str]:
    """Rule 2: work blocks never overlap each other."""
    found = []
    ordered = sorted(work, key=lambda b: (b.span.start, b.span.end))
    latest: Block | None = None  # the block seen so far that ends last
    for block in ordered:
        if latest is not None and block.span.start < latest.span.end:
            found.append(f"rule 2: {describe(block, policy.timezone)} overlaps "
                         f"{describe(latest, policy.timezone)}")
        if latest is None or block.span.end > latest.span.end:
            latest = block
    return found


def check_attention(work: Sequence[Block], found: Sequence[Commitment],
                    policy: Policy) -> list[str]:
    """Rule 3: nothing over a full commitment or away time; nothing deep over a partial one."""
    zone, bad = policy.timezone, []
    for block in work:
        for item in found:
            if item.attention is Attention.NONE or not overlaps(block.span, item.span):
                continue
            if item.attention is not Attention.PARTIAL or block.kind is BlockKind.DEEP:
                bad.append(f"rule 3: {describe(block, zone)} overlaps {what(item, zone)}")
    return bad


def min_block(task: Task, policy: Policy) -> int:
    """The shortest block ``task`` may be given: its own minimum, else the policy's, but never
    more than its whole rounded estimate."""
    if task.min_block_minutes is not None:
        smallest = task.min_block_minutes
    elif task.depth is Depth.DEEP:
        smallest = policy.focus.min_block_minutes
    else:
        smallest = SHALLOW_MIN_BLOCK
    return min(smallest, rounded(task.estimate_minutes))


def deadline_of(task: Task, policy: Policy) -> datetime | None:
    """The task's deadline as an aware moment (a naive one is wall time in the policy zone)."""
    if task.deadline is None or task.deadline.tzinfo is not None:
        return task.deadline
    return task.deadline.replace(tzinfo=policy.timezone)


def check_task_blocks(work: Sequence[Block], tasks: Sequence[Task], policy: Policy,
                      start: datetime | None = None) -> list[str]:
    """Rule 4: a task of the block's depth, at least its minimum block, done by its deadline
    (an overdue task has none left to meet: its blocks say it is overdue)."""
    zone, found = policy.timezone, []
    by_id = {t.id: t for t in tasks}
    for block in work:
        depth = TASK_KINDS.get(block.kind)
        if depth is None:
            continue
        name = describe(block, zone)
        task = by_id.get(block.task or "")
        if task is None:
            found.append(f"rule 4: {name} names no given task")
            continue
        if task.depth is not depth:
            found.append(f"rule 4: {name} holds a {task.depth.value} task")
        smallest = min_block(task, policy)
        if block.span.minutes < smallest:
            found.append(f"rule 4: {name} is {block.span.minutes} min, under the task's minimum "
                         f"block of {smallest} min")
        deadline = deadline_of(task, policy)
        if start is not None and overdue(task, policy, start):
            if "overdue" not in block.reason:
                found.append(f"rule 4: {name} is for an overdue task but does not say so")
        elif deadline is not None and block.span.end > deadline:
            found.append(f"rule 4: {name} ends after the deadline "
                         f"{local(deadline, zone):%a %Y-%m-%d %H:%M}")
    return found


def check_minutes(work: Sequence[Block], unscheduled: Sequence[Unscheduled],
                  tasks: Sequence[Task], policy: Policy) -> list[str]:
    """Rule 5: placed ≤ rounded estimate and placed + unscheduled == rounded estimate."""
    found = []
    placed: dict[str, int] = defaultdict(int)
    for block in work:
        if block.kind in TASK_KINDS and block.task is not None:
            placed[block.task] += block.span.minutes
    missing: dict[str, int] = defaultdict(int)
    for item in unscheduled:
        missing[item.task] += item.minutes
        if item.minutes < 0:
            found.append(f"rule 5: task {item.task!r} has {item.minutes} unscheduled minutes")
    known = {t.id for t in tasks}
    for name in sorted(set(missing) - known):
        found.append(f"rule 5: unscheduled entry for {name!r}, which is no given task")
    for task in tasks:
        if not active(task):
            if placed.get(task.id) or task.id in missing:
                found.append(f"rule 5: task {task.id!r} has nothing left to do (estimate "
                             f"{task.estimate_minutes} min, progress {task.progress:g}) but "
                             "appears in the plan")
            continue
        need, got, left = rounded(task.estimate_minutes), placed[task.id], missing[task.id]
        if got > need:
            found.append(f"rule 5: task {task.id!r} has {got} min placed, more than its "
                         f"{need} min")
        if got + left != need:
            found.append(f"rule 5: task {task.id!r}: {got} placed + {left} unscheduled != "
                         f"{need} min")
    return found


def check_daily_deep(work: Sequence[Block], policy: Policy) -> list[str]:
    """Rule 6: deep minutes per local date within ``focus.max_deep_minutes_per_day``."""
    cap = policy.focus.max_deep_minutes_per_day
    per_day: dict[date, int] = defaultdict(int)
    for block in work:
        if block.kind is BlockKind.DEEP:
            per_day[local(block.span.start, policy.timezone).date()] += block.span.minutes
    return [f"rule 6: {day:%a %Y-%m-%d} has {minutes} deep minutes, over the cap of {cap}"
            for day, minutes in sorted(per_day.items()) if minutes > cap]


def _deep_inside(work: Sequence[Block], barred: Interval, why: str, policy: Policy,
                 rule: int) -> list[str]:
    """A violation per deep block that intersects ``barred``."""
    return [f"rule {rule}: {describe(b, policy.timezone)} is inside the {why}"
            for b in work if b.kind is BlockKind.DEEP and overlaps(b.span, barred)]


def check_rest_and_recovery(work: Sequence[Block], found: Sequence[Commitment],
                            policy: Policy) -> list[str]:
    """Rule 7: no deep block in the rest before or the recovery after a rule's commitment
    (whatever its attention, and wherever it lies: the windows reach across nights)."""
    zone, bad = policy.timezone, []
    for item in found:
        if item.rest_before_minutes > 0:
            rest = Interval(item.span.start - timedelta(minutes=item.rest_before_minutes),
                            item.span.start)
            bad += _deep_inside(work, rest, f"{item.rest_before_minutes} min rest before "
                                f"{what(item, zone)}", policy, 7)
        if item.recover_after_minutes > 0:
            recovery = Interval(item.span.end,
                                item.span.end + timedelta(minutes=item.recover_after_minutes))
            bad += _deep_inside(work, recovery, f"{item.recover_after_minutes} min recovery "
                                f"after {what(item, zone)}", policy, 7)
    return bad


def check_buffer(work: Sequence[Block], found: Sequence[Commitment], policy: Policy) -> list[str]:
    """Rule 8: no deep block within ``sync.buffer_after_minutes`` after a full or partial
    commitment ends."""
    minutes = policy.sync.buffer_after_minutes
    if minutes <= 0:
        return []
    bad = []
    for item in found:
        if item.attention not in (Attention.FULL, Attention.PARTIAL):
            continue
        buffer = Interval(item.span.end, item.span.end + timedelta(minutes=minutes))
        bad += _deep_inside(work, buffer, f"{minutes} min buffer after "
                            f"{what(item, policy.timezone)}", policy, 8)
    return bad


def check_now(work: Sequence[Block], now: datetime | None, policy: Policy) -> list[str]:
    """Rule 9: with ``now`` given, no work block starts before it."""
    if now is None:
        return []
    return [f"rule 9: {describe(b, policy.timezone)} starts before now "
            f"({local(now, policy.timezone):%a %Y-%m-%d %H:%M:%S})"
            for b in work if b.span.start < now]


def check_sync_windows(work: Sequence[Block], policy: Policy) -> list[str]:
    """Rule 10: at most ``per_day`` sync windows a local date, each exactly ``minutes`` long."""
    windows, zone, found = policy.sync_windows, policy.timezone, []
    per_day: dict[date, int] = defaultdict(int)
    for block in work:
        if block.kind is not BlockKind.SYNC_WINDOW:
            continue
        per_day[local(block.span.start, zone).date()] += 1
        if block.span.minutes != windows.minutes:
            found.append(f"rule 10: {describe(block, zone)} is {block.span.minutes} min, not "
                         f"{windows.minutes}")
    found += [f"rule 10: {day:%a %Y-%m-%d} has {count} sync windows, over {windows.per_day}"
              for day, count in sorted(per_day.items()) if count > windows.per_day]
    return found


def check_ledger(result: PlanResult, tasks: Sequence[Task], policy: Policy,
                 start: datetime) -> list[str]:
    """Rule 11: every active task once in the ledger, its minutes adding up, and for a plan
    from the tasks alone, each figure worked out again from the blocks and the estimate."""
    found = []
    entries: dict[str, list[LedgerEntry]] = defaultdict(list)
    for entry in result.ledger:
        entries[entry.task].append(entry)
        if entry.needed != entry.placed + entry.held + entry.unscheduled:
            found.append(f"rule 11: task {entry.task!r}: needed {entry.needed} != placed "
                         f"{entry.placed} + held {entry.held} + unscheduled {entry.unscheduled}")
    active_ids = {t.id for t in tasks if t.progress < 1}
    for name in sorted(set(entries) - active_ids):
        found.append(f"rule 11: the ledger lists {name!r}, which is no open task")
    placed: dict[str, int] = defaultdict(int)
    for block in work_blocks(result.blocks):
        if block.task is not None:
            placed[block.task] += block.span.minutes
    missing: dict[str, int] = defaultdict(int)
    for item in result.unscheduled:
        missing[item.task] += item.minutes
    for task in tasks:
        if task.id not in active_ids:
            continue
        if len(entries[task.id]) != 1:
            found.append(f"rule 11: task {task.id!r} is in the ledger "
                         f"{len(entries[task.id])} times, not once")
            continue
        entry = entries[task.id][0]
        # needed is the rounded estimate through the identity above and rule 5
        expected = (placed[task.id], 0, missing[task.id], overdue(task, policy, start))
        got = (entry.placed, entry.held, entry.unscheduled, entry.overdue)
        if got != expected:
            found.append(f"rule 11: task {task.id!r}: ledger (placed, held, unscheduled, "
                         f"overdue) {got} != {expected}")
    return found
