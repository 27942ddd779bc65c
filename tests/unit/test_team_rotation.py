"""Rotations on small teams where one rule decides: away time past the period, the spread
limit giving way to coverage, a swap pinned, and the changes said against a kept rotation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from makertime.model import Period
from makertime.team.model import Duty, DutyKind, Fairness, Member, Team
from makertime.team.rotate import holders_of, plan_rotation
from tests.support.team_fixture import WEEK, away, calendars, meetings, team


def _on_call_only(*members: Member, share: float = 1.0) -> Team:
    return replace(team(Duty("on-call", DutyKind.ON_CALL)), members=members,
                   fairness=Fairness(max_on_call_share=share))


def test_a_day_off_after_the_period_still_blocks_the_turn_that_runs_into_it() -> None:
    # the turn from Monday 23 March 10:00 ends Monday 30 March: Ana is off that Monday
    chosen = _on_call_only(Member("ana", "Ana", days_off=frozenset({date(2026, 3, 30)})),
                           Member("ben", "Ben"))
    rotation = plan_rotation(chosen, calendars(), [], WEEK, time_limit=2)
    assert [(a.slot.id, a.member) for a in rotation.assignments] == [
        ("on-call/2026-03-23/primary", "ben")]


def test_a_turn_nobody_may_hold_is_listed_with_each_members_rule() -> None:
    chosen = _on_call_only(Member("ana", "Ana"), Member("ben", "Ben"))
    found = calendars(ana=[away("2026-03-24", "2026-03-25")],
                      ben=[away("2026-03-27", "2026-03-27")])
    rotation = plan_rotation(chosen, found, [], WEEK, time_limit=2)
    assert rotation.assignments == ()
    (empty,) = rotation.uncovered
    assert [m for m, _ in empty.blocked] == ["ana", "ben"]
    assert all("away" in why for _, why in empty.blocked)


def test_the_spread_limit_gives_way_before_a_seat_is_left_empty() -> None:
    # only Ana may be on call: any spread limit below a turn would leave the turn empty
    chosen = replace(_on_call_only(Member("ana", "Ana", skills=frozenset({"ops"})),
                                   Member("ben", "Ben")),
                     duties=(Duty("on-call", DutyKind.ON_CALL, skills=("ops",)),),
                     fairness=Fairness(max_on_call_share=1.0, max_spread=10.0))
    rotation = plan_rotation(chosen, calendars(), [], WEEK, time_limit=2)
    assert [a.member for a in rotation.assignments] == ["ana"]
    assert rotation.uncovered == ()


def test_a_shield_goes_to_the_member_whose_day_meetings_already_cut() -> None:
    chosen = team(Duty("shield", DutyKind.SHIELD))
    cut = meetings("2026-03-24", ("09:30", "10:30"), ("12:30", "13:30"), ("14:30", "15:30"))
    rotation = plan_rotation(chosen, calendars(ben=cut), [], Period(date(2026, 3, 24),
                                                                      date(2026, 3, 24)),
                             time_limit=2)
    (held,) = rotation.assignments
    assert held.member == "ben"
    assert "three meetings already cut Ben's Tuesday" in held.reason
    assert "Ana would have lost 7h30m" in held.reason


def test_a_pinned_swap_moves_only_what_it_must_and_says_why() -> None:
    chosen = team(Duty("shield", DutyKind.SHIELD))
    first = plan_rotation(chosen, calendars(), [], WEEK, time_limit=2)
    before = holders_of(first)
    monday = before["shield/2026-03-23"][0]
    other = next(m.id for m in chosen.members if m.id != monday)
    swapped = plan_rotation(chosen, calendars(), [], WEEK, previous=first, time_limit=2,
                            pinned={"shield/2026-03-23": other}, why="asked")
    after = holders_of(swapped)
    assert after["shield/2026-03-23"] == (other,)
    moved = [s for s in before if before[s] != after.get(s)]
    assert len(swapped.changes) == len(moved)
    assert any("(asked)" in line for line in swapped.changes)


def test_two_turns_running_only_where_the_duty_allows_it() -> None:
    fortnight = Period(date(2026, 3, 23), date(2026, 4, 5))
    for allowed in (False, True):
        duty = Duty("on-call", DutyKind.ON_CALL, back_to_back=allowed)
        # Ana's calendar is open, Ben's is full of meetings: focus wants Ben on call
        chosen = replace(_on_call_only(Member("ana", "Ana"), Member("ben", "Ben")),
                         duties=(duty,))
        busy = [m for day in ("2026-03-24", "2026-03-31")
                for m in meetings(day, ("09:00", "11:00"), ("13:00", "15:00"))]
        rotation = plan_rotation(chosen, calendars(ben=busy), [], fortnight, time_limit=2,
                                 fairness=False)
        holders = [a.member for a in rotation.assignments]
        assert len(holders) == 2
        assert holders == ["ben", "ben"] if allowed else set(holders) == {"ana", "ben"}


def test_an_empty_turn_names_the_on_call_share_that_blocks_it() -> None:
    chosen = _on_call_only(Member("ana", "Ana"), share=0.25)
    rotation = plan_rotation(chosen, calendars(), [], WEEK, time_limit=2)
    (empty,) = rotation.uncovered
    assert empty.blocked == (("ana", "Ana is on call 0 h of the period already; with this turn "
                                     "it would pass 25% (42 h)"),)
