"""Every rotation holds the hard rules: random tiny teams and calendars through
``plan_rotation``, judged by the independent checker in ``tests/support/rotation_checker.py``
in the reading of the rules makertime documents (``DOCUMENTED``).

Teams: 2-4 members with random skills, limits and days off; a shield on random weekdays, weekly
on-call turns handed over on a random weekday and hour (sometimes with a secondary, sometimes
back to back), a crew of one or two seats for LIVE events; 1-2 weeks, sometimes over Easter
(public holidays of DE) and the spring-forward night; meetings, vacations and an evening choir.
Every slot is held or listed as uncovered with a reason. hypothesis is derandomized and the
solver's time is short, so every run sees the same examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from makertime.model import Attention, Commitment, Interval, Period
from makertime.policy import Policy, build_policy
from makertime.team.model import Duty, DutyKind, Fairness, Limits, Member, Team
from tests.support.rotation_checker import (
    DOCUMENTED,
    START,
    check_rotation,
    expected_slots,
    slot_key,
)

ZONE = ZoneInfo("Europe/Berlin")
FIRSTS = (date(2026, 3, 23), date(2026, 3, 30), date(2026, 4, 13))  # DST, Easter, plain
PROPERTIES = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                      suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Instance:
    """One rotation problem: what the solver is given."""

    team: Team
    members: dict[str, Calendar]
    events: tuple[Commitment, ...]
    period: Period


@dataclass(frozen=True)
class Calendar:
    """One member's policy and commitments."""

    policy: Policy
    commitments: tuple[Commitment, ...]


def at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=ZONE).astimezone(UTC)


def span(day: date, start: time, minutes: int) -> Interval:
    return Interval(at(day, start), at(day, start) + timedelta(minutes=minutes))


@st.composite
def duties(draw: st.DrawFn) -> tuple[Duty, ...]:
    limit = st.one_of(st.none(), st.integers(1, 4))
    return (
        Duty("shield", DutyKind.SHIELD,
             days=frozenset(draw(st.sets(st.integers(0, 6), min_size=1, max_size=5))),
             relieves=draw(st.integers(0, 2)), limits=Limits(draw(limit), draw(limit))),
        Duty("on-call", DutyKind.ON_CALL, skills=("ops",),
             handoff_weekday=draw(st.integers(0, 6)), handoff_time=time(draw(st.integers(0, 23))),
             secondary=draw(st.booleans()), back_to_back=draw(st.booleans())),
        Duty("crew", DutyKind.CREW, categories=("live",),
             seats=(("audio", draw(st.integers(1, 2))),), prep_minutes=30, teardown_minutes=30,
             rest_before_minutes=draw(st.sampled_from((0, 60))),
             recover_after_minutes=draw(st.sampled_from((0, 720)))),
    )


@st.composite
def calendar(draw: st.DrawFn, name: str, period: Period) -> Calendar:
    days = period.dates()
    found = [Commitment("Meeting", span(days[i], time(draw(st.integers(8, 17))), minutes),
                        f"{name}-m{n}", "test")
             for n, (i, minutes) in enumerate(draw(st.lists(
                 st.tuples(st.integers(0, len(days) - 1), st.sampled_from((30, 60, 120))),
                 max_size=6)))]
    if draw(st.booleans()):
        first = draw(st.integers(0, len(days) - 1))
        found.append(Commitment("Vacation", Interval(at(days[first], time()), at(
            days[first] + timedelta(days=draw(st.integers(1, 5))), time())), f"{name}-v", "test",
            Attention.OFF))
    if draw(st.booleans()):
        found.extend(Commitment("Choir", span(d, time(19), 90), f"{name}-c{d}", "test")
                     for d in days if d.weekday() == 3)
    policy = build_policy({"timezone": "Europe/Berlin",
                           "work": {"holidays": draw(st.sampled_from(("", "DE")))}})
    return Calendar(policy, tuple(found))


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    first = draw(st.sampled_from(FIRSTS))
    period = Period(first, first + timedelta(days=7 * draw(st.integers(1, 2)) - 1))
    names = [f"m{n}" for n in range(draw(st.integers(2, 4)))]
    skills = st.sets(st.sampled_from(("ops", "audio")))
    members = tuple(Member(n, n, skills=frozenset(draw(skills)),
                           days_off=frozenset(draw(st.sets(st.sampled_from(period.dates()),
                                                           max_size=2))))
                    for n in names)
    events = tuple(Commitment("LIVE", span(d, time(19), 120), f"live-{d}", "events",
                              categories=("LIVE",))
                   for d in period.dates() if d.weekday() in (3, 5))
    fairness = Fairness(max_on_call_share=draw(st.sampled_from((0.25, 0.5, 1.0))))
    team = Team("tiny", ZONE, "DE", ("events.ics",), members, draw(duties()), fairness)
    calendars = {n: draw(calendar(n, period)) for n in names}
    return Instance(team, calendars, events, period)


@PROPERTIES
@given(instances())
def test_every_rotation_holds_the_hard_rules(instance: Instance) -> None:
    from makertime.team.rotate import MemberCalendar, plan_rotation

    calendars = {n: MemberCalendar(c.policy, c.commitments) for n, c in instance.members.items()}
    rotation = plan_rotation(instance.team, calendars, instance.events, instance.period,
                             time_limit=2.0, workers=1)
    broken = check_rotation(instance.team, instance.members, instance.events, instance.period,
                            rotation, reading=DOCUMENTED)
    assert not broken, "\n".join(broken)
    held = {slot_key(a.slot) for a in rotation.assignments}
    for slot in expected_slots(instance.team, instance.events, instance.period, START):
        if slot_key(slot) not in held:
            explained = [u for u in rotation.uncovered if slot_key(u.slot) == slot_key(slot)]
            assert explained and explained[0].blocked, f"{slot.id} is neither held nor explained"
