"""Read one iCalendar file: parse, repair what can be repaired, expand recurrence, report problems.

Parsing is icalendar's, expansion recurring-ical-events', Google's X-WR-TIMEZONE is x-wr-timezone's.
This module handles the traps around them (each has a fixture in tests/fixtures/ics/):

- icalendar caches custom VTIMEZONEs by TZID for the whole process, so two files with one TZID
  and different offsets would share the first's offsets: the cache is reset before every file;
- a TZID that neither a VTIMEZONE nor the zone database knows silently becomes floating:
  detected and warned about (a VTIMEZONE placed after its events is resolved by icalendar);
- a VTIMEZONE observance without TZOFFSETFROM makes icalendar refuse the whole file: mended;
- any other component icalendar cannot parse or expand is skipped with a warning naming its UID
  (icalendar keeps an unparsable value as a "broken" property that raises when it is read);
- an RRULE with INTERVAL=0 would make expansion loop forever: its series is skipped;
- a DST gap can turn an instance zero-length: its wall-clock duration is kept;
- distinct events sharing one UID would be folded into one series: each is kept.
"""

from __future__ import annotations

import gc
import warnings
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

import icalendar
import recurring_ical_events
import x_wr_timezone

from makertime.errors import SourceError
from makertime.model import Attendee, CalendarRead, EventInstance, ReadWarning, TimeKind, utc_span
from makertime.sources import repair
from makertime.sources.tasks import tasks_from_calendar

_STANDARD_COMPONENTS = {"VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE", "VALARM",
                        "VAVAILABILITY"}
_DATETIME_PROPS = ("DTSTART", "DTEND", "DUE", "RECURRENCE-ID")
# Broken values of these can be dropped and the event still read; any other broken value
# (DTSTART, RRULE, …) leaves the event unreadable: it is skipped with a warning.
_IGNORABLE = ("RDATE", "EXDATE", "CATEGORIES", "ATTENDEE", "DESCRIPTION", "LOCATION", "URL",
              "LAST-MODIFIED", "CREATED", "DTSTAMP")
_TOO_FREQUENT = ("SECONDLY", "MINUTELY")
_DUPLICATE = "\x00makertime-duplicate-"


def read_ics_bytes(data: bytes, source: str, first: date, last: date) -> CalendarRead:
    """Read iCalendar ``data`` named ``source`` and expand its events over ``first``..``last``."""
    # Parsing builds hundreds of thousands of small objects that all live until the end: the
    # cyclic collector would scan them again and again for nothing (about 10% of a big file).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read(data, source, first, last)
    finally:
        if collecting:
            gc.enable()


def _read(data: bytes, source: str, first: date, last: date) -> CalendarRead:
    notes = _Notes(source)
    if not data or data.isspace():
        raise SourceError(source, "is empty", "export the calendar again")
    calendars = parse_calendars(_decode(data, notes), notes)
    instances: list[EventInstance] = []
    tasks = []
    components: Counter[str] = Counter()
    for calendar in calendars:
        components.update(str(c.name) for c in calendar.subcomponents)
        calendar = _standardise(calendar, notes)
        for component in _expand(calendar, first - timedelta(days=1), last + timedelta(days=2),
                                 notes):
            instances.append(_instance(component, source))
        found, problems = tasks_from_calendar(calendar, source)
        tasks.extend(found)
        notes.items.extend(problems)
    instances.sort(key=lambda i: (i.start.replace(tzinfo=None), i.end.replace(tzinfo=None), i.uid))
    return CalendarRead(source=source, instances=tuple(instances), tasks=tuple(tasks),
                        warnings=tuple(notes.items), components=dict(components))


class _Notes:
    """Collects the warnings for one file."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[ReadWarning] = []

    def add(self, message: str, uid: str = "") -> None:
        note = ReadWarning(self.source, message, uid)
        if note not in self.items:
            self.items.append(note)


def parse_calendars(text: str, notes: _Notes) -> list[icalendar.Calendar]:
    """Parse every VCALENDAR in ``text``, mending or skipping what icalendar refuses."""
    calendars = _parse(text, notes) or _parse_leniently(text, notes)
    for calendar in calendars:
        for component in calendar.walk():
            _drop_broken_properties(calendar, component, notes)
    unknown = _unresolved_tzids(calendars)
    for tzid, uid in sorted(unknown):
        notes.add(f"time zone {tzid!r} is neither defined in the file nor a known zone; its times "
                  "are read as floating, in your zone (add its VTIMEZONE or use an IANA name)",
                  uid)
    return calendars


def _drop_broken_properties(calendar: icalendar.Calendar, component: Any, notes: _Notes) -> None:
    """Read past values icalendar could not parse: drop an optional one, else the whole item."""
    label = str(component.get("UID", component.name))
    for prop, reason in getattr(component, "errors", []):
        if not prop:
            notes.add(f"a line ignored: {reason}", label)
        elif prop in _IGNORABLE:
            component.pop(prop, None)  # read as if absent, as the warning says
            notes.add(f"property {prop} ignored: {reason}", label)
        elif component in calendar.subcomponents:
            calendar.subcomponents.remove(component)
            notes.add(f"skipped: property {prop} cannot be read: {reason}", label)
            return
        else:
            notes.add(f"property {prop} cannot be read: {reason}", label)


def _parse(data: str, notes: _Notes) -> list[icalendar.Calendar] | None:
    """icalendar's parse with a fresh timezone cache, or None when it refuses the whole file."""
    # resets icalendar's process-wide cache of custom VTIMEZONEs
    icalendar.use_zoneinfo()  # type: ignore[no-untyped-call]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            found = icalendar.Calendar.from_ical(data, multiple=True)
        except Exception:  # noqa: BLE001 - icalendar raises many types on bad input
            return None
    for warning in caught:
        notes.add(str(warning.message))
    if not found or not all(isinstance(c, icalendar.Calendar) for c in found):
        return None  # components outside a VCALENDAR: the lenient reader keeps them
    return list(found)


def _decode(data: bytes, notes: _Notes) -> str:
    """The file's text: UTF-8 as RFC 5545 says, else Windows-1252 (old Outlook exports)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        notes.add(f"is not UTF-8 (byte {error.start}); read as Windows-1252, so check accented "
                  "names")
        return data.decode("cp1252", errors="replace")


def _parse_leniently(text: str, notes: _Notes) -> list[icalendar.Calendar]:
    """Mend missing TZOFFSETFROM, then drop single components until icalendar accepts the rest."""
    try:
        document = repair.split_document(text)
    except Exception as error:  # noqa: BLE001 - content lines icalendar cannot split
        raise SourceError(notes.source, f"is not an iCalendar file ({error})") from None
    if not document.blocks and not document.header:
        raise SourceError(notes.source, "is not an iCalendar file (no BEGIN:VCALENDAR found)",
                          "export the calendar as .ics")
    names = sorted({b.name for b in document.blocks})
    if document.bare and not _STANDARD_COMPONENTS & set(names):
        raise SourceError(notes.source, "is not a calendar: no VCALENDAR and no standard "
                          f"component, only {', '.join(map(repr, names))[:60]}",
                          "export the calendar as .ics")
    if document.bare:
        notes.add("components stand outside any VCALENDAR; read as if inside one")
    for line in repair.drop_bad_lines(document.header):
        notes.add(f"calendar line {line[:40]!r} is not iCalendar; ignored")
    for tzid in repair.add_missing_tzoffsetfrom(document):
        notes.add("VTIMEZONE observance without the mandatory TZOFFSETFROM; mended with the "
                  "offset of the other observance", tzid)
    calendars = _parse(document.text(), notes)
    if calendars is not None:
        return calendars
    kept: list[repair.Block] = []
    for block in sorted(document.blocks, key=lambda b: b.name != "VTIMEZONE"):
        zones = [b for b in kept if b.name == "VTIMEZONE"]
        if _parse(document.text([*zones, block]), notes) is not None:
            kept.append(block)
            continue
        bad = repair.drop_bad_lines(block.lines)
        if bad and _parse(document.text([*zones, block]), notes) is not None:
            notes.add(f"{block.name}: line {bad[0][:40]!r} is not iCalendar; ignored", block.label)
            kept.append(block)
        else:
            notes.add(f"{block.name} cannot be parsed and was skipped", block.label)
    calendars = _parse(document.text(kept), notes)
    if calendars is None:
        raise SourceError(notes.source, "no component of this calendar can be parsed")
    return calendars


def _unresolved_tzids(calendars: Iterable[icalendar.Calendar]) -> set[tuple[str, str]]:
    """(TZID, UID) of datetimes icalendar left naive because it did not know the zone."""
    unknown: set[tuple[str, str]] = set()
    for calendar in calendars:
        for component in calendar.walk():
            if component.name not in ("VEVENT", "VTODO"):
                continue
            for name in _DATETIME_PROPS:
                prop = component.get(name)
                tzid = getattr(prop, "params", {}).get("TZID") if prop is not None else None
                value = _parsed_dt(prop)
                if tzid and isinstance(value, datetime) and value.tzinfo is None:
                    unknown.add((str(tzid), str(component.get("UID", component.name))))
    return unknown


def _parsed_dt(prop: Any) -> Any:
    """``prop.dt``; None when absent or unparsed (icalendar's broken values raise ValueError)."""
    try:
        return getattr(prop, "dt", None)
    except ValueError:
        return None


def _standardise(calendar: icalendar.Calendar, notes: _Notes) -> icalendar.Calendar:
    """Apply X-WR-TIMEZONE, drop series that repeat too often, keep duplicate UIDs apart."""
    if "X-WR-TIMEZONE" in calendar:
        try:
            calendar = x_wr_timezone.to_standard(calendar)
        except Exception as error:  # noqa: BLE001 - unknown zone names and the like
            notes.add(f"X-WR-TIMEZONE {calendar['X-WR-TIMEZONE']!s} ignored: {error}")
    masters: dict[str, list[Any]] = {}
    for event in list(calendar.walk("VEVENT")):
        problem = _unexpandable(event.get("RRULE"))
        if problem:
            notes.add(f"{problem}; skipped", str(event.get("UID", "")))
            calendar.subcomponents.remove(event)
        elif "RECURRENCE-ID" not in event:
            masters.setdefault(str(event.get("UID", "")), []).append(event)
    for uid, events in masters.items():
        if len(events) > 1:
            _keep_duplicates_apart(uid, events, notes)
    return calendar


def _unexpandable(rule: Any) -> str:
    """Why a parsed RRULE must not reach expansion ('' when it may).

    A broken RRULE (icalendar's vBroken) never gets here: ``_drop_broken_properties`` has
    already skipped its event. INTERVAL below 1 would make expansion loop forever.
    """
    if not isinstance(rule, icalendar.vRecur):
        return ""
    freq = str((rule.get("FREQ") or [""])[0]).upper()
    if freq in _TOO_FREQUENT:
        return f"repeats {freq.lower()}, which no calendar event does"
    interval = (rule.get("INTERVAL") or [1])[0]
    if not isinstance(interval, int) or interval < 1:
        return f"RRULE INTERVAL={interval} is not a positive whole number (it never advances)"
    return ""


def _keep_duplicates_apart(uid: str, events: list[Any], notes: _Notes) -> None:
    """Distinct events that share a UID are all kept (expansion would fold them into one)."""
    seen: list[tuple[str, ...]] = []
    for event in events:
        shape = tuple(e.to_ical().decode() if hasattr(e, "to_ical") else e for e in (
            event.get("DTSTART"), event.get("DTEND"), event.get("DURATION"), event.get("RRULE")))
        if shape in seen:
            continue
        if seen:
            event["UID"] = f"{uid}{_DUPLICATE}{len(seen)}"
            notes.add(f"{len(seen) + 1} different events share this UID; each is kept", uid)
        seen.append(shape)


def _expand(calendar: icalendar.Calendar, first: date, end: date, notes: _Notes) -> list[Any]:
    """All event occurrences in ``[first, end)``; a series that fails is skipped and named."""
    try:
        return list(recurring_ical_events.of(calendar).between(first, end))
    except Exception:  # noqa: BLE001 - find the series to blame below
        pass
    occurrences: list[Any] = []
    zones = list(calendar.walk("VTIMEZONE"))
    by_uid: dict[str, list[Any]] = {}
    for event in calendar.walk("VEVENT"):
        by_uid.setdefault(str(event.get("UID", "")), []).append(event)
    for uid, events in by_uid.items():
        single = icalendar.Calendar()
        for component in (*zones, *events):
            single.add_component(component)
        try:
            occurrences.extend(recurring_ical_events.of(single).between(first, end))
        except Exception as error:  # noqa: BLE001 - any failure skips only this series
            notes.add(f"cannot be expanded and was skipped: {error}", _original_uid(uid))
    return occurrences


def _original_uid(uid: str) -> str:
    return uid.split(_DUPLICATE, 1)[0]


def _instance(event: Any, source: str) -> EventInstance:
    """The occurrence as an EventInstance with UTC, floating or DATE times."""
    uid = _original_uid(str(event.get("UID", "")))
    start, end = event["DTSTART"].dt, event["DTEND"].dt if "DTEND" in event else None
    if end is None:
        end = start
    if not isinstance(start, datetime):
        kind = TimeKind.DATE
        start, end = datetime.combine(start, time()), datetime.combine(_as_date(end), time())
    elif start.tzinfo is None:
        kind = TimeKind.FLOATING
        end = end if isinstance(end, datetime) else datetime.combine(end, time())
    else:
        kind = TimeKind.UTC
        start, end = utc_span(start, end)
    return EventInstance(
        uid=uid, summary=str(event.get("SUMMARY", "")), start=start, end=end, kind=kind,
        source=source, status=str(event.get("STATUS", "")).upper(),
        transp=str(event.get("TRANSP", "")).upper(),
        busystatus=str(event.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper(),
        categories=tuple(str(c) for c in _categories(event)),
        attendees=tuple(_attendees(event)),
    )


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _categories(event: Any) -> list[str]:
    try:
        return [str(c) for c in event.categories]
    except Exception:  # noqa: BLE001 - a malformed CATEGORIES line names no category
        return []


def _attendees(event: Any) -> list[Attendee]:
    found = event.get("ATTENDEE")
    if found is None:
        return []
    people = found if isinstance(found, list) else [found]
    return [Attendee(str(p).lower().removeprefix("mailto:").strip(),
                     str(getattr(p, "params", {}).get("PARTSTAT", "NEEDS-ACTION")).upper())
            for p in people]
