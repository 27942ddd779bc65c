"""One test suite for reading every calendar backend that needs no server: the same week as one
file, as a vdir folder and as a calendar in memory (CalDAV reading: ``tests/system``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from makertime.calendars import IcsFile, IcsFolder, open_source
from makertime.calendars.base import Calendar
from makertime.calendars.cache import InstanceCache
from makertime.calendars.memory import MemoryCalendar
from makertime.errors import SourceError

FIRST, LAST = date(2026, 3, 23), date(2026, 3, 29)
ZONE = """BEGIN:VTIMEZONE
TZID:Europe/Zagreb
BEGIN:STANDARD
DTSTART:19701025T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700329T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
END:VTIMEZONE
"""
ITEMS = {
    "standup": """BEGIN:VEVENT
UID:standup
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/Zagreb:20260323T093000
DTEND;TZID=Europe/Zagreb:20260323T094500
RRULE:FREQ=DAILY;COUNT=5
SUMMARY:Standup
END:VEVENT
BEGIN:VEVENT
UID:standup
DTSTAMP:20260101T000000Z
RECURRENCE-ID;TZID=Europe/Zagreb:20260325T093000
DTSTART;TZID=Europe/Zagreb:20260325T093000
DTEND;TZID=Europe/Zagreb:20260325T094500
STATUS:CANCELLED
SUMMARY:Standup
END:VEVENT
""",
    "stream": """BEGIN:VEVENT
UID:stream
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/Zagreb:20260326T190000
DTEND;TZID=Europe/Zagreb:20260326T213000
CATEGORIES:LIVE
SUMMARY:Thursday stream
END:VEVENT
""",
    "todo": """BEGIN:VTODO
UID:todo
DTSTAMP:20260101T000000Z
SUMMARY:Write the design doc
X-MAKERTIME-ESTIMATE:4h
END:VTODO
""",
    "broken": """BEGIN:VEVENT
UID:broken
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/Zagreb:20260324T100000
DTEND;TZID=Europe/Zagreb:20260324T110000
RRULE:FREQ=WEEKLY;BYDAY=XX
SUMMARY:Cannot be expanded
END:VEVENT
""",
}


def calendar(*bodies: str) -> str:
    return "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\n" + ZONE + "".join(bodies) + (
        "END:VCALENDAR\n")


def as_file(tmp: Path) -> IcsFile:
    path = tmp / "week.ics"
    path.write_text(calendar(*ITEMS.values()), encoding="utf-8")
    return IcsFile(path)


def as_folder(tmp: Path) -> IcsFolder:
    folder = tmp / "vdir"
    (folder / "nested").mkdir(parents=True)
    for name, body in ITEMS.items():
        where = folder / "nested" if name == "todo" else folder
        (where / f"{name}.ics").write_text(calendar(body), encoding="utf-8")
    (folder / "README.txt").write_text("not a calendar", encoding="utf-8")
    return IcsFolder(folder)


def in_memory(_tmp: Path) -> MemoryCalendar:
    held = MemoryCalendar("memory:week")
    for name, body in ITEMS.items():
        held.put(f"{name}.ics", calendar(body))
    return held


@pytest.fixture(params=[as_file, as_folder, in_memory], ids=["file", "folder", "memory"])
def source(request: pytest.FixtureRequest, tmp_path: Path) -> Calendar:
    make: Callable[[Path], Calendar] = request.param
    return make(tmp_path)


def test_the_same_events_come_back(source: Calendar) -> None:
    reads = source.read(FIRST, LAST)
    instances = sorted((i.uid, i.start.isoformat(), i.status) for r in reads for i in r.instances)
    assert [i for i in instances if i[0] == "standup"] == [
        ("standup", f"2026-03-{day}T08:30:00+00:00", status)
        for day, status in (("23", ""), ("24", ""), ("25", "CANCELLED"), ("26", ""), ("27", ""))]
    assert ("stream", "2026-03-26T18:00:00+00:00", "") in instances


def test_todos_are_tasks_never_events(source: Calendar) -> None:
    reads = source.read(FIRST, LAST)
    assert [(t.id, t.estimate_minutes) for r in reads for t in r.tasks] == [("todo", 240)]
    assert all(i.uid != "todo" for r in reads for i in r.instances)


def test_a_broken_series_is_named_by_its_file_and_uid(source: Calendar) -> None:
    warnings = [w for r in source.read(FIRST, LAST) for w in r.warnings]
    [warning] = [w for w in warnings if w.uid == "broken"]
    assert warning.source.endswith(".ics") and "skipped" in warning.message
    assert "RRULE cannot be read" in warning.message


def test_progress_names_each_file_read(source: Calendar) -> None:
    seen: list[str] = []
    reads = source.read(FIRST, LAST, progress=seen.append)
    assert seen == [r.source for r in reads]


def test_a_cached_read_equals_a_fresh_one(source: Calendar) -> None:
    cache = InstanceCache()
    assert source.read(FIRST, LAST, cache=cache) == source.read(FIRST, LAST, cache=cache)
    assert source.read(FIRST, LAST, cache=cache) == source.read(FIRST, LAST)


def test_open_source_picks_the_kind(tmp_path: Path) -> None:
    assert isinstance(open_source(str(as_file(tmp_path).path)), IcsFile)
    assert isinstance(open_source(str(as_folder(tmp_path).path)), IcsFolder)
    with pytest.raises(SourceError, match="no such file or folder"):
        open_source(str(tmp_path / "missing.ics"))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SourceError, match=r"holds no \.ics files"):
        open_source(str(empty)).read(FIRST, LAST)


def test_one_unreadable_file_in_a_folder_costs_only_that_file(tmp_path: Path) -> None:
    folder = as_folder(tmp_path)
    (folder.path / "garbage.ics").write_text("this is no calendar", encoding="utf-8")
    reads = folder.read(FIRST, LAST)
    assert {i.uid for r in reads for i in r.instances} == {"standup", "stream"}
    [skipped] = [w for r in reads for w in r.warnings if w.source.endswith("garbage.ics")]
    assert skipped.message.startswith("skipped: is not an iCalendar file")
