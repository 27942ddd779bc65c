"""Calendar sources: an .ics file or a folder of them (vdir), read into model objects.

``read_calendars`` is the one entry point. The iCalendar libraries are imported only on a cache
miss, so a run over unchanged files never pays for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from makertime.errors import SourceError
from makertime.model import CalendarRead
from makertime.sources.cache import InstanceCache

Progress = Callable[[str], None]


def calendar_files(cal: str) -> list[Path]:
    """The .ics files a CAL argument names: the file itself, or every .ics inside a folder."""
    if cal.startswith(("http://", "https://")):
        raise SourceError(cal, "CalDAV collections are not supported yet",
                          "export the calendar to an .ics file and give its path")
    path = Path(cal).expanduser()
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".ics" and p.is_file())
        if not files:
            raise SourceError(cal, "this folder holds no .ics files", "give a folder of .ics files")
        return files
    if not path.exists():
        raise SourceError(cal, "no such file or folder", "give an .ics file or a folder of them")
    return [path]


def read_calendar_file(path: Path, first: date, last: date,
                       cache: InstanceCache | None = None) -> CalendarRead:
    """One file's events over ``first``..``last``, from the cache when its content is unchanged."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(str(path), f"cannot be read: {error.strerror}") from None
    key = cache.key(data, first, last) if cache else ""
    if cache is not None and (hit := cache.get(key, str(path))) is not None:
        return hit
    from makertime.sources.ics import read_ics_bytes  # heavy: only on a miss

    read = read_ics_bytes(data, str(path), first, last)
    if cache is not None:
        cache.put(key, read)
    return read


def read_calendars(cals: Iterable[str], first: date, last: date, *,
                   cache: InstanceCache | None = None,
                   progress: Progress | None = None) -> list[CalendarRead]:
    """Every file named by ``cals`` (files or folders), each expanded over ``first``..``last``."""
    reads: list[CalendarRead] = []
    for cal in cals:
        for path in calendar_files(cal):
            if progress is not None:
                progress(str(path))
            reads.append(read_calendar_file(path, first, last, cache))
    return reads
