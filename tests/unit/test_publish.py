"""The publish algorithm over a calendar in memory: what a publish writes, what it leaves, the
person's moves and deletions, their edits between a read and a write, and a publish killed
midway completed by the next.

The same algorithm against an .ics file and a real CalDAV server: ``tests/system/test_publish.py``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from makertime.plan.result import BlockKind
from tests.support.publish import (
    PLAN,
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
from tests.support.publish_suite import (  # noqa: F401  (collected here, run in memory)
    test_a_block_the_person_deleted_is_not_created_again,
    test_a_block_the_person_moved_is_kept_and_never_overwritten,
    test_a_block_the_plan_moved_is_updated_in_place,
    test_a_create_that_another_run_made_meanwhile_is_not_duplicated,
    test_a_first_publish_creates_every_block,
    test_a_move_between_read_and_delete_is_kept,
    test_a_plan_change_writes_only_the_difference,
    test_publishing_the_same_blocks_twice_writes_nothing,
)


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


def test_a_declined_block_is_never_created() -> None:
    place = MemoryPlace()
    report, _ = run(place, PLAN, declined=frozenset({PLAN[3].uid}))
    assert [b.uid for b in report.declined] == [PLAN[3].uid]
    assert set(on_target(place)) == {b.uid for b in PLAN} - {PLAN[3].uid}


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
