"""Hostile calendars cost only themselves: each bound of reading is checked before the work it
guards, names the component it skips, and the rest of the file is read.

The fixtures live in tests/fixtures/ics/hostile/ (small); the big ones are generated here. Every
read runs under an alarm, so a regression that hangs fails instead of blocking the suite.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import icalendar
import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from makertime import limits
from makertime.calendars import rules
from makertime.calendars.ics import read_ics_bytes
from makertime.cli import app
from makertime.model import CalendarRead
from tests.support.ics import FIXTURES, deadline, read, warned

GOOD = "good@example.com"
FIRST, LAST = date(2026, 3, 1), date(2026, 3, 31)


def hostile(name: str) -> CalendarRead:
    with deadline():
        return read(f"hostile/{name}")


def set_limit(monkeypatch: pytest.MonkeyPatch, key: str, value: int) -> None:
    monkeypatch.setitem(limits.BY_KEY, key, replace(limits.BY_KEY[key], value=value))


def calendar(*events: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n" + "".join(events)
            + "END:VCALENDAR\r\n").encode()


def event(uid: str, start: str = "20260310T090000Z", end: str = "20260310T100000Z",
          extra: str = "") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{start}\r\n"
            f"DTEND:{end}\r\n{extra}SUMMARY:{uid}\r\nEND:VEVENT\r\n")


def only_good_and(found: CalendarRead, skipped: str) -> list[str]:
    """The messages about ``skipped``, after checking it is the only thing warned about and
    the good event was read."""
    assert GOOD in {i.uid for i in found.instances}
    messages = warned(found)
    assert list(messages) == [skipped]
    return messages[skipped]


# --- recurrence ---------------------------------------------------------------------------------


def test_a_rule_repeating_every_second_of_every_hour_is_skipped_before_expansion() -> None:
    """601 bytes that took 35 s and 2 GB: FREQ=HOURLY;BYMINUTE=0..59;BYSECOND=0..59."""
    [message] = only_good_and(hostile("hourly_every_second.ics"), "every-second@example.com")
    assert message == ("can repeat 86,400 times a day; at most 96 are read "
                       "(calendar.repeats_per_day); skipped")


def test_a_yearly_rule_with_every_by_part_is_skipped() -> None:
    [message] = only_good_and(hostile("yearly_every_part.ics"), "every-part@example.com")
    assert "calendar.repeats_per_day" in message


def test_a_series_computed_from_too_long_ago_is_skipped_and_a_counted_one_is_not() -> None:
    """Hourly since 2000 is 230,000 hours and instances before March 2026; daily since 1990
    and hourly eight times in 2010 are cheap and kept."""
    found = hostile("since_long_ago.ics")
    [message] = only_good_and(found, "hourly-since-2000@example.com")
    assert message == ("would take 1,150,685 steps to expand from its start on 2000-01-01 to "
                       "the end of the period read; at most 200,000 are taken "
                       "(calendar.series_instances); skipped")
    daily = [i for i in found.instances if i.uid == "daily-since-1990@example.com"]
    assert len(daily) == 33  # 28 February to 1 April: the read's day before and day after


def test_rules_that_never_match_end_at_the_period_instead_of_the_year_9999() -> None:
    """dateutil would search every day up to 9999 (seconds of work for each such rule)."""
    found = hostile("never_matches.ics")
    assert found.warnings == ()
    assert {i.uid for i in found.instances} == {GOOD, "february-30@example.com",
                                               "hourly-february-30@example.com"}


def test_dateutils_iteration_stops_after_the_year_it_is_given() -> None:
    every_year = rrulestr("FREQ=YEARLY", dtstart=datetime(2020, 1, 1))
    assert [d.year for d in rules.iterate(every_year, 2023)] == [2020, 2021, 2022, 2023]
    never = rrulestr("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", dtstart=datetime(2026, 1, 1))
    with deadline(2):
        assert list(rules.iterate(never, 2027)) == []


@pytest.mark.parametrize(("rule", "problem"), [
    ("FREQ=MINUTELY", "repeats minutely"),
    ("FREQ=HOURLY;INTERVAL=0", "INTERVAL=0"),
    ("FREQ=HOURLY;BYMINUTE=0,15,30,45", ""),  # 96 a day: the limit itself
    ("FREQ=HOURLY;BYMINUTE=0,10,20,30,40,50", "can repeat 144 times a day"),
    ("FREQ=DAILY;BYHOUR=9,10,11;BYMINUTE=0,30;BYSETPOS=1", ""),  # BYSETPOS keeps one a day
    ("FREQ=HOURLY;INTERVAL=4;BYMINUTE=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15", ""),  # 6 × 16
    ("FREQ=HOURLY;INTERVAL=4;BYMINUTE=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", "102 times"),
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=100000000", ""),
])
def test_the_static_check_of_a_rule(rule: str, problem: str) -> None:
    found = rules.series_problem(icalendar.vRecur.from_ical(rule), date(2026, 1, 1),
                                 date(2026, 4, 1))
    assert (problem in found) if problem else found == ""


def test_a_file_past_its_instances_a_day_skips_the_series_that_would_pass_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten hourly series and a day cap of 100 instances: four series fit, six are named."""
    set_limit(monkeypatch, "calendar.instances_per_day", 100)
    series = [event(f"hourly-{n}@example.com", "20260309T000000Z", "20260309T001000Z",
                    "RRULE:FREQ=HOURLY;COUNT=24\r\n") for n in range(10)]
    with deadline():
        found = read_ics_bytes(calendar(*series), "busy.ics", date(2026, 3, 9), date(2026, 3, 9))
    assert len(found.instances) == 96  # four whole series
    skipped = warned(found)
    assert len(skipped) == 6
    assert all(m == ["skipped: the file holds more than 100 instances a day in the period read "
                     "(calendar.instances_per_day)"] for m in skipped.values())


def test_a_file_past_its_expansion_work_skips_the_series_that_would_pass_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    set_limit(monkeypatch, "calendar.file_instances", 60_000)
    series = [event(f"daily-{n}@example.com", "20000101T090000Z", "20000101T100000Z",
                    "RRULE:FREQ=DAILY\r\n") for n in range(3)]  # 9,589 days: 47,945 steps
    with deadline():
        found = read_ics_bytes(calendar(*series, event(GOOD)), "old.ics", FIRST, LAST)
    assert {i.uid for i in found.instances} == {"daily-0@example.com", GOOD}
    assert set(warned(found)) == {"daily-1@example.com", "daily-2@example.com"}
    assert all("calendar.file_instances" in m[0] for m in warned(found).values())


@pytest.mark.parametrize(("rule", "start", "problem"), [
    # a year is checked day by day: 113 steps for each (every day against two BY- parts)
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", date(1, 1, 1), "would take 237,042 steps"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", date(600, 1, 1), ""),
    ("FREQ=YEARLY", date(1, 1, 1), ""),  # a birthday since the year 1: 89,144 steps
    ("FREQ=DAILY", date(1970, 1, 1), ""),  # 20,546 days and instances: 102,730 steps
    ("FREQ=DAILY", date(1900, 1, 1), "would take 230,565 steps"),
    ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30;BYSETPOS=" + ",".join(map(str, range(1, 32))),
     date(1000, 1, 1), "would take 566,536 steps"),  # each position looks at every day again
    # dateutil builds an hourly rule's 3,600 times every hour: 1,202 steps an hour
    ("FREQ=HOURLY;BYSETPOS=1;BYMINUTE=" + ",".join(map(str, range(60))) + ";BYSECOND="
     + ",".join(map(str, range(60))), date(2026, 1, 1), "would take 2,664,054 steps"),
])
def test_the_work_of_a_period_weighs_what_dateutil_does_in_it(rule: str, start: date,
                                                               problem: str) -> None:
    found = rules.series_problem(icalendar.vRecur.from_ical(rule), start, date(2026, 4, 2))
    assert found.startswith(problem) if problem else found == ""


def test_old_rules_whose_every_period_costs_a_year_of_checks_are_skipped() -> None:
    """1,000 copies of a yearly rule that never matches, from the year 1 (168 KB): a period
    was one step, and dateutil checks every day of it, 53 s."""
    series = [event(f"never-{n}", "00010101T090000Z", "00010101T100000Z",
                    "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\r\n") for n in range(1_000)]
    with deadline():
        found = read_ics_bytes(calendar(*series, event(GOOD)), "yearly.ics", FIRST, LAST)
    assert [i.uid for i in found.instances] == [GOOD]
    assert len(warned(found)) == 1_000


def test_an_hourly_rule_with_thousands_of_times_an_hour_is_skipped() -> None:
    """BYSETPOS=1 keeps one of 3,600 times an hour, which dateutil builds every hour: one
    series since January took 100 s."""
    rule = ("RRULE:FREQ=HOURLY;BYSETPOS=1;BYMINUTE=" + ",".join(map(str, range(60)))
            + ";BYSECOND=" + ",".join(map(str, range(60))) + "\r\n")
    with deadline():
        found = read_ics_bytes(calendar(event("times", "20260101T000000Z", "20260101T000500Z",
                                              rule), event(GOOD)), "times.ics", FIRST, LAST)
    [message] = only_good_and(found, "times")
    assert message.startswith("would take ")


def test_a_walk_an_override_stretches_to_the_year_9999_is_charged_for_its_length() -> None:
    """The rule's Shape is read once, when the series is checked against the period read; the
    walk is charged up to where it really stops, which a THISANDFUTURE override moved from
    9999 puts eight thousand years on."""
    master = event("far", "20260101T090000Z", "20260101T100000Z",
                   "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\r\n")
    moved = event("far", extra="RECURRENCE-ID;RANGE=THISANDFUTURE:99990101T090000Z\r\n")
    with deadline():
        found = read_ics_bytes(calendar(master, moved, event(GOOD)), "far.ics", FIRST, LAST)
    [message] = only_good_and(found, "far")
    assert message == ("skipped: the file's series would take more than 2,000,000 steps to "
                       "expand in all (calendar.file_instances)")


# --- time zones ---------------------------------------------------------------------------------


def test_a_secondly_time_zone_observance_is_dropped_before_icalendar_computes_it() -> None:
    """icalendar expands an observance's RRULE to 2038 as it parses: FREQ=SECONDLY hung."""
    found = hostile("observance_secondly.ics")
    [message] = only_good_and(found, "Hostile Zone")
    assert message == ("time zone observance DAYLIGHT dropped: its RRULE repeats secondly; a "
                       "time zone changes at most yearly")
    zoned = next(i for i in found.instances if i.uid == "in-hostile-zone@example.com")
    assert zoned.start.isoformat() == "2026-03-11T09:00:00+00:00"  # the STANDARD +01:00


def test_an_observance_dateutil_fails_on_is_dropped_and_the_file_read() -> None:
    """dateutil raised out of the check that the observance occurs: exit status 1."""
    found = hostile("observance_dateutil_fails.ics")
    assert {i.uid for i in found.instances} == {GOOD, "in-ninety-ninth@example.com",
                                               "in-thirteenth@example.com"}
    assert warned(found) == {
        "Ninety-ninth Sunday": ["time zone observance DAYLIGHT dropped: its RRULE cannot be "
                                "computed (IndexError: list index out of range)"],
        "Thirteenth Month": ["time zone observance DAYLIGHT dropped: its RRULE cannot be "
                             "computed (ValueError: not enough values to unpack (expected 2, "
                             "got 1))"]}
    starts = {i.uid: i.start.hour for i in found.instances}
    assert starts["in-ninety-ninth@example.com"] == 9  # the STANDARD +01:00 left
    assert starts["in-thirteenth@example.com"] == 7  # +03:00


def test_check_reads_a_file_whose_observance_dateutil_fails_on() -> None:
    path = FIXTURES / "hostile" / "observance_dateutil_fails.ics"
    with deadline():
        result = CliRunner().invoke(app, ["check", str(path), "--from", "2026-03-01", "--json"])
    assert result.exit_code == 0, result.output


_HOSTILE_PARTS = {
    "BYDAY": ["99SU", "-99SU", "53MO", "5FR", "0SU", "1XX", "-1SU"],
    "BYMONTH": ["13", "0", "-1", "2", "99999999999999999999"],
    "BYMONTHDAY": ["32", "-32", "0", "30"],
    "BYYEARDAY": ["367", "-367", "0", "366"],
    "BYWEEKNO": ["54", "-54", "0", "53"],
    "BYSETPOS": ["400", "-400", "0", "1"],
    "BYHOUR": ["24", "-1", "0"],
    "INTERVAL": ["0", "-1", "99999999999999999999", "x"],
    "COUNT": ["0", "-1", "99999999999999999999"],
    "UNTIL": ["99999999", "20261301", "19700101T000000Z"],
    "WKST": ["XX", "SU"],
}
_HOSTILE_RULES = st.builds(
    lambda freq, parts: ";".join([f"FREQ={freq}", *(f"{k}={v}" for k, v in parts)]),
    st.sampled_from(["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "X"]),
    st.lists(st.sampled_from([(k, v) for k, vs in _HOSTILE_PARTS.items() for v in vs]),
             min_size=1, max_size=4))


@settings(max_examples=40, deadline=None)
@given(_HOSTILE_RULES)
def test_a_hostile_rule_costs_at_most_its_zone_or_its_series(rule: str) -> None:
    """The same rule as a time zone observance and as an event's RRULE: dropped or skipped
    with a warning, never a crash, and the rest of the file is read."""
    zone = ("BEGIN:VTIMEZONE\r\nTZID:Z\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
            f"RRULE:{rule}\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
            "END:VTIMEZONE\r\n")
    zoned = event("zoned", "20260310T090000", "20260310T100000").replace(
        "DTSTART:", "DTSTART;TZID=Z:").replace("DTEND:", "DTEND;TZID=Z:")
    repeated = event("repeated", extra=f"RRULE:{rule}\r\n")
    with deadline():
        found = read_ics_bytes(calendar(zone, zoned, repeated, event(GOOD)), "hostile.ics", FIRST,
                               LAST)
    assert GOOD in {i.uid for i in found.instances}


@pytest.mark.parametrize(("rule", "problem"), [
    ("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", ""),
    ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=8,9,10,11,12,13,14;BYDAY=SU", ""),  # RFC 5545's own
    ("FREQ=MONTHLY;BYDAY=-1SU", "a time zone changes at most yearly"),
    ("FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYMONTHDAY=1,15", "24 times a year"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never occurs"),
    ("FREQ=YEARLY;BYDAY=99SU;BYMONTH=10", "cannot be computed (IndexError"),
    ("FREQ=YEARLY;BYMONTH=10;BYDAY=-99SU", "cannot be computed (IndexError"),
    ("FREQ=YEARLY;BYMONTH=13;BYDAY=-1SU", "cannot be computed (ValueError"),
    ("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;BYSETPOS=400", "cannot be computed (ValueError"),
    ("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;BYHOUR=30", "cannot be computed (ValueError"),
])
def test_observance_rules(rule: str, problem: str) -> None:
    found = rules.observance_problem(rule, datetime(1970, 1, 1))
    assert (problem in found) if problem else found == ""


# --- nesting ------------------------------------------------------------------------------------


def test_a_component_nested_too_deep_is_skipped_unparsed() -> None:
    [message] = only_good_and(hostile("nested_deep.ics"), "too-deep@example.com")
    assert message == ("VEVENT holds components nested more than 8 deep (calendar.nesting); "
                       "skipped")


def test_a_hundred_thousand_nested_components_cost_only_their_event() -> None:
    """icalendar's walk recursed into them: RecursionError, or a minute of work."""
    depth = 100_000
    deep = (event("deep@example.com").replace("END:VEVENT\r\n", "")
            + "BEGIN:X-N\r\n" * depth + "END:X-N\r\n" * depth + "END:VEVENT\r\n")
    with deadline():
        found = read_ics_bytes(calendar(deep, event(GOOD)), "deep.ics", FIRST, LAST)
    only_good_and(found, "deep@example.com")


# --- warnings -----------------------------------------------------------------------------------


def test_warnings_past_the_limit_are_counted_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    set_limit(monkeypatch, "calendar.warnings", 5)
    broken = [event(f"broken-{n}", start="2026031X") for n in range(12)]
    found = read_ics_bytes(calendar(*broken, event(GOOD)), "broken.ics", FIRST, LAST)
    assert [i.uid for i in found.instances] == [GOOD]
    assert len(found.warnings) == 6
    assert found.warnings[-1].message == "7 more warnings are not shown (calendar.warnings)"


def _zones(count: int, observances: int) -> bytes:
    """``count`` custom VTIMEZONEs of ``observances`` yearly rules each, an event in each."""
    zones, events = [], []
    for number in range(count):
        rules_ = "".join(
            f"BEGIN:STANDARD\r\nDTSTART:{1900 + n}1025T030000\r\nTZOFFSETFROM:+0200\r\n"
            "TZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
            for n in range(observances))
        zones.append(f"BEGIN:VTIMEZONE\r\nTZID:Zone-{number}\r\n{rules_}END:VTIMEZONE\r\n")
        events.append(f"BEGIN:VEVENT\r\nUID:e{number}\r\nDTSTAMP:20260101T000000Z\r\n"
                      f"DTSTART;TZID=Zone-{number}:20260303T100000\r\n"
                      f"DTEND;TZID=Zone-{number}:20260303T110000\r\nEND:VEVENT\r\n")
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + "".join(zones) + "".join(events)
            + "END:VCALENDAR\r\n").encode()


def test_time_zones_past_their_observance_budget_are_left_out_in_one_warning() -> None:
    # icalendar computes every observance of every zone: a file of many zones would take
    # minutes; past the budget they are left out, and their events still read
    data = _zones(count=600, observances=2)
    with deadline(60):
        read = read_ics_bytes(data, "zones.ics", date(2026, 3, 2), date(2026, 3, 8))
    assert len(read.instances) == 600
    [summary] = [w for w in read.warnings if "VTIMEZONEs past" in w.message]
    assert summary.message.startswith("350 VTIMEZONEs past 500 observances in the file")
    starts = {i.uid: i.start for i in read.instances}
    assert starts["e0"] == datetime(2026, 3, 3, 9, 0, tzinfo=starts["e0"].tzinfo)  # its zone, +1
