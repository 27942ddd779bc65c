"""The sample team (src/makertime/sample/team/): six people of a live-media team in Zagreb, their
calendars for spring 2026, the team's events calendar, team.toml and two members' policies.

Always the same files for the same seed: the interviews and ad-hoc meetings are drawn with
``random.Random(SEED)``, every DTSTAMP is fixed, and the files are written as text, line by line,
so that a regeneration changes nothing unless this script changed. Run it to write them again:
``.venv/bin/python bench/gen_team_sample.py`` (or give another folder as its one argument).
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

SEED = 20260323
FIRST = date(2026, 3, 23)  # the period the sample is about: four weeks, Easter Monday inside
LAST = date(2026, 4, 19)
UNTIL = "20260630T215959Z"  # every series runs into the summer, past the period
STAMP = "20260301T080000Z"
ZONE = "Europe/Zagreb"
OUT = Path(__file__).resolve().parents[1] / "src" / "makertime" / "sample" / "team"

NAMES = {"ana": "Ana Kovač", "ben": "Ben Horvat", "chiara": "Chiara Rossi",
         "dario": "Dario Babić", "eva": "Eva Novak", "filip": "Filip Marić"}
EVERYONE = tuple(NAMES)
CREW = ("ana", "chiara", "dario", "filip")

VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Zagreb
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE"""


@dataclass(frozen=True)
class Event:
    """One VEVENT: a series (``rrule``) or a single event, timed or all-day (``days``)."""

    uid: str
    summary: str
    day: date
    start: str = ""  # "HH:MM" wall time in ZONE; empty for an all-day event
    minutes: int = 0
    days: int = 0  # all-day events: how many days
    rrule: str = ""
    organizer: str = "ben"
    attendees: tuple[str, ...] = ()
    categories: str = ""
    extra: tuple[str, ...] = ()  # more properties, written as they are
    declined: tuple[str, ...] = ()  # attendees who declined


def _stamp(day: date, clock: str) -> str:
    return f"{day:%Y%m%d}T{clock.replace(':', '')}00"


def _end(day: date, clock: str, minutes: int) -> str:
    hours, mins = (int(p) for p in clock.split(":"))
    total = hours * 60 + mins + minutes
    return _stamp(day + timedelta(days=total // 1440), f"{total % 1440 // 60:02d}:{total % 60:02d}")


def vevent(event: Event) -> list[str]:
    """The lines of one VEVENT."""
    lines = ["BEGIN:VEVENT", f"UID:{event.uid}@team.sample.makertime", f"DTSTAMP:{STAMP}"]
    if event.days:
        lines += [f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{event.day + timedelta(days=event.days):%Y%m%d}"]
    else:
        lines += [f"DTSTART;TZID={ZONE}:{_stamp(event.day, event.start)}",
                  f"DTEND;TZID={ZONE}:{_end(event.day, event.start, event.minutes)}"]
    lines.append(f"SUMMARY:{event.summary}")
    if event.rrule:
        lines.append(f"RRULE:{event.rrule}")
    if event.categories:
        lines.append(f"CATEGORIES:{event.categories}")
    lines += list(event.extra)
    if event.attendees:
        lines.append(f"ORGANIZER;CN={NAMES[event.organizer].split()[0]}:"
                     f"mailto:{event.organizer}@example.com")
        for who in event.attendees:
            state = "DECLINED" if who in event.declined else "ACCEPTED"
            lines.append(f"ATTENDEE;CN={NAMES[who].split()[0]};PARTSTAT={state}:"
                         f"mailto:{who}@example.com")
    return [*lines, "END:VEVENT"]


def weekly(days: str, interval: int = 1) -> str:
    """An RRULE for ``days`` ("MO,WE") every ``interval`` weeks until the summer."""
    every = f";INTERVAL={interval}" if interval > 1 else ""
    return f"FREQ=WEEKLY{every};BYDAY={days};UNTIL={UNTIL}"


def shared_series() -> list[Event]:
    """The meetings several members share (one UID, in each attendee's calendar)."""
    monday = FIRST
    one_on_ones = [("ana", "TU", 1, "15:00"), ("chiara", "TU", 1, "15:30"),
                   ("dario", "WE", 2, "14:00"), ("eva", "TH", 3, "10:00"),
                   ("filip", "TH", 3, "14:30")]
    events = [
        Event("standup", "Daily standup", monday, "09:30", 15, rrule=weekly("MO,TU,WE,TH,FR"),
              attendees=EVERYONE),
        Event("planning", "Sprint planning", monday, "10:00", 90,
              rrule=weekly("MO", 2), attendees=EVERYONE),
        Event("review", "Sprint review and retro", monday + timedelta(days=11), "14:00", 90,
              rrule=weekly("FR", 2), attendees=EVERYONE, declined=("eva",)),  # not her day
        Event("rundown", "Show run-down", monday + timedelta(days=2), "11:00", 30,
              rrule=weekly("WE"), organizer="ana", attendees=("ana", *CREW[1:], "ben")),
        Event("design", "Design review", monday + timedelta(days=2), "13:00", 60,
              rrule=weekly("WE"), organizer="chiara", attendees=("chiara", "filip", "ben"),
              declined=("ben",)),
        Event("buddy", "Buddy check-in", monday, "16:00", 15, rrule=weekly("MO,TH"),
              organizer="ana", attendees=("ana", "filip")),
        Event("pipeline", "Data pipeline sync", monday + timedelta(days=1), "14:00", 60,
              rrule=weekly("TU"), organizer="eva", attendees=("eva", "ben", "dario")),
    ]
    events += [Event(f"1on1-{who}", f"1:1 Ben / {NAMES[who].split()[0]}",
                     monday + timedelta(days=offset), start, 30, rrule=weekly(day),
                     attendees=("ben", who)) for who, day, offset, start in one_on_ones]
    # Easter Monday moves the planning to Tuesday: the series' own override of that date
    events.append(Event("planning", "Sprint planning (moved: Easter Monday)", date(2026, 4, 7),
                        "10:00", 90, attendees=EVERYONE,
                        extra=("RECURRENCE-ID;TZID=Europe/Zagreb:20260406T100000",)))
    return events


def own_events(rng: random.Random) -> dict[str, list[Event]]:
    """Each member's events no one else in the team shares."""
    monday = FIRST
    ben = [
        Event("leads", "Leadership sync", monday, "14:00", 60, rrule=weekly("MO")),
        Event("stakeholders", "Stakeholder review", monday + timedelta(days=1), "11:00", 60,
              rrule=weekly("TU")),
        Event("crossteam", "Cross-team sync", monday + timedelta(days=2), "10:00", 60,
              rrule=weekly("WE")),
        Event("budget", "Budget review", monday + timedelta(days=3), "13:00", 60,
              rrule=weekly("TH", 2)),
        Event("demo", "Product demo", monday + timedelta(days=4), "11:00", 60,
              rrule=weekly("FR")),
        Event("priorities", "Weekly priorities with product", monday, "11:30", 60,
              rrule=weekly("MO")),
        Event("partner", "Partner broadcaster call", monday + timedelta(days=3), "11:00", 60,
              rrule=weekly("TH")),
        Event("hiring", "Hiring sync", monday + timedelta(days=2), "16:00", 30,
              rrule=weekly("WE")),
    ]
    work_days = [FIRST + timedelta(days=n) for n in range(28)
                 if (FIRST + timedelta(days=n)).weekday() < 5 and n != 14]
    for number, day in enumerate(sorted(rng.sample(work_days, 6)), 1):
        ben.append(Event(f"interview-{number}", "Interview: media engineer", day,
                         rng.choice(["12:00", "13:00", "15:00"]), 60))
    ana = [
        Event("vendor", "Encoder vendor call", date(2026, 3, 25), "14:00", 60),
        Event("codec", "Codec upgrade review", date(2026, 4, 8), "13:30", 90),
        Event("audiocheck", "Audio chain check", monday + timedelta(days=3), "16:00", 30,
              rrule=weekly("TH")),
    ]
    chiara = [Event("grading", "Colour grading workshop", date(2026, 4, 1), "09:45", 135)]
    dario = [
        Event("vacation", "Vacation", date(2026, 4, 13), days=5,
              extra=("TRANSP:OPAQUE", "X-MICROSOFT-CDO-BUSYSTATUS:OOF")),
        Event("desk", "Mixing desk maintenance", date(2026, 3, 27), "13:00", 120),
    ]
    eva = [Event("security", "Security review", date(2026, 3, 31), "10:00", 90)]
    filip = [
        Event("onboard-tools", "Onboarding: tools and access", date(2026, 3, 23), "13:00", 120),
        Event("onboard-stack", "Onboarding: the streaming stack", date(2026, 3, 24), "13:00", 90),
        Event("onboard-security", "Onboarding: security", date(2026, 3, 25), "15:00", 60),
    ]
    topics = ["Incident follow-up", "Ticket triage", "Pairing", "Quick sync", "Release check"]
    own = {"ana": ana, "ben": ben, "chiara": chiara, "dario": dario, "eva": eva, "filip": filip}
    for who, events in own.items():
        for number in range(1, 3):  # two ad-hoc meetings each, where chance puts them
            day = rng.choice(work_days)
            events.append(Event(f"adhoc-{who}-{number}", rng.choice(topics), day,
                                rng.choice(["10:30", "12:30", "14:30", "15:30"]), 30))
    return own


def calendar(name: str, events: list[Event]) -> str:
    """A whole VCALENDAR, CRLF line ends, no line longer than iCalendar allows."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//makertime//sample team//EN",
             "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{name}", *VTIMEZONE.splitlines()]
    for event in events:
        lines += vevent(event)
    lines.append("END:VCALENDAR")
    assert all(len(line.encode()) <= 75 for line in lines), "a line would need folding"
    return "\r\n".join(lines) + "\r\n"


def team_events() -> list[Event]:
    """The team's events calendar: the weekly stream and one weekend concert."""
    return [
        Event("stream", "Thursday live stream", date(2026, 3, 26), "19:00", 120,
              rrule=weekly("TH"), categories="LIVE"),
        Event("concert", "Spring concert (live)", date(2026, 4, 11), "18:00", 180,
              categories="LIVE"),
    ]


def write(folder: Path) -> list[Path]:
    """Write every file of the sample team into ``folder``; the paths written."""
    rng = random.Random(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    shared = shared_series()
    own = own_events(rng)
    files = {"events.ics": calendar("Live media events", team_events())}
    for who in EVERYONE:
        mine = [e for e in shared if who in e.attendees] + own[who]
        files[f"{who}.ics"] = calendar(f"{NAMES[who].split()[0]} (work)", mine)
    files["team.toml"] = TEAM_TOML
    files["ana-policy.toml"] = ANA_POLICY
    files["eva-policy.toml"] = EVA_POLICY
    written = []
    for name, text in files.items():
        path = folder / name
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


TEAM_TOML = """\
# makertime team: the live-media team of the sample, six people in Zagreb.
# Relative paths are read from this file's folder. docs/team.md explains every key.

[team]
name = "Live media"
timezone = "Europe/Zagreb"      # the team's dates and duty hours are in this zone
holidays = "HR"                 # Croatian public holidays: Easter Monday 2026-04-06 is one
events = ["events.ics"]         # the Thursday stream and the spring concert

[fairness]
night = 1.5                     # a duty hour between night_hours counts 1.5 plain hours
weekend = 2.0
holiday = 2.0
night_hours = ["22:00", "07:00"]
#max_spread_hours = 40          # default: one turn of the heaviest duty
max_on_call_share = 0.25        # at most a quarter of the period on call, per person
rest_after_night_hours = 11     # after a stream or a night, no shield day for 11 hours

# Shield: one person a day takes the team's chat, email and walk-ups; the others batch theirs
# into one sync window a day instead of two.
[[duty]]
id = "shield"
kind = "shield"
days = ["mon", "tue", "wed", "thu", "fri"]
relieves = 1
max_per_week = 2                # nobody shields more than two days a week
max_per_period = 6

# On-call: a week of pager from Monday 10:00 to the next Monday 10:00, one person (six people
# and the 25% share leave everyone at most one week in four).
[[duty]]
id = "on-call"
kind = "on-call"
turn = "7d"
handoff = "mon 10:00"
secondary = false
back_to_back = false

# Crew: every LIVE event of events.ics needs one audio and one video person, from two hours
# before it to an hour after, with rest before and recovery after.
[[duty]]
id = "crew"
kind = "crew"
match = { categories = ["LIVE"] }
seats = { audio = 1, video = 1 }
prep_minutes = 120
teardown_minutes = 60
rest_before_minutes = 180
recover_after_minutes = 720

# The members. Ana and Eva have policies of their own; the others get makertime's defaults in
# the team's zone and holidays: work 09:00-17:00 Monday to Friday, and two sync windows of 30
# minutes a day at 11:30 and 16:30 for chat and email.
[[member]]
id = "ana"
name = "Ana Kovač"              # live-media engineer: audio and video
me = ["ana@example.com"]
calendars = ["ana.ics"]
policy = "ana-policy.toml"
skills = ["audio", "video"]
prefer = ["2026-03-26"]         # would like to run the first stream

[[member]]
id = "ben"
name = "Ben Horvat"             # the team's lead: many meetings, video only
me = ["ben@example.com"]
calendars = ["ben.ics"]
skills = ["video"]
[member.limits]
shield = { max_per_week = 1, max_per_period = 2 }

[[member]]
id = "chiara"
name = "Chiara Rossi"
me = ["chiara@example.com"]
calendars = ["chiara.ics"]
skills = ["video"]

[[member]]
id = "dario"
name = "Dario Babić"            # vacation 2026-04-13 to 2026-04-17, in his calendar
me = ["dario@example.com"]
calendars = ["dario.ics"]
skills = ["audio"]

[[member]]
id = "eva"
name = "Eva Novak"              # works Monday to Thursday: her policy's work.days
me = ["eva@example.com"]
calendars = ["eva.ics"]
policy = "eva-policy.toml"

[[member]]
id = "filip"
name = "Filip Marić"            # new in the team: onboarding in his first week
me = ["filip@example.com"]
calendars = ["filip.ics"]
skills = ["video", "audio"]
avoid = ["mon"]                 # would rather not hold a duty on Mondays
days_off = ["2026-04-10"]
[member.limits]
on-call = { max_per_period = 1 }
"""

ANA_POLICY = """\
# Ana's policy: a live-media engineer in Zagreb. Members without a policy get makertime's
# defaults in the team's zone and holidays (the same sync windows as below).
timezone = "Europe/Zagreb"
me = ["ana@example.com"]

[work]
days = ["mon", "tue", "wed", "thu", "fri"]
start = "09:00"
end = "17:00"
holidays = "HR"

[[rule]]                        # the streams: draining, with rest before and recovery after
match = { categories = ["LIVE"] }
attention = "full"
drain_per_hour = 25
rest_before_minutes = 180
recover_after_minutes = 720

[[rule]]                        # quiet on-call: monitoring, shallow work only
match = { summary = "(?i)on-call" }
attention = "partial"
drain_per_hour = 4

[sync_windows]                  # chat and email batched into two half hours a day
per_day = 2
minutes = 30
prefer = ["11:30", "16:30"]
"""

EVA_POLICY = """\
# Eva's policy: she works Monday to Thursday, so Fridays are never duty days for her.
timezone = "Europe/Zagreb"
me = ["eva@example.com"]

[work]
days = ["mon", "tue", "wed", "thu"]
start = "08:30"
end = "17:00"
holidays = "HR"

[sync_windows]
per_day = 2
minutes = 30
prefer = ["11:30", "16:30"]
"""


def main() -> None:
    """Write the sample team where the command line says (default: the package's sample)."""
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    for path in write(folder):
        print(f"{path}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
