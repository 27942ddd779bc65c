"""A small team for tests: three members in Zagreb, the three duties, a Thursday stream."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from makertime.model import Attention, Commitment, Period
from makertime.policy import Policy, build_policy
from makertime.team.focus import MemberCalendar
from makertime.team.model import Duty, DutyKind, Limits, Member, Team
from tests.support.helpers import ZAGREB, commitment, span

WEEK = Period(date(2026, 3, 23), date(2026, 3, 29))  # Monday to Sunday


def policy(**work: Any) -> Policy:
    """A 09:00–17:00 policy in Zagreb with two sync windows of 30 minutes a day and no rules
    (so a duty's own categories decide what it takes)."""
    return build_policy({"timezone": "Europe/Zagreb", "rule": [],
                         "work": {"start": "09:00", "end": "17:00", **work},
                         "sync_windows": {"per_day": 2, "minutes": 30,
                                          "prefer": ["11:30", "16:30"]}})


def stream(day: str = "2026-03-26") -> Commitment:
    """The Thursday live stream, 19:00–21:00."""
    return Commitment(summary="Thursday stream", span=span(f"{day} 19:00", f"{day} 21:00"),
                      uid=f"stream-{day}", source="events", categories=("LIVE",))


def team(*duties: Duty, holidays: str = "") -> Team:
    """Ana (audio, video), Ben (video), Cleo (no crew skills) with ``duties`` (default: all
    three)."""
    chosen = duties or (
        Duty("shield", DutyKind.SHIELD, relieves=1),
        Duty("on-call", DutyKind.ON_CALL),
        Duty("crew", DutyKind.CREW, categories=("LIVE",), seats=(("audio", 1), ("video", 1)),
             prep_minutes=60, teardown_minutes=30, rest_before_minutes=120,
             recover_after_minutes=600, limits=Limits(per_week=1)),
    )
    members = (Member("ana", "Ana", skills=frozenset({"audio", "video"})),
               Member("ben", "Ben", skills=frozenset({"video"})),
               Member("cleo", "Cleo"))
    return Team("Live media", ZAGREB, holidays, ("events.ics",), members, tuple(chosen))


def calendars(**found: list[Commitment]) -> dict[str, MemberCalendar]:
    """Each member's calendar: ``found`` by member id, else empty."""
    return {m: MemberCalendar(policy(), tuple(found.get(m, []))) for m in ("ana", "ben", "cleo")}


def meetings(day: str, *hours: tuple[str, str]) -> list[Commitment]:
    """Meetings on ``day`` between the given wall-clock hours."""
    return [commitment(f"{day} {a}", f"{day} {b}", f"meeting {day} {a}") for a, b in hours]


def away(first: str, last: str) -> Commitment:
    """A vacation from ``first`` to the end of ``last``."""
    return replace(commitment(f"{first} 00:00", f"{last} 23:59", "Vacation"),
                   attention=Attention.OFF)
