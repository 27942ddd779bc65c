"""One publish at a time per store and target: the publish lock, on SQLite and PostgreSQL.

A second publish (or a replan reading the target) fails at once with a StoreBusyError (exit
status 4) naming who holds the lock since when; a lock left by a process that is gone, or not
refreshed for a while, is taken over; a holder whose lock was taken over stops at its next
record; a dry run neither takes the lock nor waits for it.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from makertime.app.publishing import STALE_AFTER, holding, publish_blocks, read_edits
from makertime.errors import OutputError, StoreBusyError
from makertime.sample import sample_path
from makertime.store import Holder, Store, open_store
from makertime.store.journal import Action
from makertime.store.locks import this_host
from tests.support.publish import PLAN, ZONE, item_of
from tests.support.week import SAMPLE, WEEK, run

T0 = datetime(2026, 3, 23, 8, tzinfo=UTC)


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


def test_a_free_lock_is_taken_and_given_back(store: Store) -> None:
    first = holder("first")
    assert store.lock_target("plan.ics", first, T0, stale_after=STALE_AFTER) is None
    held = store.target_lock("plan.ics")
    assert held is not None and (held.holder, held.since, held.refreshed) == (first, T0, T0)
    assert store.target_lock("other.ics") is None  # one lock per target
    store.unlock_target("plan.ics", first)
    assert store.target_lock("plan.ics") is None


def test_a_second_taker_is_refused_while_the_holder_lives(store: Store) -> None:
    first, second = holder("first"), holder("second")
    assert store.lock_target("plan.ics", first, T0, stale_after=STALE_AFTER) is None
    held = store.lock_target("plan.ics", second, T0 + timedelta(minutes=5),
                             stale_after=STALE_AFTER)
    assert held is not None and held.holder == first and held.since == T0
    store.unlock_target("plan.ics", second)  # not theirs to give back: nothing happens
    assert store.target_lock("plan.ics") == held


def test_a_lock_left_by_a_process_that_is_gone_is_taken_over(store: Store) -> None:
    dead = holder("dead", pid=gone_pid())
    assert store.lock_target("plan.ics", dead, T0, stale_after=STALE_AFTER) is None
    later = T0 + timedelta(seconds=1)
    assert store.lock_target("plan.ics", holder("next"), later, stale_after=STALE_AFTER) is None
    held = store.target_lock("plan.ics")
    assert held is not None and held.holder.token == "next" and held.since == later


def test_a_lock_of_another_host_is_taken_over_only_when_stale(store: Store) -> None:
    far = holder("far", pid=1, host="elsewhere.example")
    assert store.lock_target("plan.ics", far, T0, stale_after=STALE_AFTER) is None
    soon = T0 + STALE_AFTER - timedelta(seconds=1)
    assert store.lock_target("plan.ics", holder("near"), soon, stale_after=STALE_AFTER) == (
        store.target_lock("plan.ics"))
    late = T0 + STALE_AFTER + timedelta(seconds=1)
    assert store.lock_target("plan.ics", holder("near"), late, stale_after=STALE_AFTER) is None


def test_records_refresh_the_lock_and_a_holder_taken_over_stops(store: Store) -> None:
    far = holder("far", pid=1, host="elsewhere.example")
    assert store.lock_target("plan.ics", far, T0, stale_after=STALE_AFTER) is None
    ticks = iter([T0 + timedelta(minutes=9), T0 + timedelta(minutes=30)])
    journal = store.journal(T0, holder=far, clock=lambda: next(ticks))
    journal.intend("plan.ics", "a@makertime", Action.CREATE)
    held = store.target_lock("plan.ics")
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
    assert store.published("plan.ics") == {}
    assert [i.uid for i in store.intentions("plan.ics")] == ["a@makertime"]


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


# the lock around a publish


def test_a_publish_while_another_holds_the_lock_fails_at_once_and_changes_nothing(
        store: Store, tmp_path: Path) -> None:
    path = str(tmp_path / "plan.ics")
    other = holder("other")
    assert store.lock_target(path, other, T0, stale_after=STALE_AFTER) is None
    with pytest.raises(StoreBusyError) as refused:
        publish_blocks(store, path, PLAN, ZONE, clock=T0, lock_clock=lambda: T0)
    message = str(refused.value)
    assert refused.value.exit_status == 4 and "\n" not in message
    assert message == (
        f"{path}: another makertime (process {os.getpid()} on {this_host()}) is publishing "
        "here since 2026-03-23 09:00:00 CET (run the command again when it is done; a lock "
        "whose process is gone, or that is not refreshed for 10 minutes, is taken over)")
    assert not Path(path).exists() and store.published(path) == {}
    assert store.intentions(path) == [] and store.target_lock(path) is not None
    with pytest.raises(StoreBusyError):
        read_edits(store, path, PLAN, ZONE, lock_clock=lambda: T0)


def test_a_dry_run_neither_takes_the_lock_nor_waits_for_it(store: Store, tmp_path: Path) -> None:
    path = str(tmp_path / "plan.ics")
    other = holder("other")
    assert store.lock_target(path, other, T0, stale_after=STALE_AFTER) is None
    dry = publish_blocks(store, path, PLAN, ZONE, clock=T0, dry_run=True, lock_clock=lambda: T0)
    assert len(dry.created) == 5 and not Path(path).exists()
    edits = read_edits(store, path, PLAN, ZONE, dry_run=True, lock_clock=lambda: T0)
    assert edits.deleted == frozenset()
    held = store.target_lock(path)
    assert held is not None and held.holder == other


def test_the_lock_is_given_back_after_a_publish_and_after_one_that_fails(
        store: Store, tmp_path: Path) -> None:
    path = tmp_path / "plan.ics"
    report = publish_blocks(store, str(path), PLAN, ZONE, clock=T0)
    assert len(report.created) == 5 and store.target_lock(str(path)) is None
    read_edits(store, str(path), PLAN, ZONE)
    assert store.target_lock(str(path)) is None
    mine = tmp_path / "mine.ics"
    mine.write_text("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//EN\nBEGIN:VEVENT\nUID:x@x\n"
                    "DTSTAMP:20260101T000000Z\nDTSTART:20260324T090000Z\n"
                    "DTEND:20260324T100000Z\nEND:VEVENT\nEND:VCALENDAR\n")
    with pytest.raises(OutputError):
        publish_blocks(store, str(mine), PLAN, ZONE, clock=T0)
    assert store.target_lock(str(mine)) is None


def test_the_lock_is_given_back_when_the_block_it_guards_fails(store: Store) -> None:
    with pytest.raises(KeyboardInterrupt), holding(store, "plan.ics", ZONE, lambda: T0):
        assert store.target_lock("plan.ics") is not None
        raise KeyboardInterrupt
    assert store.target_lock("plan.ics") is None


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
