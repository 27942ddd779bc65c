"""Repairs for calendar components that icalendar refuses: lines that are no content lines,
and VTIMEZONE observances without their mandatory TZOFFSETFROM.

Works on content lines as icalendar splits them (``Contentline.parts``), never on a parser of
ours, so that one broken line or component can be dropped or mended without losing the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from icalendar.parser import Contentline


@dataclass
class Block:
    """One top-level component of a VCALENDAR: its name and content lines, BEGIN to END."""

    name: str
    lines: list[str] = field(default_factory=list)

    def value(self, prop: str) -> str:
        """The first value of ``prop`` at any depth of this block, or ''."""
        wanted = prop.upper()
        for line in self.lines:
            head, _, rest = line.partition(":")
            if head.split(";", 1)[0].strip().upper() == wanted:
                return rest.strip()
        return ""

    @property
    def label(self) -> str:
        """How a warning names this component: its UID, or its TZID, or its kind."""
        return self.value("UID") or self.value("TZID") or self.name


@dataclass
class Document:
    """A calendar's top-level components, as blocks of content lines."""

    header: list[str]
    blocks: list[Block]


def is_content_line(line: str) -> bool:
    """Whether icalendar can split ``line`` into name, parameters and value."""
    try:
        Contentline(line).parts()  # type: ignore[no-untyped-call]
    except ValueError:
        return False
    return True


def drop_bad_lines(lines: list[str]) -> list[str]:
    """Remove from ``lines`` (in place) every line that is not a content line; return them."""
    bad = [line for line in lines if not is_content_line(line)]
    lines[:] = [line for line in lines if line not in bad]
    return bad


def add_missing_tzoffsetfrom(document: Document) -> list[str]:
    """Give each VTIMEZONE observance without TZOFFSETFROM the offset in force before it.

    RFC 5545 makes TZOFFSETFROM mandatory and icalendar rejects the whole file without it.
    The offset before a STANDARD observance is the DAYLIGHT offset and vice versa; a zone with a
    single observance has the same offset before and after. Returns the TZIDs that were mended.
    """
    mended: list[str] = []
    for block in document.blocks:
        if block.name != "VTIMEZONE":
            continue
        found = observances(block.lines)
        offsets = {kind: _prop(block.lines[a:b], "TZOFFSETTO") for kind, a, b in found}
        inserts: list[tuple[int, str]] = []
        for kind, start, stop in found:
            if _prop(block.lines[start:stop], "TZOFFSETFROM"):
                continue
            other = "DAYLIGHT" if kind == "STANDARD" else "STANDARD"
            offset = offsets.get(other) or offsets.get(kind)
            if offset:
                inserts.append((stop - 1, f"TZOFFSETFROM:{offset}"))
        for index, line in sorted(inserts, reverse=True):
            block.lines.insert(index, line)
        if inserts:
            mended.append(block.label)
    return mended


def observances(lines: list[str]) -> list[tuple[str, int, int]]:
    """(kind, first line, one past END line) of each STANDARD/DAYLIGHT in a VTIMEZONE."""
    found: list[tuple[str, int, int]] = []
    start = -1
    for index, line in enumerate(lines):
        upper = line.upper().strip()
        if upper in ("BEGIN:STANDARD", "BEGIN:DAYLIGHT"):
            start = index
        elif upper in ("END:STANDARD", "END:DAYLIGHT") and start >= 0:
            found.append((upper[4:], start, index + 1))
            start = -1
    return found


def _prop(lines: list[str], name: str) -> str:
    return Block("", lines).value(name)
