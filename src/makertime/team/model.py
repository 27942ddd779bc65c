"""The team's vocabulary as frozen dataclasses: a team, its members and duties (read from
team.toml by ``makertime.team.config``), the slots a period makes of the duties, and a rotation
(who holds each slot, and why).

Plain data: no file, no solver. Times are aware datetimes (UTC inside), dates are the team's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from enum import StrEnum
from pathlib import Path

from makertime.defaults import BY_KEY
from makertime.model import Interval


class DutyKind(StrEnum):
    """What a duty asks of its holder."""

    SHIELD = "shield"  # takes the team's interrupt streams in work hours: the day is sync
    ON_CALL = "on-call"  # 24/7 turns: partial attention (shallow work only) for the turn
    CREW = "crew"  # people with skills for each matching event: a full commitment with rest


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of one duty a member may hold (None: no limit)."""

    per_week: int | None = None
    per_period: int | None = None


@dataclass(frozen=True, slots=True)
class Duty:
    """One duty of the team (team.toml ``[[duty]]``).

    ``shield``: ``days`` (weekdays, 0 = Monday) it covers; ``relieves``: the sync windows a day
    every other member keeps while someone holds it.
    ``on-call``: turns of ``turn_days`` handed over at ``handoff_weekday`` ``handoff_time``;
    ``secondary`` adds a second holder per turn; ``back_to_back`` allows two turns running.
    ``crew``: for each event of the team's events calendars that ``categories`` or ``summary``
    match, ``seats`` (skill → people) from ``prep_minutes`` before it to ``teardown_minutes``
    after it; its holders rest ``rest_before_minutes`` before and recover
    ``recover_after_minutes`` after.
    ``skills``: every holder needs them all (crew seats add their own); ``limits``: the default
    for every member.
    """

    id: str
    kind: DutyKind
    skills: tuple[str, ...] = ()
    limits: Limits = Limits()
    days: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    relieves: int = BY_KEY["duty.relieves"].default
    turn_days: int = 7
    handoff_weekday: int = 0
    handoff_time: time = time(10, 0)
    secondary: bool = False
    back_to_back: bool = False
    categories: tuple[str, ...] = ()
    summary: str | None = None  # a regular expression, as a policy rule's
    seats: tuple[tuple[str, int], ...] = ()
    prep_minutes: int = 0
    teardown_minutes: int = 0
    rest_before_minutes: int = 0
    recover_after_minutes: int = 0


@dataclass(frozen=True, slots=True)
class Member:
    """One member (team.toml ``[[member]]``): who they are, where their calendars are, what
    they can do and what they would rather not."""

    id: str
    name: str
    me: tuple[str, ...] = ()
    calendars: tuple[str, ...] = ()
    policy: Path | None = None
    skills: frozenset[str] = frozenset()
    limits: dict[str, Limits] = field(default_factory=dict)  # per duty id, over the duty's
    avoid: frozenset[int] = frozenset()  # weekdays
    prefer: frozenset[date] = frozenset()
    days_off: frozenset[date] = frozenset()
    publish: str = ""  # their own makertime calendar for duties: a CalDAV URL or an .ics file


@dataclass(frozen=True, slots=True)
class Fairness:
    """How duty load is weighted and how far apart members' loads may be.

    A duty hour counts 1, ``night`` between ``night_start`` and ``night_end``, ``weekend`` on
    Saturday and Sunday, ``holiday`` on a public holiday (the largest applies). ``max_spread``:
    weighted hours between the most and the least loaded member (None: one turn of the heaviest
    duty). ``max_on_call_share``: the most of the period one member may be on call."""

    night: float = BY_KEY["fairness.night"].default
    weekend: float = BY_KEY["fairness.weekend"].default
    holiday: float = BY_KEY["fairness.holiday"].default
    night_start: time = time(22, 0)
    night_end: time = time(7, 0)
    max_spread: float | None = None
    max_on_call_share: float = BY_KEY["fairness.max_on_call_share"].default
    rest_after_night_hours: int = BY_KEY["fairness.rest_after_night_hours"].default


@dataclass(frozen=True, slots=True)
class Team:
    """A team as team.toml describes it."""

    name: str
    timezone: tzinfo
    holidays: str
    events: tuple[str, ...]
    members: tuple[Member, ...]
    duties: tuple[Duty, ...]
    fairness: Fairness = Fairness()
    source: str = "team.toml"

    def member(self, member_id: str) -> Member:
        """The member with ``member_id`` (KeyError when there is none)."""
        for member in self.members:
            if member.id == member_id:
                return member
        raise KeyError(member_id)


@dataclass(frozen=True, slots=True)
class Slot:
    """One duty instance to fill: a shield day, an on-call turn (``seat`` "primary" or
    "secondary"), a crew seat (``seat`` the skill, ``event`` its title) at an event."""

    id: str  # stable: duty, start and seat ("shield/2026-12-01", "crew/2026-12-03T19:00/audio#1")
    duty: str
    kind: DutyKind
    span: Interval  # UTC, prep and teardown included
    dates: tuple[date, ...]  # the team's dates it touches
    seat: str = ""
    skills: tuple[str, ...] = ()
    event: str = ""
    weighted_hours: float = 0.0


@dataclass(frozen=True, slots=True)
class Assignment:
    """A member holding a slot, what it costs the team's focus and why it is them."""

    slot: Slot
    member: str
    focus_cost: int  # team focus minutes this assignment gives up
    reason: str


@dataclass(frozen=True, slots=True)
class Uncovered:
    """A slot nobody could hold, with the rule that blocks each candidate."""

    slot: Slot
    blocked: tuple[tuple[str, str], ...]  # (member id, why not)


@dataclass(frozen=True, slots=True)
class MemberLoad:
    """One member's focus and load over the rotation's period."""

    member: str
    focus_before: int  # minutes, the audit's, with their own interrupt streams
    focus_after: int  # with the duties they hold and the relief of the shield
    hours: float
    weighted_hours: float
    carried: float  # weighted hours carried over from earlier rotations


@dataclass(frozen=True, slots=True)
class Rotation:
    """Members assigned to slots over a period, with the reason for each, what nobody could
    hold, the members' loads, the price of fairness and how the solve ended."""

    team: str
    first: date
    last: date
    created: datetime
    assignments: tuple[Assignment, ...]
    uncovered: tuple[Uncovered, ...]
    loads: tuple[MemberLoad, ...]
    team_focus: int  # minutes, after the duties
    focus_only: int | None  # the focus-only optimum's team focus (None: not proven/solved)
    status: str
    objective: int  # the score maximised: team focus after the duties ×100, less penalties
    bound: int | None  # the best score proven possible (None: no bound proven)
    seconds: float
    changes: tuple[str, ...] = ()  # against the previous rotation, each with its reason

    @property
    def price_of_fairness(self) -> int | None:
        """Team focus minutes given up for fairness against the focus-only optimum."""
        return None if self.focus_only is None else max(0, self.focus_only - self.team_focus)


@dataclass(frozen=True, slots=True)
class CalendarCheck:
    """One calendar of the team: whose, which, and what reading it gave (empty: it read)."""

    owner: str  # a member's name, or "team events"
    cal: str
    problem: str


@dataclass(frozen=True, slots=True)
class TeamCheck:
    """Can the rotation be filled? The calendars, the slots by duty, and every slot or limit
    that no member can meet, in words."""

    team: Team
    first: date
    last: date
    calendars: tuple[CalendarCheck, ...]
    slots: tuple[tuple[str, int], ...]  # duty id → slots in the period
    problems: tuple[str, ...]
    capacity: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WeekLoad:
    """The duty hours one member held in one ISO week (``week`` as "2026-W13")."""

    member: str
    week: str
    hours: float
    weighted_hours: float


@dataclass(frozen=True, slots=True)
class KeptRotation:
    """A rotation as the store keeps it, in brief."""

    id: int | None
    first: date
    last: date
    note: str
    status: str
    team_focus: int
    price_of_fairness: int | None


@dataclass(frozen=True, slots=True)
class TeamHistory:
    """A team's duty load by member and ISO week, as kept, and the rotations kept."""

    team: str
    weeks: tuple[WeekLoad, ...]
    rotations: tuple[KeptRotation, ...]

    def spread(self, week: str) -> float:
        """Weighted hours between the most and the least loaded member in ``week``."""
        loads = [w.weighted_hours for w in self.weeks if w.week == week]
        return round(max(loads) - min(loads), 2) if loads else 0.0
