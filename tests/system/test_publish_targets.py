"""What only one kind of target does: the .ics file reads back and refuses foreign events;
the CalDAV calendar keeps foreign events byte for byte and is created when missing."""

from __future__ import annotations

import dataclasses
import os
from datetime import timedelta
from pathlib import Path

import pytest

from makertime.calendars import open_target, read_calendars
from makertime.calendars.caldav_target import CalDavTarget
from makertime.calendars.ics_target import IcsFileTarget
from makertime.errors import OutputError
from makertime.limits import BY_KEY
from tests.support.ics import deadline
from tests.support.publish import (
    MONDAY,
    PLAN,
    CalDavPlace,
    FilePlace,
    Journal,
    block,
    on_target,
    run,
)
from tests.support.radicale import RadicaleServer


def test_the_published_file_reads_back_as_the_plan(tmp_path: Path) -> None:
    path = tmp_path / "plan.ics"
    run(FilePlace(path), PLAN)
    [read] = read_calendars([str(path)], MONDAY.date(), MONDAY.date() + timedelta(days=6))
    assert sorted((i.uid, i.start, i.end) for i in read.instances) == sorted(
        (b.uid, b.span.start, b.span.end) for b in PLAN)
    assert "TZID=Europe/Zagreb" in path.read_text()


def test_an_ics_file_with_events_makertime_did_not_write_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mine.ics"
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//someone//EN\r\nBEGIN:VEVENT\r\n"
            "UID:dentist@example.com\r\nDTSTAMP:20260101T000000Z\r\n"
            "DTSTART:20260324T090000Z\r\nDTEND:20260324T100000Z\r\nSUMMARY:Dentist\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n")
    path.write_bytes(text.encode())
    with pytest.raises(OutputError) as caught:
        run(FilePlace(path), PLAN)
    assert str(caught.value) == (f"{path}: holds 1 event makertime did not write "
                                 "(publish to a file of its own)")
    assert path.read_bytes() == text.encode()


def test_open_target_tells_urls_files_and_nonsense_apart(tmp_path: Path) -> None:
    assert isinstance(open_target("https://cal.example.com/dav/ana/plan/"), CalDavTarget)
    assert isinstance(open_target(str(tmp_path / "plan.ics")), IcsFileTarget)
    with pytest.raises(OutputError, match=r"neither a CalDAV URL nor an \.ics file"):
        open_target(str(tmp_path / "plan.txt"))


FOREIGN = {
    "dentist.ics": """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//someone//EN
BEGIN:VEVENT
UID:dentist@example.com
DTSTAMP:20260101T000000Z
DTSTART:20260324T080000Z
DTEND:20260324T090000Z
SUMMARY:Dentist
END:VEVENT
END:VCALENDAR
""",
    "standup.ics": """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//someone//EN
BEGIN:VEVENT
UID:standup@example.com
DTSTAMP:20260101T000000Z
DTSTART:20260323T090000Z
DTEND:20260323T091500Z
RRULE:FREQ=DAILY;COUNT=10
SUMMARY:Standup
END:VEVENT
END:VCALENDAR
""",
}


def test_foreign_events_in_a_caldav_calendar_stay_byte_for_byte(server: RadicaleServer) -> None:
    url = server.new_calendar()
    place = CalDavPlace(server, url)
    for name, text in FOREIGN.items():
        server.put(server.item_url(url, name), text)
    items = {name: server.item_url(url, name) for name in FOREIGN}
    before = {name: (server.get(item), server.stored_bytes(item)) for name, item in items.items()}
    journal = Journal()
    first, _ = run(place, PLAN, journal)
    assert first.foreign == 2
    run(place, [*PLAN[2:], block(4, 8)], journal, dry_run=True)
    run(place, [*PLAN[2:], block(4, 8)], journal)
    place.move(PLAN[3].uid, timedelta(hours=1))
    last, _ = run(place, PLAN[:2], journal)
    assert last.foreign == 2 and [e.uid for e in last.kept_theirs] == [PLAN[3].uid]
    after = {name: (server.get(item), server.stored_bytes(item)) for name, item in items.items()}
    assert after == before


def test_a_missing_caldav_calendar_is_created_on_the_first_write(server: RadicaleServer) -> None:
    url = server.unused_calendar_url()
    place = CalDavPlace(server, url)
    dry, _ = run(place, PLAN, dry_run=True)
    assert len(dry.created) == 5
    response = server.client().propfind(url, props=["{DAV:}resourcetype"], depth=0)
    assert response.status == 404  # a dry run creates nothing, not even the calendar
    run(place, PLAN)
    [own] = server.client().propfind(url, props=["{DAV:}resourcetype"], depth=0).results or []
    assert "{urn:ietf:params:xml:ns:caldav}calendar" in own.properties["{DAV:}resourcetype"]
    assert set(on_target(place)) == {b.uid for b in PLAN}


@pytest.mark.parametrize(("where", "problem"), [
    ("inside-a-calendar", "calendars do not nest"),
    ("missing-parent", "there is no collection"),
    ("another-user", "refused access"),
])
def test_a_url_whose_parent_cannot_hold_calendars_is_one_line(server: RadicaleServer,
                                                               where: str, problem: str) -> None:
    url = {"inside-a-calendar": f"{server.new_calendar()}plan/",
           "missing-parent": f"{server.home()}nothing/here/",
           "another-user": f"{server.base_url}bob/plan/"}[where]
    with pytest.raises(OutputError) as caught:
        run(CalDavPlace(server, url), PLAN)
    message = str(caught.value)
    assert message.startswith(url) and problem in message and "\n" not in message


def test_a_target_file_that_became_a_fifo_or_a_device_is_refused_unread(tmp_path: Path) -> None:
    # replan reads the stored target again: what is there now may be anything
    fifo = tmp_path / "fifo.ics"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.ics"
    zero.symlink_to("/dev/zero")
    for path, what in ((fifo, "is a named pipe"), (zero, "is a character device")):
        with deadline(10), pytest.raises(OutputError, match=what):
            IcsFileTarget(path).list()


def test_a_target_file_past_the_calendar_limit_is_refused(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.ics"
    path.write_bytes(b"BEGIN:VCALENDAR\r\n" + b"X-FILL:" + b"x" * 4096 + b"\r\nEND:VCALENDAR\r\n")
    monkeypatch.setitem(BY_KEY, "calendar.file_bytes",
                        dataclasses.replace(BY_KEY["calendar.file_bytes"], value=1024))
    with pytest.raises(OutputError, match=r"\(calendar\.file_bytes\)"):
        IcsFileTarget(path).list()
