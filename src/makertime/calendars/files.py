"""Calendar files and calendar data: read within the bounds of a calendar, from the cache when
the same bytes were read before, and the ETag of a calendar object kept in a file."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from makertime.calendars.cache import InstanceCache
from makertime.errors import NotRegularFile, SourceError, TooLarge
from makertime.files import read_bounded, size_text
from makertime.limits import limit
from makertime.model import CalendarRead


def read_calendar_bytes(path: Path) -> bytes:
    """The bytes of the calendar file ``path``, refused past ``calendar.file_bytes``."""
    most = limit("calendar.file_bytes")
    try:
        return read_bounded(path, most)
    except FileNotFoundError:
        raise SourceError(str(path), "no such file",
                          "give an .ics file or a folder of them") from None
    except OSError as error:
        raise SourceError(str(path), f"cannot be read: {error.strerror}") from None
    except NotRegularFile as refused:
        raise SourceError(str(path), f"is {refused.kind}, not a calendar file",
                          "give an .ics file or a folder of them") from None
    except TooLarge as refused:
        what = "grew while it was read" if refused.size is None else f"is {size_text(refused.size)}"
        raise SourceError(str(path), f"{what}, past the {size_text(most)} a calendar file may "
                          "hold (calendar.file_bytes)",
                          "export a shorter period, or split the calendar") from None


def read_calendar_file(path: Path, first: date, last: date,
                       cache: InstanceCache | None = None) -> CalendarRead:
    """One file's events over ``first``..``last``, from the cache when its content is unchanged."""
    return read_calendar_data(read_calendar_bytes(path), str(path), first, last, cache)


def read_calendar_data(data: bytes, source: str, first: date, last: date,
                       cache: InstanceCache | None = None) -> CalendarRead:
    """The events of iCalendar ``data`` named ``source`` over ``first``..``last``, from the cache
    when the same data was read before: how a file, a folder's file, a CalDAV item and an item
    in memory are all read."""
    key = cache.key(data, first, last) if cache is not None else ""
    if cache is not None and (hit := cache.get(key, source)) is not None:
        return hit
    from makertime.calendars.ics import read_ics_bytes  # heavy: only on a miss

    read = read_ics_bytes(data, source, first, last)
    if cache is not None:
        cache.put(key, read)
    return read


def etag_of(data: bytes) -> str:
    """The ETag of a calendar object kept in a file: a hash of its text."""
    return hashlib.sha256(data).hexdigest()[:32]
