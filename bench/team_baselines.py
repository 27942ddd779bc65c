"""Two slot fillers a team could use instead of the rotation solver, by their documented rules.

Both take the slots in time order and return holders (slot id → member ids); neither looks at
anyone's focus time.

``round_robin``: the strict rotation of a paper rota. Members stand in a fixed order (the
team's); each duty keeps its own place in the cycle, and each of its slots goes to the next
member in the cycle who has the skills it needs. Only a missing skill skips a member: vacations,
meetings and other duties are ignored.

``oncall_default``: the default scheduler of LinkedIn's open-source Oncall
(github.com/linkedin/oncall, ``src/oncall/scheduler/default.py``, ``find_next_user_id``). Each
role's events are filled in order of (start, role), one at a time:

1. the roster is every active member in rotation for the role (here: the members with the
   slot's skills, a role being a duty's seat: shield, on-call primary, on-call secondary, each
   crew skill);
2. anyone with an event of the team's calendar overlapping the slot (any role: a duty already
   held) or a vacation overlapping it is removed (``get_busy_user_by_event_range``; here a
   vacation is an ``off`` commitment, a day off or holiday of their policy, or a date of their
   days off); Oncall's calendar holds no meetings, so a member's meetings do not count;
3. of those left, someone never scheduled for the role before the slot starts is picked
   (``find_new_user_in_roster``; Oncall pops one from a set, here the first in team order);
4. else the one whose last event of the role ended longest ago
   (``find_least_active_user_id_by_team``);
5. when everyone is busy the slot is left unfilled ("All users have conflicting events").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from makertime.model import Attention, Commitment, Interval
from makertime.policy import Policy
from makertime.team.model import DutyKind, Member, Slot, Team

Holders = dict[str, tuple[str, ...]]


class Calendar(Protocol):
    """One member's policy and commitments (what ``MemberCalendar`` holds)."""

    @property
    def policy(self) -> Policy: ...

    @property
    def commitments(self) -> tuple[Commitment, ...]: ...


def needs(team: Team, slot: Slot) -> frozenset[str]:
    """The skills a holder of ``slot`` needs: the duty's, and the seat's for a crew seat."""
    duty = next(d for d in team.duties if d.id == slot.duty)
    seat = {slot.seat.partition("#")[0]} if duty.kind is DutyKind.CREW else set()
    return frozenset(duty.skills) | seat


def round_robin(team: Team, slots: Sequence[Slot]) -> Holders:
    """Each duty's slots, in time order, to the next member in the cycle with the skills."""
    order = list(team.members)
    place: dict[str, int] = {}
    holders: Holders = {}
    for slot in sorted(slots, key=lambda s: (s.span.start, s.id)):
        wanted = needs(team, slot)
        start = place.get(slot.duty, 0)
        for step in range(len(order)):
            member = order[(start + step) % len(order)]
            if wanted <= member.skills:
                holders[slot.id] = (member.id,)
                place[slot.duty] = (start + step + 1) % len(order)
                break
    return holders


class _Calendar:
    """What Oncall's calendar knows of one member: vacations and the duties scheduled."""

    def __init__(self, member: Member, policy: Policy, commitments: Sequence[Commitment]) -> None:
        self.member = member
        self.policy = policy
        self.vacations = [c.span for c in commitments if c.attention is Attention.OFF]
        self.held: list[tuple[str, Interval]] = []  # (role, span)

    def on_vacation(self, span: Interval) -> bool:
        zone = self.policy.timezone
        day = span.start.astimezone(zone).date()
        while day <= (span.end - timedelta(microseconds=1)).astimezone(zone).date():
            if self.policy.work.day_off(day) or day in self.member.days_off:
                return True
            day += timedelta(days=1)
        return any(v.clip(span) for v in self.vacations)

    def busy(self, span: Interval) -> bool:
        return self.on_vacation(span) or any(s.clip(span) for _, s in self.held)

    def last_end(self, role: str, before: datetime) -> datetime | None:
        ends = [s.end for r, s in self.held if r == role and s.end <= before]
        return max(ends, default=None)


def role_of(slot: Slot) -> str:
    """Oncall's role for a slot: the duty and its seat (without the seat's number)."""
    return f"{slot.duty}/{slot.seat.partition('#')[0]}"


def oncall_default(team: Team, members: Mapping[str, Calendar],
                   slots: Sequence[Slot]) -> Holders:
    """Oncall's default scheduler: skip the busy and the away, prefer the never-scheduled, then
    the one off call longest."""
    calendars = {m.id: _Calendar(m, members[m.id].policy, members[m.id].commitments)
                 for m in team.members}
    holders: Holders = {}
    for slot in sorted(slots, key=lambda s: (s.span.start, role_of(s), s.id)):
        role, wanted = role_of(slot), needs(team, slot)
        free = [calendars[m.id] for m in team.members
                if wanted <= m.skills and not calendars[m.id].busy(slot.span)]
        if not free:
            continue
        last = {c.member.id: c.last_end(role, slot.span.start) for c in free}
        new = [c for c in free if last[c.member.id] is None]
        chosen = new[0] if new else min(free, key=lambda c: last[c.member.id] or slot.span.start)
        chosen.held.append((role, slot.span))
        holders[slot.id] = (chosen.member.id,)
    return holders
