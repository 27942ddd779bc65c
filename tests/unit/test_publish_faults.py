"""A server that refuses or fails writes, a run killed between a write and its record, and a
second store: the publish algorithm over a calendar in memory.

A refusal (412) whose cause cannot be found, a failure that passes (503) and an answer lost after
the write went through are each tried again; what keeps failing is reported, never taken for the
person's doing; makertime's events found on a target are recorded, so the person deleting one
later is recognised whichever store wrote it.
"""

from __future__ import annotations

import io
from datetime import UTC, timedelta

import pytest

from makertime.cli.week_view import render_publish
from makertime.errors import ServerError
from makertime.outputs.console import SafeConsole
from makertime.store.journal import Action
from tests.support.publish import (
    PLAN,
    Crash,
    Journal,
    MemoryPlace,
    Watched,
    counts,
    faulty,
    kept_block,
    on_target,
    run,
)

# a refusal (412) that nothing on the target explains
from tests.support.publish_suite import (  # noqa: F401  (collected here, run in memory)
    test_a_write_whose_answer_was_lost_is_neither_doubled_nor_taken_for_the_persons,
)


def test_a_refused_create_is_sent_again_and_never_taken_for_a_deletion() -> None:
    place = MemoryPlace()
    journal = Journal()
    watched = faulty(place, create=["ok", "412"])
    report, _ = run(place, PLAN, journal, watched=watched)
    assert watched.sent.count("create 412") == 1 and watched.sent.count("create ok") == 5
    assert report.declined == () and report.failed == ()
    assert [b.uid for b in report.created] == [b.uid for b in PLAN]
    assert set(on_target(place)) == set(journal.items) == {b.uid for b in PLAN}
    assert journal.declined == set() and journal.pending == {}


def test_a_create_refused_twice_is_reported_and_made_by_the_next_publish() -> None:
    place = MemoryPlace()
    journal = Journal()
    report, _ = run(place, PLAN, journal, watched=faulty(place, create=["ok", "412", "412"]))
    [failed] = report.failed
    assert (failed.action, failed.uid, failed.span) == (Action.CREATE, PLAN[1].uid, PLAN[1].span)
    assert report.declined == () and journal.declined == set()
    assert PLAN[1].uid not in on_target(place) and PLAN[1].uid not in journal.items
    assert report.summary() == ("4 created, 0 moved, 0 removed, 0 untouched, 1 refused by the "
                                "server (tried again at the next publish)")
    shown = io.StringIO()
    render_publish(report, SafeConsole(file=shown, width=200), UTC)
    assert [line.split()[0] for line in shown.getvalue().splitlines()].count("retry") == 1
    assert "the server refused to create it; the next publish tries again" in shown.getvalue()
    again, _ = run(place, PLAN, journal)
    assert [b.uid for b in again.created] == [PLAN[1].uid] and again.failed == ()
    assert set(on_target(place)) == {b.uid for b in PLAN}


def test_a_refused_update_is_sent_again_not_kept_as_the_persons() -> None:
    place = MemoryPlace()
    journal = Journal()
    run(place, [kept_block(6)], journal)
    report, _ = run(place, [kept_block(8)], journal, watched=faulty(place, update=["412"]))
    assert counts(report) == (0, 1, 0, 0, 0, 0)
    assert on_target(place)[kept_block(8).uid].span == kept_block(8).span


def test_an_update_refused_twice_is_reported_and_made_by_the_next_publish() -> None:
    place = MemoryPlace()
    journal = Journal()
    run(place, [kept_block(6)], journal)
    report, _ = run(place, [kept_block(8)], journal,
                    watched=faulty(place, update=["412", "412"]))
    assert counts(report) == (0, 0, 0, 0, 0, 0)
    assert [(f.action, f.span) for f in report.failed] == [(Action.UPDATE, kept_block(8).span)]
    event = on_target(place)[kept_block(8).uid]
    assert event.span == kept_block(6).span and not event.moved_by_person
    assert journal.items[event.uid].start == kept_block(6).span.start
    again, _ = run(place, [kept_block(8)], journal)
    assert counts(again) == (0, 1, 0, 0, 0, 0)


@pytest.mark.parametrize("refusals", [1, 2])
def test_a_refused_delete_is_sent_again_or_reported_never_kept_as_moved(refusals: int) -> None:
    place = MemoryPlace()
    journal = Journal()
    run(place, PLAN, journal)
    report, _ = run(place, PLAN[1:], journal, watched=faulty(place, delete=["412"] * refusals))
    assert report.kept_theirs == () and report.declined == ()
    if refusals == 1:
        assert [e.uid for e in report.removed] == [PLAN[0].uid] and report.failed == ()
    else:
        assert [(f.action, f.uid) for f in report.failed] == [(Action.DELETE, PLAN[0].uid)]
        assert PLAN[0].uid in on_target(place) and PLAN[0].uid in journal.items
        again, _ = run(place, PLAN[1:], journal)
        assert [e.uid for e in again.removed] == [PLAN[0].uid]
    assert set(on_target(place)) == {b.uid for b in PLAN[1:]} == set(journal.items)


def test_a_deletion_found_by_a_refused_write_survives_a_run_killed_before_its_end() -> None:
    place = MemoryPlace()
    journal = Journal()
    run(place, [kept_block(6)], journal)
    journal.crash_at_settle = True
    watched = Watched(place.target(), after_read=lambda: place.delete(kept_block(6).uid))
    with pytest.raises(Crash):
        run(place, [kept_block(8)], journal, watched=watched)
    journal.crash_at_settle = False
    assert kept_block(8).uid in journal.known()  # still known as seen: its absence is theirs
    report, _ = run(place, [kept_block(8)], journal)
    assert [b.uid for b in report.declined] == [kept_block(8).uid] and report.writes == 0
    assert on_target(place) == {} and journal.declined == {kept_block(8).uid}


# failures that pass, and answers lost after the write went through


def test_failures_that_pass_are_tried_again() -> None:
    place = MemoryPlace()
    journal = Journal()
    watched = faulty(place, read=["503"], create=["503", "503", "ok", "503"])
    report, _ = run(place, PLAN, journal, watched=watched)
    assert counts(report) == (5, 0, 0, 0, 0, 0)
    assert set(on_target(place)) == set(journal.items) == {b.uid for b in PLAN}


def test_a_server_failing_every_try_stops_the_publish_and_the_next_completes_it() -> None:
    place = MemoryPlace()
    journal = Journal()
    watched = faulty(place, create=["ok", "ok", "503", "503", "503"])
    with pytest.raises(ServerError) as failed:
        run(place, PLAN, journal, watched=watched)
    assert failed.value.exit_status == 3 and failed.value.where == place.target().name
    assert str(failed.value).endswith("(3 tries) (try again)")
    assert journal.pending == {PLAN[2].uid: Action.CREATE}  # what was intended, kept
    assert set(on_target(place)) == set(journal.items) == {PLAN[0].uid, PLAN[1].uid}
    report, _ = run(place, PLAN, journal)
    assert counts(report) == (3, 0, 0, 2, 0, 0)
    assert set(on_target(place)) == set(journal.items) == {b.uid for b in PLAN}
    assert journal.declined == set()


def test_a_read_failing_every_try_writes_nothing() -> None:
    place = MemoryPlace()
    journal = Journal()
    with pytest.raises(ServerError, match=r"\(3 tries\)"):
        run(place, PLAN, journal, watched=faulty(place, read=["503"] * 3))
    assert place.snapshot() == {} and journal.calls == []


# events makertime finds on a target


def test_a_second_store_adopts_the_events_it_finds_and_knows_a_deletion_later() -> None:
    place = MemoryPlace()
    first, second = Journal(), Journal()
    run(place, PLAN, first)
    report, watched = run(place, PLAN, second)
    assert counts(report) == (0, 0, 0, 5, 0, 0) and watched.writes == 0
    assert second.calls[0] == ("adopt", " ".join(sorted(b.uid for b in PLAN)), "")
    assert set(second.items) == {b.uid for b in PLAN}
    place.delete(PLAN[1].uid)
    again, watched = run(place, PLAN, second)
    assert [b.uid for b in again.declined] == [PLAN[1].uid] and watched.writes == 0
    assert second.declined == {PLAN[1].uid} and PLAN[1].uid not in on_target(place)


def test_events_found_are_recorded_before_any_write_so_a_killed_run_keeps_them() -> None:
    place = MemoryPlace()
    run(place, PLAN[:3], Journal())
    second = Journal()
    with pytest.raises(Crash):
        run(place, PLAN, second, watched=Watched(place.target(), crash_after_writes=1))
    assert set(second.items) == {b.uid for b in PLAN[:3]}  # adopted, though the run died
    place.delete(PLAN[0].uid)
    report, _ = run(place, PLAN, second)
    assert [b.uid for b in report.declined] == [PLAN[0].uid]
    assert set(on_target(place)) == {b.uid for b in PLAN[1:]}


def test_a_block_moved_on_a_target_another_store_wrote_is_kept() -> None:
    place = MemoryPlace()
    run(place, PLAN, Journal())
    place.move(PLAN[0].uid, timedelta(hours=1))
    second = Journal()
    report, watched = run(place, PLAN[1:], second)
    assert [e.uid for e in report.kept_theirs] == [PLAN[0].uid] and watched.writes == 0


def test_a_block_deleted_while_no_plan_wants_it_stays_deleted_when_one_does() -> None:
    place = MemoryPlace()
    journal = Journal()
    run(place, PLAN, journal)
    place.delete(PLAN[0].uid)
    report, _ = run(place, PLAN[1:], journal)
    assert report.removed == () and report.declined == ()
    assert journal.declined == {PLAN[0].uid} and PLAN[0].uid not in journal.items
    again, watched = run(place, PLAN, journal)
    assert [b.uid for b in again.declined] == [PLAN[0].uid] and watched.writes == 0


# a run killed between a write and its record


@pytest.mark.parametrize("crash", ["after-the-update", "before-the-update"])
def test_an_interrupted_update_is_not_taken_for_the_persons_move(crash: str) -> None:
    place = MemoryPlace()
    journal = Journal()
    run(place, [kept_block(6), PLAN[2]], journal)
    if crash == "after-the-update":
        watched = Watched(place.target(), crash_after_writes=1)
    else:
        journal.crash_at = 1
        watched = Watched(place.target())
    with pytest.raises(Crash):
        run(place, [kept_block(8), PLAN[2]], journal, watched=watched)
    journal.crash_at = None
    assert journal.pending == {kept_block(8).uid: Action.UPDATE}
    # the plan changes again: the block goes, whether or not the update reached the target
    report, _ = run(place, [PLAN[2]], journal)
    assert [e.uid for e in report.removed] == [kept_block(8).uid] and report.kept_theirs == ()
    assert set(on_target(place)) == {PLAN[2].uid} == set(journal.items)


@pytest.mark.parametrize("crash", ["after-the-update", "before-the-update"])
def test_an_interrupted_update_is_finished_by_the_next_run(crash: str) -> None:
    place = MemoryPlace()
    journal = Journal()
    run(place, [kept_block(6)], journal)
    watched = Watched(place.target(), crash_after_writes=1 if crash == "after-the-update"
                      else None)
    journal.crash_at = None if crash == "after-the-update" else 1
    with pytest.raises(Crash):
        run(place, [kept_block(8)], journal, watched=watched)
    journal.crash_at = None
    report, _ = run(place, [kept_block(8)], journal)
    assert report.kept_theirs == () and report.declined == ()
    assert counts(report) == ((0, 0, 0, 1, 0, 0) if crash == "after-the-update"
                              else (0, 1, 0, 0, 0, 0))
    assert on_target(place)[kept_block(8).uid].span == kept_block(8).span
    assert journal.items[kept_block(8).uid].start == kept_block(8).span.start


def test_a_block_makertime_deleted_in_a_killed_run_and_wanted_again_by_another_is_created() -> None:
    place = MemoryPlace()
    journal = Journal()
    run(place, PLAN, journal)
    with pytest.raises(Crash):  # deleted, not recorded
        run(place, PLAN[1:], journal, watched=Watched(place.target(), crash_after_writes=1))
    assert journal.pending == {PLAN[0].uid: Action.DELETE}
    journal.crash_at = 1
    with pytest.raises(Crash):  # wanted again: killed as it sets out to create it
        run(place, PLAN, journal)
    journal.crash_at = None
    assert journal.pending == {PLAN[0].uid: Action.CREATE}
    assert PLAN[0].uid not in journal.items  # its deletion was recorded when read
    report, _ = run(place, PLAN, journal)
    assert [b.uid for b in report.created] == [PLAN[0].uid] and report.declined == ()
    assert set(on_target(place)) == {b.uid for b in PLAN} and journal.declined == set()


def test_a_block_created_by_a_killed_run_then_moved_by_the_person_is_kept() -> None:
    place = MemoryPlace()
    journal = Journal()
    with pytest.raises(Crash):
        run(place, PLAN, journal, watched=Watched(place.target(), crash_after_writes=1))
    place.move(PLAN[0].uid, timedelta(minutes=30))
    report, _ = run(place, PLAN[1:], journal)  # no longer planned: it is theirs now
    assert [e.uid for e in report.kept_theirs] == [PLAN[0].uid] and report.removed == ()
