"""Calendar sources: an .ics file, a folder of them (vdir) or a CalDAV collection, read into
model objects.

``open_source`` turns a CAL argument into a CalendarSource; ``read_calendars`` reads several.
The iCalendar libraries are imported only on a cache miss, so a run over unchanged files never
pays for them; the CalDAV client only when a URL is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from makertime.calendars.base import CalendarSource, Progress, PublishTarget
from makertime.calendars.cache import InstanceCache
from makertime.calendars.files import IcsFile, IcsFolder, read_calendar_file
from makertime.errors import OutputError, SourceError
from makertime.model import CalendarRead

if TYPE_CHECKING:
    from makertime.calendars.caldav import CalDavCollection

__all__ = ["CalendarSource", "IcsFile", "IcsFolder", "may_name_a_source", "open_source",
           "open_target", "read_calendar_file", "read_calendars"]

URLS = ("http://", "https://")


def may_name_a_source(cal: str) -> bool:
    """True when a CAL is no URL, no file or folder that exists, and no path (no ``/``, no
    ``.ics``): then it can only be the name of a remembered source."""
    if cal.startswith(URLS) or "/" in cal or cal.lower().endswith(".ics"):
        return False
    try:
        return not Path(cal).expanduser().exists()
    except (OSError, ValueError):  # a name too long or with a NUL is no file either
        return True


def open_source(cal: str) -> IcsFile | IcsFolder | CalDavCollection:
    """The source a CAL argument names: an .ics file, a folder of them or a CalDAV URL."""
    if cal.startswith(URLS):
        from makertime.calendars.caldav import CalDavCollection
        from makertime.calendars.credentials import public_url

        public_url(cal)  # a URL that cannot be read is one clear line, here
        return CalDavCollection.open(cal)
    path = Path(cal).expanduser()
    if path.is_dir():
        return IcsFolder(path)
    if not path.exists():
        raise SourceError(cal, "no such file or folder", "give an .ics file or a folder of them")
    return IcsFile(path)


def read_calendars(cals: Iterable[str], first: date, last: date, *,
                   cache: InstanceCache | None = None,
                   progress: Progress | None = None) -> list[CalendarRead]:
    """Every calendar named by ``cals`` (files, folders, URLs) over ``first``..``last``."""
    return [read for cal in cals
            for read in open_source(cal).read(first, last, cache=cache, progress=progress)]


def open_target(text: str, zone: tzinfo = UTC) -> PublishTarget:
    """The target ``text`` names: a CalDAV calendar URL, or a path ending in .ics (floating
    times the person's calendar program writes are read in ``zone``)."""
    if text.startswith(("http://", "https://")):
        from makertime.calendars.caldav_target import CalDavTarget
        from makertime.calendars.credentials import credentials_for, public_url

        public_url(text)  # a URL that cannot be read is one clear line, here
        return CalDavTarget(text, credentials_for(text), zone=zone)
    from makertime.calendars.ics_target import IcsFileTarget

    path = Path(text).expanduser()
    if path.suffix.lower() != ".ics":
        raise OutputError(text, "is neither a CalDAV URL nor an .ics file",
                          "give https://… of a calendar, or a file name ending in .ics")
    return IcsFileTarget(path, zone=zone)
