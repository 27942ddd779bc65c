"""The one opener: a CAL text names a CalDAV collection, a vdir folder or an .ics file, opened
alike for reading (``open_source``) and publishing (``open_target``) with their own words."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from makertime.calendars import (
    IcsFile,
    IcsFolder,
    is_url,
    open_calendar,
    open_source,
    open_target,
)
from makertime.calendars.caldav import CalDavCalendar
from makertime.errors import OutputError, SourceError

ZONE = ZoneInfo("Europe/Zagreb")


@pytest.mark.parametrize(("text", "url"), [
    ("https://cal.example.com/dav/ana/work/", True), ("http://127.0.0.1:5232/ana/", True),
    ("httpx.ics", False), ("http/week.ics", False), ("/home/ana/https://x", False),
    ("HTTPS://CAL.EXAMPLE.COM/", False), ("work", False),
])
def test_only_an_http_or_https_url_is_a_url(text: str, url: bool) -> None:
    assert is_url(text) is url


def test_each_kind_of_cal_opens_its_backend(tmp_path: Path) -> None:
    (tmp_path / "vdir").mkdir()
    (tmp_path / "week.txt").write_text("BEGIN:VCALENDAR\nEND:VCALENDAR\n", encoding="utf-8")
    caldav = open_calendar("https://cal.example.com/dav/ana/work/", ZONE)
    assert isinstance(caldav, CalDavCalendar) and caldav.zone == ZONE
    assert caldav.name == "https://cal.example.com/dav/ana/work/"
    assert open_calendar(str(tmp_path / "vdir"), ZONE) == IcsFolder(tmp_path / "vdir", zone=ZONE)
    assert open_calendar(str(tmp_path / "week.txt")) == IcsFile(tmp_path / "week.txt")
    # a file to be written need not exist yet
    assert open_calendar(str(tmp_path / "plan.ics"), ZONE) == IcsFile(tmp_path / "plan.ics",
                                                                      zone=ZONE)


def test_a_path_that_names_nothing_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file or folder"):
        open_calendar(str(tmp_path / "nothing"))
    with pytest.raises(SourceError, match="no such file or folder"):
        open_source(str(tmp_path / "missing.ics"))  # to be read, it must exist
    with pytest.raises(OutputError, match=r"is neither a CalDAV URL nor an \.ics file"):
        open_target(str(tmp_path / "vdir"))


def test_a_url_with_a_password_in_it_is_named_without_it() -> None:
    calendar = open_calendar("https://ana:hunter2@cal.example.com/dav/ana/work/")
    assert calendar.name == "https://cal.example.com/dav/ana/work/"
