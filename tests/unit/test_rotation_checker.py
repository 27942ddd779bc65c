"""The rotation checker catches each hard rule broken on a hand-built rotation of a tiny team."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from makertime.model import Attention, Commitment, Interval, Period
from makertime.policy import Policy, build_policy
from makertime.team.focus import MemberCalendar
from makertime.team.model import Duty, DutyKind, Fairness, Limits, Member, Rotation, Team
from tests.support.rotation_checker import (
    DOCUMENTED,
    START,
    check_rotation,
    expected_slots,
    rotation_of,
)

ZONE = ZoneInfo("Europe/Berlin")
WEEK = Period(date(2026, 4, 13), date(2026, 4, 19))  # no public holiday of DE
VALID = {
    "on-call/2026-04-06/primary": "a", "on-call/2026-04-13/primary": "b",
    "shield/2026-04-13": "c", "shield/2026-04-14": "a", "shield/2026-04-15": "c",
    "shield/2026-04-16": "c", "shield/2026-04-17": "c", "crew/2026-04-16T19:00/audio#1": "a",
}


def at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=ZONE).astimezone(UTC)


def policy(**work: Any) -> Policy:
    return build_policy({"timezone": "Europe/Berlin", "work": work})


def team(**changes: Any) -> Team:
    duties = (
        Duty("shield", DutyKind.SHIELD),
        Duty("on-call", DutyKind.ON_CALL, skills=("ops",)),
        Duty("crew", DutyKind.CREW, categories=("live",), seats=(("audio", 1),),
             prep_minutes=60, teardown_minutes=30, recover_after_minutes=720),
    )
    members = (Member("a", "A", skills=frozenset({"ops", "audio"})),
               Member("b", "B", skills=frozenset({"ops", "audio"})),
               Member("c", "C", skills=frozenset({"ops"})))
    base = Team("tiny", ZONE, "DE", ("events.ics",), members, duties,
                Fairness(max_on_call_share=1.0))
    return replace(base, **changes)


def calendars(**own: MemberCalendar) -> dict[str, MemberCalendar]:
    return {name: own.get(name, MemberCalendar(policy(), ())) for name in "abc"}


EVENTS = [Commitment("LIVE stream", Interval(at(date(2026, 4, 16), time(19)),
                                             at(date(2026, 4, 16), time(21))),
                     "live", "events", categories=("LIVE",))]


def rotation(the_team: Team, changes: dict[str, str] | None = None,
             period: Period = WEEK) -> Rotation:
    slots = expected_slots(the_team, EVENTS, period)
    held = {**VALID, **(changes or {})}
    return rotation_of(the_team, period, slots, {k: (v,) for k, v in held.items() if v})


def rules(found: list[str]) -> set[str]:
    return {line.split(":")[0] for line in found}


def check(the_team: Team | None = None, changes: dict[str, str] | None = None,
          members: dict[str, MemberCalendar] | None = None) -> list[str]:
    the_team = the_team or team()
    return check_rotation(the_team, members or calendars(), EVENTS, WEEK,
                          rotation(the_team, changes))


def test_the_slots_of_a_week_are_worked_out_from_the_duties() -> None:
    ids = [s.id for s in expected_slots(team(), EVENTS, WEEK)]
    assert sorted(ids) == sorted(VALID)
    assert [s.id for s in expected_slots(team(), EVENTS, Period(date(2026, 4, 6),
                                                               date(2026, 4, 6)))] == [
        "on-call/2026-03-30/primary", "on-call/2026-04-06/primary"]  # Easter Monday
    starting = expected_slots(team(), EVENTS, WEEK, START)
    assert sorted(s.id for s in starting) == sorted(set(VALID) - {"on-call/2026-04-06/primary"})


def test_a_valid_rotation_passes() -> None:
    assert check() == []


def test_a_slot_neither_held_nor_listed_is_caught() -> None:
    full = rotation(team())
    missing = replace(full, uncovered=full.uncovered,
                      assignments=full.assignments[1:])
    found = check_rotation(team(), calendars(), EVENTS, WEEK, missing)
    assert rules(found) == {"rule 1"}


def test_a_slot_held_twice_or_made_up_is_caught() -> None:
    full = rotation(team())
    twice = replace(full, assignments=(*full.assignments, full.assignments[0]))
    assert rules(check_rotation(team(), calendars(), EVENTS, WEEK, twice)) >= {"rule 1"}
    first = full.assignments[0]
    moved = replace(first, slot=replace(first.slot, span=Interval(
        first.slot.span.start + timedelta(hours=1), first.slot.span.end)))
    made_up = replace(full, assignments=(moved, *full.assignments[1:]))
    found = check_rotation(team(), calendars(), EVENTS, WEEK, made_up)
    assert any("is no slot of the period" in line for line in found)


def test_a_holder_without_the_seat_skill_is_caught() -> None:
    found = check(changes={"crew/2026-04-16T19:00/audio#1": "c", "shield/2026-04-16": "a",
                           "shield/2026-04-17": "a"})
    assert rules(found) == {"rule 2"}


def test_away_time_is_caught() -> None:
    vacation = Commitment("Vacation", Interval(at(date(2026, 4, 15), time()),
                                               at(date(2026, 4, 16), time())),
                          "v", "c", Attention.OFF)
    assert rules(check(members=calendars(c=MemberCalendar(policy(), (vacation,))))) == {"rule 3"}
    day_off = MemberCalendar(policy(days_off=["2026-04-17"]), ())
    assert rules(check(members=calendars(c=day_off))) == {"rule 3"}
    four_days = MemberCalendar(policy(days=["mon", "tue", "wed", "thu"]), ())
    assert rules(check(members=calendars(c=four_days))) == {"rule 3"}
    own_day_off = team(members=(*team().members[:2],
                                replace(team().members[2], days_off=frozenset({WEEK.first}))))
    assert rules(check(own_day_off)) == {"rule 3"}
    easter = MemberCalendar(policy(holidays="DE"), ())  # the turn from 04-06 holds Easter Monday
    assert rules(check(members=calendars(a=easter))) == {"rule 3"}
    # as makertime documents it, on-call runs on the team's own holidays (a day off still blocks)
    the_team = team()
    documented = check_rotation(the_team, calendars(a=easter), EVENTS, WEEK,
                                rotation(the_team), reading=DOCUMENTED)
    assert documented == ["rule 1: on-call/2026-04-06/primary is no slot of the period"]


def test_a_crew_seat_over_the_holder_s_own_meeting_is_caught() -> None:
    choir = Commitment("Choir", Interval(at(date(2026, 4, 16), time(19, 30)),
                                         at(date(2026, 4, 16), time(20, 30))), "ch", "a")
    assert rules(check(members=calendars(a=MemberCalendar(policy(), (choir,))))) == {"rule 4"}
    own_copy = replace(EVENTS[0], uid="a-live", source="a")
    assert check(members=calendars(a=MemberCalendar(policy(), (own_copy,)))) == []


def test_two_duties_at_once_or_on_one_date_are_caught() -> None:
    found = check(changes={"shield/2026-04-17": "a"})  # inside the crew seat's recovery
    assert rules(found) == {"rule 5"} and "at once" in found[0]
    found = check(changes={"shield/2026-04-16": "a"})  # the same date, hours apart
    assert rules(found) == {"rule 5"} and "on one date" in found[0]
    found = check(changes={"shield/2026-04-13": "a"})  # a's turn ends 10:00 that day
    assert rules(found) >= {"rule 5"}


def test_limits_are_caught_from_the_member_else_the_duty() -> None:
    shield = replace(team().duties[0], limits=Limits(per_period=3))
    assert rules(check(team(duties=(shield, *team().duties[1:])))) == {"rule 6"}
    members = list(team().members)
    members[2] = replace(members[2], limits={"shield": Limits(per_week=3)})
    assert rules(check(team(members=tuple(members)))) == {"rule 6"}
    # an override stands whole: no per-period limit of its own is no limit
    members[2] = replace(members[2], limits={"shield": Limits(per_week=4)})
    assert check(team(duties=(shield, *team().duties[1:]), members=tuple(members))) == []


def test_back_to_back_turns_are_caught_unless_allowed() -> None:
    found = check(changes={"on-call/2026-04-13/primary": "a", "shield/2026-04-14": "b"})
    assert "rule 7" in rules(found)
    on_call = replace(team().duties[1], back_to_back=True)
    allowed = check(team(duties=(team().duties[0], on_call, team().duties[2])),
                    changes={"on-call/2026-04-13/primary": "a", "shield/2026-04-14": "b"})
    assert "rule 7" not in rules(allowed)


def test_too_much_on_call_is_caught() -> None:
    assert rules(check(team(fairness=Fairness(max_on_call_share=0.95)))) == set()  # 158 h of 168
    assert rules(check(team(fairness=Fairness(max_on_call_share=0.5)))) == {"rule 8"}


def test_too_little_rest_before_a_shield_day_is_caught() -> None:
    crew = replace(team().duties[2], recover_after_minutes=0)
    rested = team(duties=(*team().duties[:2], crew))
    assert check(rested, changes={"shield/2026-04-17": "a"}) == []  # 11 h 30 after 21:30
    tired = replace(rested, fairness=Fairness(max_on_call_share=1.0, rest_after_night_hours=12))
    assert rules(check(tired, changes={"shield/2026-04-17": "a"})) == {"rule 9"}


def test_the_on_call_share_is_of_real_hours_strictly_and_of_whole_days_as_documented() -> None:
    spring = Period(date(2026, 3, 23), date(2026, 3, 29))  # 167 h: the clocks go forward
    on_call = Duty("on-call", DutyKind.ON_CALL, handoff_time=time(0, 0))
    the_team = team(duties=(on_call,), fairness=Fairness(max_on_call_share=0.995))
    slots = expected_slots(the_team, [], spring)
    held = rotation_of(the_team, spring, slots, {slots[0].id: ("a",)})
    assert rules(check_rotation(the_team, calendars(), [], spring, held)) == {"rule 8"}
    assert check_rotation(the_team, calendars(), [], spring, held, reading=DOCUMENTED) == []
