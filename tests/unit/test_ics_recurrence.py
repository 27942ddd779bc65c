"""Recurrence traps: EXDATE/RDATE, overrides, duplicate UIDs, ordering, series that cannot expand.

Each test reads one hand-written fixture of tests/fixtures/ics/ and compares Ana's busy time with
an explicit list of intervals. Europe/Zagreb is UTC+1 until 2026-03-29 and UTC+2 after it.
"""

from __future__ import annotations

from datetime import date

import icalendar
import recurring_ical_events

from makertime.model import Interval, TimeKind
from tests.support.ics import FIXTURES, busy, deadline, read, u, warned, z


def test_exdate_removes_and_rdate_adds_an_instance() -> None:
    """Weekly on Tuesdays 10:00-11:00, four times; 10 March excluded, Thursday 12 March added."""
    calendar = read("recurrence_exdate_rdate.ics")

    assert busy(calendar) == [
        Interval(z("2026-03-03 10:00"), z("2026-03-03 11:00")),
        Interval(z("2026-03-12 15:00"), z("2026-03-12 16:00")),  # the RDATE, one hour like DTSTART
        Interval(z("2026-03-17 10:00"), z("2026-03-17 11:00")),
        Interval(z("2026-03-24 10:00"), z("2026-03-24 11:00")),
    ]
    assert calendar.warnings == ()


def test_overrides_move_cancel_and_move_the_rest_of_the_series() -> None:
    """Mondays 09:00-09:30 six times: one moved, one cancelled, THISANDFUTURE from 23 March."""
    calendar = read("overrides.ics", "2026-03-01", "2026-04-07")

    assert busy(calendar) == [
        Interval(z("2026-03-02 09:00"), z("2026-03-02 09:30")),
        Interval(z("2026-03-10 14:00"), z("2026-03-10 14:30")),  # 9 March, moved to Tuesday
        # 16 March: cancelled
        Interval(z("2026-03-23 11:00"), z("2026-03-23 11:45")),  # RANGE=THISANDFUTURE ...
        Interval(u("2026-03-30 09:00"), u("2026-03-30 09:45")),  # ... 11:00 CEST, after DST
        Interval(u("2026-04-06 09:00"), u("2026-04-06 09:45")),
    ]


def test_cancelled_override_is_read_but_never_busy() -> None:
    """recurring-ical-events returns the cancelled occurrence; classification must drop it."""
    calendar = read("overrides.ics", "2026-03-01", "2026-04-07")

    cancelled = [i for i in calendar.instances if i.start == z("2026-03-16 09:00")]
    assert [(i.uid, i.status, i.end) for i in cancelled] == [
        ("standup@example.com", "CANCELLED", z("2026-03-16 09:30")),
    ]
    slot = Interval(z("2026-03-16 09:00"), z("2026-03-16 09:30"))
    assert [span for span in busy(calendar) if span.clip(slot)] == []


def test_distinct_events_sharing_a_uid_are_all_busy_and_named() -> None:
    """Two different events under one UID (no RECURRENCE-ID) are both kept, with a warning."""
    calendar = read("duplicate_uid_distinct.ics")

    assert busy(calendar) == [
        Interval(z("2026-03-10 10:00"), z("2026-03-10 11:00")),
        Interval(z("2026-03-11 14:00"), z("2026-03-11 15:00")),
    ]
    assert {i.uid for i in calendar.instances} == {"reused-uid@example.com"}
    messages = warned(calendar)
    assert list(messages) == ["reused-uid@example.com"]
    assert "share this UID" in messages["reused-uid@example.com"][0]


def test_identical_copies_of_an_event_count_once() -> None:
    """Two byte-identical VEVENTs are one event: one instance, one interval, no warning."""
    calendar = read("duplicate_uid_identical.ics")

    assert len(calendar.instances) == 1
    assert busy(calendar) == [Interval(z("2026-03-10 10:00"), z("2026-03-10 11:30"))]
    assert calendar.warnings == ()


def test_override_without_its_master_is_busy_at_its_own_start() -> None:
    """An invitation to one moved occurrence: busy at DTSTART, not at the RECURRENCE-ID."""
    calendar = read("masterless_override.ics")

    assert busy(calendar) == [Interval(z("2026-03-10 15:00"), z("2026-03-10 16:00"))]


def test_instances_are_sorted_by_start_although_expansion_is_not() -> None:
    """recurring-ical-events yields series by series; the read must be in time order."""
    raw = icalendar.Calendar.from_ical((FIXTURES / "unsorted_expansion.ics").read_bytes())
    expanded = [e["DTSTART"].dt for e in
                recurring_ical_events.of(raw).between(date(2026, 3, 1), date(2026, 4, 1))]
    assert expanded != sorted(expanded)  # the fixture really exercises the trap

    calendar = read("unsorted_expansion.ics")

    assert [(i.start, i.uid) for i in calendar.instances] == [
        (z("2026-03-09 08:00"), "single-early@example.com"),
        (z("2026-03-09 09:00"), "early-series@example.com"),
        (z("2026-03-09 16:00"), "late-series@example.com"),
        (z("2026-03-10 09:00"), "early-series@example.com"),
        (z("2026-03-10 16:00"), "late-series@example.com"),
        (z("2026-03-11 09:00"), "early-series@example.com"),
        (z("2026-03-11 16:00"), "late-series@example.com"),
    ]
    assert all(i.kind is TimeKind.UTC for i in calendar.instances)


def test_series_that_cannot_expand_is_skipped_and_named() -> None:
    """BYDAY=XX and BYSETPOS=0 make expansion raise; the good events around them are still read."""
    calendar = read("broken_rrule.ics")

    assert busy(calendar) == [
        Interval(z("2026-03-10 09:00"), z("2026-03-10 10:00")),
        Interval(z("2026-03-10 15:00"), z("2026-03-10 15:30")),
        Interval(z("2026-03-11 15:00"), z("2026-03-11 15:30")),
    ]
    messages = warned(calendar)
    assert set(messages) == {"bad-byday@example.com", "bad-bysetpos@example.com"}
    assert messages["bad-byday@example.com"] == [
        "skipped: property RRULE cannot be read: Expected weekday abbreviation, got: XX"]
    [bysetpos] = messages["bad-bysetpos@example.com"]
    assert bysetpos.startswith("cannot be expanded and was skipped")


def test_unparsable_date_times_skip_only_their_event() -> None:
    """A DTSTART and a RECURRENCE-ID that are not date-times skip their events, nothing else."""
    calendar = read("broken_datetime.ics")

    assert busy(calendar) == [
        Interval(z("2026-03-10 09:00"), z("2026-03-10 10:00")),
        Interval(z("2026-03-12 09:00"), z("2026-03-12 10:00")),
    ]
    messages = warned(calendar)
    assert set(messages) == {"bad-dtstart@example.com", "bad-recurrence-id@example.com"}
    assert any("DTSTART" in m for m in messages["bad-dtstart@example.com"])
    assert any("RECURRENCE-ID" in m for m in messages["bad-recurrence-id@example.com"])


def test_interval_zero_is_skipped_instead_of_expanding_forever() -> None:
    """RRULE INTERVAL=0 never advances, so expansion would loop forever."""
    with deadline(10):
        calendar = read("rrule_interval_zero.ics")

    assert busy(calendar) == [Interval(z("2026-03-10 09:00"), z("2026-03-10 10:00"))]
    messages = warned(calendar)
    assert list(messages) == ["interval-zero@example.com"]
    assert "INTERVAL=0" in messages["interval-zero@example.com"][0]
