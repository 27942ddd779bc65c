"""Calendars: an .ics file, a folder of them (vdir), a CalDAV collection or a calendar in memory,
each one backend that is both read into model objects and written to (``base.Calendar``).

``open_calendar`` gives the backend a CAL text names; ``open_source`` and ``open_target`` are the
same with the checks and words of reading and of publishing; ``read_calendars`` reads several.
The iCalendar libraries are imported only on a cache miss, so a run over unchanged files never
pays for them; the CalDAV client only when a URL is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from makertime.calendars.base import Calendar
from makertime.calendars.cache import InstanceCache
from makertime.calendars.files import read_calendar_file
from makertime.calendars.ics_file import IcsFile
from makertime.calendars.vdir import IcsFolder
from makertime.errors import OutputError, SourceError
from makertime.model import CalendarRead, Progress

if TYPE_CHECKING:
    from makertime.calendars.caldav import CalDavCalendar

__all__ = [
    "Calendar",
    "IcsFile",
    "IcsFolder",
    "is_url",
    "may_name_a_source",
    "open_calendar",
    "open_source",
    "open_target",
    "read_calendar_file",
    "read_calendars",
    "target_name",
]

NOT_FOUND_FIX = "give an .ics file or a folder of them"


def is_url(text: str) -> bool:
    """Whether ``text`` is an http(s) URL: a CalDAV collection, never a path."""
    return text.startswith(("http://", "https://"))


def may_name_a_source(cal: str) -> bool:
    """True when a CAL is no URL, no file or folder that exists, and no path (no ``/``, no
    ``.ics``): then it can only be the name of a remembered source."""
    if is_url(cal) or "/" in cal or cal.lower().endswith(".ics"):
        return False
    try:
        return not Path(cal).expanduser().exists()
    except (OSError, ValueError):  # a name too long or with a NUL is no file either
        return True


def open_calendar(text: str, zone: tzinfo = UTC) -> IcsFile | IcsFolder | CalDavCalendar:
    """The calendar ``text`` names: an http(s) URL is a CalDAV collection, a folder a vdir, a
    file (or a path ending in .ics, to be written) one .ics file. Floating times the person's
    calendar program writes into makertime's events are read in ``zone``."""
    if is_url(text):
        from makertime.calendars.caldav import CalDavCalendar
        from makertime.calendars.credentials import public_url

        public_url(text)  # a URL that cannot be read is one clear line, here
        return CalDavCalendar.open(text, zone=zone)
    path = Path(text).expanduser()
    if path.is_dir():
        return IcsFolder(path, zone=zone)
    if not path.exists() and path.suffix.lower() != ".ics":
        raise SourceError(text, "no such file or folder", NOT_FOUND_FIX)
    return IcsFile(path, zone=zone)


def open_source(cal: str) -> IcsFile | IcsFolder | CalDavCalendar:
    """The calendar a CAL argument names, to be read: it must exist (unless it is a URL)."""
    if not is_url(cal) and not Path(cal).expanduser().exists():
        raise SourceError(cal, "no such file or folder", NOT_FOUND_FIX)
    return open_calendar(cal)


def read_calendars(cals: Iterable[str], first: date, last: date, *,
                   cache: InstanceCache | None = None,
                   progress: Progress | None = None) -> list[CalendarRead]:
    """Every calendar named by ``cals`` (files, folders, URLs) over ``first``..``last``."""
    return [read for cal in cals
            for read in open_source(cal).read(first, last, cache=cache, progress=progress)]


def target_name(text: str) -> str:
    """The one name a target to publish to is known by, however it was written: a CalDAV URL
    with the slash a collection's URL ends with, a file by its absolute path (its folder
    resolved, the name itself not followed: a symbolic link stays a link, which publishing
    refuses). The store keeps a target's lock, record and declined blocks under it (a URL with
    a password written into it is refused before anything is kept)."""
    if is_url(text):
        return text if text.endswith("/") else f"{text}/"
    path = Path(text).expanduser()
    return str(path.parent.resolve() / path.name)


def open_target(text: str, zone: tzinfo = UTC) -> Calendar:
    """The calendar ``text`` names, to publish to: a CalDAV calendar URL (with the slash a
    collection's URL ends with, as the store names it), or a path ending in .ics (floating
    times the person's calendar program writes are read in ``zone``)."""
    if is_url(text):
        text = text if text.endswith("/") else f"{text}/"
    elif Path(text).expanduser().suffix.lower() != ".ics":
        raise OutputError(text, "is neither a CalDAV URL nor an .ics file",
                          "give https://… of a calendar, or a file name ending in .ics")
    return open_calendar(text, zone)
