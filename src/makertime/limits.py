"""Every bound makertime puts on its inputs, with its value, what happens past it and why.

A shared calendar can carry anything, and a number typed by mistake can ask for anything: every
input is bounded here, and each bound is checked before the work it guards starts, so the work
grows with what is planned, never with a number someone typed. ``docs/limits.md`` is generated
from this table (``python -m makertime.limits``) and a test keeps the two the same.

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
    Limit("calendar.series_instances", 100_000, "instances", "periods (days, weeks …) and "
          "instances the expansion of one series computes from its first start to the end of "
          "the period read: estimated from its rule before, and counted during expansion",
          "the series is skipped with a warning naming its UID",
          "recurrence is computed from the series' start, so this bounds the work as well as "
          "the result: an hourly series over eleven years, a daily one over 270; about a "
          "third of a second"),
    Limit("calendar.file_instances", 2_000_000, "instances", "the same work summed over all "
          "series of one file or CalDAV item",
          "the series that would pass it are skipped with a warning naming their UIDs",
          "a few seconds of expansion: two hundred daily series that started 25 years ago"),
    Limit("calendar.instances_per_day", 1440, "instances", "instances of all events of one "
          "file or CalDAV item, per day of the period read (one a minute)",
          "the series that would pass it are skipped with a warning naming their UIDs",
          "a person's busiest real calendars hold tens of events a day"),
    Limit("calendar.zone_changes_per_year", 12, "changes", "offset changes one VTIMEZONE "
          "observance rule can make in a year (its FREQ must be YEARLY, and it must occur)",
          "the observance is dropped with a warning naming its TZID, before icalendar "
          "computes the zone", "real zones change their offset twice a year at most"),
    Limit("calendar.text_chars", 1000, "characters", "characters kept of an event's title, "
          "categories and other text makertime shows",
          "the text is cut, ending in …", "a title longer than a screen is not a title"),
    Limit("calendar.warnings", 1000, "warnings", "warnings kept for one file or CalDAV item",
          "the rest are counted in one last warning",
          "a file of broken events would otherwise print a line for each of them"),
    Limit("caldav.batch_bytes", 16 * MIB, "bytes", "calendar data asked for in one "
          "calendar-multiget request, by the sizes the server lists (an item whose size it "
          "does not list counts as 64 KB)", "the items are asked for in more requests",
          "the answer to one request is held in memory whole"),
    # tasks
    Limit("tasks.file_bytes", 1 * MIB, "bytes", "size of tasks.toml", "the file is refused",
          "a thousand tasks with long titles take about 300 kB"),
    Limit("tasks.count", 1000, "tasks", "open tasks in one plan (tasks.toml and VTODO)",
          "tasks.toml is refused; VTODO past it are skipped with a warning",
          "each task is a set of variables per stretch of free time: planning grows with "
          "tasks × stretches"),
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
)

BY_KEY: dict[str, Limit] = {limit.key: limit for limit in LIMITS}


def limit(key: str) -> int:
    """The value of the limit ``key``."""
    return BY_KEY[key].value


def markdown() -> str:
    """The limits as the Markdown table of ``docs/limits.md``."""
    rows = ["| limit | value | bounds | past it | why |", "| --- | --- | --- | --- | --- |"]
    for item in LIMITS:
        rows.append(f"| `{item.key}` | {item.value:,} {item.unit} | {item.bounds} | "
                    f"{item.past} | {item.why} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
