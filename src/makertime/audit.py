"""How a person's time really falls: the day metrics of docs/metrics.md, exactly, and their totals.

``audit_commitments`` is the measurement; it reads nothing (``makertime.inputs`` reads the
calendars).
All arithmetic is on minute-aligned UTC intervals, so every figure is a whole number of minutes
and daylight-saving days are as long as they really are.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from makertime.closures import Closure
from makertime.model import (
    Attention,
    Commitment,
    Interval,
    Period,
    ReadWarning,
    covered_minutes,
    format_minutes,
    merge,
    subtract,
    to_utc,
)
from makertime.policy import Policy
from makertime.text import clean


@dataclass(frozen=True, slots=True)
class DayMetrics:
    """One date's metrics, as docs/metrics.md defines them, plus what is needed to draw the day."""

    date: date
    work_minutes: int
    sync_minutes: int
    after_hours_sync_minutes: int
    free_minutes: int
    focus_minutes: int
    fragmented_minutes: int
    effective_focus_minutes: int
    longest_free_minutes: int
    switches: int
    maker_day: bool
    energy_drain: float | None = None
    window: Interval | None = field(default=None, compare=False)  # the weekday's work window
    busy: tuple[Interval, ...] = field(default=(), compare=False)
    gaps: tuple[Interval, ...] = field(default=(), compare=False)
    partial_minutes: int = 0
    day_off: bool = False
    away: tuple[Interval, ...] = field(default=(), compare=False)
    partial: tuple[Interval, ...] = field(default=(), compare=False)
    off_reason: str = field(default="", compare=False)  # "day off", a holiday's name, an event


METRIC_NAMES = ("work_minutes", "sync_minutes", "partial_minutes", "after_hours_sync_minutes",
                "free_minutes", "focus_minutes", "fragmented_minutes", "effective_focus_minutes",
                "longest_free_minutes", "switches", "maker_day", "day_off")
SUMMED = METRIC_NAMES[:-2]


@dataclass(frozen=True, slots=True)
class Totals:
    """The day metrics summed over the period; ``maker_days`` counts them."""

    days: int
    work_minutes: int
    sync_minutes: int
    after_hours_sync_minutes: int
    free_minutes: int
    focus_minutes: int
    fragmented_minutes: int
    effective_focus_minutes: int
    longest_free_minutes: int
    switches: int
    maker_days: int
    partial_minutes: int = 0
    days_off: int = 0


@dataclass(frozen=True, slots=True)
class AuditWarning:
    """A finding worth a person's attention, for one ISO week or one day."""

    when: str
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.when}: {self.message}"


@dataclass(frozen=True, slots=True)
class AuditReport:
    """Everything an audit found: per day, in total, and what to look at."""

    period: Period
    timezone: str
    days: tuple[DayMetrics, ...]
    totals: Totals
    warnings: tuple[AuditWarning, ...]
    read_warnings: tuple[ReadWarning, ...] = ()
    commitments: tuple[Commitment, ...] = ()


def work_window(day: date, policy: Policy) -> Interval | None:
    """The weekday's work window of ``day`` in UTC, or None when the person does not work that
    weekday (days off and away time are taken out by ``windows_of``)."""
    if day.weekday() not in policy.work.days:
        return None
    zone = policy.timezone
    return Interval(to_utc(datetime.combine(day, policy.work.start, tzinfo=zone)),
                    to_utc(datetime.combine(day, policy.work.end, tzinfo=zone)))


def day_bounds(day: date, policy: Policy) -> Interval:
    """Midnight to midnight of ``day`` in the person's zone, in UTC."""
    zone = policy.timezone
    return Interval(to_utc(datetime.combine(day, time(), tzinfo=zone)),
                    to_utc(datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)))


def period_span(period: Period, policy: Policy) -> Interval:
    """``period`` from the first day's midnight to the midnight after the last, in UTC."""
    return Interval(day_bounds(period.first, policy).start, day_bounds(period.last, policy).end)


def away_of(day: date, off: Sequence[Interval], policy: Policy) -> list[Interval]:
    """The away time of ``day``: the whole date on a day off or public holiday, else the
    ``off`` spans (merged) that touch it."""
    bounds = day_bounds(day, policy)
    if policy.work.day_off(day):
        return [bounds]
    return [part for span in off if (part := span.clip(bounds)) is not None]


def windows_of(day: date, policy: Policy, away: Sequence[Interval]) -> list[Interval]:
    """The work window of ``day`` less its away time: where any work may happen."""
    window = work_window(day, policy)
    return [] if window is None else subtract(window, merge(away))


@dataclass(frozen=True, slots=True)
class Attended:
    """The merged spans of a person's time by attention: busy (full), partial (less busy),
    away (off)."""

    busy: list[Interval]
    partial: list[Interval]
    off: list[Interval]

    @classmethod
    def of(cls, found: Iterable[Commitment]) -> Attended:
        """Split ``found`` by attention; ``none`` takes nothing."""
        by: dict[Attention, list[Interval]] = {a: [] for a in Attention}
        for item in found:
            by[item.attention].append(item.span)
        busy = merge(by[Attention.FULL])
        partial = [p for span in merge(by[Attention.PARTIAL]) for p in subtract(span, busy)]
        return cls(busy, partial, merge(by[Attention.OFF]))


def measure_day(day: date, busy: Sequence[Interval], policy: Policy,
                drain: float | None = None, *, partial: Sequence[Interval] = (),
                off: Sequence[Interval] = (), away_names: Sequence[str] = ()) -> DayMetrics:
    """The metrics of ``day`` given the merged busy, partial (less busy) and off intervals
    that touch it (``away_names``: the titles of the events that make it away time)."""
    bounds = day_bounds(day, policy)
    todays = [part for span in busy if (part := span.clip(bounds)) is not None]
    partial_today = [part for span in partial if (part := span.clip(bounds)) is not None]
    away = away_of(day, off, policy)
    window = work_window(day, policy)
    windows = windows_of(day, policy, away)
    outside = subtract(bounds, merge([*([window] if window else []), *away]))
    after_hours = sum(covered_minutes(piece, todays) for piece in outside)
    names = list(dict.fromkeys(clean(name, chars=60) for name in away_names))
    named = ", ".join(names[:3]) + (f" and {len(names) - 3:,} more" if len(names) > 3 else "")
    reason = (policy.work.day_off(day) or named or "away") if away else ""
    if not windows:
        return DayMetrics(day, 0, 0, after_hours, 0, 0, 0, 0, 0, 0, False, drain,
                          window, tuple(todays), (), 0, window is not None, tuple(away),
                          tuple(partial_today), reason)
    taken = merge([*todays, *partial_today])
    gaps = [gap for piece in windows for gap in subtract(piece, taken)]
    focus = policy.focus
    lengths = [gap.minutes for gap in gaps]
    longest = max(lengths, default=0)
    # a gap end is a switch when sync or partial time is on its other side
    switches = sum((g.start > w.start) + (g.end < w.end)
                   for w in windows for g in gaps if g.clip(w))
    if drain is not None:
        drain += switches * policy.energy.switch_cost
    return DayMetrics(
        date=day, work_minutes=sum(w.minutes for w in windows),
        sync_minutes=sum(covered_minutes(w, todays) for w in windows),
        after_hours_sync_minutes=after_hours, free_minutes=sum(lengths),
        focus_minutes=sum(n for n in lengths if n >= focus.min_block_minutes),
        fragmented_minutes=sum(n for n in lengths if n < focus.min_block_minutes),
        effective_focus_minutes=sum(max(0, n - focus.ramp_up_minutes) for n in lengths),
        longest_free_minutes=longest, switches=switches,
        maker_day=longest >= focus.maker_day_minutes, energy_drain=drain,
        window=window, busy=tuple(todays), gaps=tuple(gaps),
        partial_minutes=sum(covered_minutes(w, partial_today) for w in windows),
        day_off=False, away=tuple(away), partial=tuple(partial_today), off_reason=reason,
    )


def total(days: Iterable[DayMetrics]) -> Totals:
    """Sum the day metrics, as docs/metrics.md defines totals: ``longest_free_minutes`` is the
    longest of any day; ``maker_days`` and ``days_off`` count them."""
    listed = list(days)
    sums = {name: sum(getattr(d, name) for d in listed) for name in SUMMED}
    sums["longest_free_minutes"] = max((d.longest_free_minutes for d in listed), default=0)
    return Totals(days=len(listed), maker_days=sum(d.maker_day for d in listed),
                  days_off=sum(d.day_off for d in listed), **sums)


def audit_commitments(found: Sequence[Commitment], policy: Policy, period: Period,
                      read_warnings: Iterable[ReadWarning] = (),
                      hints: Iterable[Closure] = ()) -> AuditReport:
    """Measure ``period`` given the person's commitments (and the closure hints of its
    calendars, shown with the findings)."""
    spans = Attended.of(found)
    busy, partial, off = _Touching(spans.busy), _Touching(spans.partial), _Touching(spans.off)
    by_date = _by_local_date(found, policy) if policy.energy.enabled else None
    away_by = _by_local_date((c for c in found if c.attention is Attention.OFF), policy)
    days = []
    for day in period.dates():
        bounds = day_bounds(day, policy)
        drain = None if by_date is None else _drain(by_date.get(day, []), bounds)
        days.append(measure_day(day, busy(bounds), policy, drain, partial=partial(bounds),
                                off=off(bounds),
                                away_names=[c.summary for c in away_by.get(day, [])]))
    totals = total(days)
    return AuditReport(period=period, timezone=str(policy.timezone), days=tuple(days),
                       totals=totals,
                       warnings=(*findings(days, policy),
                                 *(AuditWarning(h.day.isoformat(), "closure", h.message()
                                                .removeprefix(f"{h.day}: ")) for h in hints)),
                       read_warnings=tuple(read_warnings), commitments=tuple(found))


class _Touching:
    """Finds the spans of sorted, disjoint ``merged`` that touch a day, by bisection."""

    def __init__(self, merged: list[Interval]) -> None:
        self.merged = merged
        self.starts = [span.start for span in merged]
        self.ends = [span.end for span in merged]

    def __call__(self, bounds: Interval) -> list[Interval]:
        return self.merged[bisect_right(self.ends, bounds.start):
                           bisect_left(self.starts, bounds.end)]


def _by_local_date(found: Iterable[Commitment], policy: Policy) -> dict[date, list[Commitment]]:
    """Each commitment under every local date it touches."""
    by_date: dict[date, list[Commitment]] = {}
    zone = policy.timezone
    for commitment in found:
        day = commitment.span.start.astimezone(zone).date()
        last = (commitment.span.end - timedelta(microseconds=1)).astimezone(zone).date()
        while day <= last:
            by_date.setdefault(day, []).append(commitment)
            day += timedelta(days=1)
    return by_date


def _drain(found: Iterable[Commitment], bounds: Interval) -> float:
    """Energy the day's commitments cost (switches are added in ``measure_day``)."""
    return sum(part.minutes / 60 * c.drain_per_hour
               for c in found if (part := c.span.clip(bounds)) is not None)


def weeks_of(days: Iterable[DayMetrics]) -> dict[str, list[DayMetrics]]:
    """Days grouped by ISO week (``2026-W13``), in order."""
    weeks: dict[str, list[DayMetrics]] = {}
    for day in days:
        year, week, _ = day.date.isocalendar()
        weeks.setdefault(f"{year}-W{week:02d}", []).append(day)
    return weeks


def findings(days: Sequence[DayMetrics], policy: Policy) -> list[AuditWarning]:
    """Weeks under the focus threshold, weeks without a maker day, heavy after-hours sync."""
    found: list[AuditWarning] = []
    weeks = weeks_of(days)
    threshold = round(policy.audit.weekly_focus_warn_hours * 60)
    for name, week_days in weeks.items():
        worked = [d for d in week_days if d.work_minutes]
        full_week = len(week_days) == 7
        focus = sum(d.focus_minutes for d in week_days)
        if full_week and worked and focus < threshold:
            found.append(AuditWarning(name, "low-focus", f"only {format_minutes(focus)} of focus "
                                      f"time (under {format_minutes(threshold)})"))
        if worked and not any(d.maker_day for d in week_days):
            found.append(AuditWarning(name, "no-maker-day", "no maker day: no free stretch of "
                                      f"{format_minutes(policy.focus.maker_day_minutes)} on any "
                                      "work day"))
        after = sum(d.after_hours_sync_minutes for d in week_days)
        if after > policy.audit.after_hours_warn_minutes:
            found.append(AuditWarning(name, "after-hours", f"{format_minutes(after)} of sync "
                                      "outside the work window"))
    if policy.energy.enabled:
        for day in days:
            if day.energy_drain is not None and day.energy_drain > policy.energy.daily_budget:
                found.append(AuditWarning(day.date.isoformat(), "energy",
                                          f"sync alone drains {day.energy_drain:.0f} of your "
                                          f"{policy.energy.daily_budget:g} energy"))
    return found
