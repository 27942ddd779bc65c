"""A heavy, realistic calendar for one year (2026), always the same for the same seed.

Thirty recurring series in four time zones (three IANA names and Outlook's Windows name
"W. Europe Standard Time", each with its VTIMEZONE), every series with moved and cancelled
overrides, EXDATEs and some RDATEs, then single events (all-day, declined, transparent,
cancelled, tentative) until the year expands to ``TARGET_INSTANCES`` instances.

Written with icalendar's Calendar/Event objects. Run alone to write a file:
``.venv/bin/python bench/gen_calendar.py bench/out/year-2026.ics``.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

SEED = 20260323
FIRST = date(2026, 1, 1)
END = date(2027, 1, 1)  # exclusive
TARGET_INSTANCES = 5000
ME = "me@example.com"
STAMP = datetime(2025, 12, 1, 8, 0, tzinfo=UTC)  # fixed, so the file is byte-for-byte stable

WINDOWS_TZID = "W. Europe Standard Time"  # what Outlook writes for Berlin/Zagreb/Vienna time
ZONES = {  # TZID as written in the file -> the IANA zone that defines it
    "Europe/Zagreb": "Europe/Zagreb",
    "America/New_York": "America/New_York",
    "Asia/Tokyo": "Asia/Tokyo",
    WINDOWS_TZID: "Europe/Berlin",
}
UTC_ZONE = "UTC"
FLOATING = ""

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]
PEOPLE = [f"{name}@example.com" for name in (
    "ana", "marko", "jordan", "kenji", "lena", "ivana", "priya", "tom", "yuki", "sara",
    "luka", "mei", "omar", "eva", "noah", "hana", "petra", "diego", "zoe", "filip")]
ROOMS = ["Room Velebit", "Room Hudson", "Room Fuji", "https://meet.example.com/abc-defg-hij",
         "https://zoom.example.com/j/8842197310", "Teams meeting", ""]
TOPICS = ["roadmap", "hiring", "incident 4121", "budget", "API v3", "customer escalation",
          "release 26.4", "on-call handover", "OKRs", "migration", "security review", "pricing",
          "data retention", "latency", "vendor contract", "training", "design system"]


@dataclass(frozen=True)
class Series:
    """One recurring series: first occurrence (wall time in ``tzid``), length and rule."""

    summary: str
    tzid: str  # a key of ZONES, UTC_ZONE, or FLOATING
    start: datetime  # naive wall time; a DATE series uses only its date
    minutes: int  # for an all-day series: whole days * 1440
    rule: dict[str, Any]
    transparent: bool = False
    all_day: bool = False
    categories: tuple[str, ...] = field(default=())


def _at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi)


def _weekly(*days: str, **extra: Any) -> dict[str, Any]:
    return {"FREQ": "WEEKLY", "BYDAY": list(days), **extra}


def _until(y: int, mo: int, d: int) -> datetime:
    return datetime(y, mo, d, 23, 59, 59, tzinfo=UTC)


ZG, NY, TK, WIN = "Europe/Zagreb", "America/New_York", "Asia/Tokyo", WINDOWS_TZID
SERIES: tuple[Series, ...] = (
    # Zagreb, the person's own zone
    Series("Team standup", ZG, _at(2025, 9, 1, 9, 30), 15, _weekly(*WEEKDAYS)),
    Series("Lunch", ZG, _at(2025, 1, 1, 12, 30), 45, {"FREQ": "DAILY"}, transparent=True),
    Series("1:1 Ana", ZG, _at(2025, 3, 4, 10), 30, _weekly("TU")),
    Series("1:1 Marko", ZG, _at(2025, 11, 6, 14), 30, _weekly("TH", COUNT=40)),
    Series("Design review", ZG, _at(2026, 1, 7, 15), 60, _weekly("WE", INTERVAL=2)),
    Series("Sprint planning", ZG, _at(2026, 1, 12, 10), 90, _weekly("MO", INTERVAL=2)),
    Series("Retro", ZG, _at(2026, 1, 23, 14), 60, _weekly("FR", INTERVAL=2)),
    Series("All-hands", ZG, _at(2026, 1, 8, 16), 60, {"FREQ": "MONTHLY", "BYDAY": ["1TH"]}),
    Series("Gym", ZG, _at(2026, 1, 5, 7), 60, _weekly("MO", "WE", "FR"), transparent=True),
    Series("Office hours", ZG, _at(2026, 2, 3, 13), 60,
           _weekly("TU", "TH", UNTIL=_until(2026, 10, 31))),
    Series("Quarterly planning", ZG, _at(2026, 1, 14, 9), 180,
           {"FREQ": "MONTHLY", "INTERVAL": 3, "BYMONTHDAY": [14]}),
    Series("On call", ZG, _at(2026, 1, 5), 5 * 1440, _weekly("MO", INTERVAL=4), all_day=True,
           categories=("on-call",)),
    Series("Hiring sync", ZG, _at(2026, 3, 2, 11), 30, _weekly("MO", COUNT=20)),
    Series("Expense reports due", ZG, _at(2026, 1, 25), 1440,
           {"FREQ": "MONTHLY", "BYMONTHDAY": [25]}, transparent=True, all_day=True),
    # New York
    Series("Platform standup", NY, _at(2025, 6, 2, 10), 15,
           _weekly("MO", "TU", "WE", "TH", UNTIL=_until(2026, 9, 30))),
    Series("1:1 Jordan", NY, _at(2025, 8, 5, 11, 30), 30, _weekly("TU")),
    Series("Architecture review", NY, _at(2026, 1, 15, 12), 60, _weekly("TH", INTERVAL=2)),
    Series("US all-hands", NY, _at(2026, 1, 30, 13), 60, {"FREQ": "MONTHLY", "BYDAY": ["-1FR"]}),
    Series("Incident review", NY, _at(2026, 1, 6, 9), 45, _weekly("TU", "TH")),
    Series("Product sync", NY, _at(2026, 1, 5, 14), 30, _weekly("MO", "WE", "FR", COUNT=100)),
    # Tokyo
    Series("APAC daily", TK, _at(2025, 10, 1, 17), 20, _weekly(*WEEKDAYS)),
    Series("1:1 Kenji", TK, _at(2026, 1, 8, 16), 30, _weekly("TH")),
    Series("APAC review", TK, _at(2026, 1, 13, 15), 60, _weekly("TU", INTERVAL=2)),
    Series("Tokyo monthly", TK, _at(2026, 1, 20, 18), 60, {"FREQ": "MONTHLY", "BYMONTHDAY": [20]}),
    # Outlook invites with the Windows zone name
    Series("Ops check-in", WIN, _at(2026, 1, 5, 8, 45), 15, _weekly("MO", "WE", "FR")),
    Series("Vendor call", WIN, _at(2026, 1, 7, 15, 30), 45,
           _weekly("WE", INTERVAL=2, UNTIL=_until(2026, 7, 1))),
    Series("Steering committee", WIN, _at(2026, 1, 13, 10), 90,
           {"FREQ": "MONTHLY", "BYDAY": ["2TU"]}),
    Series("1:1 Lena", WIN, _at(2026, 1, 9, 9), 30, _weekly("FR")),
    # UTC and floating times, as some tools write them
    Series("Release train", UTC_ZONE, _at(2026, 1, 6, 13), 30, _weekly("TU", "TH", COUNT=60)),
    Series("Reading hour", FLOATING, _at(2026, 1, 5, 17), 60, _weekly(*WEEKDAYS),
           transparent=True),
)


def _zone(tzid: str) -> tzinfo | None:
    if tzid == FLOATING:
        return None
    return UTC if tzid == UTC_ZONE else ZoneInfo(ZONES[tzid])


def _when(wall: datetime, tzid: str, all_day: bool) -> date | datetime:
    return wall.date() if all_day else wall.replace(tzinfo=_zone(tzid))


def _uid(rng: random.Random, kind: str, number: int) -> str:
    return f"{kind}-{number:04d}-{rng.getrandbits(48):012x}@bench.makertime.example"


def _add_people(rng: random.Random, event: icalendar.Event, *, my_partstat: str) -> None:
    organizer = rng.choice(PEOPLE)
    event.add("ORGANIZER", icalendar.vCalAddress(f"mailto:{organizer}"),
              parameters={"CN": organizer.split("@")[0].title()})
    event.add("ATTENDEE", icalendar.vCalAddress(f"mailto:{ME}"),
              parameters={"CN": "Me", "PARTSTAT": my_partstat, "ROLE": "REQ-PARTICIPANT"})
    for person in rng.sample(PEOPLE, rng.randint(1, 8)):
        event.add("ATTENDEE", icalendar.vCalAddress(f"mailto:{person}"),
                  parameters={"CN": person.split("@")[0].title(),
                              "PARTSTAT": rng.choice(["ACCEPTED", "ACCEPTED", "TENTATIVE",
                                                      "NEEDS-ACTION", "DECLINED"])})


def _event(rng: random.Random, uid: str, summary: str, start: date | datetime,
           end: date | datetime, *, my_partstat: str = "ACCEPTED") -> icalendar.Event:
    event = icalendar.Event()
    event.add("UID", uid)
    event.add("DTSTAMP", STAMP)
    event.add("CREATED", STAMP - timedelta(days=rng.randint(1, 300)))
    event.add("SUMMARY", summary)
    event.add("DTSTART", start)
    if rng.random() < 0.1 and isinstance(start, datetime):
        event.add("DURATION", end - start)  # some clients write DURATION, not DTEND
    else:
        event.add("DTEND", end)
    if location := rng.choice(ROOMS):
        event.add("LOCATION", location)
    event.add("DESCRIPTION", f"Agenda: {', '.join(rng.sample(TOPICS, 3))}.\n"
              "Notes in the shared doc.")
    _add_people(rng, event, my_partstat=my_partstat)
    return event


def _occurrences(master: icalendar.Event) -> list[datetime | date]:
    """The master's starts inside 2026 away from the year's edges (to place overrides on)."""
    single = icalendar.Calendar()
    single.add_component(master)
    found = recurring_ical_events.of(single).between(date(2026, 1, 8), date(2026, 12, 20))
    return sorted((e["DTSTART"].dt for e in found), key=str)


def _series_components(rng: random.Random, number: int, spec: Series) -> list[icalendar.Event]:
    """The master of ``spec`` with its EXDATEs, RDATEs and overrides."""
    length = timedelta(minutes=spec.minutes)
    start = _when(spec.start, spec.tzid, spec.all_day)
    end = _when(spec.start + length, spec.tzid, spec.all_day)
    master = _event(rng, _uid(rng, "series", number), spec.summary, start, end)
    master.add("RRULE", spec.rule)
    master.add("SEQUENCE", rng.randint(0, 3))
    if spec.transparent:
        master.add("TRANSP", "TRANSPARENT")
    if spec.categories:
        master.add("CATEGORIES", list(spec.categories))
    starts = _occurrences(master)
    picks = rng.sample(starts, min(len(starts), rng.randint(3, 12)))
    moved, cancelled, declined, excluded = (picks[0::4], picks[1::4], picks[2::4], picks[3::4])
    if excluded:
        master.add("EXDATE", sorted(excluded, key=str))
    if rng.random() < 0.25 and starts:  # an extra meeting outside the rule
        extra = [s + timedelta(days=rng.choice([1, 2, 3])) for s in rng.sample(starts, 2)]
        master.add("RDATE", sorted(extra, key=str))
    components = [master]
    for original in moved:
        shift = timedelta(minutes=rng.choice([-60, -30, 30, 60, 120, 24 * 60, 48 * 60]))
        if spec.all_day:
            shift = timedelta(days=1)
        override = _event(rng, str(master["UID"]), spec.summary, original + shift,
                          original + shift + length)
        override.add("RECURRENCE-ID", original)
        override.add("SEQUENCE", int(master["SEQUENCE"]) + 1)
        components.append(override)
    for original in cancelled:
        override = _event(rng, str(master["UID"]), spec.summary, original, original + length)
        override.add("RECURRENCE-ID", original)
        override.add("STATUS", "CANCELLED")
        components.append(override)
    for original in declined:
        override = _event(rng, str(master["UID"]), spec.summary, original, original + length,
                          my_partstat="DECLINED")
        override.add("RECURRENCE-ID", original)
        components.append(override)
    if spec.transparent:
        for override in components[1:]:
            override.add("TRANSP", "TRANSPARENT")
    if spec.tzid == WINDOWS_TZID:
        for component in components:
            _write_tzid(component, WINDOWS_TZID)
    return components


def _write_tzid(component: icalendar.Event, tzid: str) -> None:
    """Name the zone as Outlook does: TZID=W. Europe Standard Time instead of Europe/Berlin."""
    for name in ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE"):
        found = component.get(name)
        for prop in found if isinstance(found, list) else [found]:
            if prop is not None and "TZID" in prop.params:
                prop.params["TZID"] = tzid


def _single(rng: random.Random, number: int) -> icalendar.Event:
    """One single event on a random day of 2026, away from the year's edges."""
    day = FIRST + timedelta(days=rng.randint(1, 363))
    while day.weekday() >= 5 and rng.random() < 0.9:
        day += timedelta(days=1)
    roll = rng.random()
    topic = rng.choice(TOPICS)
    if roll < 0.06:  # all-day, one to three days
        end = day + timedelta(days=rng.choice([1, 1, 1, 2, 3]))
        summary = rng.choice(["Conference", "Offsite", "Out of office", "Public holiday",
                              f"Deadline: {topic}"])
        event = _event(rng, _uid(rng, "single", number), summary, day, end)
        if rng.random() < 0.3:
            event.add("X-MICROSOFT-CDO-BUSYSTATUS", "OOF")
        return event
    tzid = rng.choices([ZG, NY, TK, WIN, UTC_ZONE], weights=[70, 12, 5, 10, 3])[0]
    wall = datetime.combine(day, datetime.min.time()).replace(
        hour=rng.randint(8, 17), minute=rng.choice([0, 15, 30, 45]))
    length = timedelta(minutes=rng.choice([15, 25, 30, 30, 45, 50, 60, 60, 90, 120]))
    start, end = _when(wall, tzid, False), _when(wall + length, tzid, False)
    partstat = "DECLINED" if roll > 0.92 else "ACCEPTED"
    event = _event(rng, _uid(rng, "single", number), f"{topic.capitalize()} sync", start, end,
                   my_partstat=partstat)
    if 0.06 <= roll < 0.13:
        event.add("TRANSP", "TRANSPARENT")
    elif 0.13 <= roll < 0.16:
        event.add("STATUS", "CANCELLED")
    elif 0.16 <= roll < 0.21:
        event.add("STATUS", "TENTATIVE")
    if tzid == WIN:
        _write_tzid(event, WINDOWS_TZID)
    return event


def _timezones() -> list[icalendar.Timezone]:
    zones = []
    for tzid, iana in ZONES.items():
        zone = icalendar.Timezone.from_tzid(iana, first_date=date(2025, 1, 1),
                                            last_date=date(2027, 12, 31))
        zone["TZID"] = tzid
        zones.append(zone)
    return zones


def count_instances(calendar: icalendar.Calendar) -> int:
    """Instances of ``calendar`` in 2026, as recurring-ical-events expands them."""
    return len(recurring_ical_events.of(calendar).between(FIRST, END))


def build_calendar(seed: int = SEED, target: int = TARGET_INSTANCES) -> icalendar.Calendar:
    """The benchmark calendar: the series, then single events up to ``target`` instances."""
    rng = random.Random(seed)
    calendar = icalendar.Calendar()
    calendar.add("PRODID", "-//makertime//bench gen_calendar//EN")
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", "Work (benchmark)")
    for zone in _timezones():
        calendar.add_component(zone)
    for number, spec in enumerate(SERIES):
        for component in _series_components(rng, number, spec):
            calendar.add_component(component)
    from_series = count_instances(calendar)
    for number in range(max(0, target - from_series)):
        calendar.add_component(_single(rng, number))
    return calendar


def write_calendar(path: Path, seed: int = SEED) -> int:
    """Write the benchmark calendar to ``path``; return its instance count over 2026."""
    calendar = build_calendar(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(calendar.to_ical())
    return count_instances(icalendar.Calendar.from_ical(path.read_bytes()))


def main() -> None:
    """Write the calendar to the path given (default bench/out/year-2026.ics)."""
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/out/year-2026.ics")
    count = write_calendar(path)
    print(f"{path}: {path.stat().st_size:,} bytes, {count} instances in 2026")


if __name__ == "__main__":
    main()
