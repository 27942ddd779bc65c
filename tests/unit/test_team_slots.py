"""The slots a period makes of the duties, and their weighted hours."""

from __future__ import annotations

from datetime import date, time

from makertime.model import Period
from makertime.team.model import Duty, DutyKind, Fairness
from makertime.team.slots import slots_of, weighted_hours
from tests.support.helpers import span
from tests.support.team_fixture import WEEK, stream, team


def test_the_shield_covers_its_weekdays_but_not_the_teams_holidays() -> None:
    easter = Period(date(2026, 4, 6), date(2026, 4, 12))  # Easter Monday is a Croatian holiday
    found = slots_of(team(Duty("shield", DutyKind.SHIELD), holidays="HR"), [], easter)
    assert [s.dates[0] for s in found] == [date(2026, 4, d) for d in (7, 8, 9, 10)]
    assert all(s.span == span(f"{s.dates[0]} 09:00", f"{s.dates[0]} 17:00") for s in found)


def test_a_period_holds_the_on_call_turns_that_start_in_it() -> None:
    duty = Duty("on-call", DutyKind.ON_CALL, handoff_weekday=0, handoff_time=time(10, 0),
                secondary=True)
    found = slots_of(team(duty), [], Period(date(2026, 3, 23), date(2026, 4, 5)))
    starts = sorted({s.span.start for s in found})
    assert starts == [span("2026-03-23 10:00", "2026-03-23 11:00").start,
                      span("2026-03-30 10:00", "2026-03-30 11:00").start]
    assert {s.seat for s in found} == {"primary", "secondary"}
    first = next(s for s in found if s.seat == "primary")
    assert first.span.end == span("2026-03-30 10:00", "2026-03-30 11:00").start
    assert len(first.dates) == 8  # Monday to Monday: the handoff date is touched twice


def test_the_same_turns_whatever_the_period_asked() -> None:
    duty = Duty("on-call", DutyKind.ON_CALL, turn_days=14)
    month = {s.id for s in slots_of(team(duty), [], Period(date(2026, 3, 1), date(2026, 4, 30)))}
    later = {s.id for s in slots_of(team(duty), [], Period(date(2026, 3, 20), date(2026, 4, 30)))}
    assert later <= month


def test_a_crew_seat_per_needed_person_at_each_matching_event() -> None:
    duty = Duty("crew", DutyKind.CREW, categories=("live",), seats=(("audio", 1), ("video", 2)),
                prep_minutes=60, teardown_minutes=30)
    other = stream("2026-03-27")
    other = type(other)(summary="Lunch", span=other.span, uid="x", source="e")
    found = slots_of(team(duty), [stream(), other], WEEK)
    assert [s.seat for s in found] == ["audio", "video", "video"]
    assert len({s.id for s in found}) == 3
    assert found[0].span == span("2026-03-26 18:00", "2026-03-26 21:30")
    assert found[0].skills == ("audio",) and found[0].event == "Thursday stream"


def test_a_crew_duty_may_match_by_summary() -> None:
    duty = Duty("crew", DutyKind.CREW, summary="(?i)stream", seats=(("video", 1),))
    assert len(slots_of(team(duty), [stream()], WEEK)) == 1


def test_weighted_hours_count_nights_weekends_and_holidays_up() -> None:
    fairness = Fairness(night=1.5, weekend=2.0, holiday=3.0)
    base = team(holidays="HR")
    assert weighted_hours(span("2026-03-24 09:00", "2026-03-24 17:00"), base, fairness) == 8.0
    assert weighted_hours(span("2026-03-24 22:00", "2026-03-25 02:00"), base, fairness) == 6.0
    assert weighted_hours(span("2026-03-28 10:00", "2026-03-28 12:00"), base, fairness) == 4.0
    assert weighted_hours(span("2026-04-06 10:00", "2026-04-06 12:00"), base, fairness) == 6.0
