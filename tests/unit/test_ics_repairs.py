"""Repairs of whole files: bare components, stray lines, broken optional properties."""

from __future__ import annotations

import pytest

from makertime.errors import SourceError
from tests.support.ics import FIXTURES, busy, read, u, warned


def test_components_outside_a_vcalendar_are_read_as_if_inside_one() -> None:
    calendar = read("bare_event.ics")
    assert [(s.start, s.end) for s in busy(calendar)] == [(u("2026-03-10 09:00"),
                                                           u("2026-03-10 10:00"))]
    assert any("outside any VCALENDAR" in m for m in warned(calendar)[""])


def test_stray_lines_and_a_broken_rdate_lose_nothing_else() -> None:
    calendar = read("stray_lines.ics")
    assert [(s.start, s.end) for s in busy(calendar)] == [
        (u("2026-03-11 09:00"), u("2026-03-11 10:00")),
        (u("2026-03-12 09:00"), u("2026-03-12 10:00")),
    ]
    notes = warned(calendar)
    assert any("'X' is not iCalendar" in m for m in notes[""])
    assert any("NONSENSE" in m for m in notes["stray-in-event"])
    assert any("property RDATE ignored" in m for m in notes["bad-rdate"])


def test_a_file_of_custom_components_only_is_not_a_calendar() -> None:
    with pytest.raises(SourceError) as caught:
        read("custom_component_only.ics")
    assert str(caught.value).startswith(str(FIXTURES / "custom_component_only.ics"))
    assert "no VCALENDAR and no standard component, only 'MYCOMP'" in str(caught.value)


def test_a_windows_1252_file_and_an_event_after_the_calendar_are_both_read() -> None:
    calendar = read("cp1252_and_trailing_event.ics")
    assert [i.summary for i in calendar.instances] == ["Café with the team", "Outside the calendar"]
    notes = warned(calendar)[""]
    assert any("is not UTF-8" in m and "Windows-1252" in m for m in notes)
    assert any("outside any VCALENDAR" in m for m in notes)
