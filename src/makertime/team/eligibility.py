"""Who may hold a slot at all, before any other slot is decided: the duty's skills, the member's
away time (as the audit reads it: their policy's days off and holidays, their ``off`` events,
their own ``days_off`` in team.toml) and, for a crew seat, their own full commitments.

Each rule answers with the reason a member is blocked, in words, so an uncovered slot can say
which rule blocks each candidate. A team's own public holidays do not block on-call or crew —
those duties run on holidays and are weighted up for it — but they leave no shield slot at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from makertime.audit import work_window
from makertime.model import Attention, Commitment, Interval
from makertime.team.focus import MemberCalendar, extended_span
from makertime.team.model import Duty, DutyKind, Member, Slot, Team
from makertime.team.slots import team_holiday, touched_dates
from makertime.text import clean

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def why_not(team: Team, member: Member, calendar: MemberCalendar, slot: Slot,
            duty: Duty) -> str | None:
    """Why ``member`` may never hold ``slot`` (None when they may)."""
    missing = [s for s in slot.skills if s not in member.skills]
    if missing:
        return f"{member.name} lacks the skill {', '.join(missing)}"
    # a turn may run past the period: a day off after it blocks it all the same
    for day in touched_dates(slot.span, team.timezone):
        blocked = _away_on(team, member, calendar, slot, day)
        if blocked:
            return blocked
    span = extended_span(slot, duty)
    away = _overlapping(calendar.commitments, span, Attention.OFF)
    if away is not None:
        return f"{member.name} is away ({clean(away.summary, chars=60) or 'away'})"
    if slot.kind is DutyKind.CREW:
        own = [c for c in calendar.commitments
               if c.attention is Attention.FULL and c.span.start < slot.span.end
               and slot.span.start < c.span.end and c.summary != slot.event]
        if own:
            return (f"{member.name} has their own commitment then "
                    f"({clean(own[0].summary, chars=60) or 'busy'})")
    return None


def _away_on(team: Team, member: Member, calendar: MemberCalendar, slot: Slot,
             day: date) -> str | None:
    """Why ``day`` is away time for ``member`` as far as ``slot`` is concerned, or None."""
    policy = calendar.policy
    when = f"{WEEKDAYS[day.weekday()][:3]} {day.day} {day:%b}"
    if day in member.days_off:
        return f"{member.name} has a day off on {when}"
    off = policy.work.day_off(day)
    if off and not (slot.kind is not DutyKind.SHIELD and off == team_holiday(team, day)):
        return f"{member.name} is off on {when} ({off})"
    if slot.kind is DutyKind.SHIELD:
        window = work_window(day, policy)
        if window is None:
            return f"{member.name} does not work on {WEEKDAYS[day.weekday()]}s"
        away = _overlapping(calendar.commitments, window, Attention.OFF)
        if away is not None:
            return f"{member.name} is away on {when} ({clean(away.summary, chars=60) or 'away'})"
    return None


def _overlapping(found: Sequence[Commitment], span: Interval,
                 attention: Attention) -> Commitment | None:
    """The first commitment of ``attention`` overlapping ``span``, or None."""
    return next((c for c in found if c.attention is attention
                 and c.span.start < span.end and span.start < c.span.end), None)
