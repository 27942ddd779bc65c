"""Repairing a plan from now on: the past is kept, the person's moves and deletions hold, and
the rest of the future moves only where it must.

Small hand-made days show each promise alone; the sample week and generated weeks
(``bench/gen_plan.py``) show that nothing moves when nothing changed; a property test over random
interruptions judges every repaired future with the independent checker in
``tests/plan_checker.py``. CP-SAT runs single-threaded and hypothesis is derandomized.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path

import pytest
from bench.gen_plan import build_instance, write_instance
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from makertime.app import plan_calendars
from makertime.calendars import read_calendars
from makertime.classify import commitments
from makertime.inputs import reach
from makertime.model import Commitment, Depth, Interval, Period, Task
from makertime.plan import Block, BlockKind, PlanResult, plan_commitments
from makertime.plan.keeping import min_grains
from makertime.plan.replan import (
    RELEASED,
    ChangeKind,
    Edits,
    Repair,
    effective,
    replan,
    worked_minutes,
)
from makertime.policy import Policy, load_policy
from makertime.sample import SAMPLE_WEEK, sample_path
from makertime.tasks import load_tasks
from tests.support.helpers import ZAGREB, commitment, span, z
from tests.support.plan_checker import (
    GRAIN,
    check_attention,
    check_buffer,
    check_daily_deep,
    check_minutes,
    check_no_overlap,
    check_now,
    check_rest_and_recovery,
    check_sync_windows,
    check_task_blocks,
    check_windows,
    rounded,
    work_blocks,
)
from tests.support.planning import FAST, policy, task

MONDAY = date(2026, 3, 23)
ONE_DAY = Period(MONDAY, MONDAY)
TWO_DAYS = Period(MONDAY, MONDAY + timedelta(days=1))
MOVING = {ChangeKind.MOVED, ChangeKind.SHORTENED, ChangeKind.REMOVED, ChangeKind.ADDED}


def when(block: Block | None) -> tuple[str, str | None, str] | None:
    """(kind, task, ``Mon 13:00-15:00``) in Zagreb wall time."""
    if block is None:
        return None
    start, end = block.span.start.astimezone(ZAGREB), block.span.end.astimezone(ZAGREB)
    return block.kind.value, block.task, f"{start:%a %H:%M}-{end:%H:%M}"


def work(result: PlanResult) -> list[tuple[str, str | None, str] | None]:
    return [when(b) for b in result.work_blocks]


def remaining(tasks: Sequence[Task], previous: Sequence[Block], now: datetime, *,
              since: datetime, edits: Edits | None = None,
              lost: Sequence[Interval] = ()) -> list[Task]:
    """The tasks as of ``now``: each estimate less the minutes its blocks took since ``since``."""
    worked = worked_minutes(previous, edits or Edits(), {t.id: since for t in tasks}, now, lost)
    return [replace(t, estimate_minutes=max(0, t.estimate_minutes - worked.get(t.id, 0)))
            for t in tasks]


def future_of(result: PlanResult, now: datetime) -> list[Block]:
    return [b for b in result.work_blocks if b.span.start >= now]


def kinds(repair: Repair) -> list[ChangeKind]:
    return [c.kind for c in repair.changes]


def repair_violations(repair: Repair, found: Sequence[Commitment], tasks: Sequence[Task],
                      chosen: Policy, period: Period, *, previous: Sequence[Block],
                      now: datetime, edits: Edits | None = None) -> list[str]:
    """Every hard-rule violation of a repaired plan, by the independent checker.

    The repaired future (less the person's pinned blocks) must hold every rule; rules about a
    whole date (overlap, the daily deep cap, sync windows per day) hold over the whole plan,
    past included. ``tasks`` carry what was still needed as of ``now``: a block held since then
    (in progress at ``now``, or pinned by the person) already covers its future minutes. Every
    future block of a task is at least its minimum block, except that one may be just what is
    left of the task beyond its other blocks.
    """
    edits = edits or Edits()
    work = work_blocks(repair.plan.blocks)
    held = [b for b in work if b.span.end > now and (b.span.start < now or b.uid in edits.moved)]
    future = [b for b in work if b.span.start >= now and b not in held]
    covered: dict[str, int] = defaultdict(int)
    for block in held:
        if block.task is not None:
            start = max(block.span.start, now)
            covered[block.task] += (block.span.end - start) // timedelta(minutes=GRAIN) * GRAIN
    after_held = {t.id: replace(t, estimate_minutes=max(0, rounded(t.estimate_minutes)
                                                        - covered[t.id])) for t in tasks}
    per_task: dict[str | None, list[Block]] = defaultdict(list)
    for block in future:
        per_task[block.task].append(block)
    whole, last, rest = [], [], []
    for name, blocks in per_task.items():
        if name is None or name not in after_held:
            whole += blocks
            continue
        shortest = min(blocks, key=lambda b: b.minutes)
        whole += [b for b in blocks if b is not shortest]
        last.append(shortest)
        others = sum(b.minutes for b in blocks if b is not shortest)
        rest.append(replace(after_held[name], estimate_minutes=max(
            0, after_held[name].estimate_minutes - others)))
    new = [b for b in future if b.uid not in {p.uid for p in previous}]
    return [
        *check_windows(future, chosen, period),
        *check_no_overlap(work, chosen),
        *check_attention(future, found, chosen),
        *check_task_blocks(whole, list(after_held.values()), chosen, now),
        *check_task_blocks(last, rest, chosen, now),
        *check_minutes(future, repair.plan.unscheduled, list(after_held.values()), chosen),
        *check_daily_deep(work, chosen),
        *check_rest_and_recovery(future, found, chosen),
        *check_buffer(future, found, chosen),
        *check_now(new, now, chosen),
        *check_sync_windows(work, chosen),
    ]


# The sample week and generated weeks ------------------------------------------------------------

@dataclass(frozen=True)
class Week:
    """A planned week: its inputs and the plan everything is repaired from."""

    policy: Policy
    found: tuple[Commitment, ...]
    tasks: tuple[Task, ...]
    period: Period
    plan: PlanResult


def _read(calendar: Path, chosen: Policy, period: Period) -> tuple[Commitment, ...]:
    margin = reach(chosen)
    reads = read_calendars([str(calendar)], period.first - margin, period.last + margin)
    return tuple(commitments(reads, chosen))


@cache
def sample_week() -> Week:
    """The bundled sample week, planned on one worker (the same plan every run)."""
    chosen = load_policy(sample_path("policy.toml"))
    found = _read(sample_path("week.ics"), chosen, SAMPLE_WEEK)
    tasks = tuple(load_tasks(sample_path("tasks.toml"), chosen.timezone))
    plan = plan_calendars([str(sample_path("week.ics"))], chosen, SAMPLE_WEEK,
                          tasks_path=sample_path("tasks.toml"), options=FAST)
    return Week(chosen, found, tasks, SAMPLE_WEEK, plan)


@cache
def generated_week(weeks: int, seed: int) -> Week:
    """A ``bench/gen_plan.py`` instance, read through makertime's own readers and planned."""
    instance = build_instance(weeks, seed)
    with tempfile.TemporaryDirectory(prefix="makertime-repair-") as folder:
        files = write_instance(instance, Path(folder))
        chosen = load_policy(files.policy)
        period = Period(instance.first, instance.last)
        found = _read(files.calendar, chosen, period)
        tasks = tuple(load_tasks(files.tasks, chosen.timezone))
    plan = plan_commitments(found, tasks, chosen, period, options=FAST)
    return Week(chosen, found, tasks, period, plan)


def start_of(week: Week) -> datetime:
    return datetime.combine(week.period.first, time(), tzinfo=ZAGREB)


def repair_week(week: Week, now: datetime, *, extra: Sequence[Commitment] = (),
                edits: Edits | None = None, stable: bool = True) -> tuple[Repair, list[Task]]:
    """Replan ``week`` as of ``now`` with ``extra`` commitments; the tasks less what was worked."""
    lost = [c.span for c in extra if c.span.start < now]
    tasks = remaining(week.tasks, week.plan.blocks, now, since=start_of(week), edits=edits,
                      lost=lost)
    repair = replan(week.plan.blocks, [*week.found, *extra], tasks, week.policy, week.period,
                    now=now, edits=edits, options=FAST, stable=stable)
    return repair, tasks


def interruption(summary: str, where: Interval) -> Commitment:
    return Commitment(summary=summary, span=where, uid=f"{summary}@test", source="interruption")


# The past ---------------------------------------------------------------------------------------

def test_the_past_is_kept_and_a_block_in_progress_stays_whole() -> None:
    found = [commitment("2026-03-23 12:00", "2026-03-23 13:00", "lunch")]
    tasks = [task("a", 120), task("c", 60, Depth.SHALLOW), task("b", 120)]
    before = plan_commitments(found, tasks, policy(), ONE_DAY, options=FAST)
    assert work(before) == [("deep", "a", "Mon 09:00-11:00"), ("shallow", "c", "Mon 11:00-12:00"),
                            ("deep", "b", "Mon 13:00-15:00")]
    now = z("2026-03-23 14:00")  # b is half done
    # the person was pulled away during b: the block stays whole all the same
    pulled = interruption("pager", span("2026-03-23 13:15", "2026-03-23 13:45"))
    left = remaining(tasks, before.blocks, now, since=z("2026-03-23 00:00"), lost=[pulled.span])
    assert {t.id: t.estimate_minutes for t in left} == {"a": 0, "c": 0, "b": 90}
    repair = replan(before.blocks, [*found, pulled], left, policy(), ONE_DAY, now=now,
                    options=FAST)
    assert [(b.uid, b.span) for b in repair.plan.work_blocks if b.span.start < now] == \
        [(b.uid, b.span) for b in before.work_blocks]
    assert repair.future == 0
    assert repair.changes == ()
    # b's hour still to come counts; the 30 minutes lost to the pager find no deep time left
    # today: the morning's block counts toward the day's cap
    assert {u.task: u.minutes for u in repair.plan.unscheduled} == {"b": 30}
    assert repair_violations(repair, [*found, pulled], left, policy(), ONE_DAY,
                             previous=before.blocks, now=now) == []


def test_a_block_in_progress_stays_whole_even_when_a_call_lands_on_what_is_left_of_it() -> None:
    found = [commitment("2026-03-23 12:00", "2026-03-23 13:00", "lunch")]
    tasks = [task("b", 180)]
    before = plan_commitments(found, tasks, policy(), ONE_DAY, options=FAST)
    (block,) = before.work_blocks
    now = block.span.start + timedelta(minutes=60)
    late = interruption("walk-in", Interval(now + timedelta(minutes=30),
                                            now + timedelta(minutes=60)))
    left = remaining(tasks, before.blocks, now, since=z("2026-03-23 00:00"))
    repair = replan(before.blocks, [*found, late], left, policy(), ONE_DAY, now=now,
                    options=FAST)
    assert block in repair.plan.work_blocks
    assert repair.changes == ()
    assert repair.plan.unscheduled == ()  # its remaining two hours are the block's own


# Nothing changed --------------------------------------------------------------------------------

@pytest.mark.parametrize("moment", ["2026-03-23 12:00", "2026-03-24 13:00", "2026-03-25 10:15",
                                    "2026-03-25 13:00", "2026-03-26 16:00", "2026-03-27 09:00"])
def test_nothing_changed_moves_nothing_in_the_sample_week(moment: str) -> None:
    week = sample_week()
    now = z(moment)
    repair, tasks = repair_week(week, now)
    assert repair.future == len(future_of(week.plan, now)) > 0
    assert repair.unchanged == repair.future
    assert repair.moved_share == 0
    assert not [c for c in repair.changes if c.kind in MOVING]
    assert {b.uid for b in repair.plan.work_blocks} == {b.uid for b in week.plan.work_blocks}
    assert repair_violations(repair, week.found, tasks, week.policy, week.period,
                             previous=week.plan.blocks, now=now) == []


@pytest.mark.parametrize(("weeks", "seed", "day", "hour"),
                         [(1, 1, 0, 13), (1, 2, 2, 10), (2, 3, 2, 13), (2, 4, 8, 11)])
def test_nothing_changed_moves_nothing_in_generated_weeks(weeks: int, seed: int, day: int,
                                                           hour: int) -> None:
    week = generated_week(weeks, seed)
    now = (start_of(week) + timedelta(days=day, hours=hour)).astimezone(UTC)
    repair, tasks = repair_week(week, now)
    assert repair.future > 0
    assert repair.moved_share == 0
    assert not [c for c in repair.changes if c.kind in MOVING]
    assert repair_violations(repair, week.found, tasks, week.policy, week.period,
                             previous=week.plan.blocks, now=now) == []


def test_the_past_counts_toward_the_days_deep_cap_and_sync_windows() -> None:
    chosen = policy(work={"start": "09:00", "end": "19:00"},
                    sync_windows={"per_day": 2, "minutes": 30, "prefer": ["09:00", "11:30"]})
    found = [commitment("2026-03-23 12:00", "2026-03-23 13:00", "lunch")]
    tasks = [task("a", 120), task("b", 120)]
    before = plan_commitments(found, tasks, chosen, ONE_DAY, options=FAST)
    assert work(before) == [("sync-window", None, "Mon 09:00-09:30"),
                            ("deep", "b", "Mon 09:30-11:30"),
                            ("sync-window", None, "Mon 11:30-12:00"),
                            ("deep", "a", "Mon 13:00-15:00")]
    now = z("2026-03-23 13:00")
    # b's morning block and both sync windows are behind; a is done, and b needs 4 hours more
    grown = [task("a", 120, progress=1.0), task("b", 240)]
    repair = replan(before.blocks, found, grown, chosen, ONE_DAY, now=now, options=FAST)
    deep = sum(b.minutes for b in repair.plan.work_blocks if b.kind is BlockKind.DEEP)
    windows = [b for b in repair.plan.work_blocks if b.kind is BlockKind.SYNC_WINDOW]
    assert deep == 240  # the morning's 2 hours and 2 more: the day's cap
    assert {u.task: u.minutes for u in repair.plan.unscheduled} == {"b": 120}
    assert len(windows) == 2  # the morning's two: none added this afternoon
    assert repair_violations(repair, found, grown, chosen, ONE_DAY,
                             previous=before.blocks, now=now) == []


# Something new ----------------------------------------------------------------------------------

def _two_days() -> tuple[list[Commitment], list[Task], PlanResult]:
    found = [commitment("2026-03-23 12:00", "2026-03-23 13:00", "lunch"),
             commitment("2026-03-24 12:00", "2026-03-24 13:00", "lunch")]
    tasks = [task("a", 120), task("b", 120), task("c", 60, Depth.SHALLOW),
             task("d", 240, min_block_minutes=120)]
    before = plan_commitments(found, tasks, policy(), TWO_DAYS, options=FAST)
    assert work(before) == [("deep", "a", "Mon 09:00-11:00"), ("shallow", "c", "Mon 11:00-12:00"),
                            ("deep", "b", "Mon 13:00-15:00"), ("deep", "d", "Tue 13:00-17:00")]
    return found, tasks, before


def test_a_new_meeting_moves_only_the_block_it_hits_to_later_that_day() -> None:
    found, tasks, before = _two_days()
    now = z("2026-03-23 12:00")
    left = remaining(tasks, before.blocks, now, since=z("2026-03-23 00:00"))
    escalation = interruption("escalation", span("2026-03-23 13:30", "2026-03-23 14:00"))
    repair = replan(before.blocks, [*found, escalation], left, policy(), TWO_DAYS, now=now,
                    options=FAST)
    (change,) = repair.changes
    assert change.kind is ChangeKind.MOVED
    assert when(change.before) == ("deep", "b", "Mon 13:00-15:00")
    # later the same day, straight after the meeting, rather than Tuesday morning (also free)
    assert when(change.after) == ("deep", "b", "Mon 14:00-16:00")
    assert "“escalation”" in change.why
    assert "Mon 13:30" in change.why
    assert change.after is not None and change.before is not None
    assert change.after.uid == change.before.uid  # its published event moves, not replaced
    assert "“escalation”" in change.after.reason and "moved from Mon" in change.after.reason
    assert (repair.unchanged, repair.future) == (1, 2)
    assert repair.moved_share == pytest.approx(0.5)
    assert ("deep", "d", "Tue 13:00-17:00") in work(repair.plan)
    assert repair_violations(repair, [*found, escalation], left, policy(), TWO_DAYS,
                             previous=before.blocks, now=now) == []


def test_a_moved_block_stays_near_where_it_was_where_scratch_would_move_everything() -> None:
    offsite = commitment("2026-03-23 09:00", "2026-03-23 17:00", "offsite")
    lunch = commitment("2026-03-24 12:00", "2026-03-24 13:00", "lunch")
    tasks = [task("a", 120), task("b", 120)]
    before = plan_commitments([offsite, lunch], tasks, policy(), TWO_DAYS, options=FAST)
    morning, afternoon = before.work_blocks
    assert (when(morning)[2], when(afternoon)[2]) == ("Tue 09:00-11:00", "Tue 13:00-15:00")
    # Monday morning: the offsite is cancelled, and a call lands on Tuesday's afternoon block
    now = z("2026-03-23 08:00")
    call = commitment("2026-03-24 13:30", "2026-03-24 14:00", "call")
    stable = replan(before.blocks, [lunch, call], tasks, policy(), TWO_DAYS, now=now,
                    options=FAST)
    (change,) = stable.changes
    assert (change.kind, change.before) == (ChangeKind.MOVED, afternoon)
    assert when(change.after) == ("deep", afternoon.task, "Tue 14:00-16:00")
    assert morning in stable.plan.work_blocks
    scratch = replan(before.blocks, [lunch, call], tasks, policy(), TWO_DAYS, now=now,
                     options=FAST, stable=False)
    assert {b.span.start.astimezone(ZAGREB).weekday() for b in scratch.plan.work_blocks} == {0}
    assert (stable.moved_share, scratch.moved_share) == (0.5, 1.0)
    for repair in (stable, scratch):
        assert repair_violations(repair, [lunch, call], tasks, policy(), TWO_DAYS,
                                 previous=before.blocks, now=now) == []


def test_a_new_meeting_on_the_sample_week_says_which_block_it_displaced() -> None:
    week = sample_week()
    now = z("2026-03-24 17:00")
    friday = min((b for b in week.plan.work_blocks if b.kind is BlockKind.DEEP
                  and b.span.start >= now), key=lambda b: b.span.start)  # the next deep block
    call = interruption("Vendor call", Interval(friday.span.start + timedelta(minutes=30),
                                                friday.span.start + timedelta(minutes=60)))
    repair, tasks = repair_week(week, now, extra=[call])
    (change,) = [c for c in repair.changes if c.before == friday]
    assert f"“Vendor call” {friday.span.start.astimezone(ZAGREB):%a}" in change.why
    if change.kind is ChangeKind.REMOVED:  # no other deep time left: unscheduled, and why
        assert "no other free place holds it whole" in change.why
        assert friday.task in {u.task for u in repair.plan.unscheduled}
    else:  # moved whole, keeping its UID, to a time the call does not touch
        assert change.kind is ChangeKind.MOVED and change.after is not None
        assert change.after.uid == friday.uid and not change.after.span.clip(call.span)
    others = [b for b in future_of(week.plan, now) if b != friday]
    assert all(b in repair.plan.work_blocks for b in others)
    assert repair.unchanged == repair.future - 1
    assert repair_violations(repair, (*week.found, call), tasks, week.policy, week.period,
                             previous=week.plan.blocks, now=now) == []


def test_a_meeting_that_leaves_no_whole_place_shortens_the_block_in_place_never_a_same_time_move(
        ) -> None:
    found = [commitment("2026-03-23 09:00", "2026-03-23 13:00", "workshop"),
             commitment("2026-03-23 15:00", "2026-03-23 17:00", "offsite")]
    tasks = [task("b", 120, min_block_minutes=60)]
    before = plan_commitments(found, tasks, policy(), ONE_DAY, options=FAST)
    (block,) = before.work_blocks
    assert when(block) == ("deep", "b", "Mon 13:00-15:00")
    call = commitment("2026-03-23 14:30", "2026-03-23 15:00", "call")
    now = z("2026-03-23 08:00")
    repair = replan(before.blocks, [*found, call], tasks, policy(), ONE_DAY, now=now,
                    options=FAST)
    (change,) = repair.changes
    # no 2 hours are free anywhere: the block keeps its start and UID and loses its last half
    # hour, which stays unscheduled with the reason
    assert change.kind is ChangeKind.SHORTENED
    assert change.after is not None and change.after.uid == block.uid
    assert change.after.span.start == block.span.start
    assert 60 <= change.after.minutes < 120 and change.after.span.end <= call.span.start
    assert "“call”" in change.why
    assert {u.task: u.minutes for u in repair.plan.unscheduled} == {
        "b": 120 - change.after.minutes}
    assert repair_violations(repair, [*found, call], tasks, policy(), ONE_DAY,
                             previous=before.blocks, now=now) == []


def test_a_block_that_must_move_and_finds_no_place_is_removed_with_the_reason() -> None:
    found = [commitment("2026-03-23 09:00", "2026-03-23 13:00", "workshop"),
             commitment("2026-03-23 15:00", "2026-03-23 17:00", "offsite")]
    tasks = [task("b", 120, min_block_minutes=120)]
    before = plan_commitments(found, tasks, policy(), ONE_DAY, options=FAST)
    (block,) = before.work_blocks
    call = commitment("2026-03-23 14:30", "2026-03-23 15:00", "call")
    repair = replan(before.blocks, [*found, call], tasks, policy(), ONE_DAY,
                    now=z("2026-03-23 08:00"), options=FAST)
    assert [(c.kind, c.before) for c in repair.changes] == [(ChangeKind.REMOVED, block)]
    assert "“call”" in repair.changes[0].why
    assert "no other free place holds it whole" in repair.changes[0].why
    assert repair.plan.work_blocks == ()  # 90 free minutes are under the 2-hour minimum
    (missing,) = repair.plan.unscheduled
    assert (missing.task, missing.minutes) == ("b", 120)
    assert "at least 120 min" in missing.reason


# The person's own edits -------------------------------------------------------------------------

def test_a_block_the_person_moved_is_pinned_with_its_uid_and_counts_for_its_task() -> None:
    found, tasks, before = _two_days()
    now = z("2026-03-23 12:00")
    d_block = next(b for b in before.work_blocks if b.task == "d")
    # the person moved d's block from Tuesday afternoon to Tuesday 09:00-11:30 (shorter, too)
    edits = Edits(moved={d_block.uid: span("2026-03-24 09:00", "2026-03-24 11:30")})
    left = remaining(tasks, before.blocks, now, since=z("2026-03-23 00:00"), edits=edits)
    repair = replan(before.blocks, found, left, policy(), TWO_DAYS, now=now, edits=edits,
                    options=FAST)
    pinned = next(b for b in repair.plan.work_blocks if b.task == "d" and b.key)
    assert pinned.uid == d_block.uid
    assert when(pinned) == ("deep", "d", "Tue 09:00-11:30")
    assert [c.kind for c in repair.changes if c.after == pinned] == [ChangeKind.PINNED]
    assert ChangeKind.MOVED not in kinds(repair)
    assert repair.future == 1  # b; the pinned block is the person's, never counted as moved
    assert repair.moved_share == 0
    # 150 of d's 240 minutes are where the person put them: 90 are left, not 240 again
    d_minutes = sum(b.minutes for b in repair.plan.work_blocks if b.task == "d")
    unplaced = {u.task: u.minutes for u in repair.plan.unscheduled}
    assert d_minutes + unplaced.get("d", 0) == 240
    assert repair_violations(repair, found, left, policy(), TWO_DAYS, previous=before.blocks,
                             now=now, edits=edits) == []
    scratch = replan(before.blocks, found, left, policy(), TWO_DAYS, now=now, edits=edits,
                     options=FAST, stable=False)
    assert pinned in scratch.plan.work_blocks


def test_a_block_the_person_deleted_rules_that_time_out_for_its_task() -> None:
    found, tasks, before = _two_days()
    now = z("2026-03-23 08:00")
    b_block = next(b for b in before.work_blocks if b.task == "b")
    edits = Edits(deleted=frozenset({b_block.uid}))
    for stable in (True, False):
        repair = replan(before.blocks, found, tasks, policy(), TWO_DAYS, now=now, edits=edits,
                        options=FAST, stable=stable)
        declined = [c for c in repair.changes if c.kind is ChangeKind.DELETED]
        assert [(c.before, c.after) for c in declined] == [(b_block, None)]
        assert "not then" in declined[0].why
        assert not [b for b in repair.plan.work_blocks if b.task == "b"
                    and b.span.clip(b_block.span)]
        assert b_block.uid not in {b.uid for b in repair.plan.blocks}
        assert repair_violations(repair, found, tasks, policy(), TWO_DAYS,
                                 previous=before.blocks, now=now, edits=edits) == []
        if stable:  # one other block moves, because that lets b's two hours fit elsewhere
            assert (repair.unchanged, repair.future) == (2, 3)
            assert not [u for u in repair.plan.unscheduled if u.task == "b"]
            (moved,) = [c for c in repair.changes if c.kind is ChangeKind.MOVED]
            assert moved.why == RELEASED


def test_a_block_the_person_deleted_is_reported_also_when_it_is_over() -> None:
    found, tasks, before = _two_days()
    a_block = next(b for b in before.work_blocks if b.task == "a")  # Mon 09:00-11:00
    now = z("2026-03-23 12:00")
    edits = Edits(deleted=frozenset({a_block.uid}))
    left = remaining(tasks, before.blocks, now, since=z("2026-03-23 00:00"), edits=edits)
    assert {t.id: t.estimate_minutes for t in left}["a"] == 120  # not worked: not counted
    repair = replan(before.blocks, found, left, policy(), TWO_DAYS, now=now, edits=edits,
                    options=FAST)
    deleted = [c for c in repair.changes if c.kind is ChangeKind.DELETED]
    assert [(c.before, c.after) for c in deleted] == [(a_block, None)]
    assert "you deleted it" in deleted[0].why
    assert a_block.uid not in {b.uid for b in repair.plan.blocks}


def test_a_deleted_sync_window_is_not_created_again_in_that_stretch() -> None:
    chosen = policy(sync_windows={"per_day": 1, "minutes": 30, "prefer": ["13:00"]})
    found = [commitment("2026-03-23 12:00", "2026-03-23 13:00", "lunch"),
             commitment("2026-03-23 14:00", "2026-03-23 14:30", "review")]
    before = plan_commitments(found, [], chosen, ONE_DAY, options=FAST)
    (window,) = before.work_blocks
    assert when(window) == ("sync-window", None, "Mon 13:00-13:30")
    edits = Edits(deleted=frozenset({window.uid}))
    now = z("2026-03-23 09:00")
    repair = replan(before.blocks, found, [], chosen, ONE_DAY, now=now, edits=edits,
                    options=FAST)
    assert ChangeKind.DELETED in kinds(repair)
    stretch = span("2026-03-23 13:00", "2026-03-23 14:00")  # from lunch to the review
    windows = [b for b in repair.plan.work_blocks if b.kind is BlockKind.SYNC_WINDOW]
    assert windows  # the day still gets its window, elsewhere
    assert not [b for b in windows if b.span.clip(stretch)]
    assert repair_violations(repair, found, [], chosen, ONE_DAY, previous=before.blocks,
                             now=now, edits=edits) == []


def test_effective_applies_the_persons_moves_and_deletions() -> None:
    _, _, before = _two_days()
    a, c, _, d = before.work_blocks
    moved = span("2026-03-24 09:00", "2026-03-24 11:00")
    edits = Edits(moved={d.uid: moved, a.uid: a.span}, deleted=frozenset({c.uid}))
    found = effective(before.work_blocks, edits)
    assert [block.task for block in found] == ["a", "b", "d"]
    assert found[0] == a  # "moved" to where it was: unchanged
    assert (found[2].span, found[2].uid, found[2].key) == (moved, d.uid, d.uid)


# Progress ---------------------------------------------------------------------------------------

def test_logged_progress_shortens_a_block_rather_than_moving_others() -> None:
    found, tasks, before = _two_days()
    now = z("2026-03-23 08:00")
    # d (4 hours on Tuesday) now needs only 2h30
    logged = [replace(t, estimate_minutes=150) if t.id == "d" else t for t in tasks]
    repair = replan(before.blocks, found, logged, policy(), TWO_DAYS, now=now, options=FAST)
    (change,) = repair.changes
    assert change.kind is ChangeKind.SHORTENED
    assert (when(change.before), when(change.after)) == (("deep", "d", "Tue 13:00-17:00"),
                                                         ("deep", "d", "Tue 13:00-15:30"))
    assert change.after is not None and change.before is not None
    assert change.after.uid == change.before.uid  # shrunk in place: its event is updated
    assert "150 min" in change.why
    assert (repair.unchanged, repair.future) == (3, 4)
    assert repair_violations(repair, found, logged, policy(), TWO_DAYS,
                             previous=before.blocks, now=now) == []


def test_what_is_left_of_a_task_never_shortens_a_block_under_its_minimum() -> None:
    chosen = policy(focus={"max_deep_minutes_per_day": 120})
    essay = task("essay", 240, min_block_minutes=120)
    before = plan_commitments([], [essay], chosen, TWO_DAYS, options=FAST)
    monday, tuesday = before.work_blocks
    assert (when(monday), when(tuesday)) == (("deep", "essay", "Mon 09:00-11:00"),
                                             ("deep", "essay", "Tue 09:00-11:00"))
    now = z("2026-03-23 08:00")
    # 2h30 left: the 30 minutes beyond Monday's block are under the 2-hour minimum: Tuesday's
    # block neither shrinks to a 30-minute sliver nor holds more than the task needs — it goes,
    # and the 30 minutes are unscheduled with the reason (placed + unscheduled = needed)
    left = [replace(essay, estimate_minutes=150)]
    repair = replan(before.blocks, [], left, chosen, TWO_DAYS, now=now, options=FAST)
    assert [(c.kind, c.before) for c in repair.changes] == [(ChangeKind.REMOVED, tuesday)]
    assert "needs only 30 min more, under its minimum block of 120 min" in (
        repair.changes[0].why)
    assert work(repair.plan) == [when(monday)]
    assert [(u.task, u.minutes) for u in repair.plan.unscheduled] == [("essay", 30)]
    # 1h30 left, all of it under the minimum: Monday's block shrinks to it (a task's last piece
    # may be as short as what it needs, as in a fresh plan), Tuesday's goes
    left = [replace(essay, estimate_minutes=90)]
    repair = replan(before.blocks, [], left, chosen, TWO_DAYS, now=now, options=FAST)
    assert [(c.kind, c.before) for c in repair.changes] == [
        (ChangeKind.SHORTENED, monday), (ChangeKind.REMOVED, tuesday)]
    assert "all the time it still needs" in repair.changes[1].why
    assert [b.minutes for b in repair.plan.work_blocks] == [90]
    # 3h left: Monday's block stays; the hour beyond it is under the minimum, so Tuesday's
    # block goes and that hour is unscheduled, never a block under 120 minutes
    left = [replace(essay, estimate_minutes=180)]
    repair = replan(before.blocks, [], left, chosen, TWO_DAYS, now=now, options=FAST)
    assert [(c.kind, c.before) for c in repair.changes] == [(ChangeKind.REMOVED, tuesday)]
    assert all(b.minutes >= 120 for b in repair.plan.work_blocks)
    assert [(u.task, u.minutes) for u in repair.plan.unscheduled] == [("essay", 60)]


def test_a_block_shrinks_to_what_is_left_but_never_under_the_minimum() -> None:
    essay = task("essay", 240, min_block_minutes=90)
    before = plan_commitments([], [essay], policy(), ONE_DAY, options=FAST)
    (block,) = before.work_blocks
    assert block.minutes == 240
    now = z("2026-03-23 08:00")
    # what is left, never more: the minimum of 90 is capped by what the task still needs
    for left_minutes, kept in ((150, 150), (60, 60), (15, 15)):
        left = [replace(essay, estimate_minutes=left_minutes)]
        repair = replan(before.blocks, [], left, policy(), ONE_DAY, now=now, options=FAST)
        (after,) = repair.plan.work_blocks
        assert (after.span.start, after.minutes, after.uid) == (block.span.start, kept, block.uid)
        assert [c.kind for c in repair.changes] == [ChangeKind.SHORTENED]


def test_a_done_task_loses_its_future_blocks_and_says_why() -> None:
    found, tasks, before = _two_days()
    now = z("2026-03-23 12:00")
    left = remaining(tasks, before.blocks, now, since=z("2026-03-23 00:00"))
    done = [replace(t, progress=1.0) if t.id == "d" else t for t in left]
    repair = replan(before.blocks, found, done, policy(), TWO_DAYS, now=now, options=FAST)
    (change,) = repair.changes
    assert change.kind is ChangeKind.REMOVED
    assert when(change.before) == ("deep", "d", "Tue 13:00-17:00")
    assert change.after is None
    assert "done" in change.why
    assert not [b for b in repair.plan.work_blocks if b.task == "d"]
    assert "d" not in {u.task for u in repair.plan.unscheduled}
    assert repair.moved_share == pytest.approx(0.5)


# worked_minutes ---------------------------------------------------------------------------------

def test_worked_minutes_counts_only_since_the_given_moment_and_less_interruptions() -> None:
    _, _, before = _two_days()  # a Mon 09-11, c 11-12, b 13-15, d Tue 13-17
    since = {"a": z("2026-03-23 10:00"), "b": z("2026-03-23 00:00"),
             "c": z("2026-03-23 00:00"), "d": z("2026-03-23 00:00")}
    now = z("2026-03-23 14:00")
    lost = [span("2026-03-23 11:30", "2026-03-23 11:45"),  # inside c
            span("2026-03-23 13:50", "2026-03-23 14:30")]  # b, partly after now
    worked = worked_minutes(before.blocks, Edits(), since, now, lost)
    assert worked == {"a": 60, "c": 45, "b": 50}
    # a deleted block was not worked; a moved one counts where the person put it
    a, c, b, _ = before.work_blocks
    edits = Edits(moved={b.uid: span("2026-03-23 13:30", "2026-03-23 15:30")},
                  deleted=frozenset({c.uid}))
    worked = worked_minutes(before.blocks, edits, since, now, [])
    assert worked == {"a": 60, "b": 30}
    # a task without a "since" is not counted; a moment after now counts nothing
    assert worked_minutes(before.blocks, Edits(), {"a": now + timedelta(hours=1)}, now, []) == {}
    assert a.task == "a"


# Properties -------------------------------------------------------------------------------------

SEEDS = (1, 6)  # generated weeks the property test draws from (each planned once)
REPAIRS = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Scenario:
    """A generated week, a moment, new interruptions and perhaps a block the person deleted."""

    seed: int
    now: datetime
    extra: tuple[Commitment, ...]
    deleted: Block | None

    def __repr__(self) -> str:
        """Local times, for hypothesis' failure report."""
        def local(moment: datetime) -> str:
            return f"{moment.astimezone(ZAGREB):%a %d %H:%M}"
        parts = [f"seed {self.seed}, now {local(self.now)}"]
        parts += [f"{c.summary} {local(c.span.start)}-{local(c.span.end)}" for c in self.extra]
        if self.deleted is not None:
            parts.append(f"deleted {when(self.deleted)}")
        return "Scenario(" + "; ".join(parts) + ")"


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    seed = draw(st.integers(*SEEDS))
    week = generated_week(1, seed)
    day = draw(st.integers(0, 4))
    clock = timedelta(days=day, hours=9, minutes=15 * draw(st.integers(0, 31)))
    now = (start_of(week) + clock).astimezone(UTC)
    future = [b for b in week.plan.work_blocks if b.span.start >= now]
    extra: list[Commitment] = []
    for number in range(draw(st.integers(1, 2))):
        minutes = draw(st.sampled_from([30, 40, 45, 60]))
        if future and draw(st.booleans()):  # inside a future block: something must give
            block = draw(st.sampled_from(future))
            start = block.span.start + timedelta(minutes=draw(st.sampled_from([0, 5, 30, 60])))
        else:  # anywhere later this week, perhaps in free time
            start = now + timedelta(minutes=5 * draw(st.integers(0, 4 * 24 * 12)))
        extra.append(interruption(f"interruption-{number}",
                                  Interval(start, start + timedelta(minutes=minutes))))
    deleted = draw(st.sampled_from(future)) if future and draw(st.booleans()) else None
    return Scenario(seed, now, tuple(extra), deleted)


def _untouched(block: Block, extra: Sequence[Commitment], buffer: int) -> bool:
    """Whether no new commitment (nor, for deep work, the buffer after it) touches ``block``."""
    for item in extra:
        reach_ = item.span.end + timedelta(minutes=buffer if block.kind is BlockKind.DEEP else 0)
        if block.span.start < reach_ and item.span.start < block.span.end:
            return False
    return True


@REPAIRS
@given(scenarios())
def test_repairs_of_random_interruptions_hold_the_rules_and_keep_what_they_can(
        scenario: Scenario) -> None:
    week = generated_week(1, scenario.seed)
    now, extra = scenario.now, scenario.extra
    edits = Edits(deleted=frozenset({scenario.deleted.uid}) if scenario.deleted else frozenset())
    stable, tasks = repair_week(week, now, extra=extra, edits=edits)
    scratch, _ = repair_week(week, now, extra=extra, edits=edits, stable=False)
    found = [*week.found, *extra]
    for repair in (stable, scratch):
        assert repair_violations(repair, found, tasks, week.policy, week.period,
                                 previous=week.plan.blocks, now=now, edits=edits) == []
        if scenario.deleted is not None:
            gone = scenario.deleted
            assert not [b for b in repair.plan.work_blocks if b.task == gone.task
                        and b.kind.is_work and (b.task is not None or b.kind is gone.kind)
                        and b.span.clip(gone.span)]
    # no block the repair made or changed is under its task's minimum block (or, when the
    # task needs less than that, under all it needs), and a change called a move goes to
    # another start
    earlier = {(b.uid, b.span) for b in week.plan.work_blocks}
    by_id = {t.id: t for t in tasks}
    for block in future_of(stable.plan, now):
        if block.task in by_id and (block.uid, block.span) not in earlier:
            least = min(min_grains(by_id[block.task], week.policy) * GRAIN,
                        rounded(by_id[block.task].estimate_minutes))
            assert block.minutes >= least, f"{when(block)} under {least} min"
    for change in stable.changes:
        if change.kind in (ChangeKind.MOVED, ChangeKind.SHORTENED):
            assert change.before is not None and change.after is not None
            assert change.after.uid == change.before.uid
            assert (change.after.span.start != change.before.span.start) is \
                (change.kind is ChangeKind.MOVED)
    # every future block no new commitment touches stays exactly where it was (its task still
    # needs it: the tasks lost only what was worked) unless moving it let more work fit, and
    # then the change says so; a deletion rules out its own stretch only
    kept = {b.uid for b in stable.plan.work_blocks}
    released = {c.before.uid for c in stable.changes
                if c.before is not None and c.why == RELEASED}
    buffer = week.policy.sync.buffer_after_minutes
    for block in future_of(week.plan, now):
        if block.uid in edits.deleted or not _untouched(block, extra, buffer):
            continue
        gone = scenario.deleted
        if gone is not None and (gone.task, gone.kind, gone.span.start.date()) == \
                (block.task, block.kind, block.span.start.date()):
            continue
        assert block.uid in kept or block.uid in released, f"{when(block)} moved"
    # stable moves no more than a re-solve from scratch — unless moving let more of the work fit
    # than the re-solve placed (a deleted block rules out only its own stretch in a stable repair,
    # the whole free run in a re-solve, so the repair may place what the re-solve cannot)
    assert (stable.moved_share <= scratch.moved_share
            or _unplaced(stable) < _unplaced(scratch))


def _unplaced(repair: Repair) -> int:
    return sum(item.minutes for item in repair.plan.unscheduled)


def test_a_block_that_stays_is_not_merged_with_new_time_beside_it() -> None:
    # a deleted block's time goes to its task next to the task's other block, which stays: the
    # new time is a block of its own, and the block that stays keeps its time (and UID)
    week = generated_week(1, 1)
    now = datetime(2026, 3, 20, 8, 45, tzinfo=UTC)
    lost = interruption("pager", Interval(datetime(2026, 3, 20, 12, tzinfo=UTC),
                                          datetime(2026, 3, 20, 12, 30, tzinfo=UTC)))
    [gone] = [b for b in week.plan.work_blocks if b.task == "task-007"
              and b.span.start == datetime(2026, 3, 20, 12, 15, tzinfo=UTC)]
    [stays] = [b for b in week.plan.work_blocks if b.task == "task-007"
               and b.span.start == datetime(2026, 3, 20, 14, 45, tzinfo=UTC)]
    edits = Edits(deleted=frozenset({gone.uid}))
    stable, _ = repair_week(week, now, extra=[lost], edits=edits)
    scratch, _ = repair_week(week, now, extra=[lost], edits=edits, stable=False)
    assert stays.uid in {b.uid for b in stable.plan.work_blocks}
    assert stable.moved_share <= scratch.moved_share
