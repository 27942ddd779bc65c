"""What only one kind of target does, beyond what every calendar backend does
(test_calendar_contract): the .ics file keeps the time zones its events use and refuses what is
not a calendar file of makertime's; a CAL text opens the target it names; a CalDAV calendar is
not made where its parent cannot hold it, nor by a dry run."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from makertime.calendars import open_target
from makertime.calendars.caldav import CalDavCalendar
from makertime.calendars.ics_file import IcsFile
from makertime.errors import OutputError
from makertime.limits import BY_KEY
from tests.support.ics import deadline
from tests.support.publish import (
    PLAN,
    CalDavPlace,
    FilePlace,
    run,
)
from tests.support.radicale import RadicaleServer


def test_the_published_file_holds_the_time_zone_its_events_use(tmp_path: Path) -> None:
    path = tmp_path / "plan.ics"
    run(FilePlace(path), PLAN)
    text = path.read_text()  # lines end in CRLF, read as "\n"
    assert "DTSTART;TZID=Europe/Zagreb:" in text and "BEGIN:VTIMEZONE\nTZID:Europe/Zagreb" in text


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
    assert isinstance(open_target("https://cal.example.com/dav/ana/plan/"), CalDavCalendar)
    assert open_target("https://cal.example.com/dav/ana/plan").name == (
        "https://cal.example.com/dav/ana/plan/")  # named as a collection, as the store knows it
    assert isinstance(open_target(str(tmp_path / "plan.ics")), IcsFile)
    with pytest.raises(OutputError, match=r"neither a CalDAV URL nor an \.ics file"):
        open_target(str(tmp_path / "plan.txt"))


def test_a_dry_run_never_creates_a_missing_caldav_calendar(server: RadicaleServer) -> None:
    url = server.unused_calendar_url()
    dry, _ = run(CalDavPlace(server, url), PLAN, dry_run=True)
    assert len(dry.created) == 5
    response = server.client().propfind(url, props=["{DAV:}resourcetype"], depth=0)
    assert response.status == 404


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
            IcsFile(path).list()


def test_a_target_file_past_the_calendar_limit_is_refused(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.ics"
    path.write_bytes(b"BEGIN:VCALENDAR\r\n" + b"X-FILL:" + b"x" * 4096 + b"\r\nEND:VCALENDAR\r\n")
    monkeypatch.setitem(BY_KEY, "calendar.file_bytes",
                        dataclasses.replace(BY_KEY["calendar.file_bytes"], value=1024))
    with pytest.raises(OutputError, match=r"\(calendar\.file_bytes\)"):
        IcsFile(path).list()
