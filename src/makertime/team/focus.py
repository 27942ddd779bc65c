"""What each duty costs each member's maker time, measured by the audit itself.

A member's focus on a date is the audit's ``focus_minutes`` (docs/metrics.md) on their own
commitments plus their interrupt streams, drawn as their sync windows: ``sync_windows.per_day``
windows of ``sync_windows.minutes`` at the ``prefer`` times (spread over the work window when
fewer times are given). On a date the shield covers, a member who does not hold it keeps only
``relieves`` windows: the shield takes the rest of their streams.

Each assignment's effect is computed once, by auditing the member with the duty in place — a
shield day is a full commitment over their work window, an on-call turn partial attention over
the turn, a crew seat a full commitment from prep to teardown with rest before and recovery after
as partial time — so the rotation model stays linear: team focus is the baseline less the sum of
the costs of the assignments made (one duty at a time keeps the costs from overlapping).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from makertime.audit import audit_commitments, work_window
from makertime.model import Attention, Commitment, Interval, Period, to_utc
from makertime.policy import Policy
from makertime.team.model import Duty, DutyKind, Slot, Team

STREAM_UID = "sync-window@makertime-team"  # the interrupt streams drawn as sync windows


@dataclass(frozen=True, slots=True)
class MemberCalendar:
    """One member's policy and commitments (classified by that policy), as the audit reads them."""

    policy: Policy
    commitments: tuple[Commitment, ...]


@dataclass(slots=True)
class FocusTable:
    """Every member's focus by date with and without the shield's relief, and the cost of each
    (member, slot) assignment, computed on first use and kept."""

    team: Team
    members: Mapping[str, MemberCalendar]
    period: Period
    shield_dates: frozenset[date]
    relieves: int
    relieved: dict[str, dict[date, int]] = field(default_factory=dict)
    unrelieved: dict[str, dict[date, int]] = field(default_factory=dict)
    _costs: dict[tuple[str, str, str, str], int] = field(default_factory=dict)

    def base(self, member: str, day: date) -> int:
        """``member``'s focus on ``day`` holding nothing, the shield (if any) held by another."""
        table = self.relieved if day in self.shield_dates else self.unrelieved
        return table[member].get(day, 0)

    def before(self, member: str) -> int:
        """``member``'s focus over the period with no rotation at all: all their streams."""
        return sum(self.unrelieved[member].values())

    def baseline(self, member: str) -> int:
        """``member``'s focus over the period holding nothing, every shield date covered."""
        return sum(self.base(member, day) for day in self.period.dates())

    def relief(self, day: date) -> int:
        """The team focus the shield gives back on ``day`` (lost when nobody can hold it)."""
        return sum(self.relieved[m].get(day, 0) - self.unrelieved[m].get(day, 0)
                   for m in self.members)

    def cost(self, member: str, slot: Slot, duty: Duty) -> int:
        """The focus minutes ``member`` loses holding ``slot``."""
        # seats of one event (audio, video) share a span: their cost is measured once
        key = (member, slot.duty, slot.span.start.isoformat(), slot.span.end.isoformat())
        if key not in self._costs:
            self._costs[key] = self._measure(member, slot, duty)
        return self._costs[key]

    def _measure(self, member: str, slot: Slot, duty: Duty) -> int:
        if slot.kind is DutyKind.SHIELD:
            return sum(self.base(member, day) for day in slot.dates)
        calendar = self.members[member]
        extra = duty_commitments(slot, duty, calendar.policy)
        reach = Interval(extra[0].span.start, max(c.span.end for c in extra))
        days = _dates_of(reach, calendar.policy, self.period)
        if not days:
            return 0
        found = [*_near(calendar.commitments, reach), *extra,
                 *(w for day in days for w in self._windows(member, day))]
        report = audit_commitments(found, calendar.policy, Period(days[0], days[-1]))
        return sum(self.base(member, d.date) - d.focus_minutes for d in report.days)

    def _windows(self, member: str, day: date) -> list[Commitment]:
        policy = self.members[member].policy
        count = policy.sync_windows.per_day
        if day in self.shield_dates:
            count = min(count, self.relieves)
        return sync_windows(policy, day, count)


def focus_table(team: Team, members: Mapping[str, MemberCalendar], period: Period,
                shield_dates: frozenset[date]) -> FocusTable:
    """Audit every member over ``period`` with all their streams and with the shield's relief."""
    shields = [d for d in team.duties if d.kind is DutyKind.SHIELD]
    relieves = min((d.relieves for d in shields), default=0)
    table = FocusTable(team, members, period, shield_dates, relieves)
    for member_id, calendar in members.items():
        policy = calendar.policy
        for name, covered in (("unrelieved", frozenset[date]()), ("relieved", shield_dates)):
            windows = [w for day in period.dates() for w in sync_windows(
                policy, day, min(policy.sync_windows.per_day, relieves)
                if day in covered else policy.sync_windows.per_day)]
            report = audit_commitments([*calendar.commitments, *windows], policy, period)
            getattr(table, name)[member_id] = {d.date: d.focus_minutes for d in report.days}
    return table


def sync_windows(policy: Policy, day: date, count: int) -> list[Commitment]:
    """``count`` of ``policy``'s sync windows on ``day`` as full commitments (none when the
    person does not work that day)."""
    window = work_window(day, policy)
    if window is None or count <= 0 or policy.work.day_off(day):
        return []
    minutes = timedelta(minutes=policy.sync_windows.minutes)
    preferred = [to_utc(datetime.combine(day, at, tzinfo=policy.timezone))
                 for at in policy.sync_windows.prefer[:count]]
    spare = count - len(preferred)
    length = window.end - window.start
    starts = [*preferred, *(window.start + length * (n + 1) / (spare + 1) - minutes / 2
                            for n in range(spare))]
    return [Commitment(summary="sync window", span=Interval(s, s + minutes), uid=STREAM_UID,
                       source="interrupt streams") for s in sorted(starts)]


def duty_commitments(slot: Slot, duty: Duty, policy: Policy) -> list[Commitment]:
    """What holding ``slot`` puts in the holder's calendar, as the audit and the planner read
    it (the first item is the duty itself)."""
    uid = f"{slot.id}@makertime-team"
    if slot.kind is DutyKind.SHIELD:
        spans = [w for day in slot.dates if (w := work_window(day, policy)) is not None]
        return [Commitment(summary=f"Shield ({duty.id})", span=s, uid=uid, source="team")
                for s in spans] or [Commitment("Shield", slot.span, uid, "team")]
    if slot.kind is DutyKind.ON_CALL:
        return [Commitment(summary=f"On-call ({duty.id})", span=slot.span, uid=uid,
                           source="team", attention=Attention.PARTIAL)]
    before = Interval(slot.span.start - timedelta(minutes=duty.rest_before_minutes),
                      slot.span.start)
    after = Interval(slot.span.end, slot.span.end + timedelta(minutes=duty.recover_after_minutes))
    found = [Commitment(summary=f"Crew: {slot.seat}", span=slot.span, uid=uid, source="team",
                        rest_before_minutes=duty.rest_before_minutes,
                        recover_after_minutes=duty.recover_after_minutes)]
    found.extend(Commitment(summary=f"{label} ({slot.event})", span=span, uid=f"{label}-{uid}",
                            source="team", attention=Attention.PARTIAL)
                 for label, span in (("rest", before), ("recovery", after)) if span.minutes)
    return found


def extended_span(slot: Slot, duty: Duty) -> Interval:
    """``slot``'s span with the crew's rest before and recovery after."""
    if slot.kind is not DutyKind.CREW:
        return slot.span
    return Interval(slot.span.start - timedelta(minutes=duty.rest_before_minutes),
                    slot.span.end + timedelta(minutes=duty.recover_after_minutes))


def _near(found: Sequence[Commitment], span: Interval) -> list[Commitment]:
    """The commitments within a day of ``span`` (all a few days' audit can see)."""
    low, high = span.start - timedelta(days=1), span.end + timedelta(days=1)
    return [c for c in found if c.span.end > low and c.span.start < high]


def _dates_of(span: Interval, policy: Policy, period: Period) -> list[date]:
    """The person's dates ``span`` touches, inside ``period``."""
    first = span.start.astimezone(policy.timezone).date()
    last = (span.end - timedelta(microseconds=1)).astimezone(policy.timezone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)
            if period.first <= first + timedelta(days=n) <= period.last]
