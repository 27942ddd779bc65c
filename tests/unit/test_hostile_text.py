"""Text from outside is shown and written as text: markup is not read in it, control characters
never reach a terminal or an iCalendar file, and no id or title can add a property to an event —
under ``python -O`` too, where no ``assert`` guards anything."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import icalendar
from rich.table import Table
from rich.text import Text

from makertime.outputs.console import SafeConsole
from makertime.sample import sample_path
from tests.support.week import WEEK, ok, run

POLICY = str(sample_path("policy.toml"))
HOSTILE_TITLE = "fix [/] parser \x1b[2J\x1b]0;owned\x07 [bold]now\x00\u202egnp.exe"
CALENDAR = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//hostile//EN\r
BEGIN:VEVENT\r
UID:show\x1b[31m@example.com\r
DTSTAMP:20260301T000000Z\r
DTSTART:20260324T170000Z\r
DTEND:20260324T180000Z\r
SUMMARY:LIVE: [/] stream \x1b]0;pwned\x07\x00 tonight\r
CATEGORIES:LIVE\r
END:VEVENT\r
END:VCALENDAR\r
"""


def _hostile_week(tmp_path: Path) -> tuple[Path, Path]:
    calendar = tmp_path / "week.ics"
    calendar.write_bytes(CALENDAR.encode())
    tasks = tmp_path / "tasks.toml"
    tasks.write_text(
        '[[task]]\nid = "fix-parser"\ntitle = "fix [/] parser \\u001b[2J\\u001b]0;owned\\u0007 '
        '[bold]now\\u0000"\nestimate = "2h"\ndepth = "shallow"\n', encoding="utf-8")
    return calendar, tasks


def test_a_console_shows_markup_and_escapes_as_plain_text() -> None:
    buffer = io.StringIO()
    console = SafeConsole(file=buffer, force_terminal=True, width=120, highlight=False)
    table = Table("task")
    table.add_row(HOSTILE_TITLE)
    console.print(HOSTILE_TITLE)
    console.print(Text(HOSTILE_TITLE, style="bold"))
    console.print(table)
    shown = buffer.getvalue()
    assert shown.count("fix [/] parser") == 3 and "[bold]now" in shown
    for control in ("\x1b[2J", "\x1b]0;", "\x07", "\x00", "\u202e"):
        assert control not in shown
    assert "\x1b[1m" in shown  # the console's own styles still reach the terminal


def test_plan_and_tasks_show_hostile_titles_without_obeying_them(tmp_path: Path) -> None:
    calendar, tasks = _hostile_week(tmp_path)
    db = f"sqlite:///{tmp_path / 'store.db'}"
    planned = run("plan", str(calendar), "--tasks", str(tasks), "--policy", POLICY, *WEEK,
                  "--workers", "1", "--db", db, "--out", str(tmp_path / "plan.ics"))
    assert planned.exit_code == 0, planned.output
    listed = run("tasks", "--db", db, "--now", "2026-03-23T08:00")
    assert listed.exit_code == 0, listed.output
    for output in (planned.output, listed.output):
        assert "\x1b" not in output and "\x00" not in output and "\x07" not in output
    assert "fix [/] parser" in listed.output and "[bold]now" in listed.output
    data = (tmp_path / "plan.ics").read_bytes()
    assert b"\x00" not in data and b"\x1b" not in data and b"\x07" not in data
    summaries = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")]
    assert any("fix [/] parser" in summary for summary in summaries)
    assert any("LIVE: [/] stream" in summary for summary in summaries), summaries


def test_an_id_cannot_inject_a_property_even_without_asserts(tmp_path: Path) -> None:
    # a Block made by a library user, bypassing the checks at the boundary: the ICS writer itself
    # escapes every text and removes line breaks, so under python -O nothing leaks through
    script = """
import sys
from datetime import datetime, UTC
from makertime.model import Interval
from makertime.outputs.ics import block_vevent as _event
from makertime.plan.result import Block, BlockKind
span = Interval(datetime(2026, 3, 24, 9, tzinfo=UTC), datetime(2026, 3, 24, 11, tzinfo=UTC))
block = Block(BlockKind.DEEP, span, "why\\r\\nATTENDEE:mailto:x@evil", task="a\\r\\nUID:evil",
              title="t\\nX-INJECTED:1")
sys.stdout.write(_event(block, UTC, span.start).to_ical().decode())
"""
    found = subprocess.run([sys.executable, "-O", "-c", script], capture_output=True, text=True,
                           check=True, timeout=60)
    event = icalendar.Event.from_ical(found.stdout)
    assert len(event.get("UID") if isinstance(event.get("UID"), list) else [event["UID"]]) == 1
    assert str(event["UID"]).endswith("@makertime")
    assert "X-INJECTED" not in event and "ATTENDEE" not in event
    assert str(event["X-MAKERTIME-TASK"]) == "a UID:evil"


def test_a_task_id_with_a_line_break_never_reaches_the_store(tmp_path: Path) -> None:
    tasks = tmp_path / "tasks.toml"
    tasks.write_text('[[task]]\nid = "a\\nb"\nestimate = "2h"\n', encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    result = run("plan", str(sample_path("week.ics")), "--tasks", str(tasks), "--policy",
                 POLICY, *WEEK, "--db", db, "--publish", str(tmp_path / "plan.ics"))
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "id is not 1 to 255 characters of letters" in lines[0]
    assert "no plan yet" in " ".join(run("publish", "--db", db).output.split())
    assert "no tasks yet" in ok("tasks", "--db", db)
