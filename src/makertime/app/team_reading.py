"""A team as its members' calendars tell it: team.toml read and validated, each member's policy
(their own file, else makertime's defaults in the team's zone and holidays), their commitments
and the team's events read through the one reading pipeline, and ``team_check``, which says
before any solve whether the rotation can be filled at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from makertime.classify import is_ignored, span_of
from makertime.errors import MakertimeError, PeriodError, TeamError
from makertime.inputs import read_inputs
from makertime.limits import limit
from makertime.marks import OWN_UID
from makertime.model import Commitment, Period, Progress
from makertime.policy import Policy, build_policy, load_policy
from makertime.team.focus import MemberCalendar
from makertime.team.model import CalendarCheck, Member, Team

if TYPE_CHECKING:
    from makertime.store import Store

DEFAULT_WEEKS = 4  # a rotation covers four weeks from this Monday unless told otherwise


@dataclass(frozen=True, slots=True)
class TeamInputs:
    """A team's members' calendars (their commitments by their own policies) and its events."""

    team: Team
    period: Period
    members: dict[str, MemberCalendar]
    events: tuple[Commitment, ...]
    warnings: tuple[str, ...] = ()


def load_team(path: Path) -> Team:
    """team.toml at ``path``, validated (relative paths in it are read from its folder)."""
    from makertime.team.config import TEAM_FILE_MOST, build_team
    from makertime.tomlfile import load_toml

    data = load_toml(path, TeamError, "team.toml", most=TEAM_FILE_MOST)
    return build_team(data, source=str(path), base=path.expanduser().resolve().parent)


def team_period(first: str | None, last: str | None, today: date) -> Period:
    """``first``..``last``, by default the four weeks from this Monday; refused when longer
    than a rotation may cover (the work grows with the period, so it is bounded first)."""
    if first is None and last is None:
        monday = today - timedelta(days=today.weekday())
        found = Period(monday, monday + timedelta(days=7 * DEFAULT_WEEKS - 1))
    elif first is not None and last is None:
        start = Period.from_options(first, first, today).first
        found = Period(start, start + timedelta(days=7 * DEFAULT_WEEKS - 1))
    else:
        found = Period.from_options(first, last, today)
    days, most = (found.last - found.first).days + 1, limit("team.days")
    if days > most:
        raise PeriodError("last", f"{found.first} to {found.last} is {days} days, longer than "
                          f"the {most} days one rotation covers", "rotate a shorter period")
    return found


def member_policy(team: Team, member: Member) -> Policy:
    """``member``'s own policy file, else makertime's defaults in the team's zone and holidays
    with the member's identities."""
    if member.policy is not None:
        return load_policy(member.policy)
    work = {"holidays": team.holidays} if team.holidays else {}
    return build_policy({"timezone": str(team.timezone), "me": list(member.me), "work": work},
                        source=f"{team.source}: member {member.id!r}")


def read_team(team: Team, period: Period, *, store: Store | None = None,
              progress: Progress | None = None) -> TeamInputs:
    """Every member's calendars and the team's events over ``period`` (and as far past it as
    a turn or a recovery reaches). makertime's own duty events from earlier rotations are left
    out: they are the rotation, not commitments around it."""
    reach = max((d.turn_days for d in team.duties), default=1) + 2
    wide = Period(period.first - timedelta(days=2), period.last + timedelta(days=reach))
    members = {}
    for member in team.members:
        if progress is not None:
            progress(f"reading {member.name}'s calendars…")
        policy = member_policy(team, member)
        read = read_inputs(member.calendars, policy, wide, store=store, progress=progress)
        own = tuple(c for c in read.commitments if not c.uid.endswith(OWN_UID))
        members[member.id] = MemberCalendar(policy, own)
    return TeamInputs(team, period, members, tuple(team_events(team, wide, progress=progress)))


def team_events(team: Team, period: Period, *,
                progress: Progress | None = None) -> list[Commitment]:
    """The events of the team's events calendars over ``period``, as they are (no rule)."""
    from makertime.calendars import read_calendars

    found = []
    for read in read_calendars(team.events, period.first, period.last, progress=progress):
        for instance in read.instances:
            span = span_of(instance, team.timezone)
            if span is None or is_ignored(instance, ()):
                continue
            found.append(Commitment(summary=instance.summary, span=span, uid=instance.uid,
                                    source=instance.source, categories=instance.categories))
    return sorted(found, key=lambda c: (c.span.start, c.uid))


def check_calendars(team: Team, period: Period) -> list[CalendarCheck]:
    """Read each calendar alone, so one that fails names itself and the rest are still read."""
    found = []
    named: Sequence[tuple[str, Sequence[str]]] = [
        ("team events", team.events), *((m.name, m.calendars) for m in team.members)]
    for owner, cals in named:
        for cal in cals:
            try:
                from makertime.calendars import read_calendars

                read_calendars([cal], period.first, period.last)
                found.append(CalendarCheck(owner, cal, ""))
            except MakertimeError as problem:
                found.append(CalendarCheck(owner, cal, str(problem)))
    return found
