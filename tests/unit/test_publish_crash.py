"""A publish killed midway, in process: the run stops right before (or right after) its k-th
write to a calendar in memory, with the store's journal on SQLite, and the next run finds a
consistent state and finishes the job — every block of the plan on the calendar exactly once,
nothing extra, the store's record equal to the calendar, no intention left, a block makertime
itself deleted never taken for one the person deleted, and the person's own event byte for byte
as it was.

The same, for real (a ``makertime`` process SIGKILLed against Radicale):
``tests/system/test_publish_crash.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from makertime.calendars.memory import MemoryCalendar
from makertime.plan.result import Block, BlockKind
from makertime.store import Store
from makertime.store.journal import Action
from tests.support.publish import (
    DENTIST,
    Crash,
    Watched,
    assert_settled,
    block,
    edits,
    put,
    sqlite_store,
)

# a week of a dozen blocks, in the order a publish writes them (by start)
WEEK = sorted((block(day, hour, minutes, kind, task)
               for day in range(5)
               for hour, minutes, kind, task in ((7, 120, BlockKind.DEEP, f"task-{day}"),
                                                 (12, 60, BlockKind.SYNC_WINDOW, None),
                                                 (14, 90, BlockKind.SHALLOW, "blog"))),
              key=lambda b: (b.span.start, b.uid))


def calendar_with_theirs() -> MemoryCalendar:
    """A calendar in memory holding one event of the person's."""
    calendar = MemoryCalendar("memory:plan")
    calendar.put("dentist.ics", DENTIST)
    return calendar


def killed(store: Store, calendar: MemoryCalendar, blocks: list[Block], *, action: str,
           when: str, k: int) -> None:
    """Publish ``blocks``, killed right ``before`` the k-th write of ``action`` is sent, or
    right ``after`` it went through (before anything recorded it)."""
    sent = 0

    def dying(kind: str, _href: str) -> None:
        nonlocal sent
        sent += kind == action
        if when == "before" and kind == action and sent == k:
            raise Crash

    calendar.before_write = dying
    target = Watched(calendar, crash_after_writes=k if when == "after" else None)
    try:
        with pytest.raises(Crash):
            put(store, target, blocks)
    finally:
        calendar.before_write = None


def assert_finished(store: Store, calendar: MemoryCalendar, blocks: list[Block]) -> None:
    """The calendar holds each block once, where planned, and nothing else of makertime's; the
    store records exactly that, with no intention left and none declined."""
    events = assert_settled(store, calendar)
    assert set(events) == {b.uid for b in blocks}
    assert all(events[b.uid].span == b.span for b in blocks)
    assert store.declined(calendar.name) == set()


@pytest.mark.parametrize("when", ["after", "before"])
def test_a_publish_killed_mid_create_is_finished_by_the_next(tmp_path: Path, when: str) -> None:
    calendar = calendar_with_theirs()
    theirs = calendar.items["dentist.ics"]
    order = [b.uid for b in WEEK]
    with sqlite_store(tmp_path) as store:
        killed(store, calendar, WEEK, action="create", when=when, k=5)
        # Killed after the 5th create: five events, four recorded, the 5th still intended.
        # Killed before it: four events, four recorded, the 5th intended but never sent.
        sent = order[:5] if when == "after" else order[:4]
        assert [e.uid for e in calendar.list().events] == sorted(sent)
        assert set(store.journalled(calendar.name).published) == set(order[:4])
        assert [(i.uid, i.action) for i in list(store.journalled(calendar.name).intentions)] == [
            (order[4], Action.CREATE)]
        assert store.declined(calendar.name) == set()

        again = put(store, calendar, WEEK)
        assert again.summary() == (f"{len(order) - len(sent)} created, 0 moved, 0 removed, "
                                   f"{len(sent)} untouched")
        assert_finished(store, calendar, WEEK)
        settled = dict(calendar.items)
        assert put(store, calendar, WEEK).writes == 0 and calendar.items == settled
    assert calendar.items["dentist.ics"] == theirs


@pytest.mark.parametrize("recovery", ["publish", "replan"])
def test_a_replan_killed_mid_delete_is_finished_and_no_deletion_is_taken_for_the_persons(
        tmp_path: Path, recovery: str) -> None:
    calendar = calendar_with_theirs()
    theirs = calendar.items["dentist.ics"]
    # two tasks are done: their blocks go at the next publish
    second = [b for b in WEEK if b.task not in ("task-1", "task-3")]
    going = [b.uid for b in WEEK if b not in second]
    with sqlite_store(tmp_path) as store:
        put(store, calendar, WEEK)
        killed(store, calendar, second, action="delete", when="after", k=1)
        # the first of its deletions was made and is still intended
        assert {e.uid for e in calendar.list().events} == {b.uid for b in WEEK} - {going[0]}
        assert set(store.journalled(calendar.name).published) == {b.uid for b in WEEK}
        assert [(i.uid, i.action) for i in list(store.journalled(calendar.name).intentions)] == [
            (going[0], Action.DELETE)]
        # what is missing is makertime's own doing, not the person's
        read = edits(store, calendar, second)
        assert read.deleted == frozenset() and read.moved == {}

        if recovery == "replan":  # the repair reads the person's edits first, then publishes
            assert edits(store, calendar, WEEK).deleted == frozenset()
        again = put(store, calendar, second)
        assert again.summary() == (f"0 created, 0 moved, {len(going) - 1} removed, "
                                   f"{len(second)} untouched")
        assert again.declined == ()
        assert_finished(store, calendar, second)
        assert put(store, calendar, second).writes == 0
        assert edits(store, calendar, second).deleted == frozenset()
    assert calendar.items["dentist.ics"] == theirs


def test_a_block_makertime_deleted_in_a_killed_run_is_created_when_planned_again(
        tmp_path: Path) -> None:
    calendar = calendar_with_theirs()
    gone = WEEK[3]
    with sqlite_store(tmp_path) as store:
        put(store, calendar, WEEK)
        killed(store, calendar, [b for b in WEEK if b != gone], action="delete", when="after",
               k=1)
        assert gone.uid not in {e.uid for e in calendar.list().events}
        assert [(i.uid, i.action) for i in list(store.journalled(calendar.name).intentions)] == [
            (gone.uid, Action.DELETE)]
        # the task was not done after all: the week planned afresh wants the block again
        report = put(store, calendar, WEEK)
        assert [b.uid for b in report.created] == [gone.uid] and report.declined == ()
        assert_finished(store, calendar, WEEK)
