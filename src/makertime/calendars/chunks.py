"""Parsing one VCALENDAR a piece at a time: its calendar lines and VTIMEZONEs with every piece,
icalendar's parse first, and when icalendar refuses a piece, the piece taken apart until only
what cannot be read is left out, each with a warning naming it.

Taking a piece apart parses its halves again and again, so those parses leave the VTIMEZONEs
out: icalendar computed them when it first read them and resolves their TZIDs from its cache
until the next VCALENDAR (``ics`` resets it), so a TZID reads the same with or without them.
After ``calendar.warnings`` components of one VCALENDAR were refused, a piece icalendar refuses
is skipped whole, unread (``unread`` counts them for one last warning): a file of broken
components costs what the limit allows, not a parse per component and level.

A VTIMEZONE is looked at before icalendar ever parses it (icalendar computes a custom zone's
changes as soon as it reads it): an observance whose rule is not a plain yearly one is dropped
(``rules.observance_problem``), and a missing TZOFFSETFROM is mended.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from datetime import datetime

import icalendar

from makertime.calendars import mend, rules
from makertime.calendars.split import Part, Scan, Section
from makertime.errors import SourceError
from makertime.limits import limit

Warn = Callable[[str, str], None]  # (message, uid)
_PLAIN = re.compile(r"\d{8}T\d{6}Z?")


class SectionParser:
    """Parses the components of one VCALENDAR, a list of them at a time."""

    def __init__(self, scan: Scan, section: Section, codec: str, source: str,
                 warn: Warn, *, observances: int) -> None:
        self.scan, self.codec, self.source, self.warn = scan, codec, source, warn
        self.header = [self._decode(line) for line in section.header]
        self.observances = observances  # what ``calendar.zone_observances`` leaves the file
        self.zones = self._zones(section)
        self._lenient = False  # the calendar lines and zones were checked one by one
        self.refused = 0  # components icalendar refused alone, in this VCALENDAR
        self.unread = 0  # components skipped unread once ``refused`` reached its limit

    def _decode(self, data: bytes) -> str:
        return data.decode(self.codec, errors="replace")

    def text(self, components: list[str], *, zones: bool = True) -> str:
        """A calendar of the header, the zones (unless ``zones`` is False) and ``components``
        (each its lines)."""
        lines = ["BEGIN:VCALENDAR", *self.header]
        return "\r\n".join(lines) + "\r\n" + "".join(self.zones if zones else ()) + "".join(
            components) + "END:VCALENDAR\r\n"

    def parse(self, parts: list[Part]) -> list[icalendar.Calendar]:
        """The parts parsed into calendars; what icalendar refuses is left out with a warning."""
        whole = self._decode(b"".join(self.scan.text(p) for p in parts))
        found = self._parse(self.text([whole]))
        if found is not None:
            return found
        self._check_calendar_lines()
        texts = [self._decode(self.scan.text(p)) for p in parts]
        kept: list[icalendar.Calendar] = []
        self._accept(texts, kept)
        return _merged(kept)

    def _parse(self, text: str) -> list[icalendar.Calendar] | None:
        """icalendar's parse, or None when it refuses the text."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                found = icalendar.Calendar.from_ical(text, multiple=True)
            except Exception:  # noqa: BLE001 - icalendar raises many types on bad input
                return None
        for warning in caught:
            self.warn(str(warning.message), "")
        if not found or not all(isinstance(c, icalendar.Calendar) for c in found):
            return None
        return list(found)

    def _check_calendar_lines(self) -> None:
        """Drop calendar lines and VTIMEZONEs that icalendar cannot read (once per VCALENDAR)."""
        if self._lenient:
            return
        self._lenient = True
        for line in mend.drop_bad_lines(self.header):
            self.warn(f"calendar line {line[:40]!r} is not iCalendar; ignored", "")
        if self._parse(self.text([])) is not None:
            return
        zones, self.zones = self.zones, []
        if self._parse(self.text([])) is None:
            raise SourceError(self.source, "no component of this calendar can be parsed")
        for zone in zones:
            if self._parse(self.text([zone])) is not None:
                self.zones.append(zone)
            else:
                block = mend.Block("VTIMEZONE", zone.splitlines())
                self.warn("VTIMEZONE cannot be parsed and was skipped", block.label)

    def _accept(self, texts: list[str], kept: list[icalendar.Calendar]) -> None:
        """Keep what parses of ``texts``: halves until one component is left, then that one
        without its broken lines, or skipped (parsed without the zones: see the module)."""
        found = self._parse(self.text(texts, zones=False))
        if found is not None:
            kept.extend(found)
            return
        if self.refused >= limit("calendar.warnings"):
            self.unread += len(texts)
            return
        if len(texts) > 1:
            middle = len(texts) // 2
            self._accept(texts[:middle], kept)
            self._accept(texts[middle:], kept)
            return
        self.refused += 1
        lines = texts[0].splitlines()
        block = mend.Block(lines[0][6:].strip().upper() if lines else "?", lines)
        bad = mend.drop_bad_lines(block.lines)
        repaired = "\r\n".join(block.lines) + "\r\n"
        found = self._parse(self.text([repaired], zones=False)) if bad else None
        if found is not None:
            self.warn(f"{block.name}: line {bad[0][:40]!r} is not iCalendar; ignored",
                      block.label)
            kept.extend(found)
        else:
            self.warn(f"{block.name} cannot be parsed and was skipped", block.label)

    def _zones(self, section: Section) -> list[str]:
        """The VTIMEZONEs icalendar may compute: each one's observances cost it milliseconds,
        so past ``calendar.zone_observances`` in the file the rest are left out, in one
        warning (their TZIDs then name an IANA zone, or are read as an unknown one)."""
        zones: list[str] = []
        left_out: list[str] = []
        for part in section.zones:
            zone = self._zone(part)
            if zone is None:
                continue
            count = len(mend.observances(zone.split("\r\n")))
            if count > self.observances:
                left_out.append(mend.Block("VTIMEZONE", zone.split("\r\n")).label)
                continue
            self.observances -= count
            zones.append(zone)
        if left_out:
            names = ", ".join(left_out[:3]) + (", …" if len(left_out) > 3 else "")
            self.warn(f"{len(left_out):,} VTIMEZONEs past {limit('calendar.zone_observances'):,} "
                      f"observances in the file were left out ({names}); their times are read "
                      "in the IANA zone their TZID names, else as in an unknown zone", "")
        return zones

    def _zone(self, part: Part) -> str | None:
        """A VTIMEZONE's text with its unbounded observances dropped and TZOFFSETFROM mended."""
        lines = [line.rstrip("\r") for line in self._decode(self.scan.text(part)).split("\n")
                 if line.strip()]
        block = mend.Block("VTIMEZONE", lines)
        observances = mend.observances(lines)
        for kind, begin, end in reversed(observances):
            problem = _observance_problem(lines[begin:end])
            if problem:
                self.warn(f"time zone observance {kind} dropped: its RRULE {problem}",
                          block.label)
                del lines[begin:end]
        if observances and not mend.observances(lines):
            self.warn("VTIMEZONE has no usable observance and was skipped; its times are read "
                      "as in an unknown zone", block.label)
            return None
        for tzid in mend.add_missing_tzoffsetfrom(mend.Document([], [block])):
            self.warn("VTIMEZONE observance without the mandatory TZOFFSETFROM; mended with "
                      "the offset of the other observance", tzid)
        return "\r\n".join(block.lines) + "\r\n"


def _observance_problem(lines: list[str]) -> str:
    """Why an observance (its lines) must not reach icalendar, from its RRULEs; any failure
    to tell is a reason too (one hostile zone must not cost the file)."""
    start = _plain_datetime(mend.Block("", lines).value("DTSTART"))
    for line in lines:
        head, _, rest = line.partition(":")
        if head.split(";", 1)[0].strip().upper() == "RRULE":
            try:
                problem = rules.observance_problem(rest.strip(), start)
            except Exception as error:  # noqa: BLE001 - dropped with the reason, not a crash
                problem = f"cannot be checked ({type(error).__name__}: {str(error)[:80]})"
            if problem:
                return problem
    return ""


def _plain_datetime(text: str) -> datetime | None:
    if not _PLAIN.fullmatch(text):
        return None
    try:
        return datetime.strptime(text[:15], "%Y%m%dT%H%M%S")  # noqa: DTZ007 - wall time
    except ValueError:
        return None


def _merged(calendars: list[icalendar.Calendar]) -> list[icalendar.Calendar]:
    """Calendars parsed a piece at a time, as one (the zones are the first piece's, if any)."""
    if len(calendars) <= 1:
        return calendars
    first, *rest = calendars
    for other in rest:
        for component in other.subcomponents:
            if component.name != "VTIMEZONE":
                first.add_component(component)
    return [first]
