"""Time-zone, all-day, DST, VTODO and blocking traps of reading iCalendar files.

Each test reads one hand-written fixture of tests/fixtures/ics/ and compares Ana's busy time with
an explicit list of intervals. Europe/Zagreb is UTC+1 until 2026-03-29 and UTC+2 after it;
America/New_York is UTC-5 until 2026-03-08 and UTC-4 after it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pytest

from makertime.classify import commitments
from makertime.errors import SourceError
from makertime.model import Interval, TimeKind
from makertime.policy import build_policy
from tests.support.ics import FIXTURES, ZAGREB, busy, read, u, warned, z

# --- time zones ---------------------------------------------------------------------------------


def test_custom_tzid_uses_its_vtimezone_with_its_dst_rules() -> None:
    """"Custom Zone" is +02:00 in winter and +03:00 from the last Sunday of March."""
    calendar = read("tz_custom_vtimezone.ics", "2026-03-01", "2026-04-30")

    assert busy(calendar) == [
        Interval(u("2026-03-10 08:00"), u("2026-03-10 09:00")),
        Interval(u("2026-04-14 07:00"), u("2026-04-14 08:00")),
    ]
    assert calendar.warnings == ()


def test_windows_zone_names_without_vtimezone_are_mapped() -> None:
    """Outlook's "W. Europe Standard Time" is Europe/Berlin, "Eastern Standard Time" New York."""
    calendar = read("tz_windows_names.ics")

    assert busy(calendar) == [
        Interval(u("2026-03-05 15:00"), u("2026-03-05 16:00")),  # 10:00 EST
        Interval(u("2026-03-10 09:00"), u("2026-03-10 10:00")),  # 10:00 CET
        Interval(u("2026-03-11 14:00"), u("2026-03-11 15:00")),  # 10:00 EDT
    ]
    assert calendar.warnings == ()


def test_google_x_wr_timezone_keeps_wall_time_across_dst() -> None:
    """A weekly 10:00 New York meeting exported in UTC stays at 10:00 after 8 March (EDT).

    Without x-wr-timezone the series would repeat at 15:00 UTC, an hour late in New York. The
    floating event is read in the calendar's X-WR-TIMEZONE, not in the person's zone.
    """
    calendar = read("google_x_wr_timezone.ics")

    assert busy(calendar) == [
        Interval(u("2026-03-03 15:00"), u("2026-03-03 16:00")),  # 10:00 EST
        Interval(u("2026-03-10 14:00"), u("2026-03-10 15:00")),  # 10:00 EDT
        Interval(u("2026-03-12 13:00"), u("2026-03-12 14:00")),  # floating 09:00, New York EDT
        Interval(u("2026-03-17 14:00"), u("2026-03-17 15:00")),  # 10:00 EDT
    ]


def test_floating_times_are_read_in_the_persons_zone() -> None:
    """One file, two people: floating 10:00-11:30 is a different moment for each."""
    calendar = read("floating.ics")

    assert {i.kind for i in calendar.instances} == {TimeKind.FLOATING}
    assert busy(calendar, "Europe/Zagreb") == [
        Interval(z("2026-03-05 10:00"), z("2026-03-05 11:30")),
        Interval(z("2026-03-10 10:00"), z("2026-03-10 11:30")),
    ]
    assert busy(calendar, "America/New_York") == [
        Interval(u("2026-03-05 15:00"), u("2026-03-05 16:30")),  # EST
        Interval(u("2026-03-10 14:00"), u("2026-03-10 15:30")),  # EDT
    ]


def test_custom_zones_of_one_name_in_two_files_keep_their_own_offsets() -> None:
    """icalendar caches VTIMEZONEs by TZID for the process: A, B, A must each get their own."""
    plus_one = [Interval(u("2026-03-10 09:00"), u("2026-03-10 10:00"))]
    plus_five = [Interval(u("2026-03-10 05:00"), u("2026-03-10 06:00"))]

    assert busy(read("custom_zone_a.ics")) == plus_one
    assert busy(read("custom_zone_b.ics")) == plus_five
    assert busy(read("custom_zone_a.ics")) == plus_one


def test_unknown_tzid_is_read_as_floating_and_named() -> None:
    """"Nowhere/Land" has no VTIMEZONE and is no zone: its 10:00 is Ana's 10:00, with a warning."""
    calendar = read("tz_unknown.ics")

    assert [i.kind for i in calendar.instances] == [TimeKind.FLOATING]
    assert busy(calendar) == [Interval(z("2026-03-10 10:00"), z("2026-03-10 11:00"))]
    [warning] = calendar.warnings
    assert "Nowhere/Land" in warning.message
    assert warning.uid == calendar.instances[0].uid


def test_vtimezone_after_the_events_that_use_it() -> None:
    """RFC 5545 allows the VTIMEZONE anywhere; "Late Zone" (+03:00) must still apply."""
    calendar = read("tz_vtimezone_after_events.ics")

    assert busy(calendar) == [Interval(u("2026-03-10 07:00"), u("2026-03-10 08:00"))]
    assert calendar.warnings == ()


def test_vtimezone_without_tzoffsetfrom_is_mended() -> None:
    """icalendar refuses the whole file; makertime mends the observance and says so."""
    data = (FIXTURES / "tz_missing_tzoffsetfrom.ics").read_bytes()
    with pytest.raises(ValueError, match="TZOFFSETFROM"):
        icalendar.Calendar.from_ical(data)

    calendar = read("tz_missing_tzoffsetfrom.ics", "2026-03-01", "2026-04-30")

    assert busy(calendar) == [
        Interval(u("2026-03-10 09:00"), u("2026-03-10 10:00")),  # +01:00 (the mended STANDARD)
        Interval(u("2026-04-14 08:00"), u("2026-04-14 09:00")),  # +02:00 (DAYLIGHT)
    ]
    messages = warned(calendar)
    assert list(messages) == ["Mended Zone"]
    assert "mended" in messages["Mended Zone"][0]


# --- all-day events, DST, midnight ----------------------------------------------------------------


def test_all_day_events_block_only_when_they_say_so() -> None:
    """Plain and FREE all-day events do not block; OPAQUE, OOF and BUSY block midnight to midnight.

    The three-day OOF holiday crosses the spring DST change, so its last midnight is CEST.
    """
    calendar = read("all_day.ics")

    assert len(calendar.instances) == 6
    assert {i.kind for i in calendar.instances} == {TimeKind.DATE}
    assert busy(calendar) == [
        Interval(z("2026-03-04 00:00"), z("2026-03-05 00:00")),  # TRANSP:OPAQUE
        Interval(z("2026-03-06 00:00"), z("2026-03-07 00:00")),  # OOF
        Interval(z("2026-03-10 00:00"), z("2026-03-11 00:00")),  # BUSY
        Interval(u("2026-03-27 23:00"), u("2026-03-30 22:00")),  # OOF, 28-30 March
    ]
    assert busy(calendar)[-1].minutes == (3 * 24 - 1) * 60


def test_event_across_the_autumn_dst_change_has_its_real_length() -> None:
    """01:30 CEST to 03:30 CET on 25 October is three real hours, not two."""
    calendar = read("dst_autumn.ics", "2026-10-19", "2026-10-31")

    assert busy(calendar) == [Interval(u("2026-10-24 23:30"), u("2026-10-25 02:30"))]
    assert busy(calendar)[0].minutes == 180


def test_event_in_the_spring_dst_gap_keeps_its_wall_clock_length() -> None:
    """02:30-03:30 on 29 March does not exist in Zagreb; read naively it is zero-length.

    02:30 resolves to +01:00 (01:30 UTC) and 03:30 is CEST (also 01:30 UTC); makertime keeps the
    event's one wall-clock hour from its start.
    """
    start = datetime(2026, 3, 29, 2, 30, tzinfo=ZAGREB).astimezone(UTC)
    end = datetime(2026, 3, 29, 3, 30, tzinfo=ZAGREB).astimezone(UTC)
    assert start == end  # the fixture really exercises the trap

    calendar = read("dst_spring_gap.ics", "2026-03-23", "2026-03-31")

    assert busy(calendar) == [Interval(u("2026-03-29 01:30"), u("2026-03-29 02:30"))]


def test_event_across_midnight_is_one_interval() -> None:
    """22:00 to 02:00 is one commitment; splitting by date is the audit's job."""
    calendar = read("across_midnight.ics")
    policy = build_policy({"timezone": "Europe/Zagreb", "me": ["ana@example.com"]})

    assert len(commitments([calendar], policy)) == 1
    assert busy(calendar) == [Interval(z("2026-03-10 22:00"), z("2026-03-11 02:00"))]


# --- what blocks ---------------------------------------------------------------------------------


def test_declined_transparent_and_cancelled_events_do_not_block() -> None:
    """Declined by Ana (address in another case), TRANSPARENT and CANCELLED are free time;
    declined by Bob only still blocks Ana."""
    calendar = read("partstat_transp_status.ics")

    assert len(calendar.instances) == 5
    assert busy(calendar) == [
        Interval(z("2026-03-10 11:00"), z("2026-03-10 12:00")),  # declined by Bob
        Interval(z("2026-03-10 16:30"), z("2026-03-10 17:00")),  # plain
    ]


def test_vtodos_are_tasks_never_busy() -> None:
    """Open VTODOs become tasks (estimate, deadline, priority, progress); completed ones not."""
    calendar = read("todos.ics")

    assert busy(calendar) == [Interval(z("2026-03-10 10:00"), z("2026-03-10 11:00"))]
    tasks = {t.id: (t.estimate_minutes, t.deadline, t.priority, t.progress)
             for t in calendar.tasks}
    assert tasks == {  # (estimate, deadline from DUE, priority, progress)
        "todo-duration@example.com": (90, None, 1, 0.4),  # DURATION PT1H30M, PRIORITY 1
        "todo-estimate@example.com": (150, z("2026-03-13 17:00"), 3, 0.0),  # PRIORITY 5
        "todo-low@example.com": (45, u("2026-03-20 16:00"), 5, 0.95),  # PRIORITY 9
    }  # the two completed ones (STATUS:COMPLETED, or only a COMPLETED date) are no tasks
    assert calendar.tasks[0].title == "Review PR #42"
    assert calendar.warnings == ()


# --- files that cannot be read -------------------------------------------------------------------


def test_plain_text_is_a_source_error_naming_the_file() -> None:
    """A file that is not iCalendar at all is refused with one clear error."""
    with pytest.raises(SourceError, match=r"not_a_calendar\.ics.*not an iCalendar file"):
        read("not_a_calendar.ics")
