"""Expansion of a parsed calendar's events into EventInstances, series by series, within bounds.

recurring-ical-events computes each series (a master and its RECURRENCE-ID overrides) as it
always does; ``Guarded`` only changes how the dateutil rule is walked: without dateutil's cache
(which kept every instance since DTSTART), ending in the year after the period read (see
``rules.iterate``), and charged to the file's ``Budget`` before it starts. Each occurrence
becomes an EventInstance at once, so no occurrence component is ever built.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import icalendar
from dateutil.rrule import rruleset  # type: ignore[import-untyped]
from recurring_ical_events import EventAdapter, Occurrence, Series
from recurring_ical_events.util import (
    compare_greater,
    convert_to_datetime,
    is_pytz,
    is_pytz_dt,
    normalize_pytz,
)

from makertime.calendars import rules
from makertime.errors import OverBudget
from makertime.limits import limit
from makertime.model import Attendee, EventInstance, TimeKind, utc_span
from makertime.text import clean

DUPLICATE = "\x00makertime-duplicate-"


Shapes = dict[int, tuple[rules.Shape, ...]]  # the Shapes of each event's RRULEs, by id(event)


@dataclass(slots=True)
class Budget:
    """What one file may still cost: rule work (steps) and instances in the period."""

    steps: int
    instances: int


class _Rules(Series.RecurrenceRules):  # type: ignore[misc]
    """A series' rules, walked without dateutil's cache and charged to the file's budget."""

    budget: Budget | None = None
    shapes: tuple[rules.Shape, ...] = ()
    produced = 0

    def rrule_between(self, span_start: Any, span_stop: Any) -> Iterator[Any]:
        """recurring-ical-events' walk of the rules over a span, bounded (same results)."""
        self._charge(span_stop)
        start = convert_to_datetime(span_start, self.tzinfo)
        stop = convert_to_datetime(span_stop, self.tzinfo)
        if is_pytz(self.tzinfo):
            start = normalize_pytz(start - timedelta(hours=1))
            stop = normalize_pytz(stop + timedelta(hours=1))
        for rule in self.rrules:
            for found in self._walk(rule, start, stop):
                if is_pytz_dt(found):
                    zone: Any = found.tzinfo
                    found = zone.localize(found.replace(tzinfo=None))
                if rule.until is None or not compare_greater(found, rule.until):
                    yield found

    def _walk(self, rule: Any, start: datetime, stop: datetime) -> Iterator[datetime]:
        if isinstance(rule, rruleset):  # only DTSTART and the RDATEs: as many as the file has
            yield from rule.between(start, stop, inc=True)
            return
        most = limit("calendar.series_instances") // rules.INSTANCE_STEPS
        for found in rules.iterate(rule, stop.year + 1):
            if found > stop:
                return
            self.produced += 1
            if self.produced > most:
                raise OverBudget(f"makes more than {most:,} instances "
                                 "(calendar.series_instances)")
            if found >= start:
                yield found

    def _charge(self, span_stop: Any) -> None:
        """Take this walk's work off the file's budget, or refuse it: the steps of the rules'
        Shapes (read when the series was checked) up to where this walk stops, which an
        override moved from afar can put past the period read."""
        if self.budget is None:
            return
        stop = span_stop.date() if isinstance(span_stop, datetime) else span_stop
        first = self.start.date() if isinstance(self.start, datetime) else self.start
        cost = sum(rules.steps(shape, first, stop) for shape in self.shapes)
        if cost > self.budget.steps:
            raise OverBudget(f"the file's series would take more than "
                             f"{limit('calendar.file_instances'):,} steps to expand in all "
                             "(calendar.file_instances)")
        self.budget.steps -= cost


class Guarded(Series):  # type: ignore[misc]
    """recurring-ical-events' Series, with bounded rules and plain occurrences."""

    RecurrenceRules = _Rules


@dataclass(frozen=True, slots=True)
class Texts:
    """What an event says in words, clean (``text.clean``): the same for all its occurrences."""

    uid: str
    summary: str
    status: str
    transp: str
    busystatus: str
    categories: tuple[str, ...]
    attendees: tuple[Attendee, ...]

    @classmethod
    def of(cls, event: Any) -> Texts:
        """The texts of the VEVENT ``event``."""
        return cls(uid=clean(original_uid(str(event.get("UID", "")))),
                   summary=clean(str(event.get("SUMMARY", ""))),
                   status=clean(str(event.get("STATUS", ""))).upper(),
                   transp=clean(str(event.get("TRANSP", ""))).upper(),
                   busystatus=clean(str(event.get("X-MICROSOFT-CDO-BUSYSTATUS", ""))).upper(),
                   categories=tuple(clean(c) for c in _categories(event)),
                   attendees=tuple(_attendees(event)))


class Adapter(EventAdapter):  # type: ignore[misc]
    """recurring-ical-events' view of a VEVENT, keeping the event at hand and its texts,
    cleaned once for all its occurrences (a title of megabytes on an hourly series was
    cleaned for every hour)."""

    def __init__(self, event: Any) -> None:
        super().__init__(event)
        self.event = event
        self._texts: Texts | None = None

    @property
    def texts(self) -> Texts:
        """The event's texts, cleaned on first use."""
        if self._texts is None:
            self._texts = Texts.of(self.event)
        return self._texts


def series_of(events: list[Any], budget: Budget, shapes: Shapes) -> Guarded:
    """The series of ``events`` (one UID), charging its rule walks to ``budget`` by the Shapes
    of its master's rules."""
    series = Guarded([Adapter(event) for event in events])
    if isinstance(series.recurrence, _Rules):
        series.recurrence.budget = budget
        series.recurrence.shapes = shapes.get(id(series.recurrence.core.event), ())
    return series


def expand(series: Guarded, first: date, end: date, source: str,
           budget: Budget) -> list[EventInstance]:
    """The series' instances in ``[first, end)``, or OverBudget when it would pass a bound."""
    found: list[EventInstance] = []
    for occurrence in series.between(first, end):  # dates, as recurring_ical_events.of() passes
        if len(found) >= budget.instances:
            raise OverBudget(f"the file holds more than {limit('calendar.instances_per_day')} "
                             "instances a day in the period read (calendar.instances_per_day)")
        found.append(instance(occurrence, source))
    budget.instances -= len(found)
    return found


def original_uid(uid: str) -> str:
    """A UID as the file wrote it (distinct events sharing one are told apart while read)."""
    return uid.split(DUPLICATE, 1)[0]


def instance(occurrence: Occurrence, source: str) -> EventInstance:
    """The occurrence as an EventInstance with UTC, floating or DATE times, its text clean."""
    adapter: Adapter = occurrence._adapter  # the one adapter class is ours
    start, end = occurrence.start, occurrence.end
    if not isinstance(start, datetime):
        kind = TimeKind.DATE
        start, end = datetime.combine(start, time()), datetime.combine(_as_date(end), time())
    elif start.tzinfo is None:
        kind = TimeKind.FLOATING
        end = end if isinstance(end, datetime) else datetime.combine(end, time())
    else:
        kind = TimeKind.UTC
        start, end = utc_span(start, end)
    texts = adapter.texts
    return EventInstance(
        uid=texts.uid, summary=texts.summary, start=start, end=end, kind=kind, source=source,
        status=texts.status, transp=texts.transp, busystatus=texts.busystatus,
        categories=texts.categories, attendees=texts.attendees)


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _categories(event: icalendar.Event) -> list[str]:
    try:
        return [str(c) for c in event.categories]
    except Exception:  # noqa: BLE001 - a malformed CATEGORIES line names no category
        return []


def _attendees(event: Any) -> list[Attendee]:
    found = event.get("ATTENDEE")
    if found is None:
        return []
    people = found if isinstance(found, list) else [found]
    return [Attendee(clean(str(p)).lower().removeprefix("mailto:").strip(),
                     clean(str(getattr(p, "params", {}).get("PARTSTAT", "NEEDS-ACTION"))).upper())
            for p in people]
