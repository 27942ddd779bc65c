"""Publishing through the store, on SQLite and PostgreSQL: what the store records after a write
refused for no reason, after a run killed between a write and its record, and when a second
store publishes to the same target."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from makertime.app.publishing import publish_blocks, read_edits
from makertime.calendars.base import Conflict
from makertime.calendars.ics_file import IcsFile
from makertime.store import Store, open_store
from makertime.store.journal import Action
from tests.support.publish import PLAN, QUICK, ZONE, Crash, FilePlace, kept_block

T0 = datetime(2026, 3, 23, 8, tzinfo=UTC)


@pytest.fixture
def store(db: str) -> Iterator[Store]:
    """An open store on an empty database of each backend."""
    with open_store(db) as opened:
        yield opened


def put(store: Store, path: Path, blocks: list[Any], **options: Any) -> Any:
    """``publish_blocks`` as a run at T0 does it, without pauses between tries."""
    return publish_blocks(store, str(path), blocks, ZONE, clock=T0, retry=QUICK,
                          lock_clock=lambda: T0, **options)


def edits(store: Store, path: Path, blocks: list[Any]) -> Any:
    return read_edits(store, str(path), blocks, ZONE, retry=QUICK, lock_clock=lambda: T0)


def wrap(monkeypatch: pytest.MonkeyPatch, method: str,
         around: Callable[[Callable[..., Any], Any, tuple[Any, ...]], Any]) -> None:
    """Replace ``IcsFile.method`` by ``around(original, self, args)``."""
    original = getattr(IcsFile, method)
    monkeypatch.setattr(IcsFile, method,
                        lambda self, *args: around(original, self, args))


def test_a_create_refused_for_no_reason_is_never_recorded_as_declined(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.ics"
    refusals = [PLAN[2].uid, PLAN[2].uid]

    def refusing(original: Callable[..., Any], self: Any, args: tuple[Any, ...]) -> Any:
        if args[0] in refusals:
            refusals.remove(args[0])
            raise Conflict(self.name, args[0])
        return original(self, *args)

    wrap(monkeypatch, "create", refusing)
    report = put(store, path, PLAN)
    assert [f.uid for f in report.failed] == [PLAN[2].uid] and report.declined == ()
    assert store.declined(str(path)) == set() and store.intentions(str(path)) == []
    assert set(store.published(str(path))) == {b.uid for b in PLAN} - {PLAN[2].uid}
    assert edits(store, path, PLAN).deleted == frozenset()
    again = put(store, path, PLAN)
    assert [b.uid for b in again.created] == [PLAN[2].uid]
    assert set(store.published(str(path))) == {b.uid for b in PLAN}


@pytest.mark.parametrize("when", ["after", "before"])
def test_an_update_killed_before_its_record_is_not_read_as_the_persons_move(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    path = tmp_path / "plan.ics"
    put(store, path, [kept_block(6), PLAN[2]])

    def dying(original: Callable[..., Any], self: Any, args: tuple[Any, ...]) -> Any:
        if when == "before":
            raise Crash
        original(self, *args)
        raise Crash

    with monkeypatch.context() as patch:
        wrap(patch, "update", dying)
        with pytest.raises(Crash):
            put(store, path, [kept_block(8), PLAN[2]])
    assert [(i.uid, i.action) for i in store.intentions(str(path))] == [
        (kept_block(8).uid, Action.UPDATE)]
    assert store.target_lock(str(path)) is None  # given back, though the run failed
    # a replan of the plan that wanted the update, or of one that no longer has the block
    for blocks in ([kept_block(8), PLAN[2]], [PLAN[2]]):
        read = edits(store, path, blocks)
        assert read.moved == {} and read.deleted == frozenset()
    report = put(store, path, [PLAN[2]])
    assert [e.uid for e in report.removed] == [kept_block(8).uid] and report.kept_theirs == ()
    assert set(store.published(str(path))) == {PLAN[2].uid}
    assert store.intentions(str(path)) == []


def test_a_second_store_records_what_it_finds_and_knows_the_persons_deletion(
        store: Store, tmp_path: Path) -> None:
    path = tmp_path / "plan.ics"
    with open_store(f"sqlite:///{tmp_path / 'first.db'}") as first:
        put(first, path, PLAN)
    report = put(store, path, PLAN)
    assert len(report.untouched) == 5 and report.writes == 0
    assert set(store.published(str(path))) == {b.uid for b in PLAN}
    FilePlace(path).delete(PLAN[3].uid)
    assert edits(store, path, PLAN).deleted == frozenset({PLAN[3].uid})
    again = put(store, path, PLAN)
    assert [b.uid for b in again.declined] == [PLAN[3].uid] and again.writes == 0
    assert store.declined(str(path)) == {PLAN[3].uid}
    assert set(store.published(str(path))) == {b.uid for b in PLAN} - {PLAN[3].uid}


def test_a_dry_run_records_nothing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "plan.ics"
    with open_store(f"sqlite:///{tmp_path / 'first.db'}") as first:
        put(first, path, PLAN)
    dry = put(store, path, PLAN[1:], dry_run=True)
    assert len(dry.removed) == 1 and len(dry.untouched) == 4
    assert store.published(str(path)) == {} and store.intentions(str(path)) == []
