"""The whole week against a real Radicale and both stores: remember a CalDAV calendar, plan and
publish, log an interruption, edit the published plan as the person, replan and publish — and
only what had to move moves, and nothing of the person's is ever changed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from makertime.store import open_store
from tests.support.radicale import RadicaleServer
from tests.support.week import (
    BLOG_TODO,
    SAMPLE,
    WEEK,
    at_local,
    fill,
    local,
    marked,
    ok,
    run,
    sample_items,
    shift_event,
    snapshot,
)

VENDOR_CALL = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//makertime tests//week//EN
BEGIN:VEVENT
UID:vendor-call@example.com
DTSTAMP:20260301T000000Z
SUMMARY:Vendor call
DTSTART;TZID=Europe/Zagreb:20260327T110000
DTEND;TZID=Europe/Zagreb:20260327T113000
END:VEVENT
END:VCALENDAR
""".replace("DTSTART;TZID=Europe/Zagreb:20260327T110000", "DTSTART:20260327T100000Z").replace(
    "DTEND;TZID=Europe/Zagreb:20260327T113000", "DTEND:20260327T103000Z")


@pytest.fixture
def work(server: RadicaleServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """The person's work calendar on Radicale: the sample week and one VTODO; logged in by
    environment variables."""
    monkeypatch.setenv("MAKERTIME_CALDAV_USERNAME", server.credentials.username)
    monkeypatch.setenv("MAKERTIME_CALDAV_PASSWORD", server.credentials.password)
    calendar = server.new_calendar()
    fill(server, calendar, {**sample_items(), "blog-post.ics": BLOG_TODO})
    return calendar


def test_the_week_lived_through_caldav(server: RadicaleServer, work: str, db: str) -> None:
    theirs = sorted(server.etags(work))
    names = [href.rsplit("/", 1)[-1] for href in theirs]
    before = snapshot(server, work, names)
    target = server.unused_calendar_url()

    added = ok("source", "add", "work", work, "--db", db)
    assert "credentials: env" in added and "calendar objects" in added

    planned = ok("plan", *SAMPLE, *WEEK, "--now", "2026-03-23T08:00", "--workers", "1",
                 "--gap", "0", "--publish", target, "--db", db)
    assert "published to" in planned and " 0 removed" in planned
    published = marked(server, target)
    assert len(published) > 10
    assert {kind for _, kind, _, _ in published.values()} >= {"deep", "shallow", "sync-window"}
    with open_store(db) as store:
        plan = store.current_plan()
        assert plan is not None
        assert {b.uid for b in plan.blocks} == set(published)
        assert any(b.task == "blog-post@example.com" for b in plan.blocks)  # the VTODO
        assert store.journalled(target).published.keys() == published.keys()
        assert not list(store.journalled(target).intentions)

    again = ok("publish", "--db", db)
    assert "0 created, 0 moved, 0 removed" in again
    assert marked(server, target) == published  # same ETags: nothing written

    # The person drags Wednesday's 11:45 sync window half an hour earlier, deletes Thursday's
    # 10:00 one, and accepts a vendor call over Friday's 11:00 one.
    moved_uid, (moved_url, _, _, _) = at_local(published, "sync-window", "2026-03-25T11:45")
    shift_event(server, moved_url, timedelta(minutes=-30))
    deleted_uid, (deleted_url, _, _, _) = at_local(published, "sync-window", "2026-03-26T10:00")
    server.delete(deleted_url)
    clashing_uid, _ = at_local(published, "sync-window", "2026-03-27T11:00")
    server.put(server.item_url(work, "vendor-call.ics"), VENDOR_CALL)
    edited = marked(server, target)

    logged = ok("interrupt", "CDN alert", "--minutes", "40", "--at", "09:30",
                "--now", "2026-03-25T10:15", "--db", db)
    assert "Wed 25 Mar 09:30" in logged

    replanned = ok("replan", "--publish", "--now", "2026-03-25T10:15", "--workers", "1",
                   "--db", db)
    assert "kept where you put it" in replanned
    assert "deleted by you" in replanned
    assert "Vendor call" in replanned, replanned
    assert ": 1 created, 1 moved, 0 removed, 19 untouched" in replanned  # a window, moved
    assert "0 changed" in ok("replan", "--now", "2026-03-25T10:15", "--workers", "1", "--db", db)
    after = marked(server, target)

    # The moved block is where the person put it, untouched (same UID, same ETag).
    assert after[moved_uid] == edited[moved_uid]
    assert after[moved_uid][2] == local("2026-03-25T11:15")
    # The deleted one never comes back, nor does any sync window in its slot.
    assert deleted_uid not in after
    assert not any(kind == "sync-window" and start == local("2026-03-26T10:00")
                   for _, kind, start, _ in after.values())
    # Only what had to move moved: the window under the vendor call, and what the lost
    # 40 minutes needed; every other block kept its ETag.
    changed = {uid for uid in edited if uid not in after or after[uid] != edited[uid]}
    assert changed == {clashing_uid}
    # the window under the call moved the same day, keeping its UID and its href
    assert after[clashing_uid][0] == edited[clashing_uid][0]
    assert after[clashing_uid][2].date() == local("2026-03-27T11:00").date()
    assert after[clashing_uid][2] != local("2026-03-27T11:00")

    assert "0 created, 0 moved, 0 removed" in ok("publish", "--db", db)
    assert marked(server, target) == after

    # Nothing of the person's was changed: every item of the work calendar is byte for byte
    # what it was (the vendor call is theirs too, and untouched since they wrote it).
    assert snapshot(server, work, names) == before
    assert sorted(server.etags(work)) == sorted([*theirs, *(
        h for h in server.etags(work) if h.endswith("vendor-call.ics"))])

    history = ok("history", "--db", db)
    assert "2026-W13" in history and "CDN alert" in history
    tasks = ok("tasks", "--now", "2026-03-25T10:15", "--db", db)
    assert "design-doc-ingest" in tasks and "blog-post@example.com" in tasks


def test_dry_run_writes_nothing_and_names_each_change(server: RadicaleServer, work: str,
                                                      tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    target = server.new_calendar()
    ok("plan", work, *SAMPLE, *WEEK, "--now", "2026-03-23T08:00", "--workers", "1",
       "--db", db)
    dry = ok("publish", "--to", target, "--dry-run", "--db", db)
    assert "would publish" in dry and "create" in dry and "deep design-doc-ingest" in dry
    assert marked(server, target) == {}
    with open_store(db) as store:
        assert not store.journalled(target).published


def test_replan_and_publish_need_a_plan_first(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    for args in (["replan"], ["publish"]):
        result = run(*args, "--db", db)
        assert result.exit_code == 2
        assert "there is no plan yet" in result.output
        assert "Traceback" not in result.output


@pytest.mark.parametrize("target", ["plan.txt", "week.ics", "http://127.0.0.1:9/ana/cal/"])
def test_a_bad_target_fails_before_solving_and_keeps_no_plan(target: str, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    foreign = tmp_path / "week.ics"
    foreign.write_text(VENDOR_CALL, encoding="utf-8")  # a file of the person's own
    where = target if target.startswith("http") else str(tmp_path / target)
    result = run("plan", str(foreign), *SAMPLE, *WEEK, "--publish", where, "--db", db)
    # a server out of reach is no mistake of the person's: its own status, 3
    assert result.exit_code == (3 if target.startswith("http") else 2), result.output
    assert "Traceback" not in result.output and "solver" not in result.output
    with open_store(db) as store:
        assert store.current_plan() is None
    assert foreign.read_text(encoding="utf-8") == VENDOR_CALL


def test_a_copy_the_person_made_of_a_block_is_theirs_and_a_block_moved_back_stays_back(
        server: RadicaleServer, work: str, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    target = server.new_calendar()
    ok("plan", work, *SAMPLE, *WEEK, "--now", "2026-03-23T08:00", "--workers", "1",
       "--gap", "0", "--publish", target, "--db", db)
    published = marked(server, target)
    # a copy of Wednesday's deep block, made in a calendar program: the markers, a UID of its own
    _, (deep_url, _, _, _) = at_local(published, "deep", "2026-03-25T09:00")
    copy = server.get(deep_url)[1].replace("@makertime", "-copy@example.com")
    server.put(server.item_url(target, "copy.ics"), copy)
    # Wednesday's 11:45 window dragged to 11:15, replanned (pinned), then dragged back
    uid, (url, _, _, _) = at_local(published, "sync-window", "2026-03-25T11:45")
    shift_event(server, url, timedelta(minutes=-30))
    ok("replan", "--publish", "--now", "2026-03-23T09:00", "--workers", "1", "--db", db)
    shift_event(server, url, timedelta(minutes=30))
    ok("replan", "--publish", "--now", "2026-03-23T09:05", "--workers", "1", "--db", db)
    after = marked(server, target)
    assert after[uid][2] == local("2026-03-25T11:45")  # where the person put it back
    ok("publish", "--db", db)
    assert marked(server, target)[uid] == after[uid]
    # the person's copy is untouched, byte for byte
    assert server.get(server.item_url(target, "copy.ics"))[1] == copy


def test_makertimes_own_blocks_in_a_calendar_read_are_not_commitments(
        server: RadicaleServer, work: str, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    target = server.new_calendar()
    ok("plan", work, *SAMPLE, *WEEK, "--now", "2026-03-23T08:00", "--workers", "1",
       "--gap", "0", "--publish", target, "--db", db)
    ok("plan", work, target, *SAMPLE, *WEEK, "--now", "2026-03-23T08:00", "--workers", "1",
       "--gap", "0", "--publish", target, "--db", db)
    replanned = ok("replan", "--now", "2026-03-23T09:00", "--workers", "1", "--db", db)
    assert " 0 changed (0%)" in replanned  # its own blocks did not push the plan around


def test_a_calendar_deleted_whole_is_published_afresh(server: RadicaleServer, work: str,
                                                      tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    target = server.new_calendar()
    ok("plan", work, *SAMPLE, *WEEK, "--now", "2026-03-23T08:00", "--workers", "1",
       "--gap", "0", "--publish", target, "--db", db)
    first = set(marked(server, target))
    server.delete(target)
    ok("publish", "--db", db)
    assert set(marked(server, target)) == first
    with open_store(db) as store:
        assert not store.declined(target)


def test_a_target_written_without_its_closing_slash_keeps_the_persons_deletion(
        server: RadicaleServer, work: str, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    target = server.new_calendar()
    assert target.endswith("/")
    ok("plan", work, *SAMPLE, *WEEK, "--now", "2026-03-23T08:00", "--workers", "1",
       "--gap", "0", "--publish", target.rstrip("/"), "--db", db)
    first = marked(server, target)
    deleted = sorted(first)[0]
    server.delete(first[deleted][0])
    ok("publish", "--db", db)
    assert set(marked(server, target)) == set(first) - {deleted}  # not created again
    with open_store(db) as store:
        assert store.declined(target) == {deleted}
        assert set(store.journalled(target).published) == set(first) - {deleted}
