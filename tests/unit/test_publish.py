"""The publish algorithm over a calendar in memory: what a publish writes, what it leaves, the
person's moves and deletions, their edits between a read and a write, and a publish killed
midway completed by the next.

The same algorithm against an .ics file and a real CalDAV server: ``tests/system/test_publish.py``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from makertime.plan.result import BlockKind
from makertime.publish.events import block_text
from tests.support.publish import (
    PLAN,
    ZONE,
    Crash,
    Journal,
    MemoryPlace,
    Watched,
    block,
    counts,
    kept_block,
    on_target,
    run,
)


def test_a_first_publish_creates_every_block() -> None:
    place = MemoryPlace()
    journal = Journal()
    report, target = run(place, PLAN, journal)
    assert [b.uid for b in report.created] == [b.uid for b in PLAN]
    assert report.summary() == "5 created, 0 moved, 0 removed, 0 untouched"
    assert target.writes == 5 and report.foreign == 0
    events = on_target(place)
    assert set(events) == {b.uid for b in PLAN}
    for planned in PLAN:
        event = events[planned.uid]
        assert (event.kind, event.task) == (planned.kind.value, planned.task)
        assert event.span == event.planned == planned.span
        assert not event.moved_by_person
        assert report.published[planned.uid].etag == event.etag
        assert report.published[planned.uid].href == event.href
    assert journal.items == dict(report.published)
    assert [c[0] for c in journal.calls] == ["intend", "finished"] * 5 + ["settle"]


def test_publishing_the_same_blocks_twice_writes_nothing() -> None:
    place = MemoryPlace()
    journal = Journal()
    first, _ = run(place, PLAN, journal)
    before = place.snapshot()
    again, target = run(place, PLAN, journal)
    assert target.writes == 0 and counts(again) == (0, 0, 0, 5, 0, 0)
    assert place.snapshot() == before
    assert again.published == first.published
    assert again.summary() == "0 created, 0 moved, 0 removed, 5 untouched"


def test_a_plan_change_writes_only_the_difference() -> None:
    place = MemoryPlace()
    journal = Journal()
    run(place, PLAN, journal)
    before = on_target(place)
    extra = block(4, 8, 90, BlockKind.DEEP, "side-project")
    changed = [*PLAN[:2], *PLAN[3:], extra]
    report, target = run(place, changed, journal)
    assert target.writes == 2
    assert [b.uid for b in report.created] == [extra.uid]
    assert [e.uid for e in report.removed] == [PLAN[2].uid]
    assert len(report.untouched) == 4
    after = on_target(place)
    assert set(after) == {b.uid for b in changed}
    assert all(after[uid].etag == before[uid].etag for uid in after if uid in before)
    assert set(journal.items) == set(after)


def test_a_block_the_plan_moved_is_updated_in_place() -> None:
    place = MemoryPlace()
    earlier, wanted = kept_block(6), kept_block(8)
    journal = Journal()
    [stored] = run(place, [earlier], journal)[0].published.values()
    report, watched = run(place, [wanted], journal)
    assert counts(report) == (0, 1, 0, 0, 0, 0) and watched.writes == 1
    [(old, new)] = report.updated
    assert (old.span, new.span) == (earlier.span, wanted.span)
    event = on_target(place)[wanted.uid]
    assert event.href == stored.href and event.span == event.planned == wanted.span
    assert event.etag != stored.etag == old.etag
    assert journal.calls_of("intend")[1:] == [("intend", wanted.uid, "update")]
    assert journal.pending == {}
    assert journal.items[wanted.uid].start == wanted.span.start
    assert report.summary() == "0 created, 1 moved, 0 removed, 0 untouched"


def test_a_dry_run_writes_nothing_and_reports_what_a_publish_does() -> None:
    place = MemoryPlace()
    journal = Journal()
    run(place, PLAN, journal)
    before, calls = place.snapshot(), list(journal.calls)
    changed = [*PLAN[1:], block(4, 8)]
    dry, target = run(place, changed, journal, dry_run=True)
    assert target.writes == 0 and place.snapshot() == before and journal.calls == calls
    assert dry.dry_run and counts(dry) == (1, 0, 1, 4, 0, 0)
    real, _ = run(place, changed, journal)
    assert counts(real) == counts(dry) and real.summary() == dry.summary()


def test_a_dry_run_on_an_empty_target_creates_nothing() -> None:
    place = MemoryPlace()
    dry, target = run(place, PLAN, dry_run=True)
    assert counts(dry) == (5, 0, 0, 0, 0, 0) and target.writes == 0
    assert place.snapshot() == {} and dry.published == {}


def test_a_block_the_person_moved_is_kept_and_never_overwritten() -> None:
    place = MemoryPlace()
    journal = Journal()
    run(place, PLAN, journal)
    place.move(PLAN[0].uid, timedelta(hours=1))
    moved = on_target(place)[PLAN[0].uid]
    assert moved.moved_by_person and moved.planned == PLAN[0].span
    assert moved.span.start == PLAN[0].span.start + timedelta(hours=1)
    before = place.snapshot()
    report, target = run(place, PLAN, journal)
    assert [e.uid for e in report.kept_theirs] == [PLAN[0].uid] and target.writes == 0
    assert report.summary() == "0 created, 0 moved, 0 removed, 4 untouched, 1 kept as you moved it"
    # nor is it deleted when the plan no longer holds it
    report, target = run(place, PLAN[1:], journal)
    assert [e.uid for e in report.kept_theirs] == [PLAN[0].uid] and target.writes == 0
    assert place.snapshot() == before
    assert on_target(place)[PLAN[0].uid].span == moved.span


def test_a_block_the_person_deleted_is_not_created_again() -> None:
    place = MemoryPlace()
    journal = Journal()
    run(place, PLAN, journal)
    place.delete(PLAN[1].uid)
    report, target = run(place, PLAN, journal)
    assert [b.uid for b in report.declined] == [PLAN[1].uid] and target.writes == 0
    assert PLAN[1].uid not in on_target(place) and PLAN[1].uid not in report.published
    assert "1 not created again as you deleted it" in report.summary()


def test_a_declined_block_is_never_created() -> None:
    place = MemoryPlace()
    report, _ = run(place, PLAN, declined=frozenset({PLAN[3].uid}))
    assert [b.uid for b in report.declined] == [PLAN[3].uid]
    assert set(on_target(place)) == {b.uid for b in PLAN} - {PLAN[3].uid}


def test_a_move_between_read_and_delete_is_kept() -> None:
    place = MemoryPlace()
    journal = Journal()
    run(place, PLAN, journal)
    victim, earlier_calls = PLAN[2].uid, len(journal.calls)
    watched = Watched(place.target(), after_read=lambda: place.move(victim, timedelta(hours=2)))
    report, _ = run(place, [b for b in PLAN if b.uid != victim], journal, watched=watched)
    assert [e.uid for e in report.kept_theirs] == [victim] and report.removed == ()
    event = on_target(place)[victim]
    assert event.moved_by_person and event.span.start == PLAN[2].span.start + timedelta(hours=2)
    assert journal.calls[earlier_calls:] == [("intend", victim, "delete"),
                                             ("finished", victim, event.etag),
                                             ("settle", "", "")]
    assert journal.items[victim].etag == event.etag  # the record follows what is there now


def test_a_plan_that_takes_up_the_persons_move_leaves_the_event_alone() -> None:
    place = MemoryPlace()
    journal = Journal()
    run(place, [kept_block(6)], journal)
    place.move(kept_block(6).uid, timedelta(hours=3))
    before = place.snapshot()
    report, target = run(place, [kept_block(9)], journal)
    assert counts(report) == (0, 0, 0, 1, 0, 0) and target.writes == 0
    assert place.snapshot() == before


def test_a_move_between_read_and_update_is_kept() -> None:
    place = MemoryPlace()
    earlier, wanted = kept_block(6), kept_block(8)
    run(place, [earlier])
    watched = Watched(place.target(),
                      after_read=lambda: place.move(wanted.uid, timedelta(minutes=30)))
    report, _ = run(place, [wanted], watched=watched)
    assert [e.uid for e in report.kept_theirs] == [wanted.uid] and report.updated == ()
    event = on_target(place)[wanted.uid]
    assert event.span.start == earlier.span.start + timedelta(minutes=30)


def test_a_delete_between_read_and_update_is_respected() -> None:
    place = MemoryPlace()
    earlier, wanted = kept_block(6), kept_block(8)
    run(place, [earlier])
    watched = Watched(place.target(), after_read=lambda: place.delete(wanted.uid))
    report, _ = run(place, [wanted], watched=watched)
    assert [b.uid for b in report.declined] == [wanted.uid] and report.updated == ()
    assert on_target(place) == {}


def test_a_create_that_another_run_made_meanwhile_is_not_duplicated() -> None:
    place = MemoryPlace()

    def other_run() -> None:
        place.target().create(PLAN[0].uid, block_text(PLAN[0], ZONE))

    watched = Watched(place.target(), after_read=other_run)
    journal = Journal()
    report, _ = run(place, PLAN, journal, watched=watched)
    assert [e.uid for e in report.untouched] == [PLAN[0].uid]
    assert len(report.created) == 4
    assert set(on_target(place)) == {b.uid for b in PLAN}
    assert set(journal.items) == {b.uid for b in PLAN}


@pytest.mark.parametrize("crash", ["after-the-third-write", "before-the-third-write"])
def test_a_publish_killed_midway_is_completed_by_the_next(crash: str) -> None:
    place = MemoryPlace()
    journal = Journal()
    run(place, PLAN[:3], journal)
    changed = [*PLAN[1:], block(4, 8), block(4, 13, 60, BlockKind.SHALLOW, "blog")]
    if crash == "after-the-third-write":
        watched = Watched(place.target(), crash_after_writes=3)
    else:
        journal.crash_at = 3
        watched = Watched(place.target())
    with pytest.raises(Crash):
        run(place, changed, journal, watched=watched)
    journal.crash_at = None
    report, _ = run(place, changed, journal)
    assert report.declined == () and report.kept_theirs == ()
    events = on_target(place)
    assert set(events) == {b.uid for b in changed}
    assert all(events[b.uid].span == b.span for b in changed)
    again, target = run(place, changed, journal)
    assert target.writes == 0 and len(again.untouched) == len(changed)
