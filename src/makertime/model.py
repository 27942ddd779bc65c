"""The vocabulary of makertime as frozen dataclasses, and the interval maths under the metrics.

Nothing here does I/O. Times inside intervals are aware datetimes in UTC, so that subtraction is
exact across daylight-saving changes (Python ignores offsets when both sides share a tzinfo).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum

from makertime.errors import OptionError, PeriodError, param

MINUTE = timedelta(minutes=1)

Progress = Callable[[str], None]
"""Where a long operation says what it is doing, one short line at a time."""


@dataclass(frozen=True, slots=True, order=True)
class Interval:
    """A half-open span of time ``[start, end)`` between two aware UTC datetimes."""

    start: datetime
    end: datetime

    @property
    def minutes(self) -> int:
        """Whole minutes in the span (spans are minute-aligned, so this is exact)."""
        return int((self.end - self.start) // MINUTE)

    def clip(self, other: Interval) -> Interval | None:
        """The part of this span inside ``other``, or None when they do not overlap."""
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Interval(start, end) if start < end else None


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """The union of ``intervals`` as sorted, disjoint, non-touching spans."""
    merged: list[Interval] = []
    for span in sorted(intervals):
        if span.end <= span.start:
            continue
        if merged and span.start <= merged[-1].end:
            if span.end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, span.end)
        else:
            merged.append(span)
    return merged


def subtract(window: Interval, busy: Sequence[Interval]) -> list[Interval]:
    """The maximal spans of ``window`` not covered by ``busy`` (which must be merged)."""
    gaps: list[Interval] = []
    cursor = window.start
    for span in busy:
        if span.end <= cursor:
            continue
        if span.start >= window.end:
            break
        if span.start > cursor:
            gaps.append(Interval(cursor, span.start))
        cursor = max(cursor, span.end)
    if cursor < window.end:
        gaps.append(Interval(cursor, window.end))
    return gaps


def covered_minutes(window: Interval, busy: Sequence[Interval]) -> int:
    """Minutes of ``window`` covered by ``busy`` (merged spans)."""
    return sum(part.minutes for span in busy if (part := span.clip(window)) is not None)


def floor_minute(moment: datetime) -> datetime:
    """``moment`` with seconds and microseconds dropped."""
    return moment.replace(second=0, microsecond=0)


def ceil_minute(moment: datetime) -> datetime:
    """``moment`` rounded up to the next whole minute (unchanged when already whole)."""
    floored = floor_minute(moment)
    return floored if floored == moment else floored + MINUTE


def to_utc(moment: datetime) -> datetime:
    """An aware datetime expressed in UTC."""
    return moment.astimezone(UTC)


class TimeKind(StrEnum):
    """How an instance's times are anchored."""

    UTC = "utc"  # an absolute moment (had a zone or was UTC)
    FLOATING = "floating"  # wall-clock time, read in the person's zone
    DATE = "date"  # an all-day DATE value, midnight to midnight in the person's zone


@dataclass(frozen=True, slots=True)
class Attendee:
    """One ATTENDEE of an event: address (lower-case, without mailto:) and PARTSTAT."""

    address: str
    partstat: str


@dataclass(frozen=True, slots=True)
class EventInstance:
    """One expanded occurrence of a calendar event, as read, before any policy is applied.

    ``start``/``end`` are UTC when ``kind`` is UTC, otherwise naive wall-clock values.
    """

    uid: str
    summary: str
    start: datetime
    end: datetime
    kind: TimeKind
    source: str
    status: str = ""
    transp: str = ""
    busystatus: str = ""
    categories: tuple[str, ...] = ()
    attendees: tuple[Attendee, ...] = ()


class Attention(StrEnum):
    """What a commitment takes from the person."""

    FULL = "full"  # a meeting, a live event: sync
    PARTIAL = "partial"  # quiet on-call, monitoring a stream: shallow work only
    NONE = "none"  # transparent: takes nothing
    OFF = "off"  # the person is away (vacation, holiday, leave): no work time at all


@dataclass(frozen=True, slots=True)
class Commitment:
    """A blocking synchronous item at a time, with what its rule says about it."""

    summary: str
    span: Interval
    uid: str
    source: str
    attention: Attention = Attention.FULL
    drain_per_hour: float = 8.0
    rest_before_minutes: int = 0
    recover_after_minutes: int = 0
    categories: tuple[str, ...] = ()


class Depth(StrEnum):
    """Whether a task needs an unbroken block (deep) or is fine in pieces (shallow)."""

    DEEP = "deep"
    SHALLOW = "shallow"


@dataclass(frozen=True, slots=True)
class Task:
    """Asynchronous work still to be done.

    ``deadline`` is aware, except for a VTODO whose DUE is floating or a date: then it is naive
    and means wall time in the person's zone (a read is cached before any policy is known).
    """

    id: str
    title: str
    estimate_minutes: int
    depth: Depth = Depth.DEEP
    deadline: datetime | None = None
    priority: int = 3
    min_block_minutes: int | None = None
    progress: float = 0.0
    last_touched: date | None = None
    waiting_on_me: bool = False
    source: str = ""

    def stale_days(self, today: date) -> int | None:
        """Days since the task was last touched, or None when that is unknown."""
        return None if self.last_touched is None else (today - self.last_touched).days


@dataclass(frozen=True, slots=True)
class ReadWarning:
    """Something read that had to be skipped or repaired: file, component, what and why."""

    source: str
    message: str
    uid: str = ""

    def __str__(self) -> str:
        where = f"{self.source}: {self.uid}" if self.uid else self.source
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class CalendarRead:
    """Everything read from one calendar source for a period."""

    source: str
    instances: tuple[EventInstance, ...] = ()
    tasks: tuple[Task, ...] = ()
    warnings: tuple[ReadWarning, ...] = ()
    components: dict[str, int] = field(default_factory=dict)


# a few digits at most: int() of thousands of digits is slow, and Python refuses past 4,300
_DURATION = re.compile(r"^\s*(?:(?P<h>\d{1,9})\s*h)?\s*(?:(?P<m>\d{1,9})\s*m(?:in)?)?\s*$",
                       re.IGNORECASE)


def parse_duration(text: object) -> int | None:
    """Minutes in ``"1h30m"``, ``"90m"``, ``"2h"`` or a plain number of minutes; None if not one
    (a float, a list, a negative number)."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if text >= 0 else None
    if not isinstance(text, str):
        return None
    found = _DURATION.match(text)
    if not found or not (found["h"] or found["m"]):
        return None
    return int(found["h"] or 0) * 60 + int(found["m"] or 0)


def format_minutes(minutes: int) -> str:
    """``95`` → ``"1h35m"``; ``0`` → ``"0m"``."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h{rest:02d}m"
    return f"{hours}h" if hours else f"{rest}m"


@dataclass(frozen=True, slots=True)
class Period:
    """The dates ``first``..``last``, both inclusive."""

    first: date
    last: date

    def dates(self) -> list[date]:
        """Every date of the period, in order."""
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    @classmethod
    def week_of(cls, day: date) -> Period:
        """Monday to Sunday of the ISO week holding ``day``."""
        monday = day - timedelta(days=day.weekday())
        return cls(monday, monday + timedelta(days=6))

    @classmethod
    def from_options(cls, first: str | None, last: str | None, today: date,
                     *, default_days: int = 7) -> Period:
        """The period the dates ``first`` and ``last`` (YYYY-MM-DD) ask for: both dates; one of
        them and the days after or before it; or, with neither, the week holding ``today`` (or
        ``default_days`` from it). An error names the parameter, ``first`` or ``last``."""
        length = timedelta(days=default_days - 1)
        if first:
            start = _option_date(first, "first")
            end = _option_date(last, "last") if last else start + length
        elif last:
            end = _option_date(last, "last")
            start = end - length
        elif default_days == 7:
            return cls.week_of(today)
        else:
            start, end = today, today + length
        if end < start:
            raise PeriodError("last", f"{end} is before {param('first')} {start}",
                              f"give {param('last')} on or after {param('first')}")
        if (end - start).days > MAX_PERIOD_DAYS:
            raise PeriodError("last", f"{start} to {end} is longer than ten years",
                              "give a shorter period")
        return cls(start, end)


MAX_PERIOD_DAYS = 3660
YEARS = range(1900, 2200)  # far ends overflow date arithmetic across time zones


OUTSIDE_YEARS = f"is outside the years {YEARS[0]}-{YEARS[-1]}"


def _option_date(text: str, parameter: str) -> date:
    """The date ``parameter`` gives, YYYY-MM-DD, of a plausible calendar year (far ends overflow
    date arithmetic)."""
    try:
        found = date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(parameter, f"{text!r} is not a date", "write YYYY-MM-DD") from None
    if found.year not in YEARS:
        raise PeriodError(parameter, f"{text} {OUTSIDE_YEARS}",
                          "give a date of a calendar you keep")
    return found


def option_moment(text: str, zone: tzinfo, parameter: str = "now",
                  example: str = "2026-03-25T13:00") -> datetime:
    """The ISO date and time ``parameter`` gives as an aware moment in a calendar year (naive:
    wall time in ``zone``); an OptionError naming ``parameter`` when it is none."""
    try:
        found = datetime.fromisoformat(text.strip())
    except ValueError:
        raise OptionError(parameter, f"{text!r} is not a date and time",
                          f"write e.g. {example}") from None
    if found.year not in YEARS:
        raise OptionError(parameter, f"{text} {OUTSIDE_YEARS}", f"write e.g. {example}")
    return found if found.tzinfo else found.replace(tzinfo=zone)


def utc_span(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """Aware ``start``/``end`` in UTC, keeping the wall-clock length when a DST gap would
    otherwise make the span empty (02:30-03:30 on a spring-forward night is still an hour)."""
    start_utc, end_utc = to_utc(start), to_utc(end)
    wall = end.replace(tzinfo=None) - start.replace(tzinfo=None)
    if end_utc <= start_utc < start_utc + wall:
        end_utc = start_utc + wall
    return start_utc, end_utc
