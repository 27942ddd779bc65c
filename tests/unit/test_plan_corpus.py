"""Plans on real-world calendars of the shared corpus: every hard rule holds, every block explains
itself, and the ICS written reads back through makertime's own readers.

For each corpus file with timed events, the busiest ISO week of 2010-2026 is planned with a small
task list (a long deep task due at the end of the week, a deep task without deadline, shallow
work with a minimum block), a rule that makes every "meeting" or "call" draining, and two sync
windows.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from makertime.app import plan_calendars
from makertime.calendars import read_calendars
from makertime.calendars.check import check_file
from makertime.calendars.ics import read_ics_bytes
from makertime.classify import commitments
from makertime.inputs import reach
from makertime.model import Period
from makertime.outputs.ics import plan_to_ics
from makertime.plan import PlanOptions
from makertime.policy import build_policy
from makertime.tasks import load_tasks
from tests.support.corpus import CORPUS, FILES
from tests.support.plan_checker import check_plan

POLICY = build_policy({
    "timezone": "Europe/Berlin",
    "rule": [{"match": {"summary": "(?i)meeting|call"}, "rest_before_minutes": 60,
              "recover_after_minutes": 90}],
    "sync_windows": {"per_day": 2, "minutes": 30, "prefer": ["11:30", "16:30"]},
})
OPTIONS = PlanOptions(time_limit=2, workers=1)
MIN_EVENTS = 3  # timed events in the busiest week worth planning around
MAX_FILES = 40
YEARS = Period(date(2010, 1, 1), date(2026, 12, 31))  # where the corpus's events lie


def _busiest_weeks() -> list[tuple[Path, Period]]:
    chosen = []
    for path in FILES:
        if not check_file(path, YEARS).readable:
            continue
        (read,) = read_calendars([str(path)], YEARS.first, YEARS.last)
        weeks = Counter(Period.week_of(c.span.start.astimezone(POLICY.timezone).date()).first
                        for c in commitments([read], POLICY) if c.span.minutes < 24 * 60)
        if weeks and max(weeks.values()) >= MIN_EVENTS:
            monday = max(weeks, key=lambda w: (weeks[w], w))
            chosen.append((path, Period.week_of(monday)))
    return chosen[:MAX_FILES]


def _tasks_toml(week: Period, folder: Path) -> Path:
    friday = week.first + timedelta(days=4)
    path = folder / "tasks.toml"
    path.write_text(f"""
[[task]]
id = "report"
title = "Quarterly report"
estimate = "6h"
deadline = {friday}T17:00:00
priority = 2

[[task]]
id = "side"
title = "Side project"
estimate = "2h"
progress = 0.9

[[task]]
id = "reviews"
title = "Code reviews"
estimate = "2h30m"
depth = "shallow"
min_block = "30m"
waiting_on_me = true

[[task]]
id = "inbox"
title = "Inbox zero"
estimate = "20m"
depth = "shallow"
deadline = {friday}T17:00:00
""")
    return path


pytestmark = pytest.mark.skipif(not FILES, reason=f"the shared corpus is not at {CORPUS}")


def test_real_weeks_get_plans_that_break_no_hard_rule(tmp_path: Path) -> None:
    weeks = _busiest_weeks()
    assert len(weeks) >= 20, "the corpus should offer at least twenty busy weeks"
    for path, week in weeks:
        tasks_path = _tasks_toml(week, tmp_path)
        result = plan_calendars([str(path)], POLICY, week, tasks_path=tasks_path,
                                options=OPTIONS)
        assert result.solver.status in ("OPTIMAL", "FEASIBLE"), path
        # the checker sees the commitments over the planner's reach, and the tasks as listed
        margin = reach(POLICY)
        reads = read_calendars([str(path)], week.first - margin, week.last + margin)
        found = commitments(reads, POLICY)
        listed = load_tasks(tasks_path, POLICY.timezone)
        ids = {t.id for t in listed}  # a VTODO is a task too, unless tasks.toml names its id
        tasks = [*listed, *(t for read in reads for t in read.tasks if t.id not in ids)]
        assert check_plan(result, found, tasks, POLICY, week) == [], path
        assert all(block.reason for block in result.blocks), path
        for item in result.unscheduled:
            assert "min exist" in item.reason or "has passed" in item.reason, (path, item)
        written = read_ics_bytes(plan_to_ics(result, POLICY.timezone), "plan.ics",
                                 week.first, week.last + timedelta(days=1))
        assert {i.uid for i in written.instances} == {b.uid for b in result.blocks}, path
        assert len(written.instances) == len(result.blocks), path
