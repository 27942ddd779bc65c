"""A calendar read a piece at a time gives what the whole file read at once gave: the same
instances, tasks and counts, whatever the size of the pieces and whatever is left unparsed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar.parser.content_line import UFOLD

from makertime.calendars import chunks, ics, split
from makertime.calendars.ics import read_ics_bytes
from makertime.model import CalendarRead
from tests.support.corpus import FILES
from tests.support.ics import FIXTURES

FIRST, LAST = date(2026, 3, 1), date(2026, 3, 31)
HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"


def event(uid: str, start: str, end: str, extra: str = "") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{start}\r\n"
            f"DTEND:{end}\r\n{extra}SUMMARY:{uid}\r\nEND:VEVENT\r\n")


def calendar(*bodies: str, header: str = "") -> bytes:
    return (HEAD + header + "".join(bodies) + "END:VCALENDAR\r\n").encode()


def what(read: CalendarRead) -> tuple[Any, ...]:
    """What a read says about time and tasks, comparable across reads."""
    return (sorted((i.uid, i.summary, i.start, i.end, i.kind, i.status, i.transp,
                    i.categories, i.attendees) for i in read.instances),
            [(t.id, t.estimate_minutes, t.deadline) for t in read.tasks], read.components)


@pytest.fixture
def whole(monkeypatch: pytest.MonkeyPatch) -> Callable[[bytes, str, date, date], CalendarRead]:
    """Read as one piece with nothing left unparsed: the whole file at once."""
    def read_whole(data: bytes, source: str, first: date, last: date) -> CalendarRead:
        with monkeypatch.context() as patch:
            patch.setattr(ics, "CHUNK_BYTES", 1 << 40)
            patch.setattr(split, "far_outside", lambda *_: False)
            return read_ics_bytes(data, source, first, last)
    return read_whole


@pytest.mark.skipif(not FILES, reason="the shared corpus is not there")
def test_the_corpus_reads_the_same_streamed_and_whole(
        whole: Callable[[bytes, str, date, date], CalendarRead],
        monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [*FILES, *sorted(FIXTURES.glob("*.ics"))]
    compared = 0
    periods = ((date(2019, 1, 1), date(2019, 12, 31)), (date(2026, 3, 2), date(2026, 3, 8)))
    for first, last in periods:
        for path in paths:
            data = path.read_bytes()
            try:
                expected = what(whole(data, str(path), first, last))
            except Exception:  # noqa: BLE001 - unreadable either way, compared below
                expected = None
            for size in (ics.CHUNK_BYTES, 1):  # as read, and one UID a piece
                with monkeypatch.context() as patch:
                    patch.setattr(ics, "CHUNK_BYTES", size)
                    try:
                        found = what(read_ics_bytes(data, str(path), first, last))
                    except Exception:  # noqa: BLE001
                        found = None
                assert found == expected, (path.name, first, size)
            compared += expected is not None
    assert compared > 400


def test_an_override_far_from_its_series_is_still_applied(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ics, "CHUNK_BYTES", 1)
    filler = [event(f"filler-{n}", "20260302T120000Z", "20260302T121500Z") for n in range(50)]
    master = event("standup", "20260302T090000Z", "20260302T091500Z",
                   "RRULE:FREQ=DAILY;COUNT=5\r\n")
    moved = event("standup", "20260304T150000Z", "20260304T151500Z",
                  "RECURRENCE-ID:20260304T090000Z\r\n")
    found = read_ics_bytes(calendar(master, *filler, moved), "far.ics", FIRST, LAST)
    assert [i.start.hour for i in found.instances if i.uid == "standup"] == [9, 9, 15, 9, 9]


def test_each_vcalendar_keeps_its_own_header() -> None:
    """Floating 10:00 in a New York calendar and in a Tokyo one (X-WR-TIMEZONE)."""
    floating = ("BEGIN:VEVENT\r\nUID:{0}\r\nDTSTAMP:20260101T000000Z\r\n"
                "DTSTART:20260310T100000\r\nDTEND:20260310T110000\r\nSUMMARY:{0}\r\nEND:VEVENT\r\n")
    data = (calendar(floating.format("ny"), header="X-WR-TIMEZONE:America/New_York\r\n")
            + calendar(floating.format("tokyo"), header="X-WR-TIMEZONE:Asia/Tokyo\r\n"))
    found = read_ics_bytes(data, "two.ics", FIRST, LAST)
    assert {i.uid: i.start for i in found.instances} == {
        "ny": datetime(2026, 3, 10, 14, 0, tzinfo=UTC), "tokyo": datetime(2026, 3, 10, 1, 0,
                                                                          tzinfo=UTC)}


def test_single_events_far_outside_the_period_are_counted_but_not_parsed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[int] = []
    original = chunks.SectionParser.parse

    def counting(self: chunks.SectionParser, parts: list[split.Part]) -> Any:
        parsed.append(len(parts))
        return original(self, parts)

    monkeypatch.setattr(chunks.SectionParser, "parse", counting)
    old = [event(f"old-{n}", "20200101T090000Z", "20200101T100000Z") for n in range(300)]
    near = [event("edge", "20260226T230000Z", "20260227T010000Z"),  # near: parsed, not read
            event("zoned", "20250101T090000", "20250101T100000").replace(
                "DTSTART:", "DTSTART;TZID=Europe/Zagreb:"),  # far: its TZID does not matter
            event("during", "20260310T090000Z", "20260310T100000Z"),
            event("undated", "2026031", "20200101T100000Z")]  # not plain digits: parsed
    found = read_ics_bytes(calendar(*old, *near), "old.ics", FIRST, LAST)
    assert sum(parsed) == 3
    assert [i.uid for i in found.instances] == ["during"]
    assert found.components == {"VEVENT": 304}
    assert [w.uid for w in found.warnings] == ["undated"]


def test_a_big_file_is_parsed_a_megabyte_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes: list[int] = []
    original = icalendar.Calendar.from_ical

    def measuring(text: Any, multiple: bool = False) -> Any:
        sizes.append(len(text))
        return original(text, multiple=multiple)

    monkeypatch.setattr(icalendar.Calendar, "from_ical", measuring)
    long = "DESCRIPTION:" + "x" * 200 + "\r\n"
    events = [event(f"e-{n}", f"202603{1 + n % 28:02d}T{n % 24:02d}0000Z",
                    f"202603{1 + n % 28:02d}T{n % 24:02d}3000Z", long) for n in range(12_000)]
    data = calendar(*events)
    found = read_ics_bytes(data, "big.ics", FIRST, LAST)
    assert len(found.instances) == 12_000
    assert len(sizes) >= len(data) // ics.CHUNK_BYTES
    assert max(sizes) < 2 * ics.CHUNK_BYTES


def test_a_component_icalendar_refuses_costs_only_itself_among_many() -> None:
    good = [event(f"good-{n}", "20260310T090000Z", "20260310T100000Z") for n in range(200)]
    bad = "BEGIN:VTODO\r\nUID:bad-todo\r\nNONSENSE\r\nEND:VTODO\r\n"
    found = read_ics_bytes(calendar(*good[:120], bad, *good[120:]), "one-bad.ics", FIRST, LAST)
    assert len(found.instances) == 200
    assert {w.uid for w in found.warnings} == {"bad-todo"}
    assert "VTODO: line 'NONSENSE' is not iCalendar; ignored" in {w.message for w in found.warnings}
    assert [t.id for t in found.tasks] == ["bad-todo"]


@given(st.lists(st.sampled_from(["\r", "\n", " ", "\t", "a", "\r\n", "\n ", "\r\n\t"]),
                max_size=30))
def test_unfolding_is_icalendars(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert split.unfold(text.encode()) == UFOLD.sub("", text).encode()


def test_a_missing_end_is_judged_by_icalendar(tmp_path: Path) -> None:
    data = calendar(event("kept", "20260310T090000Z", "20260310T100000Z"),
                    "BEGIN:VEVENT\r\nUID:cut\r\nDTSTART:20260311T090000Z\r\n")
    found = read_ics_bytes(data.replace(b"END:VCALENDAR\r\n", b""), "cut.ics", FIRST, LAST)
    assert "kept" in {i.uid for i in found.instances}
