"""Calendar sources: an .ics file or a folder of them (vdir), read into model objects.

``open_source`` turns a CAL argument into a CalendarSource; ``read_calendars`` reads several.
The iCalendar libraries are imported only on a cache miss, so a run over unchanged files never
pays for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from makertime.errors import SourceError
from makertime.model import CalendarRead
from makertime.sources.base import CalendarSource, Progress
from makertime.sources.cache import InstanceCache
from makertime.sources.files import IcsFile, IcsFolder, read_calendar_file

__all__ = ["CalendarSource", "IcsFile", "IcsFolder", "open_source", "read_calendar_file",
           "read_calendars"]


def open_source(cal: str) -> IcsFile | IcsFolder:
    """The source a CAL argument names: an .ics file or a folder of them."""
    if cal.startswith(("http://", "https://")):
        raise SourceError(cal, "CalDAV collections are not supported yet",
                          "export the calendar to an .ics file and give its path")
    path = Path(cal).expanduser()
    if path.is_dir():
        return IcsFolder(path)
    if not path.exists():
        raise SourceError(cal, "no such file or folder", "give an .ics file or a folder of them")
    return IcsFile(path)


def read_calendars(cals: Iterable[str], first: date, last: date, *,
                   cache: InstanceCache | None = None,
                   progress: Progress | None = None) -> list[CalendarRead]:
    """Every calendar named by ``cals`` (files or folders), expanded over ``first``..``last``."""
    return [read for cal in cals
            for read in open_source(cal).read(first, last, cache=cache, progress=progress)]
