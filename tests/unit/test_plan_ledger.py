"""The ledger, overdue work and honest solver figures, through the public planner API and every
rendering of a plan (JSON, terminal, HTML)."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime

from rich.console import Console

from makertime.model import Depth, Period, Task
from makertime.outputs.json import plan_to_dict
from makertime.outputs.plan_html import render_plan_html
from makertime.outputs.plan_terminal import render_plan
from makertime.plan import PlanOptions, PlanResult, greedy_plan, plan_commitments
from makertime.policy import Policy, build_policy
from tests.support.helpers import ZAGREB, commitment, z
from tests.support.plan_checker import check_plan

POLICY = build_policy({"timezone": "Europe/Zagreb", "sync_windows": {"per_day": 0},
                       "focus": {"max_deep_minutes_per_day": 240, "min_block_minutes": 120}})
WEEK = Period(date(2026, 3, 23), date(2026, 3, 27))  # Mon..Fri
OPTIONS = PlanOptions(time_limit=5.0, workers=1, seed=0)


def text_of(result: PlanResult, policy: Policy = POLICY) -> str:
    """The terminal report, its line wrapping undone."""
    console = Console(record=True, width=140, file=io.StringIO())
    render_plan(result, console, ZAGREB, policy.focus.min_block_minutes)
    return " ".join(console.export_text().split())


# Overdue work -----------------------------------------------------------------------------------

OVERDUE = Task("incident-report", "Incident report", 120, Depth.SHALLOW, priority=1,
               deadline=datetime(2026, 3, 20, 17, 0), waiting_on_me=True)
PEERS = (Task("review", "Review", 120, Depth.SHALLOW, priority=1),
         Task("notes", "Notes", 60, Depth.SHALLOW, priority=1))


def test_an_overdue_task_is_planned_first_and_marked_overdue_everywhere() -> None:
    tasks = (*PEERS, OVERDUE)  # listed last: it must still go first
    result = plan_commitments([], tasks, POLICY, WEEK, options=OPTIONS)
    assert check_plan(result, [], tasks, POLICY, WEEK) == []
    mine = [b for b in result.work_blocks if b.task == OVERDUE.id]
    assert sum(b.minutes for b in mine) == 120
    first = min(result.work_blocks, key=lambda b: b.span.start)
    assert first.task == OVERDUE.id
    assert first.span.start == z("2026-03-23 09:00")
    assert all("overdue: was due Fri 20 Mar 17:00" in b.reason for b in mine)
    entry = next(e for e in result.ledger if e.task == OVERDUE.id)
    assert (entry.needed, entry.placed, entry.unscheduled, entry.overdue) == (120, 120, 0, True)
    assert [e.overdue for e in result.ledger if e.task != OVERDUE.id] == [False, False]
    data = plan_to_dict(result, ZAGREB)
    row = next(r for r in data["tasks"] if r["id"] == OVERDUE.id)
    assert row["overdue"] is True and row["placed"] == 120
    assert re.search(r"incident-report 2h 2h 0m 0m overdue: planned first", text_of(result))
    page = render_plan_html(result, POLICY)
    assert re.search(r"incident-report <span class=\"overdue\">overdue</span>", page)


def test_a_greedy_overdue_task_goes_first_too() -> None:
    tasks = (*PEERS, OVERDUE)
    result = greedy_plan([], tasks, POLICY, WEEK)
    first = min(result.work_blocks, key=lambda b: b.span.start)
    assert first.task == OVERDUE.id and "overdue" in first.reason


def test_a_done_overdue_task_is_not_planned_nor_listed() -> None:
    done = Task(OVERDUE.id, OVERDUE.title, 120, Depth.SHALLOW, deadline=OVERDUE.deadline,
                progress=1.0)
    result = plan_commitments([], (*PEERS, done), POLICY, WEEK, options=OPTIONS)
    assert OVERDUE.id not in {b.task for b in result.blocks}
    assert OVERDUE.id not in {e.task for e in result.ledger}


# Solver figures ---------------------------------------------------------------------------------


def test_a_greedy_plan_has_no_bound_and_no_gap() -> None:
    result = greedy_plan([], PEERS, POLICY, WEEK)
    assert result.solver.bound is None and result.solver.gap is None
    solver = plan_to_dict(result, ZAGREB)["solver"]
    assert solver["bound"] is None and solver["gap"] is None
    json.dumps(solver, allow_nan=False)
    text = text_of(result)
    assert "solver GREEDY · objective – · no bound" in text
    assert "gap" not in text.split("solver GREEDY")[1]
    assert "no bound" in render_plan_html(result, POLICY)


def test_a_solved_plan_called_optimal_has_met_its_bound() -> None:
    result = plan_commitments([], PEERS, POLICY, WEEK, options=OPTIONS)
    stats = result.solver
    assert stats.bound is not None and stats.gap is not None
    if stats.status == "OPTIMAL":
        assert stats.bound >= stats.objective - 0.5 and stats.gap < 1e-6


# Reasons that add up ----------------------------------------------------------------------------


def _minutes(text: str) -> int:
    return int(text.replace(",", ""))


def test_an_unscheduled_reason_lists_stretches_that_add_up_and_names_the_daily_cap() -> None:
    # every day 09:00-17:00 with a meeting 12:00-13:00: two deep stretches a day (the second
    # after the 10-minute buffer), seven hours of them, but only 4 h of deep work a day
    found = [commitment(f"2026-03-{day} 12:00", f"2026-03-{day} 13:00", f"lunch {day}")
             for day in range(23, 28)]
    big = Task("book", "Book chapter", 40 * 60, Depth.DEEP)
    result = plan_commitments(found, [big], POLICY, WEEK, options=OPTIONS)
    [left] = result.unscheduled
    claimed = re.search(r"; ([\d,]+) min exist: (.*?); no more than 240 min of deep work a day "
                        r"leaves ([\d,]+) min of them", left.reason)
    assert claimed, left.reason
    listed = [_minutes(m) for m in re.findall(r"\((\d+)\)", claimed.group(2))]
    more = re.search(r"and \d+ more \(([\d,]+) min\)", claimed.group(2))
    assert more is not None
    assert sum(listed) + _minutes(more.group(1)) == _minutes(claimed.group(1))
    assert _minutes(claimed.group(3)) == 5 * 240 < _minutes(claimed.group(1))
    assert left.minutes == 40 * 60 - 5 * 240
    entry = result.ledger[0]
    assert entry.reason == left.reason and entry.unscheduled == left.minutes


def test_a_reason_names_stretches_too_short_for_the_minimum_block() -> None:
    # 09:00-17:00 with meetings leaving 09:00-10:00 and 14:10-17:00 of deep time on one day
    day = Period(date(2026, 3, 23), date(2026, 3, 23))
    found = [commitment("2026-03-23 10:00", "2026-03-23 14:00", "workshop")]
    task = Task("deep", "Deep", 5 * 60, Depth.DEEP)
    result = plan_commitments(found, [task], POLICY, day, options=OPTIONS)
    [left] = result.unscheduled
    assert "; 165 min exist: Mon 14:15–17:00 (165)" in left.reason
    assert "60 min more lie in stretches shorter than the 120 min minimum block" in left.reason


# Capacity up to the deadline --------------------------------------------------------------------


def test_the_capacity_check_counts_the_work_windows_up_to_a_deadline_past_the_period() -> None:
    monday = Period(date(2026, 3, 23), date(2026, 3, 23))
    due_friday = Task("essay", "Essay", 16 * 60, Depth.DEEP, deadline=datetime(2026, 3, 27, 13))
    result = plan_commitments([], [due_friday], POLICY, monday, options=OPTIONS)
    # Monday holds 240 min under the cap; Tue-Thu 240 each and Friday 09:00-13:00 another 240
    assert ("essay: needs 960 min of deep time before Fri 27 Mar 13:00; this period holds 240 "
            "min of it, and the work windows after it hold 960 more before the deadline") in \
        " ".join(result.capacity)
    too_big = Task("essay", "Essay", 30 * 60, Depth.DEEP, deadline=datetime(2026, 3, 27, 13))
    result = plan_commitments([], [too_big], POLICY, monday, options=OPTIONS)
    assert ("essay: needs 1800 min of deep time before Fri 27 Mar 13:00; 1200 min exist: 240 "
            "in this period and 960 in the work windows after it") in " ".join(result.capacity)
