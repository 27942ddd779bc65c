"""The team-focus oracle on tiny teams: what each duty costs, by the audit; the best rotation by
brute force over every assignment; and the rotation solver, focus only, reaching exactly it."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from makertime.model import Commitment, Interval, Period
from makertime.policy import build_policy
from makertime.team.focus import MemberCalendar
from makertime.team.model import Duty, DutyKind, Fairness, Member, Team
from tests.support.rotation_checker import check_rotation, expected_slots
from tests.support.team_focus_oracle import (
    brute_force_best,
    team_focus,
    weighted_hours,
)

ZONE = ZoneInfo("Europe/Berlin")
WEEK = Period(date(2026, 4, 13), date(2026, 4, 19))


def at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=ZONE).astimezone(UTC)


def meeting(day: date, start: time, minutes: int, name: str = "Meeting") -> Commitment:
    begin = at(day, start)
    return Commitment(name, Interval(begin, begin + timedelta(minutes=minutes)),
                      f"{name}-{begin.isoformat()}", "test")


POLICY = build_policy({"timezone": "Europe/Berlin",
                       "sync_windows": {"per_day": 2, "minutes": 30, "prefer": ["11:30", "16:30"]}})
LIVE = Commitment("LIVE stream", Interval(at(date(2026, 4, 16), time(19)),
                                          at(date(2026, 4, 16), time(21))),
                  "live", "events", categories=("LIVE",))


def tiny(seed: int) -> tuple[Team, dict[str, MemberCalendar], list[Commitment]]:
    """Three members, 3-5 slots (shield days, maybe a turn, a crew seat), random meetings."""
    rng = random.Random(seed)
    duties = [Duty("shield", DutyKind.SHIELD,
                   days=frozenset(rng.sample(range(5), rng.choice((2, 3)))),
                   relieves=1),
              Duty("crew", DutyKind.CREW, categories=("live",), seats=(("audio", 1),),
                   prep_minutes=30, teardown_minutes=30, rest_before_minutes=60,
                   recover_after_minutes=720)]
    if rng.random() < 0.6:
        duties.append(Duty("on-call", DutyKind.ON_CALL, handoff_time=time(0, 0)))
    audio = rng.sample("abc", 2)
    members = tuple(Member(m, m.upper(), skills=frozenset({"audio"} if m in audio else ()))
                    for m in "abc")
    calendars = {}
    for m in "abc":
        found = [meeting(d, time(9 + q // 4, 15 * (q % 4)), rng.choice((30, 60, 90)))
                 for d in WEEK.dates()[:5] for q in rng.sample(range(28), rng.randrange(4))]
        calendars[m] = MemberCalendar(POLICY, tuple(found))
    team = Team("tiny", ZONE, "", (), members, tuple(duties), Fairness(max_on_call_share=1.0))
    return team, calendars, [LIVE]


def test_the_oracle_counts_what_each_duty_takes() -> None:
    team, _, events = tiny(0)
    members = {m: MemberCalendar(POLICY, ()) for m in "abc"}
    slots = {s.duty: s for s in expected_slots(team, events, WEEK)}
    idle = team_focus(team, members, WEEK, [])
    # 09:00-11:30 and 12:00-16:30 are focus; the 30-min gap at 17:00 is not
    assert idle == dict.fromkeys("abc", 5 * 420)
    shield = team_focus(team, members, WEEK, [("a", slots["shield"])])
    assert shield["a"] == 4 * 420  # the day is sync
    assert shield["b"] == shield["c"] == 4 * 420 + 450  # 09:00-11:30 and 12:00-17:00
    crew = team_focus(team, members, WEEK, [("a", slots["crew"])])
    assert crew["a"] == 4 * 420 + 390  # Friday's recovery runs to 09:30


def test_weighted_hours_weigh_nights_and_weekends() -> None:
    team, _, events = tiny(1)
    crew = next(s for s in expected_slots(team, events, WEEK) if s.duty == "crew")
    assert weighted_hours(team, crew) == pytest.approx(3.0)  # 18:30-21:30, all at day rate
    team = Team("t", ZONE, "", (), team.members, (Duty("o", DutyKind.ON_CALL),), Fairness())
    turn = expected_slots(team, [], Period(date(2026, 4, 13), date(2026, 4, 13)))[-1]
    # 168 h: 9 h of night on each weekday (×1.5), the weekend's 48 h at ×2
    assert weighted_hours(team, turn) == pytest.approx(120 + 48 * 2 + 5 * 9 * 0.5)


@pytest.mark.parametrize("seed", range(8))
def test_brute_force_finds_a_valid_best(seed: int) -> None:
    team, members, events = tiny(seed)
    best, holders = brute_force_best(team, members, events, WEEK)
    assert best > 0 and len(holders) == len(expected_slots(team, events, WEEK))


@pytest.mark.parametrize("seed", range(8))
def test_the_solver_focus_only_reaches_the_brute_force_best(seed: int) -> None:
    from makertime.team.rotate import plan_rotation

    team, members, events = tiny(seed)
    best, _ = brute_force_best(team, members, events, WEEK)
    rotation = plan_rotation(team, members, events, WEEK, time_limit=5.0, fairness=False)
    assert check_rotation(team, members, events, WEEK, rotation) == []
    held = [(a.member, a.slot) for a in rotation.assignments]
    assert sum(team_focus(team, members, WEEK, held).values()) == best
    assert not rotation.uncovered
