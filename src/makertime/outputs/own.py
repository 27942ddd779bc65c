"""Telling makertime's own files from everyone else's, by their content alone.

An output replaces an existing file only when that file is one makertime wrote, of the same kind:

- a plan (``plan --out``): an iCalendar file whose PRODID is makertime's and whose every event
  carries makertime's markers (``X-MAKERTIME-KIND`` and a UID ending ``@makertime``), with
  nothing else in it but the time zones those events use;
- a calendar file makertime publishes to (``--publish FILE.ics``): every event is makertime's
  (the person's calendar program may have rewritten the PRODID when they moved a block);
- an HTML report (``audit --html``, ``plan --html``): it opens as makertime's pages open, with
  ``<meta name="generator" content="makertime …">``, and ends with makertime's footer.

An empty file holds nothing to lose and counts as makertime's. Reading is bounded: the first
few kilobytes decide for any file that is not makertime's; only a file that opens as
makertime's plan is read whole (up to the ``calendar.file_bytes`` limit) to check every event.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path

from makertime import __version__
from makertime.limits import limit

GENERATOR = f"makertime {__version__}"
"""The ``<meta name="generator">`` content of every HTML page makertime writes."""

HEAD_BYTES = 4096  # makertime's own files say what they are in their first few hundred bytes
TAIL_BYTES = 1024
_PRODID = re.compile(rb"^PRODID:-//makertime//makertime [^/\r\n]{1,40}//EN\r?$", re.MULTILINE)
# pages written before the version was added to the marker say content="makertime" alone
_GENERATOR = re.compile(rb'<meta name="generator" content="makertime(?: [^"<>&\r\n]{1,40})?">')
_DOCTYPE = b"<!doctype html>"
_FOOTER = b"<footer>Made by makertime."
_END = b"</html>"


class Kind(Enum):
    """What an output is, and so which existing files it may replace."""

    PLAN = "a plan (iCalendar)"
    PUBLISHED = "a calendar file published to"
    HTML = "an HTML report"


def is_own(path: Path, kind: Kind) -> bool:
    """Whether the regular file ``path`` is makertime's own output of ``kind`` (or empty)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
            if not head.strip():
                return len(head) < HEAD_BYTES  # blank through and through: nothing to lose
            if kind is Kind.HTML:
                size = handle.seek(0, 2)
                handle.seek(max(size - TAIL_BYTES, 0))
                return _is_own_html(head, handle.read(TAIL_BYTES))
    except OSError:
        return False  # what cannot be read cannot be shown to be makertime's
    return _is_own_calendar(path, head, prodid=kind is Kind.PLAN)


def _is_own_html(head: bytes, tail: bytes) -> bool:
    """Opens as makertime's pages open (doctype, then the generator marker in the head) and
    ends with makertime's footer."""
    top = head.split(b"</head>", 1)[0]
    return (head.startswith(_DOCTYPE) and _GENERATOR.search(top) is not None
            and _FOOTER in tail and tail.rstrip().endswith(_END))


def _is_own_calendar(path: Path, head: bytes, *, prodid: bool) -> bool:
    """One VCALENDAR of makertime's events and the time zones they use (and, for a plan,
    makertime's PRODID), within the size makertime reads any calendar at."""
    if not head.lstrip().upper().startswith(b"BEGIN:VCALENDAR"):
        return False
    if prodid and _PRODID.search(head) is None:
        return False
    try:
        if path.stat().st_size > limit("calendar.file_bytes"):
            return False
        data = path.read_bytes()
    except OSError:
        return False
    from makertime.calendars.own import (
        is_ours,
        parse_calendar,  # icalendar: only here
    )

    calendar = parse_calendar(data)
    if calendar is None:
        return False
    return all(part.name == "VTIMEZONE" or (part.name == "VEVENT" and is_ours(part))
               for part in calendar.subcomponents)
