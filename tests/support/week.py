"""Helpers for the living-with-the-week tests: the sample week on a real Radicale, the CLI run
in-process, and the person's own edits made through the caldav library."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from typer.testing import CliRunner, Result

from makertime.cli import app
from makertime.sample import sample_path
from tests.support.radicale import RadicaleServer

ZONE = ZoneInfo("Europe/Zagreb")
WEEK = ["--from", "2026-03-23", "--to", "2026-03-29"]
SAMPLE = ["--tasks", str(sample_path("tasks.toml")), "--policy", str(sample_path("policy.toml"))]
runner = CliRunner()

BLOG_TODO = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//makertime tests//week//EN
BEGIN:VTODO
UID:blog-post@example.com
DTSTAMP:20260301T000000Z
SUMMARY:Blog post: low-latency HLS
DUE;VALUE=DATE:20260327
X-MAKERTIME-ESTIMATE:1h
X-MAKERTIME-DEPTH:shallow
PRIORITY:5
END:VTODO
END:VCALENDAR
"""


def run(*args: str) -> Result:
    """``makertime ARGS`` in-process; the result carries output and exit code."""
    return runner.invoke(app, list(args), catch_exceptions=False)


def ok(*args: str) -> str:
    """The output of a command that must succeed, with its line wrapping undone."""
    result = run(*args)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def sample_items() -> dict[str, str]:
    """The sample week as one iCalendar text per UID (with its time zones), as a CalDAV
    collection holds it."""
    calendar = icalendar.Calendar.from_ical(sample_path("week.ics").read_bytes())
    zones = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]
    by_uid: dict[str, list[icalendar.cal.Component]] = {}
    for component in calendar.subcomponents:
        if component.name in ("VEVENT", "VTODO"):
            by_uid.setdefault(str(component["UID"]), []).append(component)
    items: dict[str, str] = {}
    for uid, components in by_uid.items():
        item = icalendar.Calendar()
        item.add("prodid", "-//makertime tests//sample//EN")
        item.add("version", "2.0")
        for part in [*zones, *components]:
            item.add_component(part)
        items[uid.split("@")[0] + ".ics"] = item.to_ical().decode()
    return items


def fill(server: RadicaleServer, calendar: str, items: dict[str, str]) -> None:
    """Put ``items`` (file name → text) into ``calendar`` as the person would."""
    for name, text in items.items():
        server.put(server.item_url(calendar, name), text)


def local(text: str) -> datetime:
    """``2026-03-25T10:15`` as an aware moment in the sample's zone."""
    return datetime.fromisoformat(text).replace(tzinfo=ZONE)


def shift_event(server: RadicaleServer, url: str, delta: timedelta) -> None:
    """Move the event at ``url`` by ``delta``, as a calendar program does (its X- properties
    kept), with If-Match on the ETag it read."""
    etag, text = server.get(url)
    calendar = icalendar.Calendar.from_ical(text)
    for event in calendar.walk("VEVENT"):
        for name in ("DTSTART", "DTEND"):
            moved = event.decoded(name) + delta
            del event[name]
            event.add(name, moved)
    server.put(url, calendar.to_ical().decode(), etag=etag)


def marked(server: RadicaleServer, calendar: str) -> dict[str, tuple[str, str, datetime, str]]:
    """makertime's events in ``calendar``: UID → (href, kind, start, ETag)."""
    found: dict[str, tuple[str, str, datetime, str]] = {}
    for href, etag in server.etags(calendar).items():
        url = server.item_url(calendar, href)
        _, text = server.get(url)
        for event in icalendar.Calendar.from_ical(text).walk("VEVENT"):
            if "X-MAKERTIME-KIND" in event:
                found[str(event["UID"])] = (url, str(event["X-MAKERTIME-KIND"]),
                                            event.decoded("DTSTART"), etag)
    return found


def at_local(found: dict[str, tuple[str, str, datetime, str]], kind: str,
             start: str) -> tuple[str, tuple[str, str, datetime, str]]:
    """The one marked event of ``kind`` starting at local ``start``."""
    hits = [(uid, item) for uid, item in found.items()
            if item[1] == kind and item[2] == local(start)]
    assert len(hits) == 1, (kind, start, sorted((i[1], str(i[2])) for i in found.values()))
    return hits[0]


def snapshot(server: RadicaleServer, calendar: str, names: Sequence[str]) -> dict[str, bytes]:
    """The bytes Radicale keeps for each named item of ``calendar``."""
    return {name: server.stored_bytes(server.item_url(calendar, name)) for name in names}


def env_for(server: RadicaleServer, data: Path) -> dict[str, str]:
    """The environment a makertime process needs to log in and keep its store in ``data``."""
    return {"MAKERTIME_CALDAV_USERNAME": server.credentials.username,
            "MAKERTIME_CALDAV_PASSWORD": server.credentials.password,
            "XDG_DATA_HOME": str(data)}
