"""Generated teams for the rotation benchmark, always the same for the same seed.

A team in Europe/Berlin (public holidays of DE: Easter, May Day, Ascension and Whit Monday fall in
the 12 weeks from Monday 2026-03-23, Easter in the first 4), every member 09:00-17:00 Monday to
Friday with two 30-min sync windows a day at 11:30 and 16:30, and three duties:

- ``shield``: Monday to Friday, relieving every other member of one sync window;
- ``on-call``: weekly turns handed over on Monday at 10:00, for members with the ``ops`` skill;
- ``crew``: an ``audio`` and a ``video`` seat for every LIVE event (a weekly Thursday
  19:00-21:00 stream, plus a few extra LIVE events on other evenings), 60 min prep, 30 min
  teardown, 120 min rest before and 720 min recovery after.

Each member has a daily 15-min standup at 09:00 and 0.5-5 h of meetings a day (some heavy,
some light, most booked next to another);
about three in ten take a one- or two-week vacation (an ``off`` commitment), one in five has a
day off of their own, one in five sings in a Thursday evening choir (a full commitment the crew
seat may not overlap), half keep the German holidays in their own policy. Skills are spread so
that every seat has at least three members with its skill and two of them free for it, and the
limits (small teams may hold more a week) keep every instance feasible.
``.venv/bin/python bench/gen_team.py 6 4`` prints a summary of one.
"""

from __future__ import annotations

import math
import random
import sys
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from makertime.model import Attention, Commitment, Interval, Period
from makertime.policy import Policy, build_policy
from makertime.team.model import Duty, DutyKind, Fairness, Limits, Member, Team

try:
    from makertime.team.rotate import MemberCalendar
except ImportError:  # the rotation solver is not there yet: the same fields
    @dataclass(frozen=True, slots=True)
    class MemberCalendar:  # type: ignore[no-redef]
        """One member's policy and commitments."""

        policy: Policy
        commitments: tuple[Commitment, ...]

ZONE_NAME = "Europe/Berlin"
ZONE = ZoneInfo(ZONE_NAME)
FIRST = date(2026, 3, 23)  # a Monday
HOLIDAYS = "DE"
SHARE = 0.3  # the most of the period one member may be on call
LIVE = ("LIVE",)


def at(day: date, clock: time) -> datetime:
    """Wall time ``clock`` of ``day`` in the team's zone, in UTC."""
    return datetime.combine(day, clock, tzinfo=ZONE).astimezone(UTC)


def item(summary: str, day: date, start: time, minutes: int, uid: str, *,
         attention: Attention = Attention.FULL, categories: tuple[str, ...] = ()) -> Commitment:
    """A commitment of ``minutes`` from ``start`` on ``day``."""
    begin = at(day, start)
    return Commitment(summary, Interval(begin, begin + timedelta(minutes=minutes)), uid,
                      "generated", attention, categories=categories)


def duties(members: int, weeks: int, ops: int) -> tuple[Duty, ...]:
    """The three duties, with default limits that keep ``members`` feasible."""
    turns = weeks + 1  # the turn handed over the Monday before the period overlaps it
    return (
        Duty("shield", DutyKind.SHIELD, relieves=1,
             limits=Limits(per_week=3 if members <= 8 else 1)),
        Duty("on-call", DutyKind.ON_CALL, skills=("ops",), turn_days=7, handoff_weekday=0,
             handoff_time=time(10, 0), limits=Limits(per_period=math.ceil(turns / ops) + 1)),
        Duty("crew", DutyKind.CREW, categories=("live",), seats=(("audio", 1), ("video", 1)),
             prep_minutes=60, teardown_minutes=30, rest_before_minutes=120,
             recover_after_minutes=720, limits=Limits(per_week=2 if members <= 8 else 1)),
    )


def skills_of(count: int, turns: int, rng: random.Random) -> list[frozenset[str]]:
    """Skills for ``count`` members: ops for about three in five, or for all when that is
    fewer than the ``turns`` (so nobody needs two turns while others have none: no rotation
    could then keep the load within one turn), audio and video for about two in five each,
    every skill held by at least three."""
    ops = round(count * 0.6) if round(count * 0.6) >= turns else count
    order = list(range(count))
    rng.shuffle(order)
    found: list[set[str]] = [set() for _ in range(count)]
    for index in order[:ops]:
        found[index].add("ops")
    for skill in ("audio", "video"):
        rng.shuffle(order)
        for index in order[:max(3, round(count * 0.4))]:
            found[index].add(skill)
    return [frozenset(s) for s in found]


def meetings(member: str, period: Period, rng: random.Random) -> list[Commitment]:
    """A standup every work day and 0.5-5 h of meetings a day, by the member's load; most
    meetings are booked next to another, as calendars fill up."""
    low, high = rng.choice([(30, 90), (90, 180), (180, 300)])
    found: list[Commitment] = []
    for day in period.dates():
        if day.weekday() >= 5:
            continue
        taken = [(540, 555)]  # 09:00-09:15, minutes of the day
        found.append(item("Standup", day, time(9, 0), 15, f"{member}-standup-{day}"))
        target, placed = rng.randint(low, high), 15
        for attempt in range(60):
            if placed >= target:
                break
            length = rng.choice((30, 30, 45, 60, 60, 90))
            edges = [end for _, end in taken] + [begin - length for begin, _ in taken]
            start = (rng.choice(edges) if rng.random() < 0.7
                     else rng.randrange(540, 1020 - length + 1, 15))
            if start < 540 or start + length > 1020 or any(
                    start < end and begin < start + length for begin, end in taken):
                continue
            taken.append((start, start + length))
            placed += length
            found.append(item(rng.choice(("Sync", "1:1", "Review", "Planning", "Interview")),
                              day, time(start // 60, start % 60), length,
                              f"{member}-meeting-{day}-{attempt}"))
    return found


def away(member: str, period: Period, rng: random.Random) -> tuple[list[Commitment],
                                                                     frozenset[date]]:
    """A one- or two-week vacation for about three in ten, a day off for one in five."""
    found: list[Commitment] = []
    weeks = (period.last - period.first).days // 7 + 1
    if rng.random() < 0.3:
        length = min(weeks, rng.choice((1, 2)))
        first = period.first + timedelta(weeks=rng.randrange(weeks - length + 1))
        span = Interval(at(first, time()), at(first + timedelta(weeks=length), time()))
        found.append(Commitment("Vacation", span, f"{member}-vacation", "generated",
                                Attention.OFF))
    days_off: frozenset[date] = frozenset()
    if rng.random() < 0.2:
        days_off = frozenset({rng.choice([d for d in period.dates() if d.weekday() < 5])})
    return found, days_off


def policy_of(keeps_holidays: bool) -> Policy:
    """A member's policy: 09:00-17:00 on weekdays, two 30-min sync windows."""
    data: dict[str, Any] = {
        "timezone": ZONE_NAME,
        "work": {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00",
                 "holidays": HOLIDAYS if keeps_holidays else ""},
        "sync_windows": {"per_day": 2, "minutes": 30, "prefer": ["11:30", "16:30"]},
    }
    return build_policy(data, source="generated")


def events_of(period: Period, rng: random.Random) -> list[Commitment]:
    """A weekly Thursday LIVE stream, extra LIVE evenings, and team events no crew is for."""
    found: list[Commitment] = []
    for day in period.dates():
        if day.weekday() == 3:
            found.append(item("LIVE stream", day, time(19, 0), 120, f"live-{day}",
                              categories=LIVE))
        elif day.weekday() in (1, 5) and rng.random() < 0.2:
            found.append(item("LIVE: Q&A", day, time(18, 0), 90, f"qa-{day}", categories=LIVE))
        elif day.weekday() == 2 and rng.random() < 0.2:
            found.append(item("Team dinner", day, time(19, 0), 150, f"dinner-{day}"))
    return found


def free_for(member: Member, calendar: MemberCalendar, span: Interval) -> bool:
    """True when nothing of the member's own stands in the way of a crew seat over ``span``."""
    day = span.start.astimezone(ZONE).date()
    return day not in member.days_off and not any(
        c.span.clip(span) and c.attention in (Attention.OFF, Attention.FULL)
        for c in calendar.commitments)


def top_up(people: list[Member], calendars: dict[str, MemberCalendar],
           events: list[Commitment], rng: random.Random) -> None:
    """Teach a seat's skill to free members until every seat of every LIVE event has two
    members with the skill who are free for it."""
    for event in (e for e in events if e.categories == LIVE):
        span = Interval(event.span.start - timedelta(minutes=60),
                        event.span.end + timedelta(minutes=30))
        for skill in ("audio", "video"):
            free = [i for i, m in enumerate(people) if free_for(m, calendars[m.id], span)]
            able = [i for i in free if skill in people[i].skills]
            learners = [i for i in free if skill not in people[i].skills]
            rng.shuffle(learners)
            for index in learners[:max(0, 2 - len(able))]:
                people[index] = replace(people[index], skills=people[index].skills | {skill})


def generate_team(members: int, weeks: int, seed: int) -> tuple[Team, dict[str, MemberCalendar],
                                                                list[Commitment], Period]:
    """A team of ``members`` over ``weeks`` weeks from Monday 2026-03-23, its calendars and
    events, the same for the same seed."""
    rng = random.Random(seed)
    period = Period(FIRST, FIRST + timedelta(weeks=weeks, days=-1))
    skills = skills_of(members, weeks + 1, rng)
    ops = sum("ops" in s for s in skills)
    people: list[Member] = []
    calendars: dict[str, MemberCalendar] = {}
    for index in range(members):
        member_id = f"m{index + 1:02d}"
        commitments = meetings(member_id, period, rng)
        off, days_off = away(member_id, period, rng)
        if rng.random() < 0.2:
            commitments.extend(item("Choir", d, time(19, 0), 120, f"{member_id}-choir-{d}")
                               for d in period.dates() if d.weekday() == 3)
        people.append(Member(member_id, f"Member {index + 1}", skills=skills[index],
                             days_off=days_off))
        calendars[member_id] = MemberCalendar(policy_of(rng.random() < 0.5),
                                              tuple(sorted([*commitments, *off],
                                                           key=lambda c: c.span)))
    events = events_of(period, rng)
    top_up(people, calendars, events, rng)
    team = Team(f"generated-{members}x{weeks}", ZONE, HOLIDAYS, ("events.ics",), tuple(people),
                duties(members, weeks, ops), Fairness(max_on_call_share=SHARE))
    return team, calendars, events, period


def main(argv: list[str]) -> None:
    """Print a summary of the instance ``MEMBERS WEEKS [SEED]``."""
    members, weeks = int(argv[0]), int(argv[1])
    seed = int(argv[2]) if len(argv) > 2 else 1
    team, calendars, events, period = generate_team(members, weeks, seed)
    print(f"{team.name}: {period.first} to {period.last}, {len(events)} team events")
    for member in team.members:
        found = calendars[member.id].commitments
        off = sum(c.attention is Attention.OFF for c in found)
        print(f"  {member.id}  skills {','.join(sorted(member.skills)) or '-':16}  "
              f"{len(found):4} commitments  vacation {'yes' if off else 'no '}  "
              f"days off {len(member.days_off)}")


if __name__ == "__main__":
    main(sys.argv[1:])
