"""The suite every place makertime publishes to passes: create, update in place and delete with
ETags, the person's moves and deletions read back, a write refused because the event changed or
appeared meanwhile (412), a write sent again after its answer was lost.

Each test takes a ``place`` fixture: ``tests/system/test_publish.py`` runs them against an .ics
file makertime owns and a CalDAV calendar on a real Radicale, ``tests/unit/test_publish.py``
against a calendar in memory.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from makertime.plan.result import BlockKind
from makertime.publish.events import block_text
from tests.support.publish import (
    PLAN,
    ZONE,
    Journal,
    Place,
    Watched,
    block,
    counts,
    faulty,
    kept_block,
    on_target,
    run,
)


def test_a_first_publish_creates_every_block(place: Place) -> None:
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


def test_publishing_the_same_blocks_twice_writes_nothing(place: Place) -> None:
    journal = Journal()
    first, _ = run(place, PLAN, journal)
    before = place.snapshot()
    again, target = run(place, PLAN, journal)
    assert target.writes == 0 and counts(again) == (0, 0, 0, 5, 0, 0)
    assert place.snapshot() == before
    assert again.published == first.published
    assert again.summary() == "0 created, 0 moved, 0 removed, 5 untouched"


def test_a_plan_change_writes_only_the_difference(place: Place) -> None:
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


def test_a_block_the_plan_moved_is_updated_in_place(place: Place) -> None:
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


def test_a_block_the_person_moved_is_kept_and_never_overwritten(place: Place) -> None:
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


def test_a_block_the_person_deleted_is_not_created_again(place: Place) -> None:
    journal = Journal()
    run(place, PLAN, journal)
    place.delete(PLAN[1].uid)
    report, target = run(place, PLAN, journal)
    assert [b.uid for b in report.declined] == [PLAN[1].uid] and target.writes == 0
    assert PLAN[1].uid not in on_target(place) and PLAN[1].uid not in report.published
    assert "1 not created again as you deleted it" in report.summary()


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


@pytest.mark.parametrize("method", ["create", "update", "delete"])
def test_a_write_whose_answer_was_lost_is_neither_doubled_nor_taken_for_the_persons(
        place: Place, method: str) -> None:
    journal = Journal()
    before = [kept_block(6), *PLAN[1:]]
    run(place, before if method != "create" else PLAN[1:], journal)
    after = {"create": [*PLAN[1:], PLAN[0]], "update": [kept_block(8), *PLAN[1:]],
             "delete": PLAN[1:]}[method]
    report, watched = run(place, after, journal, watched=faulty(place, **{method: ["drop"]}))
    assert watched.sent[:3] == ["read ok", f"{method} drop", f"{method} ok"]
    assert report.declined == () and report.kept_theirs == () and report.failed == ()
    events = on_target(place)
    assert set(events) == {b.uid for b in after} == set(journal.items)
    assert all(events[b.uid].span == b.span for b in after)
    assert journal.declined == set() and journal.pending == {}
