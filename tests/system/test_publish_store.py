"""Publishing through the store, on SQLite and PostgreSQL: what the journal records after a
write refused for no reason, after a run killed between a write and its record, and when a
second store publishes to the same calendar; and the publish lock, one publish at a time per
store and target.

A second publish (or a replan reading the target) fails at once with a StoreBusyError (exit
status 4) naming who holds the lock since when; a lock left by a process that is gone, or not
refreshed for a while, is taken over; a holder whose lock was taken over stops at its next
record. The calendar is one in memory: what is tested here is the store.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from makertime.calendars.memory import MemoryCalendar
from makertime.errors import StoreBusyError
from makertime.publish.lock import STALE_AFTER
from makertime.sample import sample_path
from makertime.store import Holder, Store, open_store
from makertime.store.journal import Action
from makertime.store.locks import this_host
from tests.support.publish import (
    PLAN,
    T0,
    Crash,
    MemoryPlace,
    Watched,
    edits,
    faulty,
    item_of,
    kept_block,
    lock_of,
    put,
)
from tests.support.week import SAMPLE, WEEK, run


@pytest.fixture
def store(db: str) -> Iterator[Store]:
    """An open store on an empty database of each backend."""
    with open_store(db) as opened:
        yield opened


def holder(token: str, pid: int | None = None, host: str | None = None) -> Holder:
    """A holder: this process on this host unless told otherwise."""
    return Holder(pid=os.getpid() if pid is None else pid, host=host or this_host(),
                  token=token)


def gone_pid() -> int:
    """The id of a process of this host that has ended (and been reaped)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


# the journal's records


def test_a_create_refused_for_no_reason_is_never_recorded_as_declined(store: Store) -> None:
    place = MemoryPlace()
    name = place.calendar.name
    report = put(store, faulty(place, create=["ok", "ok", "412", "412"]), PLAN)
    assert [f.uid for f in report.failed] == [PLAN[2].uid] and report.declined == ()
    assert store.declined(name) == set() and list(store.journalled(name).intentions) == []
    assert set(store.journalled(name).published) == {b.uid for b in PLAN} - {PLAN[2].uid}
    assert edits(store, place.calendar, PLAN).deleted == frozenset()
    again = put(store, place.calendar, PLAN)
    assert [b.uid for b in again.created] == [PLAN[2].uid]
    assert set(store.journalled(name).published) == {b.uid for b in PLAN}


@pytest.mark.parametrize("when", ["after", "before"])
def test_an_update_killed_before_its_record_is_not_read_as_the_persons_move(
        store: Store, when: str) -> None:
    calendar = MemoryCalendar("memory:plan")
    put(store, calendar, [kept_block(6), PLAN[2]])

    def dying(action: str, _href: str) -> None:
        if action == "update":
            raise Crash

    if when == "after":
        target = Watched(calendar, crash_after_writes=1)
    else:
        calendar.before_write, target = dying, Watched(calendar)
    with pytest.raises(Crash):
        put(store, target, [kept_block(8), PLAN[2]])
    calendar.before_write = None
    assert [(i.uid, i.action) for i in list(store.journalled(calendar.name).intentions)] == [
        (kept_block(8).uid, Action.UPDATE)]
    assert lock_of(store, calendar.name) is None  # given back, though the run failed
    # a replan of the plan that wanted the update, or of one that no longer has the block
    for blocks in ([kept_block(8), PLAN[2]], [PLAN[2]]):
        read = edits(store, calendar, blocks)
        assert read.moved == {} and read.deleted == frozenset()
    report = put(store, calendar, [PLAN[2]])
    assert [e.uid for e in report.removed] == [kept_block(8).uid] and report.kept_theirs == ()
    assert set(store.journalled(calendar.name).published) == {PLAN[2].uid}
    assert list(store.journalled(calendar.name).intentions) == []


def test_a_second_store_records_what_it_finds_and_knows_the_persons_deletion(
        store: Store, tmp_path: Path) -> None:
    place = MemoryPlace()
    name = place.calendar.name
    with open_store(f"sqlite:///{tmp_path / 'first.db'}") as first:
        put(first, place.calendar, PLAN)
    report = put(store, place.calendar, PLAN)
    assert len(report.untouched) == 5 and report.writes == 0
    assert set(store.journalled(name).published) == {b.uid for b in PLAN}
    place.delete(PLAN[3].uid)
    assert edits(store, place.calendar, PLAN).deleted == frozenset({PLAN[3].uid})
    again = put(store, place.calendar, PLAN)
    assert [b.uid for b in again.declined] == [PLAN[3].uid] and again.writes == 0
    assert store.declined(name) == {PLAN[3].uid}
    assert set(store.journalled(name).published) == {b.uid for b in PLAN} - {PLAN[3].uid}


def test_a_dry_run_records_nothing(store: Store, tmp_path: Path) -> None:
    calendar = MemoryCalendar("memory:plan")
    with open_store(f"sqlite:///{tmp_path / 'first.db'}") as first:
        put(first, calendar, PLAN)
    dry = put(store, calendar, PLAN[1:], dry_run=True)
    assert len(dry.removed) == 1 and len(dry.untouched) == 4
    known = store.journalled(calendar.name)
    assert known.published == {} and known.intentions == ()


# the publish lock


def test_a_free_lock_is_taken_and_given_back(store: Store) -> None:
    first = holder("first")
    assert store.lock_target("plan.ics", first, T0, stale_after=STALE_AFTER) is None
    held = lock_of(store, "plan.ics")
    assert held is not None and (held.holder, held.since, held.refreshed) == (first, T0, T0)
    assert lock_of(store, "other.ics") is None  # one lock per target
    store.unlock_target("plan.ics", first)
    assert lock_of(store, "plan.ics") is None


def test_a_second_taker_is_refused_while_the_holder_lives(store: Store) -> None:
    first, second = holder("first"), holder("second")
    assert store.lock_target("plan.ics", first, T0, stale_after=STALE_AFTER) is None
    held = store.lock_target("plan.ics", second, T0 + timedelta(minutes=5),
                             stale_after=STALE_AFTER)
    assert held is not None and held.holder == first and held.since == T0
    store.unlock_target("plan.ics", second)  # not theirs to give back: nothing happens
    assert lock_of(store, "plan.ics") == held


def test_a_lock_left_by_a_process_that_is_gone_is_taken_over(store: Store) -> None:
    dead = holder("dead", pid=gone_pid())
    assert store.lock_target("plan.ics", dead, T0, stale_after=STALE_AFTER) is None
    later = T0 + timedelta(seconds=1)
    assert store.lock_target("plan.ics", holder("next"), later, stale_after=STALE_AFTER) is None
    held = lock_of(store, "plan.ics")
    assert held is not None and held.holder.token == "next" and held.since == later


def test_a_lock_of_another_host_is_taken_over_only_when_stale(store: Store) -> None:
    far = holder("far", pid=1, host="elsewhere.example")
    assert store.lock_target("plan.ics", far, T0, stale_after=STALE_AFTER) is None
    soon = T0 + STALE_AFTER - timedelta(seconds=1)
    assert store.lock_target("plan.ics", holder("near"), soon, stale_after=STALE_AFTER) == (
        lock_of(store, "plan.ics"))
    late = T0 + STALE_AFTER + timedelta(seconds=1)
    assert store.lock_target("plan.ics", holder("near"), late, stale_after=STALE_AFTER) is None


def test_records_refresh_the_lock_and_a_holder_taken_over_stops(store: Store) -> None:
    far = holder("far", pid=1, host="elsewhere.example")
    assert store.lock_target("plan.ics", far, T0, stale_after=STALE_AFTER) is None
    ticks = iter([T0 + timedelta(minutes=9), T0 + timedelta(minutes=30)])
    journal = store.journal(T0, holder=far, clock=lambda: next(ticks))
    journal.intend("plan.ics", "a@makertime", Action.CREATE)
    held = lock_of(store, "plan.ics")
    assert held is not None and held.refreshed == T0 + timedelta(minutes=9)
    # silent for longer than STALE_AFTER: another makertime takes over
    late = T0 + timedelta(minutes=20)
    assert store.lock_target("plan.ics", holder("near"), late, stale_after=STALE_AFTER) is None
    with pytest.raises(StoreBusyError) as stopped:
        journal.finished("plan.ics", "a@makertime", item_of(PLAN[0], "plan.ics"))
    assert stopped.value.exit_status == 4
    assert str(stopped.value) == (
        f"plan.ics: another makertime (process {os.getpid()} on {this_host()}) took over "
        "publishing here: this publish stopped (run the command again when the other is done)")
    # the record it tried to make was not made
    assert store.journalled("plan.ics").published == {}
    assert [i.uid for i in list(store.journalled("plan.ics").intentions)] == ["a@makertime"]


def test_of_many_takers_at_once_exactly_one_gets_the_lock(db: str) -> None:
    stores = [open_store(db) for _ in range(4)]
    start = threading.Barrier(len(stores))
    results: list[object] = []

    def take(number: int) -> None:
        start.wait()
        results.append(stores[number].lock_target("plan.ics", holder(f"h{number}"), T0,
                                                  stale_after=STALE_AFTER))

    threads = [threading.Thread(target=take, args=(n,)) for n in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    for opened in stores:
        opened.close()
    assert len(results) == 4 and results.count(None) == 1


def test_the_command_line_says_who_holds_the_lock_and_exits_4(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    path = tmp_path / "plan.ics"
    planned = run("plan", str(sample_path("week.ics")), *SAMPLE, *WEEK, "--now",
                  "2026-03-23T08:00", "--workers", "1", "--gap", "0", "--publish", str(path),
                  "--db", db)
    assert planned.exit_code == 0, planned.output
    before = path.read_bytes()
    with open_store(db) as store:
        assert store.lock_target(str(path), holder("other"), datetime.now(UTC),
                                 stale_after=STALE_AFTER) is None
    for args in (["publish"], ["replan", "--now", "2026-03-23T09:00", "--workers", "1"],
                 ["replan", "--publish", "--now", "2026-03-23T09:00", "--workers", "1"]):
        refused = run(*args, "--db", db)
        assert refused.exit_code == 4, refused.output
        assert "another makertime (process" in refused.output
        assert "is publishing here since" in refused.output and "Traceback" not in refused.output
    for args in (["publish", "--dry-run"],
                 ["replan", "--dry-run", "--now", "2026-03-23T09:00", "--workers", "1"]):
        assert run(*args, "--db", db).exit_code == 0
    assert path.read_bytes() == before
