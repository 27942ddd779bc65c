"""A block the plan moves keeps its UID on the calendar: its event is updated in place (same
href, If-Match, SEQUENCE one higher), never deleted and created anew, on a real Radicale and in
an .ics file; the store records the new time, so the next run takes nothing for the person's
move. And a fresh ``plan --publish`` mid-week keeps the person's own moves and deletions."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import icalendar
import pytest

from makertime.sample import sample_path
from makertime.store import open_store
from tests.support.radicale import RadicaleServer
from tests.support.week import SAMPLE, WEEK, local, marked, ok

FAST = ["--workers", "1", "--gap", "0"]
MEETING = """BEGIN:VEVENT
UID:clash@example.com
DTSTAMP:20260301T000000Z
SUMMARY:Architecture review
DTSTART;TZID=Europe/Zagreb:20260326T100000
DTEND;TZID=Europe/Zagreb:20260326T103000
END:VEVENT
"""
MOVED_BLOCK = ("sync-window", local("2026-03-26T10:00"))  # Thursday's first sync window
DESIGN_DOC = local("2026-03-25T09:00")  # its deep block, Wednesday morning


def calendar_copy(folder: Path) -> Path:
    """The sample week as a calendar file of the person's own."""
    path = folder / "work.ics"
    shutil.copy(sample_path("week.ics"), path)
    return path


def add_meeting(calendar: Path) -> None:
    """The person accepts a meeting over Thursday's first sync window."""
    text = calendar.read_text()
    calendar.write_text(text.replace("END:VCALENDAR", MEETING + "END:VCALENDAR"))


def events(path: Path) -> dict[str, icalendar.Event]:
    """The events of an .ics file by UID."""
    found = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in found.walk("VEVENT")}


def plan_and_clash(calendar: Path, target: str, db: str) -> str:
    """Plan the week from Monday morning and publish it; then the meeting lands. The output of
    ``replan --publish`` on Tuesday evening."""
    ok("plan", str(calendar), *SAMPLE, *WEEK, "--now", "2026-03-23T08:00", *FAST,
       "--publish", target, "--db", db)
    add_meeting(calendar)
    return ok("replan", "--publish", "--now", "2026-03-24T18:00", *FAST[:2], "--db", db)


def moved_block(db: str, uid: str) -> datetime:
    """Where the current plan has block ``uid``, and that the store records it there."""
    with open_store(db) as store:
        plan = store.current_plan()
        assert plan is not None
        (block,) = [b for b in plan.blocks if b.uid == uid]
    return block.span.start


def test_a_moved_block_keeps_its_uid_and_href_on_radicale(
        server: RadicaleServer, tmp_path: Path, db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAKERTIME_CALDAV_USERNAME", server.credentials.username)
    monkeypatch.setenv("MAKERTIME_CALDAV_PASSWORD", server.credentials.password)
    calendar, target = calendar_copy(tmp_path), server.unused_calendar_url()
    ok("plan", str(calendar), *SAMPLE, *WEEK, "--now", "2026-03-23T08:00", *FAST,
       "--publish", target, "--db", db)
    before = marked(server, target)
    hrefs = {url for url, _, _, _ in before.values()}
    ((uid, (url, _, _, etag)),) = [(u, item) for u, item in before.items()
                                   if (item[1], item[2]) == MOVED_BLOCK]
    add_meeting(calendar)
    replanned = ok("replan", "--publish", "--now", "2026-03-24T18:00", *FAST[:2], "--db", db)
    assert "moved sync window 30m, Thu 26 Mar 10:00–10:30 →" in replanned
    assert "“Architecture review” Thu 10:00–10:30 now takes that time" in replanned
    assert "0 created, 1 moved," in replanned
    after = marked(server, target)
    # nothing added; the only event gone is the rest marker the call made moot
    assert set(after) <= set(before)
    assert {before[u][1] for u in set(before) - set(after)} <= {"rest", "recovery"}
    assert {item[0] for item in after.values()} <= hrefs
    new_url, kind, start, new_etag = after[uid]
    assert (new_url, kind) == (url, "sync-window") and new_etag != etag
    assert start != MOVED_BLOCK[1] and start == moved_block(db, uid)
    _, text = server.get(url)
    (event,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert int(event["SEQUENCE"]) == 1
    assert str(event["X-MAKERTIME-PLANNED"]).startswith(f"{start.astimezone():%Y%m%dT}")
    with open_store(db) as store:
        record = store.journalled(target).published[uid]
        assert record.start == start and record.etag == new_etag
    # the next run takes makertime's own move for nobody's edit
    again = ok("replan", "--now", "2026-03-24T18:00", *FAST[:2], "--db", db)
    assert "0 changed" in again and "kept where you put it" not in again
    assert "0 created, 0 moved, 0 removed" in ok("publish", "--db", db)


def test_a_moved_block_keeps_its_uid_in_an_ics_file(tmp_path: Path) -> None:
    db, target = f"sqlite:///{tmp_path / 'store.db'}", tmp_path / "plan.ics"
    calendar = calendar_copy(tmp_path)
    ok("plan", str(calendar), *SAMPLE, *WEEK, "--now", "2026-03-23T08:00", *FAST,
       "--publish", str(target), "--db", db)
    before = events(target)
    (uid,) = [u for u, e in before.items() if str(e["X-MAKERTIME-KIND"]) == MOVED_BLOCK[0]
              and e.decoded("DTSTART") == MOVED_BLOCK[1]]
    assert "SEQUENCE" not in before[uid]
    add_meeting(calendar)
    replanned = ok("replan", "--publish", "--now", "2026-03-24T18:00", *FAST[:2], "--db", db)
    assert "0 created, 1 moved," in replanned
    after = events(target)
    assert set(after) <= set(before)
    assert {str(before[u]["X-MAKERTIME-KIND"]) for u in set(before) - set(after)} <= {
        "rest", "recovery"}
    moved = after[uid]
    assert moved.decoded("DTSTART") == moved_block(db, uid) != MOVED_BLOCK[1]
    assert int(moved["SEQUENCE"]) == 1
    again = ok("replan", "--now", "2026-03-24T18:00", *FAST[:2], "--db", db)
    assert "0 changed" in again and "kept where you put it" not in again


def shift(path: Path, uid: str, delta: timedelta) -> None:
    """Move event ``uid`` of the file by ``delta``, as a calendar program does (its X-
    properties kept)."""
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    for event in calendar.walk("VEVENT"):
        if str(event["UID"]) == uid:
            for name in ("DTSTART", "DTEND"):
                moved = event.decoded(name) + delta
                del event[name]
                event.add(name, moved)
    path.write_bytes(calendar.to_ical())


def drop(path: Path, uid: str) -> None:
    """Delete event ``uid`` from the file, as the person does."""
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    calendar.subcomponents = [c for c in calendar.subcomponents if str(c.get("UID")) != uid]
    path.write_bytes(calendar.to_ical())


def test_plan_publish_midweek_keeps_the_persons_moves_and_deletions(tmp_path: Path) -> None:
    db, target = f"sqlite:///{tmp_path / 'store.db'}", tmp_path / "plan.ics"
    cal = str(sample_path("week.ics"))
    ok("plan", cal, *SAMPLE, *WEEK, "--now", "2026-03-23T08:00", *FAST,
       "--publish", str(target), "--db", db)
    published = events(target)
    (moved_uid,) = [u for u, e in published.items() if e.decoded("DTSTART") == DESIGN_DOC
                    and str(e["X-MAKERTIME-KIND"]) == "deep"]
    windows = sorted((e.decoded("DTSTART"), u) for u, e in published.items()
                     if str(e["X-MAKERTIME-KIND"]) == "sync-window"
                     and e.decoded("DTSTART") > local("2026-03-26T00:00"))
    deleted_start, deleted_uid = windows[0]
    # the person takes the design doc to Wednesday afternoon and deletes a sync window
    shift(target, moved_uid, timedelta(hours=5))
    drop(target, deleted_uid)
    ok("plan", cal, *SAMPLE, *WEEK, "--now", "2026-03-24T18:00", *FAST,
       "--publish", str(target), "--db", db)
    after = events(target)
    assert after[moved_uid].decoded("DTSTART") == local("2026-03-25T14:00")
    assert deleted_uid not in after
    assert not [e for e in after.values() if str(e["X-MAKERTIME-KIND"]) == "sync-window"
                and e.decoded("DTSTART") == deleted_start]
    with open_store(db) as store:
        plan = store.current_plan()
        assert plan is not None
        (pinned,) = [b for b in plan.blocks if b.uid == moved_uid]
        assert pinned.span.start == local("2026-03-25T14:00")
        # nothing else is planned over the person's block
        assert not [b for b in plan.blocks if b.kind.is_work and b.uid != moved_uid
                    and b.span.clip(pinned.span)]
    # and a replan right after agrees: the block is theirs, nothing moves
    replanned = ok("replan", "--now", "2026-03-24T18:00", *FAST[:2], "--db", db)
    assert "0 changed" in replanned
