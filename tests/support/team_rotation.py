"""A small team and a rotation of it, made by hand: three members, a shield, an on-call turn and
an event crew over one week of December 2026 in Zagreb, with one crew seat nobody could hold."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from makertime.model import Interval
from makertime.team.model import (
    Assignment,
    Duty,
    DutyKind,
    Member,
    MemberLoad,
    Rotation,
    Slot,
    Team,
    Uncovered,
)

ZONE = ZoneInfo("Europe/Zagreb")
MONDAY = date(2026, 12, 7)
SUNDAY = date(2026, 12, 13)
LIVE_TITLE = "LIVE stream: low-latency HLS"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall time in Zagreb, as the UTC moment the model keeps."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).astimezone(UTC)


def sample_team(ben_name: str = "Ben Okafor") -> Team:
    """Ana, Ben and Cid; a shield relieving two sync windows, weekly on-call, a LIVE crew."""
    members = (
        Member("ana", "Ana Horvat", skills=frozenset({"audio", "video"})),
        Member("ben", ben_name, skills=frozenset({"audio"})),
        Member("cid", "Cid Marin", skills=frozenset({"video"})),
    )
    duties = (
        Duty("shield", DutyKind.SHIELD, relieves=2),
        Duty("oncall", DutyKind.ON_CALL),
        Duty("crew", DutyKind.CREW, categories=("LIVE",), seats=(("audio", 1), ("video", 1)),
             prep_minutes=30, teardown_minutes=30),
    )
    return Team(name="Stream Team", timezone=ZONE, holidays="HR", events=("events.ics",),
                members=members, duties=duties)


def shield_slot(day: date) -> Slot:
    return Slot(id=f"shield/{day.isoformat()}", duty="shield", kind=DutyKind.SHIELD,
                span=Interval(at(day, 9), at(day, 17)), dates=(day,), weighted_hours=8.0)


def oncall_slot() -> Slot:
    dates = tuple(MONDAY + timedelta(days=n) for n in range(8))
    return Slot(id="oncall/2026-12-07T10:00/primary", duty="oncall", kind=DutyKind.ON_CALL,
                span=Interval(at(MONDAY, 10), at(MONDAY + timedelta(days=7), 10)),
                dates=dates, seat="primary", weighted_hours=30.0)


def crew_slot(seat: str) -> Slot:
    thursday = MONDAY + timedelta(days=3)
    return Slot(id=f"crew/2026-12-10T19:00/{seat}#1", duty="crew", kind=DutyKind.CREW,
                span=Interval(at(thursday, 18, 30), at(thursday, 21, 30)), dates=(thursday,),
                seat=seat, skills=(seat,), event=LIVE_TITLE, weighted_hours=3.0)


SHIELD_HOLDERS = ("ana", "ben", "cid", "ana", "ben")  # Monday to Friday


def sample_rotation(focus_only: int | None = 3000, status: str = "optimal") -> Rotation:
    """The week: the shield passed around, Cid on call, Ben on audio, the video seat uncovered."""
    assignments = [Assignment(shield_slot(MONDAY + timedelta(days=n)), who, 60,
                              f"{who} keeps the most focus elsewhere that day")
                   for n, who in enumerate(SHIELD_HOLDERS)]
    assignments.append(Assignment(oncall_slot(), "cid", 240, "fewest weighted hours carried"))
    assignments.append(Assignment(crew_slot("audio"), "ben", 120,
                                  "only Ben has audio and is free that evening"))
    uncovered = Uncovered(crew_slot("video"), (
        ("ana", "holds the shield that day and must rest before the event"),
        ("ben", "lacks the skill video"),
        ("cid", "on call: rest after the night of Wednesday"),
    ))
    loads = (
        MemberLoad("ana", 1800, 1560, 16.0, 16.0, 0.0),
        MemberLoad("ben", 1700, 1400, 19.0, 19.0, 2.5),
        MemberLoad("cid", 1600, 1200, 32.0, 38.0, 0.0),
    )
    return Rotation(team="Stream Team", first=MONDAY, last=SUNDAY,
                    created=datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
                    assignments=tuple(assignments), uncovered=(uncovered,), loads=loads,
                    team_focus=2910, focus_only=focus_only, status=status, objective=4210,
                    bound=4100, seconds=2.345,
                    changes=("Mon shield: Ana instead of Ben — Ben asked for Monday off",))


def with_reason(rotation: Rotation, reason: str) -> Rotation:
    """``rotation`` with every assignment's reason replaced by ``reason``."""
    return replace(rotation, assignments=tuple(replace(a, reason=reason)
                                               for a in rotation.assignments))
