"""A member's own plan sees their duties: published (or written) as makertime's own events,
a shield day reads as sync, an on-call turn as partial attention, a crew seat as a full
commitment with its rest and recovery, and a day someone else holds the shield keeps only the
sync windows the shield leaves."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from icalendar import Calendar

from makertime.app.planning import plan_calendars
from makertime.inputs import read_inputs
from makertime.marks import PRODID
from makertime.model import Attention
from makertime.outputs.ics import block_vevent
from makertime.plan.result import BlockKind
from makertime.team.duties import duty_blocks
from makertime.team.model import Assignment, Rotation, Slot
from makertime.team.slots import slots_of
from tests.support.team_fixture import WEEK, policy, stream, team

TASKS = """
[[task]]
id = "design"
title = "Design doc"
estimate = "12h"
depth = "deep"
priority = 1
"""


def _rotation(held: dict[str, str]) -> Rotation:
    slots = {s.id: s for s in slots_of(team(), [stream()], WEEK)}
    chosen: list[tuple[Slot, str]] = [(slots[i], m) for i, m in held.items()]
    return Rotation("Live media", WEEK.first, WEEK.last, datetime(2026, 3, 20, tzinfo=UTC),
                    tuple(Assignment(s, m, 0, f"{m} holds it") for s, m in chosen), (), (),
                    0, None, "optimal", 0, 0, 0.1)


def _calendar(tmp_path: Path, member: str, rotation: Rotation) -> Path:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    stamp = datetime(2026, 3, 20, tzinfo=UTC)
    for block in duty_blocks(rotation, team(), member):
        calendar.add_component(block_vevent(block, team().timezone, stamp))
    path = tmp_path / f"{member}-duties.ics"
    path.write_bytes(calendar.to_ical())
    return path


ROTATION = {"shield/2026-03-24": "ana", "shield/2026-03-25": "ben",
            "on-call/2026-03-23/primary": "cleo", "crew/2026-03-26T19:00/audio#1": "ana"}


def test_duties_read_back_as_commitments_with_their_attention(tmp_path: Path) -> None:
    rotation = _rotation(ROTATION)
    ana = read_inputs([str(_calendar(tmp_path, "ana", rotation))], policy(), WEEK,
                      planning=True).commitments
    by_kind = {(c.attention, c.summary.split(":")[0].split(" ")[0]) for c in ana}
    assert (Attention.FULL, "Shield") in by_kind
    crew = next(c for c in ana if c.summary.startswith("Crew"))
    assert (crew.attention, crew.rest_before_minutes, crew.recover_after_minutes) == (
        Attention.FULL, 120, 600)
    relief = [c for c in ana if c.attention is Attention.NONE]
    assert [c.span.start.astimezone(team().timezone).date() for c in relief] == [
        date(2026, 3, 25)]  # Ben holds the shield that day
    cleo = read_inputs([str(_calendar(tmp_path, "cleo", rotation))], policy(), WEEK,
                       planning=True).commitments
    assert {c.attention for c in cleo if c.summary.startswith("On-call")} == {Attention.PARTIAL}


def test_a_members_plan_keeps_deep_work_off_their_shield_day_and_fewer_windows_when_relieved(
        tmp_path: Path) -> None:
    rotation = _rotation(ROTATION)
    tasks = tmp_path / "tasks.toml"
    tasks.write_text(TASKS, encoding="utf-8")
    result = plan_calendars([str(_calendar(tmp_path, "ana", rotation))], policy(), WEEK,
                            tasks_path=tasks)
    zone = team().timezone
    days = {b.span.start.astimezone(zone).date() for b in result.blocks
            if b.kind is BlockKind.DEEP}
    assert date(2026, 3, 24) not in days  # her shield day is all sync
    assert days  # the rest of the week still takes deep work
    windows: dict[date, int] = {}
    for block in result.blocks:
        if block.kind is BlockKind.SYNC_WINDOW:
            day = block.span.start.astimezone(zone).date()
            windows[day] = windows.get(day, 0) + 1
    assert windows.get(date(2026, 3, 25)) == 1  # Ben holds the shield: one window left
    assert windows.get(date(2026, 3, 27)) == 2  # nobody holds it on Friday in this rotation
    thursday = [b for b in result.blocks if b.kind is BlockKind.DEEP
                and b.span.start.astimezone(zone).date() == date(2026, 3, 26)]
    assert all(b.span.end.astimezone(zone).hour < 16 or
               (b.span.end.astimezone(zone).hour == 16 and b.span.end.minute == 0)
               for b in thursday)  # rest before the crew call (prep 18:00, rest from 16:00)


def test_a_published_turn_is_free_time_on_the_calendar_a_shield_day_busy(tmp_path: Path) -> None:
    rotation = _rotation(ROTATION)
    cleo = Calendar.from_ical(_calendar(tmp_path, "cleo", rotation).read_bytes())
    ana = Calendar.from_ical(_calendar(tmp_path, "ana", rotation).read_bytes())
    transp = {str(e["SUMMARY"]): str(e["TRANSP"]) for c in (cleo, ana) for e in c.walk("VEVENT")}
    assert transp["On-call (primary)"] == "TRANSPARENT"  # read as partial all the same
    assert transp["Shield"] == "OPAQUE"
    assert transp["Shield: Ben"] == "TRANSPARENT"
