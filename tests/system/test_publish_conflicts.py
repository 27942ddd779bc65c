"""Publishing while the person edits the calendar, and after a publish was killed midway: run
against both targets."""

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
    Place,
    Watched,
    block,
    counts,
    kept_block,
    on_target,
    run,
)


def test_a_move_between_read_and_delete_is_kept(place: Place) -> None:
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


def test_a_plan_that_takes_up_the_persons_move_leaves_the_event_alone(place: Place) -> None:
    journal = Journal()
    run(place, [kept_block(6)], journal)
    place.move(kept_block(6).uid, timedelta(hours=3))
    before = place.snapshot()
    report, target = run(place, [kept_block(9)], journal)
    assert counts(report) == (0, 0, 0, 1, 0, 0) and target.writes == 0
    assert place.snapshot() == before


def test_a_move_between_read_and_update_is_kept(place: Place) -> None:
    earlier, wanted = kept_block(6), kept_block(8)
    run(place, [earlier])
    watched = Watched(place.target(),
                      after_read=lambda: place.move(wanted.uid, timedelta(minutes=30)))
    report, _ = run(place, [wanted], watched=watched)
    assert [e.uid for e in report.kept_theirs] == [wanted.uid] and report.updated == ()
    event = on_target(place)[wanted.uid]
    assert event.span.start == earlier.span.start + timedelta(minutes=30)


def test_a_delete_between_read_and_update_is_respected(place: Place) -> None:
    earlier, wanted = kept_block(6), kept_block(8)
    run(place, [earlier])
    watched = Watched(place.target(), after_read=lambda: place.delete(wanted.uid))
    report, _ = run(place, [wanted], watched=watched)
    assert [b.uid for b in report.declined] == [wanted.uid] and report.updated == ()
    assert on_target(place) == {}


def test_a_create_that_another_run_made_meanwhile_is_not_duplicated(place: Place) -> None:
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
def test_a_publish_killed_midway_is_completed_by_the_next(place: Place, crash: str) -> None:
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
