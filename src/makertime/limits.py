"""Every bound makertime puts on its inputs, with its value, what happens past it and why.

A shared calendar can carry anything, and a number typed by mistake can ask for anything: every
input is bounded here, and each bound is checked before the work it guards starts, so the work
grows with what is planned, never with a number someone typed. ``docs/limits.md`` is generated
from this table (``python -m makertime.outputs.limits_page``) and a test keeps the two the same.

Past a limit, makertime says so in one line: a file of the person's own (tasks.toml,
policy.toml, an option) is refused with exit status 2; an item of a calendar (an event, a
series, a VTODO) is skipped with a warning naming its UID, and the rest of the calendar is read.
"""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limit:
    """One bound: its value and unit, what it bounds, what happens past it, and why."""

    key: str
    value: int
    unit: str
    bounds: str
    past: str
    why: str


LIMITS: tuple[Limit, ...] = (
    # calendars: files, folders, CalDAV collections
    Limit("calendar.file_bytes", 128 * MIB, "bytes", "size of one .ics file or CalDAV item",
          "the file is refused before it is read, and so is a file that grows past it while it "
          "is read (in a folder or collection: skipped with a warning)",
          "a busy calendar exported over fifteen years is about 50 MB; 200,000 events with "
          "attendees and descriptions are about 70 MB"),
    Limit("calendar.files", 100_000, "files", "files in one folder, at any depth, or items in "
          "one CalDAV collection", "the folder or collection is refused before any of it is read",
          "a vdir keeps one event per file: ten years of a busy calendar is about 30,000"),
    Limit("calendar.nesting", 8, "levels", "components nested in one another (VCALENDAR › "
          "VEVENT › VALARM is 3)", "the outermost component holding it is skipped with a warning "
          "naming its UID, unparsed",
          "RFC 5545 components nest at most three deep; eight leaves room for extensions"),
    Limit("calendar.repeats_per_day", 96, "instances", "times one event series can repeat in "
          "a day, read from its rule (FREQ, INTERVAL and the BY- parts)",
          "the series is skipped with a warning naming its UID, before it is expanded",
          "makertime works on a 15-minute grain; no real event repeats more often than that"),
    Limit("calendar.series_instances", 200_000, "steps", "work the expansion of one series "
          "does from its first start to the end of the period read, in steps of about a "
          "microsecond: each day, week, month … it visits weighs what dateutil does in it (a "
          "year forty days, more with each BY- part), each instance four; estimated from its "
          "rule before, and its instances counted during expansion",
          "the series is skipped with a warning naming its UID",
          "recurrence is computed from the series' start, so this bounds the work as well as "
          "the result: an hourly series over four years, a daily one over a century, a weekly "
          "one over six centuries, a monthly one over eighteen, a yearly one from any time; "
          "about a fifth of a second (bench/rule_costs.py)"),
    Limit("calendar.file_instances", 2_000_000, "steps", "the same work summed over all "
          "series of one file or CalDAV item",
          "the series that would pass it are skipped with a warning naming their UIDs",
          "about two seconds of expansion: ten series as costly as allowed, or forty daily "
          "ones that started 25 years ago"),
    Limit("calendar.instances_per_day", 1440, "instances", "instances of all events of one "
          "file or CalDAV item, per day of the period read (one a minute)",
          "the series that would pass it are skipped with a warning naming their UIDs",
          "a person's busiest real calendars hold tens of events a day"),
    Limit("calendar.zone_changes_per_year", 12, "changes", "offset changes one VTIMEZONE "
          "observance rule can make in a year (its FREQ must be YEARLY, and it must occur)",
          "the observance is dropped with a warning naming its TZID, before icalendar "
          "computes the zone", "real zones change their offset twice a year at most"),
    Limit("calendar.zone_observances", 500, "observances", "STANDARD and DAYLIGHT "
          "observances of all the VTIMEZONEs of one file or CalDAV item",
          "the VTIMEZONEs past it are left out with one warning; their times are read in the "
          "IANA zone their TZID names, else as in an unknown zone",
          "icalendar computes each observance's changes up to 2038, a few milliseconds each: "
          "real files carry a few zones of two to four observances; 500 cost about a second"),
    Limit("calendar.text_chars", 1000, "characters", "characters kept of an event's title, "
          "categories and other text makertime shows",
          "the text is cut, ending in …", "a title longer than a screen is not a title"),
    Limit("calendar.warnings", 1000, "warnings", "warnings kept for one file or CalDAV item; "
          "components of one VCALENDAR that icalendar refuses and that are taken apart to "
          "find what it can read", "the rest are counted in one last warning; past as many "
          "refused components, a piece icalendar refuses is skipped unread, and one warning "
          "counts what was", "a file of broken events would otherwise print a line for each "
          "of them, and take a parse for each of them and each half of the pieces holding "
          "them"),
    Limit("caldav.batch_bytes", 16 * MIB, "bytes", "calendar data asked for in one "
          "calendar-multiget request, by the sizes the server lists (an item whose size it "
          "does not list counts as 64 KB)", "the items are asked for in more requests",
          "the answer to one request is held in memory whole"),
    Limit("caldav.answer_bytes", 256 * MIB, "bytes", "one answer of a CalDAV server as read: "
          "a listing, a calendar-multiget, a GET (whatever sizes the server listed)",
          "the read of the collection is refused in one line naming its URL; an answer that "
          "says it is larger is not read at all",
          "a server may omit or misstate the sizes it lists: an answer holds at most one item "
          "of calendar.file_bytes with the XML around it, or a listing of calendar.files "
          "items (about 60 MB)"),
    # tasks
    Limit("tasks.file_bytes", 1 * MIB, "bytes", "size of tasks.toml", "the file is refused",
          "a thousand tasks with long titles take about 300 kB"),
    Limit("tasks.count", 300, "tasks", "open tasks in one plan (tasks.toml and VTODO)",
          "tasks.toml is refused; VTODO past it are skipped with a warning",
          "planning grows with tasks × stretches of free time: 300 tasks over the longest "
          "plan (92 days) take about 30 s and 1.5 GB on two cores"),
    Limit("tasks.estimate_minutes", 60_000, "minutes", "a task's estimate and minimum block "
          "(1,000 h)", "tasks.toml is refused; a VTODO is skipped with a warning",
          "half a year of full-time work: a larger task is a project to split"),
    Limit("tasks.id_chars", 255, "characters", "length of a task id (tasks.toml id, VTODO UID)",
          "tasks.toml is refused; a VTODO is skipped with a warning",
          "RFC 5545 advises UIDs of at most 255 octets"),
    # settings files
    Limit("policy.file_bytes", 1 * MIB, "bytes", "size of policy.toml", "the file is refused",
          "a policy with a hundred rules takes a few kilobytes"),
    Limit("policy.rules", 200, "rules", "[[rule]] tables in policy.toml", "the file is refused",
          "every event instance is matched against every rule"),
    # planning
    Limit("plan.days", 92, "days", "length of the period one plan or replan covers",
          "the command is refused", "a quarter; plan the next one when it comes"),
    Limit("plan.workers", 64, "threads", "--workers", "the command is refused",
          "more search threads than cores only slow the solve"),
    Limit("plan.time_limit_seconds", 3600, "seconds", "--time-limit", "the command is refused",
          "an hour; the planner proves a quarter within a minute on two cores"),
    # teams
    Limit("team.file_bytes", 1_000_000, "bytes", "size of team.toml", "the file is refused",
          "a team of 200 with their calendars and limits takes a few tens of kilobytes"),
    Limit("team.members", 200, "members", "[[member]] tables in team.toml", "the file is refused",
          "the rotation grows with members × slots; 30 members are solved in seconds"),
    Limit("team.duties", 20, "duties", "[[duty]] tables in team.toml", "the file is refused",
          "a team rotates a handful of duties"),
    Limit("team.seats", 50, "people", "seats of one crew event, all skills together",
          "the file is refused", "a large production crew"),
    Limit("team.calendars", 20, "calendars", "calendars of one member, and the team's events "
          "calendars", "the file is refused", "each is read on every rotation"),
    Limit("team.days", 92, "days", "length of the period one team rotation covers",
          "the command is refused", "a quarter: 30 members over 12 weeks are rotated within "
          "1% of the bound in 10 s on two cores; rotate the next quarter when it comes"),
)

BY_KEY: dict[str, Limit] = {limit.key: limit for limit in LIMITS}


def limit(key: str) -> int:
    """The value of the limit ``key``."""
    return BY_KEY[key].value
