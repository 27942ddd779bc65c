"""The publish lock around a publish through the store (SQLite, a calendar in memory): a publish
or a read of the person's edits while another makertime holds the lock fails at once and changes
nothing; a dry run neither takes the lock nor waits for it; the lock is given back after a
publish, and after one that fails.

The lock in the store itself, on SQLite and PostgreSQL: ``tests/system/test_publish_store.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from makertime.calendars.memory import MemoryCalendar
from makertime.errors import StoreBusyError
from makertime.publish.lock import STALE_AFTER, holding
from makertime.store import Holder
from makertime.store.locks import this_host
from tests.support.publish import PLAN, T0, ZONE, Crash, edits, lock_of, put, sqlite_store


def other() -> Holder:
    """Another makertime of this process and host, holding a token of its own."""
    return Holder(pid=os.getpid(), host=this_host(), token="other")


def test_a_publish_while_another_holds_the_lock_fails_at_once_and_changes_nothing(
        tmp_path: Path) -> None:
    calendar = MemoryCalendar("memory:plan")
    with sqlite_store(tmp_path) as store:
        assert store.lock_target(calendar.name, other(), T0, stale_after=STALE_AFTER) is None
        with pytest.raises(StoreBusyError) as refused:
            put(store, calendar, PLAN)
        message = str(refused.value)
        assert refused.value.exit_status == 4 and "\n" not in message
        assert message == (
            f"memory:plan: another makertime (process {os.getpid()} on {this_host()}) is "
            "publishing here since 2026-03-23 09:00:00 CET (run the command again when it is "
            "done; a lock whose process is gone, or that is not refreshed for 10 minutes, is "
            "taken over)")
        assert calendar.items == {} and store.journalled(calendar.name).published == {}
        assert list(store.journalled(calendar.name).intentions) == []
        assert lock_of(store, calendar.name) is not None
        with pytest.raises(StoreBusyError):
            edits(store, calendar, PLAN)


def test_a_dry_run_neither_takes_the_lock_nor_waits_for_it(tmp_path: Path) -> None:
    calendar = MemoryCalendar("memory:plan")
    with sqlite_store(tmp_path) as store:
        assert store.lock_target(calendar.name, other(), T0, stale_after=STALE_AFTER) is None
        dry = put(store, calendar, PLAN, dry_run=True)
        assert len(dry.created) == 5 and calendar.items == {}
        assert edits(store, calendar, PLAN, dry_run=True).deleted == frozenset()
        held = lock_of(store, calendar.name)
        assert held is not None and held.holder == other()


def test_the_lock_is_given_back_after_a_publish_and_after_one_that_fails(
        tmp_path: Path) -> None:
    calendar = MemoryCalendar("memory:plan")
    with sqlite_store(tmp_path) as store:
        report = put(store, calendar, PLAN)
        assert len(report.created) == 5 and lock_of(store, calendar.name) is None
        edits(store, calendar, PLAN)
        assert lock_of(store, calendar.name) is None
        failing = MemoryCalendar("memory:failing")

        def crash(_action: str, _href: str) -> None:
            raise Crash

        failing.before_write = crash
        with pytest.raises(Crash):
            put(store, failing, PLAN)
        assert lock_of(store, failing.name) is None


def test_the_lock_is_given_back_when_the_block_it_guards_fails(tmp_path: Path) -> None:
    with sqlite_store(tmp_path) as store:
        with pytest.raises(KeyboardInterrupt), holding(store, "plan.ics", ZONE, lambda: T0):
            assert lock_of(store, "plan.ics") is not None
            raise KeyboardInterrupt
        assert lock_of(store, "plan.ics") is None
