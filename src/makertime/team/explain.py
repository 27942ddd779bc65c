"""Why each member holds each slot, and why nobody holds an empty one, in words.

An assignment names what it costs the team's focus and what made it cheap ("four meetings
already cut Ana's Tuesday"), then the cheapest other candidate: what they would have lost, or —
when they would have lost less — the rule or the fairness that kept it from them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from makertime.audit import work_window
from makertime.model import Attention, format_minutes
from makertime.team.eligibility import WEEKDAYS
from makertime.team.focus import FocusTable, MemberCalendar, extended_span
from makertime.team.model import Duty, DutyKind, Slot, Team
from makertime.text import clean

NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True, slots=True)
class Context:
    """What the explanations look at: the team, the calendars, the focus table, the rotation's
    holders and loads, and the rules that blocked each (member, slot)."""

    team: Team
    members: Mapping[str, MemberCalendar]
    table: FocusTable
    holders: Mapping[str, tuple[str, ...]]  # slot id → member ids
    slots: Mapping[str, Slot]
    blocked: Mapping[tuple[str, str], str]
    loads: Mapping[str, float]  # weighted hours, carried included

    def duty(self, slot: Slot) -> Duty:
        """The duty of ``slot``."""
        return next(d for d in self.team.duties if d.id == slot.duty)

    def name(self, member_id: str) -> str:
        """A member's display name."""
        return clean(self.team.member(member_id).name, chars=60)


def when(day: date) -> str:
    """``Tue 24 Mar``."""
    return f"{WEEKDAYS[day.weekday()][:3]} {day.day} {day:%b}"


def held(slot: Slot, context: Context) -> str:
    """The slot in words: "the shield on Tue 24 Mar", "on-call from Mon 23 Mar"."""
    first = slot.span.start.astimezone(context.team.timezone)
    if slot.kind is DutyKind.SHIELD:
        return f"the shield on {when(first.date())}"
    if slot.kind is DutyKind.ON_CALL:
        last = slot.span.end.astimezone(context.team.timezone)
        return (f"{slot.duty} ({slot.seat}) from {when(first.date())} {first:%H:%M} "
                f"to {when(last.date())} {last:%H:%M}")
    return (f"the {slot.seat} seat at {clean(slot.event, chars=60) or 'the event'} on "
            f"{when(first.date())}")


def reason(slot: Slot, member: str, context: Context) -> str:
    """Why ``member`` holds ``slot``."""
    duty = context.duty(slot)
    cost = context.table.cost(member, slot, duty)
    text = (f"{context.name(member)} holds {held(slot, context)}: "
            f"{_cut(slot, member, context)}, so it costs the team {format_minutes(cost)} of focus")
    others = sorted((context.table.cost(m.id, slot, duty), m.id) for m in context.team.members
                    if m.id != member and (m.id, slot.id) not in context.blocked)
    if not others:
        return f"{text}; nobody else may hold it"
    other_cost, other = others[0]
    if other_cost > cost:
        return f"{text}; {context.name(other)} would have lost {format_minutes(other_cost)}"
    if other_cost == cost:
        return f"{text}; {context.name(other)} would have lost as much: " + _kept_from(
            slot, other, member, context)
    return (f"{text}; {context.name(other)} would have lost {format_minutes(other_cost)}, but "
            f"{_kept_from(slot, other, member, context)}")


def _cut(slot: Slot, member: str, context: Context) -> str:
    """How much of ``member``'s time around ``slot`` is already taken by meetings."""
    calendar = context.members[member]
    span = extended_span(slot, context.duty(slot))
    if slot.kind is DutyKind.SHIELD:
        day = slot.dates[0]
        window = work_window(day, calendar.policy)
        meetings = _meetings(calendar, window.start, window.end) if window else 0
        if meetings == 0:
            return f"{context.name(member)}'s {WEEKDAYS[day.weekday()]} is open"
        return (f"{_count(meetings, 'meeting')} already cut {context.name(member)}'s "
                f"{WEEKDAYS[day.weekday()]}")
    meetings = _meetings(calendar, span.start, span.end)
    what = "turn" if slot.kind is DutyKind.ON_CALL else "rest and recovery"
    if meetings == 0:
        return f"{context.name(member)}'s calendar is open across the {what}"
    return f"{_count(meetings, 'meeting')} already fill {context.name(member)}'s {what}"


def _meetings(calendar: MemberCalendar, start: datetime, end: datetime) -> int:
    """How many of the member's full commitments fall between ``start`` and ``end``."""
    return sum(1 for c in calendar.commitments if c.attention is Attention.FULL
               and c.span.start < end and start < c.span.end)


def _count(number: int, noun: str) -> str:
    """"four meetings", "one meeting", "12 meetings"."""
    word = NUMBERS[number] if number < len(NUMBERS) else str(number)
    return f"{word} {noun}{'' if number == 1 else 's'}"


def _kept_from(slot: Slot, other: str, member: str, context: Context) -> str:
    """Why ``other`` does not hold ``slot``: another duty then, a limit reached, a weekday
    they avoid, or fairness."""
    clash = _clash(slot, other, context)
    if clash is not None:
        return f"{context.name(other)} holds {held(clash, context)}"
    limit = _limit_reached(slot, other, context)
    if limit:
        return limit
    if slot.dates and slot.dates[0].weekday() in context.team.member(other).avoid:
        weekday = WEEKDAYS[slot.dates[0].weekday()]
        return f"{context.name(other)} would rather not hold a duty on a {weekday}"
    mine, theirs = context.loads.get(member, 0.0), context.loads.get(other, 0.0)
    if theirs > mine:
        return (f"for fairness: {context.name(other)} carries {theirs:.0f} weighted hours of "
                f"duty in this rotation and before it, {context.name(member)} {mine:.0f}")
    if context.table.cost(other, slot, context.duty(slot)) == context.table.cost(
            member, slot, context.duty(slot)):
        return (f"the two are equal here (the team keeps the same focus either way, and both "
                f"carry about {mine:.0f} weighted hours)")
    return (f"moving it to {context.name(other)} would push one of their other duties past "
            "a rule, a wish or the fairness spread")


def _limit_reached(slot: Slot, member: str, context: Context) -> str:
    """The limit ``member`` has reached for ``slot``'s duty, in words, or ""."""
    rule = context.team.member(member).limits.get(slot.duty, context.duty(slot).limits)
    theirs = [context.slots[s] for s, names in context.holders.items()
              if member in names and context.slots[s].duty == slot.duty]
    if rule.per_period is not None and len(theirs) >= rule.per_period:
        return f"{context.name(member)} already holds {rule.per_period} {slot.duty} this period"
    week = slot.dates[0].isocalendar()[:2] if slot.dates else None
    weekly = [s for s in theirs if s.dates and s.dates[0].isocalendar()[:2] == week]
    if rule.per_week is not None and len(weekly) >= rule.per_week:
        return f"{context.name(member)} already holds {rule.per_week} {slot.duty} that week"
    return ""


def _clash(slot: Slot, member: str, context: Context) -> Slot | None:
    """A slot ``member`` holds that ``slot`` would run into (the same dates, overlapping spans
    or too little rest), or None."""
    rest = timedelta(hours=context.team.fairness.rest_after_night_hours)
    span = extended_span(slot, context.duty(slot))
    for other_id, holders in context.holders.items():
        other = context.slots[other_id]
        if member not in holders or other_id == slot.id:
            continue
        theirs = extended_span(other, context.duty(other))
        if set(other.dates) & set(slot.dates) or (
                theirs.start < span.end + rest and span.start < theirs.end + rest):
            return other
    return None


def blocked_reasons(slot: Slot, context: Context) -> tuple[tuple[str, str], ...]:
    """For an empty ``slot``: each member with what keeps them from it."""
    found = []
    for member in context.team.members:
        why = context.blocked.get((member.id, slot.id))
        if why is None:
            clash = _clash(slot, member.id, context)
            why = (f"{context.name(member.id)} holds {held(clash, context)}" if clash
                   else _limit_reached(slot, member.id, context)
                   or _share_reached(slot, member.id, context)
                   or f"no rule keeps {context.name(member.id)} from it: the search ended "
                      "before it found a rotation that gives it to them")
        found.append((member.id, why))
    return tuple(found)


def _share_reached(slot: Slot, member: str, context: Context) -> str:
    """For a turn: the on-call share ``member`` would pass by holding it, in words, or ""."""
    if slot.kind is not DutyKind.ON_CALL:
        return ""
    days = len(context.table.period.dates())
    most = context.team.fairness.max_on_call_share * days * 24
    hours = sum(context.slots[s].span.minutes for s, names in context.holders.items()
                if member in names and context.slots[s].kind is DutyKind.ON_CALL) / 60
    if hours + slot.span.minutes / 60 <= most:
        return ""
    return (f"{context.name(member)} is on call {hours:.0f} h of the period already; with this "
            f"turn it would pass {context.team.fairness.max_on_call_share:.0%} ({most:.0f} h)")


def changes(before: Mapping[str, tuple[str, ...]], after: Mapping[str, tuple[str, ...]],
            slots: Mapping[str, Slot], context: Context, *, why: str,
            asked: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Each slot whose holders differ from ``before``, with the reason: ``why`` for the slots
    ``asked`` (a swap), what the move keeps for the others."""
    found = []
    for slot_id in sorted(set(before) | set(after),
                          key=lambda s: (slots[s].span.start.isoformat() if s in slots else "", s)):
        old, new = tuple(sorted(before.get(slot_id, ()))), tuple(sorted(after.get(slot_id, ())))
        if old == new or slot_id not in slots:
            continue
        names = " and ".join(context.name(m) for m in new) or "nobody"
        was = " and ".join(context.name(m) for m in old) or "nobody"
        direct = slot_id in asked or (not asked and _touched(old, slots[slot_id], context))
        because = why if direct else f"so every rule and the fairness still hold after: {why}"
        found.append(f"{held(slots[slot_id], context)}: {was} → {names} ({because})")
    return tuple(found)


def _touched(old: tuple[str, ...], slot: Slot, context: Context) -> bool:
    """Whether a former holder may no longer hold ``slot`` at all (away, say): the change is
    then the very thing asked, not a knock-on move."""
    return any((member, slot.id) in context.blocked for member in old)


def outline(slots: Sequence[Slot]) -> str:
    """A count of the slots by kind, for progress lines."""
    kinds = {k: sum(1 for s in slots if s.kind is k) for k in DutyKind}
    return ", ".join(f"{n} {k.value}" for k, n in kinds.items() if n)
