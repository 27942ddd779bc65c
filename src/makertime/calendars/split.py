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

from makertime.limits import limit

_FOLD = re.compile(rb"\n[ \t]")  # where a fold ends: a line break, then a space or a tab
# BEGIN and END lines, and the few properties read to decide how to cut
_LINES = re.compile(rb"^(BEGIN|END|UID|TZID|DTSTART|DTEND|DURATION|RRULE|RDATE|RECURRENCE-ID"
                    rb"|EXRULE)([;:][^\n]*)", re.M | re.I)
_PARAMS = re.compile(rb';(?:[^":\n]|"[^"\n]*")*')  # parameters, quoted values kept whole
_PLAIN_TIME = re.compile(rb"(\d{4})(\d{2})(\d{2})(?:T\d{6}Z?)?")
_NAME = re.compile(rb"[A-Za-z0-9-]{1,64}")
_BEGIN, _END, _UID, _TZID = b"BEGIN", b"END", b"UID", b"TZID"
_SINGLE = {_UID, _TZID, b"DTSTART", b"DTEND"}  # all a single event far outside may have
MARGIN = timedelta(days=2)  # beyond the expansion window: more than any UTC offset


@dataclass(slots=True)
class Part:
    """One top-level component: its name, where it lies in the unfolded file, and what the
    scan read of its own lines (its UIDs as grouping keys, whether it lies far outside)."""

    name: str
    start: int
    end: int = -1
    too_deep: bool = False
    uids: tuple[bytes, ...] = ()
    outside: bool = False
    label: str = ""  # the UID (or TZID) a warning names it by


@dataclass(slots=True)
class Section:
    """One VCALENDAR: its own lines, its VTIMEZONEs and its other components."""

    header: list[bytes] = field(default_factory=list)
    zones: list[Part] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)


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


def unfold(data: bytes) -> bytes:
    """``data`` unfolded as icalendar unfolds it (its ``UFOLD``): every run of line breaks
    (CRLF or LF) followed by a space or a tab is removed. Found from the space back, which
    takes one pass over the text where icalendar's expression tries every position."""
    pieces: list[bytes] = []
    kept = 0
    for match in _FOLD.finditer(data):
        start = match.start()
        while True:
            if start > kept and data[start - 1] == 13:  # CR of a CRLF
                start -= 1
            if start > kept and data[start - 1] == 10:  # one more line break in the run
                start -= 1
                continue
            break
        pieces.append(data[kept:start])
        kept = match.end()
    if not pieces:
        return data
    pieces.append(data[kept:])
    return b"".join(pieces)


def scan(data: bytes, window: tuple[date, date]) -> Scan:
    """Cut unfolded ``data`` into sections and their top-level components; ``window`` (the
    expansion's first day and the day after its last) decides which single events lie far
    outside."""
    scanner = _Scanner(data, window)
    for match in _LINES.finditer(data):
        name = match[1].upper()
        if name in (_BEGIN, _END):
            found = value(match[2])
            if found is None:
                continue  # not a content line: icalendar will judge it
            after = min(match.end() + 1, len(data))
            if name == _BEGIN:
                scanner.begin(found.strip().upper(), match.start(), after)
            else:
                scanner.end(match.start(), after)
        elif scanner.depth == 2:
            scanner.props.append((name, match[2]))
    return scanner.finish()


class _Scanner:
    """The state of one scan: where it is, and what it has found so far."""

    def __init__(self, data: bytes, window: tuple[date, date]) -> None:
        self.data, self.window = data, window
        self.deepest = limit("calendar.nesting")
        self.sections: list[Section] = []
        self.pending: list[Part] = []  # bare components before the first VCALENDAR
        self.section: Section | None = None
        self.part: Part | None = None
        self.props: list[tuple[bytes, bytes]] = []  # the current component's own lines read
        self.depth, self.header_from = 0, 0
        self.bare = self.any_bare = False
        self._names: dict[bytes, str] = {}

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
            self.part, self.props = Part(self._name(name), start), []
        elif self.part is not None and self.depth > self.deepest:
            self.part.too_deep = True

    def end(self, start: int, after: int) -> None:
        if self.depth == 0:
            return  # an END with no BEGIN: nothing to close
        if self.depth == 1:
            self._header_until(start)
            self.depth, self.section = 0, None
            return
        self.depth -= 1
        if self.depth == 1 and self.part is not None:
            self._close(self.part, after)
            self.part, self.header_from = None, after
            if self.bare:
                self.depth, self.bare = 0, False

    def _close(self, part: Part, end: int) -> None:
        """Note what the component's own lines say, and put it in its VCALENDAR (a bare one
        in the VCALENDAR before it, or else the next one)."""
        part.end = end
        read(part, self.props, self.window)
        self.props = []
        if not self.bare and self.section is not None:
            self.section.parts.append(part)
        elif self.sections:
            self.sections[-1].parts.append(part)
        else:
            self.pending.append(part)

    def _header_until(self, start: int) -> None:
        """Keep the calendar's own lines that lie between its components."""
        if self.section is not None and not self.bare and start > self.header_from:
            self.section.header.extend(_lines(self.data[self.header_from:start]))

    def _name(self, name: bytes) -> str:
        """A component name for counting and messages: letters, digits and dashes only."""
        found = self._names.get(name)
        if found is None:
            match = _NAME.fullmatch(name)
            found = self._names[name] = match[0].decode() if match else "?"
        return found

    def finish(self) -> Scan:
        if self.part is not None:  # the file ends inside a component: icalendar will judge it
            self._close(self.part, len(self.data))
        if self.pending:
            self.sections.append(Section(parts=self.pending))
        for found in self.sections:
            found.zones = [p for p in found.parts if p.name == "VTIMEZONE"]
            found.parts = [p for p in found.parts if p.name != "VTIMEZONE"]
        return Scan(self.data, self.sections, self.any_bare)


def _lines(text: bytes) -> list[bytes]:
    return [line.rstrip(b"\r") for line in text.split(b"\n") if line.strip()]


def value(rest: bytes) -> bytes | None:
    """The value of a property line from its first ';' or ':' on; None when unclear."""
    if rest[:1] == b":":
        return rest[1:].rstrip(b"\r")
    params = _PARAMS.match(rest)
    if params is None or rest[params.end():params.end() + 1] != b":":
        return None
    return rest[params.end() + 1:].rstrip(b"\r")


def read(part: Part, props: list[tuple[bytes, bytes]], window: tuple[date, date]) -> None:
    """Note on ``part`` what its own lines ``props`` say: its UIDs (as grouping keys that only
    ever join more components than icalendar would: escapes, spaces and case ignored), its
    label, and whether it is a single event lying ``MARGIN`` or more outside ``window``."""
    uids = [rest for name, rest in props if name == _UID]
    part.uids = tuple(_key(rest) for rest in uids)
    if part.too_deep or part.name == "VTIMEZONE":
        labels = [rest for name, rest in props if name in (_UID, _TZID)]
        found = value(labels[0]) if labels else None
        part.label = found.strip().decode("utf-8", "replace") if found else part.name
    part.outside = part.name == "VEVENT" and far_outside(props, window)


def far_outside(props: list[tuple[bytes, bytes]], window: tuple[date, date]) -> bool:
    """Whether a single event surely lies outside ``window`` by ``MARGIN``: exactly one DTSTART
    and one DTEND, each a plain ``YYYYMMDD[THHMMSS[Z]]``, and no DURATION, RRULE, RDATE,
    EXRULE or RECURRENCE-ID. Anything else is not decided here (False): it is parsed."""
    starts = [rest for name, rest in props if name == b"DTSTART"]
    ends = [rest for name, rest in props if name == b"DTEND"]
    if len(starts) != 1 or len(ends) != 1 or any(name not in _SINGLE for name, _ in props):
        return False
    low, high = _plain_date(value(starts[0])), _plain_date(value(ends[0]))
    if low is None or high is None:
        return False
    low, high = min(low, high), max(low, high)
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


def _key(rest: bytes) -> bytes:
    raw = value(rest)
    return (raw if raw is not None else rest).translate(None, b"\\ \t\r\n\x0b\x0c").lower()


def groups(parts: list[Part]) -> Iterator[list[Part]]:
    """``parts`` grouped by UID in file order (a component without a UID is a group of its
    own), leaving out single events far outside the window whose UID no other component of
    the VCALENDAR shares.

    A component naming two UIDs joins their groups: union-find, the group first in the file
    naming the joined one and the smaller list moved into the larger, so that joining costs
    at most n log n however the UIDs chain (re-pointing every key of a join was quadratic)."""
    keyed: dict[bytes, int] = {}  # UID → a group slot (its root by ``_root``)
    parent: list[int] = []  # each slot's parent: itself for a group's root, the first one
    members: list[list[Part]] = []  # the parts of each root slot
    joined: set[int] = set()  # root slots whose parts are no longer in file order
    for part in parts:
        found = [keyed[k] for k in part.uids if k in keyed]
        if not found:
            slot = len(members)
            parent.append(slot)
            members.append([part])
        else:
            slot = _root(parent, found[0])
            for other in found[1:]:
                slot = _join(parent, members, joined, slot, _root(parent, other))
            members[slot].append(part)
        for key in part.uids:
            keyed[key] = slot
    for slot, group in enumerate(members):
        if parent[slot] != slot or (len(group) == 1 and group[0].outside):
            continue
        yield sorted(group, key=lambda p: p.start) if slot in joined else group


def _root(parent: list[int], slot: int) -> int:
    """The root of ``slot``'s group (halving the path on the way)."""
    while parent[slot] != slot:
        parent[slot] = parent[parent[slot]]
        slot = parent[slot]
    return slot


def _join(parent: list[int], members: list[list[Part]], joined: set[int], one: int,
          other: int) -> int:
    """Join the groups of the roots ``one`` and ``other``; the root of the joined group."""
    if one == other:
        return one
    first, last = min(one, other), max(one, other)
    big, small = sorted((members[first], members[last]), key=len, reverse=True)
    big.extend(small)
    members[first], members[last] = big, []
    parent[last] = first
    joined.add(first)
    return first
