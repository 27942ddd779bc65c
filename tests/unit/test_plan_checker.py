"""The plan checker itself: a hand-made good plan passes, and every rule's check can fail.

Each bad plan changes the good one in one way and must break exactly the rule it aims at, so a
check that always passes (or one that fires on everything) is caught here, before the checker is
trusted to judge the planner.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from makertime.audit import audit_commitments
from makertime.model import Attention, Commitment, Depth, Interval, Period, Task
from makertime.plan.result import (
    Block,
    BlockKind,
    LedgerEntry,
    PlanResult,
    SolverStats,
    Unscheduled,
)
from makertime.policy import Policy, build_policy
from tests.support.helpers import span, z
from tests.support.plan_checker import (
    check_plan,
    check_windows,
    min_block,
    overdue,
    plan_start,
    rounded,
)

LIVE_RULE = {"match": {"categories": ["LIVE"]}, "attention": "full", "drain_per_hour": 25,
             "rest_before_minutes": 180, "recover_after_minutes": 720}
POLICY = build_policy({"timezone": "Europe/Zagreb", "rule": [LIVE_RULE]})
PERIOD = Period(date(2026, 3, 23), date(2026, 3, 29))  # Mon..Sun, the spring-forward Sunday


def commit(start: str, end: str, summary: str, attention: Attention = Attention.FULL, *,
           rest: int = 0, recover: int = 0) -> Commitment:
    """A commitment between two Zagreb wall times."""
    return Commitment(summary=summary, span=span(start, end), uid=summary, source="test",
                      attention=attention, rest_before_minutes=rest, recover_after_minutes=recover)


STANDUP = commit("2026-03-23 09:30", "2026-03-23 09:45", "standup")
ON_CALL = commit("2026-03-24 13:00", "2026-03-24 17:00", "on-call", Attention.PARTIAL)
LIVE = commit("2026-03-26 18:30", "2026-03-26 21:30", "LIVE stream", rest=180, recover=720)
OPTIONAL = commit("2026-03-25 09:00", "2026-03-25 17:00", "optional talk", Attention.NONE)
FOUND = (STANDUP, ON_CALL, LIVE, OPTIONAL)

TASKS = (
    Task("design", "Design doc", 240, Depth.DEEP, deadline=z("2026-03-27 17:00")),
    # a naive deadline is wall time in the policy zone: 15:00 Zagreb, not 15:00 UTC
    Task("review", "Review", 50, Depth.SHALLOW, deadline=datetime(2026, 3, 24, 15, 0),
         min_block_minutes=30),
    Task("blog", "Blog post", 180, Depth.DEEP),
    # 100 minutes round to 105: under the 120-minute focus block, so 105 is long enough
    Task("spec", "Spec", 100, Depth.DEEP),
    Task("done", "Finished", 120, Depth.DEEP, progress=1.0),
    Task("zero", "Nothing left", 0, Depth.SHALLOW),
)


def block(kind: BlockKind, start: str, end: str, task: str | None = None) -> Block:
    """A block between two Zagreb wall times."""
    return Block(kind=kind, span=span(start, end), reason="test", task=task)


def deep(task: str, start: str, end: str) -> Block:
    """A deep block of ``task``."""
    return block(BlockKind.DEEP, start, end, task)


def shallow(task: str, start: str, end: str) -> Block:
    """A shallow block of ``task``."""
    return block(BlockKind.SHALLOW, start, end, task)


def sync(start: str, end: str) -> Block:
    """A sync window."""
    return block(BlockKind.SYNC_WINDOW, start, end)


GOOD_BLOCKS = (
    deep("design", "2026-03-23 10:00", "2026-03-23 12:00"),  # after standup + 10 min buffer
    sync("2026-03-23 12:00", "2026-03-23 12:30"),
    sync("2026-03-23 16:30", "2026-03-23 17:00"),
    shallow("review", "2026-03-24 13:00", "2026-03-24 14:00"),  # shallow under partial on-call
    sync("2026-03-24 11:30", "2026-03-24 12:00"),
    deep("design", "2026-03-25 09:00", "2026-03-25 11:00"),  # attention-none talk is transparent
    block(BlockKind.REST, "2026-03-26 15:30", "2026-03-26 17:00"),  # a marker, not work
    block(BlockKind.RECOVERY, "2026-03-27 09:00", "2026-03-27 09:30"),
    deep("spec", "2026-03-27 13:00", "2026-03-27 14:45"),
)
GOOD_UNSCHEDULED = (Unscheduled("blog", 180, "no room"),)


@dataclass
class Case:
    """The good plan's inputs, to be changed in one way."""

    blocks: list[Block] = field(default_factory=lambda: list(GOOD_BLOCKS))
    unscheduled: list[Unscheduled] = field(default_factory=lambda: list(GOOD_UNSCHEDULED))
    found: list[Commitment] = field(default_factory=lambda: list(FOUND))
    tasks: list[Task] = field(default_factory=lambda: list(TASKS))
    policy: Policy = POLICY
    period: Period = PERIOD
    now: datetime | None = None
    ledger: Callable[[list[LedgerEntry]], list[LedgerEntry]] | None = None  # changes the ledger

    def swap(self, old: Block, new: Block | None) -> None:
        """Replace ``old`` with ``new`` (or drop it)."""
        index = self.blocks.index(old)
        if new is None:
            del self.blocks[index]
        else:
            self.blocks[index] = new

    def violations(self) -> list[str]:
        """What the checker says about this case."""
        entries = ledger_of(self.blocks, self.unscheduled, self.tasks,
                            start=plan_start(self.policy, self.period, self.now),
                            policy=self.policy)
        if self.ledger is not None:
            entries = self.ledger(entries)
        plan = replace(plan_of(self.blocks, self.unscheduled, self.found, self.policy,
                               self.period), ledger=tuple(entries))
        return check_plan(plan, self.found, self.tasks, self.policy, self.period, now=self.now)


def ledger_of(blocks: Sequence[Block], unscheduled: Sequence[Unscheduled], tasks: Sequence[Task],
              *, start: datetime, policy: Policy) -> list[LedgerEntry]:
    """The ledger a planner would write for these blocks: each open task's minutes, summed."""
    entries = []
    for task in tasks:
        if task.progress >= 1:
            continue
        placed = sum(b.span.minutes for b in blocks if b.task == task.id and b.kind.is_work)
        left = sum(u.minutes for u in unscheduled if u.task == task.id)
        entries.append(LedgerEntry(task.id, task.title, placed + left, placed, 0, left,
                                   overdue(task, policy, start)))
    return entries


def plan_of(blocks: Sequence[Block], unscheduled: Sequence[Unscheduled],
            found: Sequence[Commitment] = FOUND, policy: Policy = POLICY,
            period: Period = PERIOD) -> PlanResult:
    """A PlanResult around hand-made blocks (the audits are real, the solve is pretend)."""
    report = audit_commitments(list(found), policy, period)
    return PlanResult(period=period, timezone=str(policy.timezone), blocks=tuple(blocks),
                      unscheduled=tuple(unscheduled), before=report, after=report,
                      solver=SolverStats("OPTIMAL", 0.0, 0.0, 0.0))


def rules_broken(violations: list[str]) -> set[int]:
    """The rule numbers the violations name."""
    return {int(v.split(":", 1)[0].removeprefix("rule ")) for v in violations}


DESIGN_MON, SYNC_NOON, SYNC_LATE, REVIEW, SYNC_TUE, DESIGN_WED, *_, SPEC_FRI = GOOD_BLOCKS


def test_the_good_plan_holds_every_rule() -> None:
    assert Case().violations() == []


def test_rounding_and_the_minimum_block_exception() -> None:
    spec, review = TASKS[3], TASKS[1]
    assert rounded(100) == 105 and rounded(0) == 0 and rounded(15) == 15
    assert min_block(spec, POLICY) == 105  # the whole task is shorter than a focus block
    assert min_block(review, POLICY) == 30
    assert min_block(replace(review, min_block_minutes=None), POLICY) == 15


def _day_off(c: Case) -> None:
    c.blocks.append(deep("blog", "2026-03-28 09:00", "2026-03-28 12:00"))
    c.unscheduled.clear()


def _past_window(c: Case) -> None:
    c.swap(SYNC_LATE, sync("2026-03-23 16:45", "2026-03-23 17:15"))


def _off_grid(c: Case) -> None:
    c.swap(REVIEW, shallow("review", "2026-03-24 13:05", "2026-03-24 14:05"))


def _outside_period(c: Case) -> None:
    c.period = Period(date(2026, 3, 24), date(2026, 3, 29))


def _overlapping_blocks(c: Case) -> None:
    c.swap(SYNC_NOON, sync("2026-03-23 11:30", "2026-03-23 12:00"))


def _deep_over_full(c: Case) -> None:
    c.found.append(commit("2026-03-23 11:00", "2026-03-23 12:00", "1:1"))


def _shallow_over_full(c: Case) -> None:
    c.found.append(commit("2026-03-24 13:30", "2026-03-24 14:00", "incident call"))


def _deep_over_partial(c: Case) -> None:
    c.found.append(commit("2026-03-25 10:00", "2026-03-25 11:00", "watch", Attention.PARTIAL))


def _unknown_task(c: Case) -> None:
    c.blocks.append(deep("ghost", "2026-03-26 09:00", "2026-03-26 11:00"))


def _wrong_depth(c: Case) -> None:
    c.swap(DESIGN_WED, replace(DESIGN_WED, kind=BlockKind.SHALLOW))


def _block_too_short(c: Case) -> None:
    c.swap(DESIGN_WED, deep("design", "2026-03-25 09:00", "2026-03-25 10:00"))
    c.blocks.append(deep("design", "2026-03-25 10:00", "2026-03-25 11:00"))


def _short_of_a_short_task(c: Case) -> None:
    c.swap(SPEC_FRI, deep("spec", "2026-03-27 13:00", "2026-03-27 14:30"))
    c.unscheduled.append(Unscheduled("spec", 15, "no room"))


def _naive_deadline(c: Case) -> None:
    # ends 16:00 Zagreb = 15:00 UTC: only a checker reading 15:00 as Zagreb time sees it is late
    c.swap(REVIEW, shallow("review", "2026-03-24 15:00", "2026-03-24 16:00"))


def _aware_deadline(c: Case) -> None:
    c.tasks[0] = replace(c.tasks[0], deadline=z("2026-03-24 12:00"))


def _too_many_minutes(c: Case) -> None:
    c.blocks.append(shallow("review", "2026-03-24 14:00", "2026-03-24 14:30"))


def _lost_minutes(c: Case) -> None:
    c.unscheduled.clear()


def _finished_task_planned(c: Case) -> None:
    c.blocks.append(shallow("zero", "2026-03-24 14:00", "2026-03-24 14:15"))


def _unscheduled_stranger(c: Case) -> None:
    c.unscheduled.append(Unscheduled("stranger", 30, "no room"))


def _deep_day_over_cap(c: Case) -> None:
    c.blocks.append(deep("blog", "2026-03-23 13:00", "2026-03-23 16:00"))
    c.unscheduled.clear()


def _lower_cap(c: Case) -> None:
    c.policy = build_policy({"timezone": "Europe/Zagreb", "focus": {"max_deep_minutes_per_day":
                                                                     100}})


def _in_rest(c: Case) -> None:
    c.blocks.append(deep("blog", "2026-03-26 14:00", "2026-03-26 17:00"))
    c.unscheduled.clear()


def _in_recovery(c: Case) -> None:
    c.swap(SPEC_FRI, deep("spec", "2026-03-27 09:15", "2026-03-27 11:00"))


def _in_recovery_from_before_the_period(c: Case) -> None:
    # Sunday night's stream, outside the period, still keeps Monday morning free of deep work
    c.found.append(commit("2026-03-22 20:00", "2026-03-22 23:00", "LIVE", rest=180, recover=720))


def _in_buffer_after_full(c: Case) -> None:
    c.swap(DESIGN_MON, deep("design", "2026-03-23 09:45", "2026-03-23 11:45"))


def _in_buffer_after_partial(c: Case) -> None:
    c.found.append(commit("2026-03-25 08:00", "2026-03-25 09:00", "watch", Attention.PARTIAL))


def _before_now(c: Case) -> None:
    c.now = z("2026-03-23 10:30")


def _third_sync_window(c: Case) -> None:
    c.blocks.append(sync("2026-03-23 15:00", "2026-03-23 15:30"))


def _long_sync_window(c: Case) -> None:
    c.swap(SYNC_TUE, sync("2026-03-24 11:30", "2026-03-24 12:15"))


def _overdue_block_unmarked(c: Case) -> None:
    # the review was due Monday before the plan starts: late blocks are fine, but must say so
    c.now = z("2026-03-24 12:00")
    c.tasks[1] = replace(c.tasks[1], deadline=z("2026-03-24 11:00"))
    c.blocks = [b for b in c.blocks if b.span.start >= z("2026-03-24 12:00")]
    c.unscheduled.append(Unscheduled("design", 120, "no room"))


def _task_missing_from_ledger(c: Case) -> None:
    c.ledger = lambda entries: [e for e in entries if e.task != "blog"]


def _task_twice_in_ledger(c: Case) -> None:
    c.ledger = lambda entries: [*entries, entries[0]]


def _ledger_not_adding_up(c: Case) -> None:
    c.ledger = lambda entries: [replace(e, needed=e.needed + 15) if e.task == "spec" else e
                                for e in entries]


def _held_that_is_not(c: Case) -> None:
    c.ledger = lambda entries: [replace(e, held=60, needed=e.needed + 60)
                                if e.task == "design" else e for e in entries]


def _overdue_not_in_ledger(c: Case) -> None:
    _overdue_block_unmarked(c)
    c.blocks = [replace(b, reason="overdue: was due Tue 11:00") for b in c.blocks]
    c.ledger = lambda entries: [replace(e, overdue=False) for e in entries]


BAD: list[tuple[Callable[[Case], None], int]] = [
    (_day_off, 1), (_past_window, 1), (_off_grid, 1), (_outside_period, 1),
    (_overlapping_blocks, 2),
    (_deep_over_full, 3), (_shallow_over_full, 3), (_deep_over_partial, 3),
    (_unknown_task, 4), (_wrong_depth, 4), (_block_too_short, 4), (_short_of_a_short_task, 4),
    (_naive_deadline, 4), (_aware_deadline, 4),
    (_too_many_minutes, 5), (_lost_minutes, 5), (_finished_task_planned, 5),
    (_unscheduled_stranger, 5),
    (_deep_day_over_cap, 6), (_lower_cap, 6),
    (_in_rest, 7), (_in_recovery, 7), (_in_recovery_from_before_the_period, 7),
    (_in_buffer_after_full, 8), (_in_buffer_after_partial, 8),
    (_before_now, 9),
    (_third_sync_window, 10), (_long_sync_window, 10),
    (_overdue_block_unmarked, 4),
    (_task_missing_from_ledger, 11), (_task_twice_in_ledger, 11), (_ledger_not_adding_up, 11),
    (_held_that_is_not, 11), (_overdue_not_in_ledger, 11),
]


@pytest.mark.parametrize(("change", "rule"), BAD, ids=[f.__name__.strip("_") for f, _ in BAD])
def test_each_bad_plan_breaks_exactly_its_rule(change: Callable[[Case], None], rule: int) -> None:
    case = Case()
    change(case)
    violations = case.violations()
    assert violations, "the checker missed it"
    assert rules_broken(violations) == {rule}, violations


def test_every_rule_has_a_failing_case() -> None:
    assert {rule for _, rule in BAD} == set(range(1, 12))


@pytest.mark.parametrize("good", [
    lambda c: setattr(c, "now", z("2026-03-23 10:00")),  # a block may start right at now
    lambda c: c.found.append(commit("2026-03-25 08:00", "2026-03-25 09:00", "fyi",
                                    Attention.NONE)),  # no buffer after a transparent item
    lambda c: c.found.append(commit("2026-03-24 11:00", "2026-03-24 11:30", "chat",
                                    Attention.PARTIAL)),  # a sync window may follow partial
])
def test_borderline_cases_that_are_fine(good: Callable[[Case], None]) -> None:
    case = Case()
    good(case)
    assert case.violations() == []


def test_an_overdue_task_has_no_deadline_to_break() -> None:
    case = Case()
    _overdue_block_unmarked(case)
    case.blocks = [replace(b, reason="overdue: was due Tue 11:00") if b.task == "review" else b
                   for b in case.blocks]
    late = [b for b in case.blocks if b.task == "review"]
    assert late and all(b.span.end > z("2026-03-24 11:00") for b in late)
    assert case.violations() == []


def test_an_empty_block_is_caught() -> None:
    empty = block(BlockKind.SHALLOW, "2026-03-24 14:00", "2026-03-24 14:00", "review")
    assert check_windows([empty], POLICY, PERIOD) == [
        "rule 1: shallow 'review' Tue 2026-03-24 14:00-14:00 is empty or reversed"]


def test_windows_are_read_on_the_local_clock_across_dst_and_odd_offsets() -> None:
    every_day = {"work": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}}
    zagreb = build_policy({"timezone": "Europe/Zagreb", **every_day})
    # 09:00-17:00 on the spring-forward Sunday is 07:00-15:00 UTC, not 08:00-16:00
    on_sunday = block(BlockKind.SYNC_WINDOW, "2026-03-29 09:00", "2026-03-29 09:30")
    assert check_windows([on_sunday], zagreb, PERIOD) == []
    early = block(BlockKind.SYNC_WINDOW, "2026-03-29 08:00", "2026-03-29 08:30")
    assert check_windows([early], zagreb, PERIOD)
    # India is UTC+05:30: 09:15 local is 03:45 UTC, still on the local quarter-hour grid
    kolkata = build_policy({"timezone": "Asia/Kolkata", **every_day})
    zone = ZoneInfo("Asia/Kolkata")
    start = datetime(2026, 3, 24, 9, 15, tzinfo=zone).astimezone(UTC)
    ok = Block(BlockKind.SYNC_WINDOW, Interval(start, start + timedelta(minutes=30)), "test")
    assert check_windows([ok], kolkata, PERIOD) == []
    shifted = replace(ok, span=Interval(start + timedelta(minutes=5), ok.span.end))
    assert check_windows([shifted], kolkata, PERIOD)
