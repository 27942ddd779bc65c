"""How a person's time really falls: the day metrics of docs/metrics.md, exactly, and their totals.

``audit_commitments`` is the pure measurement; ``audit_calendars`` reads the sources first.
All arithmetic is on minute-aligned UTC intervals, so every figure is a whole number of minutes
and daylight-saving days are as long as they really are.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from makertime.classify import commitments as classify_all
from makertime.model import (
    CalendarRead,
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
from makertime.sources.cache import InstanceCache


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
    window: Interval | None = field(default=None, compare=False)
    busy: tuple[Interval, ...] = field(default=(), compare=False)
    gaps: tuple[Interval, ...] = field(default=(), compare=False)


METRIC_NAMES = ("work_minutes", "sync_minutes", "after_hours_sync_minutes", "free_minutes",
                "focus_minutes", "fragmented_minutes", "effective_focus_minutes",
                "longest_free_minutes", "switches", "maker_day")
SUMMED = METRIC_NAMES[:-1]


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
    """The work window of ``day`` in UTC, or None on a day off."""
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


def measure_day(day: date, busy: Sequence[Interval], policy: Policy,
                drain: float | None = None) -> DayMetrics:
    """The metrics of ``day`` given the merged busy intervals that touch it."""
    bounds = day_bounds(day, policy)
    todays = [part for span in busy if (part := span.clip(bounds)) is not None]
    busy_minutes = sum(span.minutes for span in todays)
    window = work_window(day, policy)
    if window is None:
        return DayMetrics(day, 0, 0, busy_minutes, 0, 0, 0, 0, 0, 0, False, drain,
                          None, tuple(todays), ())
    sync = covered_minutes(window, todays)
    gaps = subtract(window, todays)
    focus = policy.focus
    lengths = [gap.minutes for gap in gaps]
    longest = max(lengths, default=0)
    inside = [part for span in todays if (part := span.clip(window)) is not None]
    switches = sum((s.start > window.start) + (s.end < window.end) for s in inside)
    if drain is not None:
        drain += switches * policy.energy.switch_cost
    return DayMetrics(
        date=day, work_minutes=window.minutes, sync_minutes=sync,
        after_hours_sync_minutes=busy_minutes - sync, free_minutes=sum(lengths),
        focus_minutes=sum(n for n in lengths if n >= focus.min_block_minutes),
        fragmented_minutes=sum(n for n in lengths if n < focus.min_block_minutes),
        effective_focus_minutes=sum(max(0, n - focus.ramp_up_minutes) for n in lengths),
        longest_free_minutes=longest, switches=switches,
        maker_day=longest >= focus.maker_day_minutes, energy_drain=drain,
        window=window, busy=tuple(todays), gaps=tuple(gaps),
    )


def total(days: Iterable[DayMetrics]) -> Totals:
    """Sum the day metrics, as docs/metrics.md defines totals; ``maker_days`` counts maker days."""
    listed = list(days)
    sums = {name: sum(getattr(d, name) for d in listed) for name in SUMMED}
    return Totals(days=len(listed), maker_days=sum(d.maker_day for d in listed), **sums)


def audit_commitments(found: Sequence[Commitment], policy: Policy, period: Period,
                      read_warnings: Iterable[ReadWarning] = ()) -> AuditReport:
    """Measure ``period`` given the person's commitments."""
    busy = merge(c.span for c in found)
    starts, ends = [span.start for span in busy], [span.end for span in busy]
    by_date = _by_local_date(found, policy) if policy.energy.enabled else None
    days = []
    for day in period.dates():
        bounds = day_bounds(day, policy)
        touching = busy[bisect_right(ends, bounds.start):bisect_left(starts, bounds.end)]
        drain = None if by_date is None else _drain(by_date.get(day, []), bounds)
        days.append(measure_day(day, touching, policy, drain))
    totals = total(days)
    return AuditReport(period=period, timezone=str(policy.timezone), days=tuple(days),
                       totals=totals, warnings=tuple(findings(days, policy)),
                       read_warnings=tuple(read_warnings), commitments=tuple(found))


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


def audit_calendars(cals: Iterable[str], policy: Policy, period: Period, *,
                    cache: InstanceCache | None = None,
                    progress: Callable[[str], None] | None = None) -> AuditReport:
    """Read the calendars named by ``cals`` and measure ``period`` (the library's audit)."""
    from makertime.sources import read_calendars

    reads: list[CalendarRead] = read_calendars(cals, period.first, period.last, cache=cache,
                                               progress=progress)
    found = classify_all(reads, policy)
    return audit_commitments(found, policy, period, [w for r in reads for w in r.warnings])
