"""Hostile calendars whose reading cost grew faster than their size: UIDs chaining thousands of
components together, pieces icalendar refuses among many time zones, huge titles on frequent
series. Each is generated here and read under an alarm, so a regression that takes minutes
fails instead of blocking the suite.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import icalendar
import pytest

from makertime import limits
from makertime import text as text_module
from makertime.calendars import expand, split
from makertime.calendars.ics import read_ics_bytes
from makertime.text import clean
from tests.support.ics import deadline

FIRST, LAST = date(2026, 3, 1), date(2026, 3, 31)
WINDOW = (date(2026, 2, 28), date(2026, 4, 2))
HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"


def set_limit(monkeypatch: pytest.MonkeyPatch, key: str, value: int) -> None:
    monkeypatch.setitem(limits.BY_KEY, key, replace(limits.BY_KEY[key], value=value))


def calendar(*bodies: str) -> bytes:
    return (HEAD + "".join(bodies) + "END:VCALENDAR\r\n").encode()


def journal(*uids: str) -> str:
    return "BEGIN:VJOURNAL\r\n" + "".join(f"UID:{uid}\r\n" for uid in uids) + "END:VJOURNAL\r\n"


def grouped(data: bytes) -> list[list[int]]:
    """The groups of the file's components, each as the positions of its components."""
    [section] = split.scan(split.unfold(data), WINDOW).sections
    where = {id(part): n for n, part in enumerate(section.parts)}
    return [[where[id(part)] for part in group] for group in split.groups(section.parts)]


# --- grouping by UID ----------------------------------------------------------------------------


def test_components_naming_two_uids_join_their_groups_in_file_order() -> None:
    data = calendar(journal("a"), journal("b"), journal("c"), journal("b", "a"), journal("c"),
                    journal(), journal("d", "c", "a"))
    assert grouped(data) == [[0, 1, 2, 3, 4, 6], [5]]


def test_uids_chaining_forty_thousand_components_are_grouped_at_once() -> None:
    """20,000 journals, then 20,000 more each naming x0 and one of the first (1.8 MB): every
    join re-pointed every key before, 34 s."""
    count = 20_000
    data = calendar(*(journal(f"x{n}") for n in range(count)),
                    *(journal("x0", f"x{n}") for n in range(count)))
    with deadline():
        found = grouped(data)
    assert found == [list(range(2 * count))]


# --- pieces icalendar refuses -------------------------------------------------------------------


def zone(tzid: str, offset: str = "+0300") -> str:
    return (f"BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
            f"TZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n")


def event(uid: str, extra: str = "", start: str = "DTSTART:20260310T090000Z") -> str:
    end = start.replace("DTSTART", "DTEND").replace("T09", "T10")
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n{start}\r\n{end}\r\n"
            f"{extra}SUMMARY:{uid}\r\nEND:VEVENT\r\n")


def refused(uid: str) -> str:
    """An event with a line the scan ignores and icalendar refuses, which no repair mends."""
    return event(uid, "END :X\r\n")


def test_refused_pieces_are_taken_apart_without_the_zones() -> None:
    """2,000 refused events and 100 zones: every parse of every half held every zone, 117 s.
    The zone of an event parsed beside them still applies."""
    zones = [zone(f"Zone-{n}") for n in range(100)]
    zoned = event("zoned", start="DTSTART;TZID=Zone-7:20260310T090000")
    bodies = [refused(f"bad-{n}") for n in range(2_000)]
    bodies.insert(10, zoned)
    with deadline():
        found = read_ics_bytes(calendar(*zones, *bodies), "zones.ics", FIRST, LAST)
    [instance] = found.instances
    assert instance.start == datetime(2026, 3, 10, 6, 0, tzinfo=UTC)  # 09:00 at +03:00


def test_after_as_many_refusals_as_warnings_a_refused_piece_is_skipped_unread(
        monkeypatch: pytest.MonkeyPatch) -> None:
    set_limit(monkeypatch, "calendar.warnings", 5)
    parses: list[int] = []
    original = icalendar.Calendar.from_ical

    def counting(text: Any, multiple: bool = False) -> Any:
        parses.append(len(text))
        return original(text, multiple=multiple)

    monkeypatch.setattr(icalendar.Calendar, "from_ical", counting)
    bodies = [refused(f"bad-{n}") for n in range(64)]
    found = read_ics_bytes(calendar(event("good"), *bodies), "broken.ics", FIRST, LAST)
    assert [i.uid for i in found.instances] == ["good"]
    messages = [w.message for w in found.warnings]
    assert messages[:5] == ["VEVENT cannot be parsed and was skipped"] * 5
    assert messages[5:] == ["59 components skipped unread: more than 5 components of this "
                            "calendar cannot be parsed (calendar.warnings)"]
    assert len(parses) < 40  # taking all of them apart: 129 pieces, each parsed



# --- text ---------------------------------------------------------------------------------------


def hourly(summary: str) -> bytes:
    """An hourly series from 2 March titled ``summary``, with categories and an attendee."""
    extra = ("RRULE:FREQ=HOURLY\r\nCATEGORIES:A,B\r\n"
             "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@example.com\r\n")
    series = event("hourly", extra, "DTSTART:20260302T000000Z")
    return calendar(series.replace("SUMMARY:hourly", f"SUMMARY:{summary}"))


def test_an_events_texts_are_cleaned_once_for_all_its_occurrences(
        monkeypatch: pytest.MonkeyPatch) -> None:
    cleaned: list[str] = []

    def counting(text: str, *, chars: int | None = None) -> str:
        cleaned.append(text)
        return clean(text, chars=chars)

    monkeypatch.setattr(expand, "clean", counting)
    found = read_ics_bytes(hourly("Standup"), "hourly.ics", date(2026, 3, 2), date(2026, 3, 8))
    assert len(found.instances) > 7 * 24
    assert {i.summary for i in found.instances} == {"Standup"}
    assert len(cleaned) < 20  # uid, summary, status, transp, busy status, 2 categories, attendee


def test_a_title_of_megabytes_on_an_hourly_series_is_cleaned_once_and_cut_first() -> None:
    """A 20 MB SUMMARY on an hourly series over a week: 117 s, every regular expression run
    over the whole title for every hour."""
    with deadline():
        found = read_ics_bytes(hourly("x" * 8_000_000 + "\x1b[2J"), "big-title.ics",
                               date(2026, 3, 2), date(2026, 3, 8))
    most = limits.limit("calendar.text_chars")
    assert {i.summary for i in found.instances} == {"x" * (most - 1) + "…"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Stand", "Stand"),
    ("a\x1b[2Jb\r\nc", "ab c"),
    ("x" * 20, "xxxx…"),
    ("\x1b[0m" * 10 + "title", "…"),  # 45 characters, of which the first 40 are looked at
    ("\x1b[0m" * 8 + "title", "title"),
])
def test_clean_looks_only_a_bounded_way_into_a_text(text: str, expected: str) -> None:
    """Kept: 5 characters; looked at: 5 × LOOK_AHEAD (8). What was cut before the text was
    cleaned still ends in …"""
    assert text_module.LOOK_AHEAD == 8
    assert clean(text, chars=5) == expected
