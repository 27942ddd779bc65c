"""A calendar file cut into its top-level components with one linear scan, so that icalendar
parses it a piece at a time instead of building the whole file's tree at once.

This is not a parser. After icalendar's own unfolding of content lines, it finds the BEGIN and
END lines and reads the values of a few properties, only to decide how to cut:

- each VCALENDAR is a ``Section`` with its own calendar lines (X-WR-TIMEZONE!) and VTIMEZONEs,
  which go with every piece of it that is parsed;
- components sharing a UID (a series and its RECURRENCE-ID overrides) stay together;
- a component nested deeper than ``calendar.nesting`` is left out whole, before icalendar (whose
  walk recurses) ever sees it;
- a single event whose DTSTART and DTEND are plain dates or date-times lying days away from the
  period read is left out unparsed (see ``far_outside``). Anything less clear is parsed.

Everything kept is handed to icalendar as it stood in the file. The scan works on bytes: the
file's text is decoded a piece at a time, so a big file is never held twice as a str.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from icalendar.parser.content_line import UFOLD

from makertime.limits import limit

# icalendar's own unfolding (CRLF or LF followed by a space or a tab), on bytes
_UNFOLD = re.compile(UFOLD.pattern.encode())
_BOUNDARY = re.compile(rb"^(BEGIN|END):([^\n]*)", re.M | re.I)
_PROPS = re.compile(rb"^(UID|DTSTART|DTEND|DURATION|RRULE|RDATE|RECURRENCE-ID|EXRULE)([;:][^\n]*)",
                    re.M | re.I)
_LABELS = re.compile(rb"^(UID|TZID)([;:][^\n]*)", re.M | re.I)
_PARAMS = re.compile(rb';(?:[^":\n]|"[^"\n]*")*')  # parameters, quoted values kept whole
_PLAIN_TIME = re.compile(rb"(\d{4})(\d{2})(\d{2})(?:T\d{6}Z?)?")
_NAME = re.compile(rb"[A-Za-z0-9-]{1,64}")
MARGIN = timedelta(days=2)  # beyond the expansion window: more than any UTC offset


@dataclass(slots=True)
class Part:
    """One top-level component: its name and where it lies in the unfolded file."""

    name: str
    start: int
    end: int = -1
    nested: list[list[int]] = field(default_factory=list)  # [start, end] of each child
    too_deep: bool = False


@dataclass(slots=True)
class Section:
    """One VCALENDAR: its own lines, its VTIMEZONEs and its other components."""

    header: list[bytes] = field(default_factory=list)
    zones: list[Part] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    bare: bool = False  # holds components that stood outside any VCALENDAR


@dataclass(slots=True)
class Scan:
    """A file cut into sections, over its unfolded bytes."""

    data: bytes
    sections: list[Section]
    bare: bool  # some components stood outside any VCALENDAR

    def text(self, part: Part) -> bytes:
        """The component's lines, ending in a line break."""
        found = self.data[part.start:part.end]
        return found if found.endswith(b"\n") else found + b"\r\n"

    def own_lines(self, part: Part) -> bytes:
        """The component's lines without those of the components nested in it."""
        if not part.nested:
            return self.data[part.start:part.end]
        pieces, at = [], part.start
        for start, end in part.nested:
            pieces.append(self.data[at:start])
            at = end if end >= 0 else part.end
        pieces.append(self.data[at:part.end])
        return b"".join(pieces)


def unfold(data: bytes) -> bytes:
    """``data`` with icalendar's unfolding applied: every content line on one line."""
    return _UNFOLD.sub(b"", data)


def scan(data: bytes) -> Scan:
    """Cut unfolded ``data`` into sections and their top-level components."""
    scanner = _Scanner(data)
    for match in _BOUNDARY.finditer(data):
        name = match[2].rstrip(b"\r").strip().upper()
        if match[1].upper() == b"BEGIN":
            scanner.begin(name, match.start(), min(match.end() + 1, len(data)))
        else:
            scanner.end(match.start(), min(match.end() + 1, len(data)))
    return scanner.finish()


class _Scanner:
    """The state of one scan: where it is, and what it has found so far."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.deepest = limit("calendar.nesting")
        self.sections: list[Section] = []
        self.pending: list[Part] = []  # bare components before the first VCALENDAR
        self.section: Section | None = None
        self.part: Part | None = None
        self.depth, self.header_from = 0, 0
        self.bare = self.any_bare = False

    def begin(self, name: bytes, start: int, after: int) -> None:
        if self.depth == 0:
            if name == b"VCALENDAR":
                self.section = Section(parts=self.pending)
                self.sections.append(self.section)
                self.pending, self.header_from, self.depth, self.bare = [], after, 1, False
                return
            self.bare = self.any_bare = True  # outside any VCALENDAR: read as inside one
            self.depth = 1
        self.depth += 1
        if self.depth == 2:
            self._header_until(start)
            self.part = Part(_decode_name(name), start)
        elif self.part is not None:
            if self.depth == 3:
                self.part.nested.append([start, -1])
            self.part.too_deep = self.part.too_deep or self.depth > self.deepest

    def end(self, start: int, after: int) -> None:
        if self.depth == 0:
            return  # an END with no BEGIN: nothing to close
        if self.depth == 1:
            self._header_until(start)
            self.depth, self.section = 0, None
            return
        self.depth -= 1
        part = self.part
        if part is None:
            return
        if self.depth == 2 and part.nested:
            part.nested[-1][1] = after
        if self.depth == 1:
            part.end = after
            self._place(part)
            self.part, self.header_from = None, after
            if self.bare:
                self.depth, self.bare = 0, False

    def _header_until(self, start: int) -> None:
        """Keep the calendar's own lines that lie between its components."""
        if self.section is not None and not self.bare and start > self.header_from:
            self.section.header.extend(_lines(self.data[self.header_from:start]))

    def _place(self, part: Part) -> None:
        """Put a finished component in its VCALENDAR; a bare one in the one before it."""
        if not self.bare and self.section is not None:
            self.section.parts.append(part)
        elif self.sections:
            self.sections[-1].parts.append(part)
        else:
            self.pending.append(part)

    def finish(self) -> Scan:
        if self.part is not None:  # the file ends inside a component: icalendar will judge it
            self.part.end = len(self.data)
            self._place(self.part)
        if self.pending:
            self.sections.append(Section(parts=self.pending, bare=True))
        for found in self.sections:
            found.zones = [p for p in found.parts if p.name == "VTIMEZONE"]
            found.parts = [p for p in found.parts if p.name != "VTIMEZONE"]
        return Scan(self.data, self.sections, self.any_bare)


def _lines(text: bytes) -> list[bytes]:
    return [line.rstrip(b"\r") for line in text.split(b"\n") if line.strip()]


def _decode_name(name: bytes) -> str:
    """A component name for counting and messages: letters, digits and dashes only."""
    found = _NAME.fullmatch(name)
    return found[0].decode() if found else "?"


def value(rest: bytes) -> bytes | None:
    """The value of a property line from its first ';' or ':' on; None when unclear."""
    if rest.startswith(b":"):
        return rest[1:].rstrip(b"\r")
    params = _PARAMS.match(rest)
    if params is None or not rest[params.end():].startswith(b":"):
        return None
    return rest[params.end() + 1:].rstrip(b"\r")


@dataclass(frozen=True, slots=True)
class Facts:
    """What the scan reads of one component: its UIDs, and whether it lies far outside."""

    uids: tuple[bytes, ...]
    outside: bool


def facts(own: bytes, name: str, window: tuple[date, date]) -> Facts:
    """The UIDs of a component (from its own lines) and whether it is a single event that lies
    ``MARGIN`` or more outside ``window`` (the expansion's first day, its day after)."""
    found: dict[bytes, list[bytes]] = {}
    for prop, rest in _PROPS.findall(own):
        found.setdefault(prop.upper(), []).append(rest)
    uids = tuple(_uid_key(rest) for rest in found.get(b"UID", []))
    return Facts(uids, name == "VEVENT" and far_outside(found, window))


def far_outside(found: dict[bytes, list[bytes]], window: tuple[date, date]) -> bool:
    """Whether a single event surely lies outside ``window`` by ``MARGIN``: exactly one DTSTART
    and one DTEND, each a plain ``YYYYMMDD[THHMMSS[Z]]``, and no DURATION, RRULE, RDATE,
    EXRULE or RECURRENCE-ID. Anything else is not decided here (False): it is parsed."""
    if set(found) - {b"UID", b"DTSTART", b"DTEND"}:
        return False
    starts, ends = found.get(b"DTSTART", []), found.get(b"DTEND", [])
    if len(starts) != 1 or len(ends) != 1:
        return False
    days = [_plain_date(value(starts[0])), _plain_date(value(ends[0]))]
    if None in days:
        return False
    low, high = min(d for d in days if d), max(d for d in days if d)
    first, end = window
    return high < first - MARGIN or low > end + MARGIN


def _plain_date(raw: bytes | None) -> date | None:
    match = _PLAIN_TIME.fullmatch(raw.strip()) if raw is not None else None
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def label(scan_: Scan, part: Part) -> str:
    """How a warning names a component: the UID (or TZID) on its own lines, or its name."""
    for _name, rest in _LABELS.findall(scan_.own_lines(part)):
        found = value(rest)
        if found is not None and found.strip():
            return found.strip().decode("utf-8", errors="replace")
    return part.name


def _uid_key(rest: bytes) -> bytes:
    """A UID as a key that only ever joins more components than icalendar would: escapes,
    spaces and case are ignored; an unclear line gives its whole text."""
    raw = value(rest)
    return re.sub(rb"[\\\s]", b"", raw if raw is not None else rest).lower()


def groups(scan_: Scan, section: Section, window: tuple[date, date]) -> Iterator[list[Part]]:
    """The components of ``section`` grouped by UID in file order (a component without a UID
    is a group of its own), leaving out single events far outside ``window`` whose UID no
    other component of the VCALENDAR shares."""
    keyed: dict[bytes, int] = {}
    members: list[list[Part]] = []
    outside: list[bool] = []
    for part in section.parts:
        found = facts(scan_.own_lines(part), part.name, window)
        slots = sorted({keyed[k] for k in found.uids if k in keyed})
        if not slots:
            slot = len(members)
            members.append([])
            outside.append(found.outside)
        else:
            slot = slots[0]
            outside[slot] = False
            for other in slots[1:]:  # one component naming two UIDs joins their groups
                members[slot].extend(members[other])
                members[other] = []
        members[slot].append(part)
        if len(slots) > 1:  # rare: repoint the keys of the groups just joined
            for key, at in keyed.items():
                if at in slots[1:]:
                    keyed[key] = slot
        for key in found.uids:
            keyed[key] = slot
    for slot, parts in enumerate(members):
        if parts and not (outside[slot] and len(parts) == 1):
            yield parts
