"""Bounds on recurrence, read from a rule before anything is expanded, and dateutil's iteration
stopped where the period read ends.

dateutil computes a series from its DTSTART on, every period of its FREQ in turn, so the work of
expanding it grows with how long ago it started and how often it repeats, not with what lies in
the period read. Before a series is expanded, ``series_problem`` estimates that work from the
RRULE and DTSTART alone:

- FREQ=SECONDLY or MINUTELY, or an INTERVAL that is not a positive whole number, is refused;
- a rule that can repeat more than ``calendar.repeats_per_day`` times a day (BYHOUR × BYMINUTE ×
  BYSECOND, an HOURLY rule with a small INTERVAL …) is refused;
- a rule whose expansion from DTSTART to the end of the period read would take more than
  ``calendar.series_instances`` steps is refused.

A step is about a microsecond of dateutil's work (``bench/rule_costs.py`` measures it): one
period of the rule's FREQ weighs what dateutil does in it (``Shape.weight``: it checks every day
of the period against every BY- part that picks days, so a YEARLY period costs thirty times a
DAILY one), and each instance it makes weighs ``INSTANCE_STEPS``.

A rule that never matches (``FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30``) would keep dateutil searching
every day until the year 9999. ``iterate`` runs dateutil's own iteration with its last year set
to the year after the period read, so such a search ends there, as every other one does.

VTIMEZONE observances are expanded by icalendar itself as soon as it parses them, up to 2038 or
their UNTIL/COUNT: ``observance_problem`` refuses any but a yearly rule of a few changes a year
that occurs at all, before icalendar sees it, and one dateutil fails on (``BYDAY=99SU`` raises
IndexError, ``BYMONTH=13;BYDAY=-1SU`` ValueError).
"""

from __future__ import annotations

import datetime as _datetime
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from dateutil import rrule as _dateutil_rrule  # type: ignore[import-untyped]

from makertime.limits import limit

FREQUENCIES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY")
_TOO_FREQUENT = ("SECONDLY", "MINUTELY")
_DAY_PARTS = ("BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYSETPOS")
_PROBE_YEARS = 8  # an observance must occur within this many years of its start
# dateutil's work per period, in steps of about a microsecond (see bench/rule_costs.py): what
# a period costs at least (the list of its days), the days it checks one by one, how many
# periods make a year (masks are rebuilt yearly), and what making one instance costs (a date,
# a datetime, a comparison or two)
_BASE = {"YEARLY": 4, "MONTHLY": 2, "WEEKLY": 2, "DAILY": 1, "HOURLY": 1}
_DAYS_CHECKED = {"YEARLY": 366, "MONTHLY": 31, "WEEKLY": 7, "DAILY": 1, "HOURLY": 1}
_PERIODS_A_YEAR = {"YEARLY": 1, "MONTHLY": 12, "WEEKLY": 52, "DAILY": 365, "HOURLY": 8760}
_DAY_FILTERS = ("BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY", "BYEASTER")
INSTANCE_STEPS = 4


@dataclass(frozen=True, slots=True)
class Shape:
    """What a rule's parts say about its size: per period, per day, and when it stops."""

    freq: str
    interval: int
    count: int | None
    until: date | None
    per_period: int  # instances one period of FREQ can hold at most
    per_day: int  # instances one day can hold at most
    dense: bool  # every period holds at least one instance
    weight: int = 1  # steps dateutil takes for one period, instances apart


def _values(rule: Any, key: str) -> list[Any]:
    found = rule.get(key) or []
    return list(found) if isinstance(found, list | tuple) else [found]


def _size(rule: Any, key: str) -> int:
    return len({str(v) for v in _values(rule, key)})


def shape(rule: Any, start: date) -> Shape | str:
    """The rule's Shape, or why it must not be expanded at all."""
    freq = str((_values(rule, "FREQ") or [""])[0]).upper()
    if freq in _TOO_FREQUENT:
        return f"repeats {freq.lower()}, which no calendar event does"
    interval = (_values(rule, "INTERVAL") or [1])[0]
    if not isinstance(interval, int) or isinstance(interval, bool) or interval < 1:
        return f"RRULE INTERVAL={interval} is not a positive whole number (it never advances)"
    if freq not in FREQUENCIES:
        return ""  # dateutil refuses it, and the series is skipped when it is expanded
    count = (_values(rule, "COUNT") or [None])[0]
    until = (_values(rule, "UNTIL") or [None])[0]
    per_day, per_period = _density(rule, freq, interval)
    return Shape(freq, interval, count if isinstance(count, int) else None,
                 until.date() if isinstance(until, datetime) else until
                 if isinstance(until, date) else None,
                 per_period, per_day, _dense(rule, freq, start), _weight(rule, freq))


def _density(rule: Any, freq: str, interval: int) -> tuple[int, int]:
    """(instances per day, instances per period), both upper bounds."""
    setpos = _size(rule, "BYSETPOS")
    minutes, seconds = max(_size(rule, "BYMINUTE"), 1), max(_size(rule, "BYSECOND"), 1)
    if freq == "HOURLY":
        hours = min(_size(rule, "BYHOUR") or 24, -(-24 // interval))
        per_hour = min(minutes * seconds, setpos or minutes * seconds)
        return hours * per_hour, per_hour
    times = max(_size(rule, "BYHOUR"), 1) * minutes * seconds
    per_day = min(times, setpos or times)
    per_period = _days_per_period(rule, freq) * times
    return per_day, min(per_period, setpos or per_period)


def _days_per_period(rule: Any, freq: str) -> int:
    """Days one period of FREQ can hold at most, from the BY- parts that pick days."""
    if freq == "DAILY":
        return 1
    months = _size(rule, "BYMONTH") or (12 if freq == "YEARLY" else 1)
    bounds = [{"YEARLY": 366, "MONTHLY": 31, "WEEKLY": 7}[freq]]
    if _size(rule, "BYYEARDAY"):
        bounds.append(_size(rule, "BYYEARDAY"))
    if _size(rule, "BYMONTHDAY"):
        bounds.append(_size(rule, "BYMONTHDAY") * (months if freq == "YEARLY" else 1))
    if _size(rule, "BYWEEKNO"):
        bounds.append(7 * _size(rule, "BYWEEKNO"))
    days = {str(d).upper() for d in _values(rule, "BYDAY")}
    if days:
        nth = sum(1 for d in days if d[:1] in "+-0123456789")
        plain = len(days) - nth
        if freq == "YEARLY":
            per_weekday = 5 * months if _size(rule, "BYMONTH") else 53
            bounds.append(plain * per_weekday + nth * (months if _size(rule, "BYMONTH") else 1))
        else:
            bounds.append(plain * (5 if freq == "MONTHLY" else 1) + nth)
    if not (days or _size(rule, "BYMONTHDAY") or _size(rule, "BYYEARDAY")
            or _size(rule, "BYWEEKNO")):
        bounds.append(_size(rule, "BYMONTH") or 1)  # dateutil takes DTSTART's day (and month)
    return max(1, min(bounds))


def _weight(rule: Any, freq: str) -> int:
    """Steps dateutil takes for one period of ``freq``, instances apart (an upper bound,
    measured by bench/rule_costs.py): it checks each day of the period against each BY- part
    that picks days (a tenth of a step each), looks through those days again for each BYSETPOS
    position, builds an hourly rule's times afresh every hour, and rebuilds its masks of nth
    weekdays every period (YEARLY, MONTHLY) and of week numbers every year."""
    days = _DAYS_CHECKED[freq]
    filters = sum(1 for part in _DAY_FILTERS if _size(rule, part))
    weight = _BASE[freq] + days * (1 + filters) // 10
    weight += _size(rule, "BYSETPOS") * (1 + days // 150)
    if freq == "HOURLY":
        weight += max(_size(rule, "BYMINUTE"), 1) * max(_size(rule, "BYSECOND"), 1) // 3
    if freq in ("YEARLY", "MONTHLY"):
        nth = sum(1 for d in {str(d) for d in _values(rule, "BYDAY")}
                  if d[:1] in "+-0123456789")
        months = (_size(rule, "BYMONTH") or 1) if freq == "YEARLY" else 1
        weight += nth * months // 4
    return weight + 7 * _size(rule, "BYWEEKNO") // (10 * _PERIODS_A_YEAR[freq])


def _dense(rule: Any, freq: str, start: date) -> bool:
    """Whether every period of FREQ surely holds an instance (so COUNT bounds the periods)."""
    if any(_size(rule, part) for part in _DAY_PARTS):
        return False
    days = [str(d) for d in _values(rule, "BYDAY")]
    if any(d[:1] in "+-0123456789" for d in days) or (days and freq in ("DAILY", "HOURLY")):
        return False
    if not days and freq == "MONTHLY":
        return start.day <= 28
    return not (not days and freq == "YEARLY" and (start.month, start.day) == (2, 29))


def periods(rule: Shape, start: date, stop: date) -> int:
    """How many periods of the rule's FREQ dateutil visits from ``start`` to ``stop``."""
    if rule.until is not None:
        stop = min(stop, rule.until)
    if stop < start:
        return 0
    days = (stop - start).days
    span = {"YEARLY": stop.year - start.year,
            "MONTHLY": (stop.year - start.year) * 12 + stop.month - start.month,
            "WEEKLY": days // 7 + 1, "DAILY": days, "HOURLY": (days + 1) * 24}[rule.freq]
    return span // rule.interval + 1


def steps(rule: Shape, start: date, stop: date) -> int:
    """An upper bound of dateutil's work from ``start`` to ``stop``, in steps: each period
    visited weighs the rule's ``weight``, each instance made ``INSTANCE_STEPS`` (COUNT bounds
    the instances, and the periods of a rule whose every period holds one)."""
    visited = periods(rule, start, stop)
    made = visited * rule.per_period
    if rule.count is not None:
        made = min(made, rule.count)
        if rule.dense:
            visited = min(visited, rule.count)
    return visited * rule.weight + made * INSTANCE_STEPS


def checked(rule: Any, start: date, stop: date) -> Shape | str:
    """The Shape of ``rule`` when its series from ``start`` may be expanded up to ``stop``;
    else why not, as a warning says it ('' when dateutil will refuse it anyway)."""
    found = shape(rule, start)
    if isinstance(found, str):
        return found
    most = limit("calendar.repeats_per_day")
    if found.per_day > most:
        return (f"can repeat {found.per_day:,} times a day; at most {most} are read "
                "(calendar.repeats_per_day)")
    work = steps(found, start, stop)
    most = limit("calendar.series_instances")
    if work > most:
        return (f"would take {work:,} steps to expand from its start on {start.isoformat()} "
                f"to the end of the period read; at most {most:,} are taken "
                "(calendar.series_instances)")
    return found


def series_problem(rule: Any, start: date, stop: date) -> str:
    """Why the series of ``rule`` from ``start`` must not be expanded up to ``stop`` ('' when
    it may): what it says in a warning."""
    found = checked(rule, start, stop)
    return found if isinstance(found, str) else ""


def observance_problem(text: str, start: datetime | None) -> str:
    """Why a VTIMEZONE observance's RRULE ``text`` must be dropped before icalendar expands it
    ('' when it may stay, or when icalendar should judge it)."""
    from icalendar import vRecur

    try:
        rule = vRecur.from_ical(text)
    except Exception:  # noqa: BLE001 - icalendar refuses it too: the zone is then left out
        return ""
    freq = str((_values(rule, "FREQ") or [""])[0]).upper()
    if freq != "YEARLY":
        return f"repeats {freq.lower() or 'without FREQ'}; a time zone changes at most yearly"
    found = shape(rule, start.date() if start else date(1970, 1, 1))
    if isinstance(found, str):
        return found
    most = limit("calendar.zone_changes_per_year")
    if found.per_period > most or any(_size(rule, p) > 1 for p in ("BYHOUR", "BYMINUTE",
                                                                      "BYSECOND")):
        return (f"can change the offset {found.per_period:,} times a year; at most {most} "
                "are read (calendar.zone_changes_per_year)")
    return _first_change_problem(rule, start) if start is not None else ""


def _first_change_problem(rule: Any, start: datetime) -> str:
    """Why dateutil cannot give the observance's first change in ``_PROBE_YEARS`` years from
    ``start`` ('' when it can): the rule as icalendar hands it to dateutil, which raises
    IndexError, ValueError … on rules such as BYDAY=99SU or BYMONTH=13;BYDAY=-1SU."""
    try:
        text = rule.to_ical().decode()
        found = next(iterate(_dateutil_rrule.rrulestr(text, dtstart=start),
                             min(start.year + _PROBE_YEARS, _datetime.MAXYEAR)), None)
    except Exception as error:  # noqa: BLE001 - dateutil raises many types on hostile rules
        return f"cannot be computed ({type(error).__name__}: {str(error)[:80]})"
    return "" if found is not None else (f"never occurs in the {_PROBE_YEARS} years after its "
                                         "start")


class _Horizon(types.ModuleType):
    """The datetime module as dateutil's iteration sees it, with MAXYEAR brought forward."""

    def __init__(self, last_year: int) -> None:
        super().__init__("datetime")
        self.MAXYEAR = last_year

    def __getattr__(self, name: str) -> Any:
        return getattr(_datetime, name)


@cache
def _iteration(last_year: int) -> Callable[[Any], Iterator[datetime]]:
    """dateutil's ``rrule._iter``, run against a datetime module whose MAXYEAR is
    ``last_year``: the same code and results, ending after that year."""
    original = _dateutil_rrule.rrule._iter
    scope = dict(vars(_dateutil_rrule))
    scope["datetime"] = _Horizon(last_year)
    made: Callable[[Any], Iterator[datetime]] = types.FunctionType(
        original.__code__, scope, original.__name__, original.__defaults__,
        original.__closure__)
    return made


def iterate(rule: Any, last_year: int) -> Iterator[datetime]:
    """The instances of a dateutil ``rrule`` in order, up to the end of ``last_year`` at most
    (uncached: nothing piles up in the rule)."""
    return _iteration(min(max(last_year, 1), _datetime.MAXYEAR))(rule)
