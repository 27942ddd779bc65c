"""One tiny instance per hard rule and per soft term of the planner, where only that one decides."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from makertime.model import Attention, Commitment, Depth, Period, Task
from makertime.plan import BlockKind, PlanResult, plan_commitments
from makertime.policy import Policy
from tests.support.helpers import ZAGREB, commitment, span, z
from tests.support.planning import FAST, policy, task

MONDAY = date(2026, 3, 23)
ONE_DAY = Period(MONDAY, MONDAY)


def plan(found: list[Commitment], tasks: list[Task], chosen: Policy | None = None,
         period: Period = ONE_DAY) -> PlanResult:
    return plan_commitments(found, tasks, chosen or policy(), period, options=FAST)


def work(result: PlanResult, name: str | None = None) -> list[tuple[str, str, str]]:
    """(kind, start, end) of the work blocks, in Zagreb wall time."""
    return [(b.kind.value, f"{b.span.start.astimezone(ZAGREB):%a %H:%M}",
             f"{b.span.end.astimezone(ZAGREB):%H:%M}")
            for b in result.work_blocks if name is None or b.task == name]


def unplaced(result: PlanResult) -> dict[str, int]:
    return {u.task: u.minutes for u in result.unscheduled}


# Hard rules -------------------------------------------------------------------------------------

def test_blocks_stay_inside_the_work_window_of_work_days() -> None:
    weekend = Period(date(2026, 3, 28), date(2026, 3, 29))
    result = plan([], [task("essay", 120)], period=weekend)
    assert work(result) == []
    assert unplaced(result) == {"essay": 120}
    result = plan([], [task("essay", 120)], policy(work={"start": "13:00", "end": "15:00"}))
    assert work(result) == [("deep", "Mon 13:00", "15:00")]


def test_blocks_never_overlap_a_blocking_commitment() -> None:
    found = [commitment("2026-03-23 09:00", "2026-03-23 16:00")]
    result = plan(found, [task("essay", 120), task("email", 60, Depth.SHALLOW)])
    assert work(result) == [("shallow", "Mon 16:00", "17:00")]
    assert unplaced(result)["essay"] == 120


def test_each_block_is_at_least_the_tasks_minimum() -> None:
    found = [commitment("2026-03-23 10:30", "2026-03-23 11:00"),
             commitment("2026-03-23 12:30", "2026-03-23 17:00")]
    result = plan(found, [task("essay", 180)])  # two 90-minute gaps, deep minimum 120
    assert work(result) == []
    shallow = task("review", 90, Depth.SHALLOW, min_block_minutes=90)
    assert work(plan(found, [shallow])) == [("shallow", "Mon 09:00", "10:30")]


def test_no_block_ends_after_its_deadline() -> None:
    due = task("report", 60, Depth.SHALLOW, deadline=z("2026-03-23 10:00"), priority=5)
    early = task("early", 120, deadline=z("2026-03-23 12:00"))
    result = plan([], [due, early])
    assert all(b.span.end <= z("2026-03-23 10:00") for b in result.work_blocks
               if b.task == "report")
    assert all(b.span.end <= z("2026-03-23 12:00") for b in result.work_blocks
               if b.task == "early")
    assert unplaced(result) == {}


def test_deep_minutes_per_day_stay_under_the_cap() -> None:
    tasks = [task("a", 120), task("b", 120), task("c", 120)]
    result = plan([], tasks, policy(focus={"max_deep_minutes_per_day": 240}))
    assert sum(b.minutes for b in result.work_blocks) == 240
    assert sum(unplaced(result).values()) == 120


def test_no_deep_work_in_rest_before_or_recovery_after_a_rule_commitment() -> None:
    live = replace(commitment("2026-03-23 14:00", "2026-03-23 15:00", "LIVE"),
                   rest_before_minutes=180, recover_after_minutes=60)
    result = plan([live], [task("essay", 120), task("more", 120)])
    assert work(result) == [("deep", "Mon 09:00", "11:00"), ("deep", "Mon 16:00", "17:00")] or \
        work(result) == [("deep", "Mon 09:00", "11:00")]
    assert {b.kind for b in result.blocks} >= {BlockKind.REST, BlockKind.RECOVERY}
    assert "rest before" in next(u.reason for u in result.unscheduled)


def test_recovery_reaches_across_the_night() -> None:
    sunday_show = replace(commitment("2026-03-22 20:00", "2026-03-22 22:00", "LIVE"),
                          recover_after_minutes=780)  # until Monday 11:00
    result = plan([sunday_show], [task("essay", 120)])
    assert work(result) == [("deep", "Mon 11:00", "13:00")]


def test_buffer_after_a_commitment_before_deep_work() -> None:
    found = [commitment("2026-03-23 09:00", "2026-03-23 10:00"),
             commitment("2026-03-23 12:15", "2026-03-23 17:00")]
    buffered = policy(sync={"buffer_after_minutes": 15})
    assert work(plan(found, [task("essay", 120)], buffered)) == [("deep", "Mon 10:15", "12:15")]
    longer = policy(sync={"buffer_after_minutes": 30})
    assert work(plan(found, [task("essay", 120)], longer)) == []


def test_partial_attention_admits_shallow_work_only() -> None:
    on_call = replace(commitment("2026-03-23 09:00", "2026-03-23 17:00", "on-call"),
                      attention=Attention.PARTIAL)
    result = plan([on_call], [task("essay", 120), task("tickets", 60, Depth.SHALLOW)])
    assert [kind for kind, _, _ in work(result)] == ["shallow"]
    assert "partial attention" in result.work_blocks[0].reason
    assert unplaced(result) == {"essay": 120}


# Soft terms -------------------------------------------------------------------------------------

def _one_free_hour() -> list[Commitment]:
    return [commitment("2026-03-23 10:00", "2026-03-23 17:00")]


def test_higher_priority_is_placed_first() -> None:
    tasks = [task("low", 60, Depth.SHALLOW, priority=4), task("high", 60, Depth.SHALLOW,
                                                              priority=1)]
    assert unplaced(plan(_one_free_hour(), tasks)) == {"low": 60}


def test_waiting_on_me_and_the_finish_line_outweigh_plain_work() -> None:
    waiting = [task("plain", 60, Depth.SHALLOW, priority=2),
               task("blocked", 60, Depth.SHALLOW, priority=3, waiting_on_me=True)]
    assert unplaced(plan(_one_free_hour(), waiting)) == {"plain": 60}
    nearly = [task("plain", 60, Depth.SHALLOW, priority=3),
              task("ship-it", 60, Depth.SHALLOW, priority=3, progress=0.95)]
    assert unplaced(plan(_one_free_hour(), nearly)) == {"plain": 60}


def test_fewest_deep_blocks() -> None:
    result = plan([], [task("essay", 240, min_block_minutes=60)])
    assert work(result) == [("deep", "Mon 09:00", "13:00")]


def test_shallow_work_goes_to_fragments_and_next_to_commitments() -> None:
    found = [commitment("2026-03-23 10:00", "2026-03-23 10:30", "standup"),
             commitment("2026-03-23 14:00", "2026-03-23 14:30", "review")]
    result = plan(found, [task("email", 60, Depth.SHALLOW)])
    assert work(result) == [("shallow", "Mon 09:00", "10:00")]  # the fragment, not a long gap
    found = [commitment("2026-03-23 09:00", "2026-03-23 10:00", "standup"),
             commitment("2026-03-23 13:00", "2026-03-23 17:00", "offsite")]
    (_, start, end), = work(plan(found, [task("email", 30, Depth.SHALLOW)]))
    assert (start, end) in {("Mon 10:00", "10:30"), ("Mon 12:30", "13:00")}


def test_sync_windows_near_the_preferred_time_next_to_sync_work() -> None:
    found = [commitment("2026-03-23 11:00", "2026-03-23 11:30", "standup")]
    chosen = policy(sync_windows={"per_day": 1, "minutes": 30, "prefer": ["11:30"]})
    result = plan(found, [], chosen)
    assert work(result) == [("sync-window", "Mon 11:30", "12:00")]
    assert "near 11:30" in result.work_blocks[0].reason


def test_deep_work_earlier_in_the_week_and_day() -> None:
    result = plan([], [task("essay", 120)], period=Period(MONDAY, date(2026, 3, 24)))
    assert work(result) == [("deep", "Mon 09:00", "11:00")]


def test_unscheduled_reason_gives_the_numbers() -> None:
    found = [commitment("2026-03-23 09:00", "2026-03-23 09:45"),
             commitment("2026-03-23 12:45", "2026-03-23 17:00")]
    result = plan(found, [task("essay", 240, deadline=z("2026-03-23 17:00"))])
    (left,) = result.unscheduled
    assert left.minutes == 120  # one block of the 2 × 120 cut fits
    assert "needs 240 min of deep time before Mon 23 Mar 17:00" in left.reason
    assert "180 min exist: Mon 09:45–12:45" in left.reason
    assert "a day" not in left.reason  # the daily cap did not decide
    assert result.capacity == ("essay: needs 240 min of deep time before Mon 23 Mar 17:00; "
                               "180 min exist",
                               "all tasks need 4h; the period has 3h free in its work windows")


def test_blocks_carry_stable_uids() -> None:
    first = plan([], [task("essay", 120)])
    again = plan([], [task("essay", 120)])
    assert [b.uid for b in first.blocks] == [b.uid for b in again.blocks]
    assert span("2026-03-23 09:00", "2026-03-23 11:00") == first.work_blocks[0].span


def test_a_sync_window_never_splits_a_focus_block() -> None:
    chosen = policy(sync_windows={"per_day": 1, "minutes": 30, "prefer": ["11:30"]})
    result = plan([], [], chosen)  # a free day: 11:30 would cut it into 2h30m and 5h
    (window,) = work(result)
    assert window in {("sync-window", "Mon 09:00", "09:30"), ("sync-window", "Mon 16:30", "17:00")}
    assert "moved to where it cuts no focus block" in result.work_blocks[0].reason
