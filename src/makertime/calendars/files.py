"""Calendar sources on disk: one .ics file, or a folder of them (a vdir, as khal keeps them).

Only regular files are read: a FIFO would block, a device such as /dev/zero never ends. A file
is opened without blocking, checked on the open handle (so it cannot be swapped meanwhile), and
read to at most ``calendar.file_bytes`` + 1 bytes, so neither a file that grows while it is read
nor a size the file system misreports can fill the memory (``read_bounded``, which settings
files are read with too). A folder is listed to at most ``calendar.files`` files before any of
them is read.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from makertime.calendars.base import Progress
from makertime.calendars.cache import InstanceCache
from makertime.errors import SourceError
from makertime.limits import MIB, limit
from makertime.model import CalendarRead, ReadWarning

KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
         (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
         (stat.S_ISSOCK, "a socket"))


class NotRegularFile(Exception):
    """``read_bounded`` refused a file that is no regular file; ``kind`` says what it is."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class TooLarge(Exception):
    """``read_bounded`` refused a file past its bound; ``size`` is the size the system gave,
    or None when the file grew past the bound while it was read."""

    def __init__(self, size: int | None) -> None:
        super().__init__(size)
        self.size = size


def kind(mode: int) -> str:
    """What a file of ``mode`` (an ``st_mode``) is, as a message says it."""
    return next((name for test, name in KINDS if test(mode)), "not a regular file")


def read_bounded(path: Path, most: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``most`` of them.

    Opened without blocking (a FIFO must not wait for a writer), checked on the open handle,
    read to at most ``most`` + 1 bytes. Raises what the system raises (FileNotFoundError,
    OSError), NotRegularFile, or TooLarge; each caller words them for its own files.
    """
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(handle)
        if not stat.S_ISREG(mode.st_mode):
            raise NotRegularFile(kind(mode.st_mode))
        if mode.st_size > most:
            raise TooLarge(mode.st_size)
        chunks, size = [], 0
        while size <= most:
            chunk = os.read(handle, min(most + 1 - size, 4 * MIB))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(handle)
    if size > most:
        raise TooLarge(None)
    return b"".join(chunks)


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


def size_text(size: int) -> str:
    """``size`` bytes as a person reads it: in MB from one on."""
    return f"{size / MIB:,.0f} MB" if size >= MIB else f"{size:,} bytes"


def read_calendar_file(path: Path, first: date, last: date,
                       cache: InstanceCache | None = None) -> CalendarRead:
    """One file's events over ``first``..``last``, from the cache when its content is unchanged."""
    data = read_calendar_bytes(path)
    key = cache.key(data, first, last) if cache else ""
    if cache is not None and (hit := cache.get(key, str(path))) is not None:
        return hit
    from makertime.calendars.ics import read_ics_bytes  # heavy: only on a miss

    read = read_ics_bytes(data, str(path), first, last)
    if cache is not None:
        cache.put(key, read)
    return read


@dataclass(frozen=True, slots=True)
class IcsFile:
    """A single iCalendar file."""

    path: Path

    @property
    def name(self) -> str:
        """The file's path."""
        return str(self.path)

    def files(self) -> list[Path]:
        """The one file."""
        return [self.path]

    def read(self, first: date, last: date, *, cache: InstanceCache | None = None,
             progress: Progress | None = None) -> list[CalendarRead]:
        """The file's events and tasks."""
        if progress is not None:
            progress(self.name)
        return [read_calendar_file(self.path, first, last, cache)]


@dataclass(frozen=True, slots=True)
class IcsFolder:
    """A folder holding .ics files at any depth (a vdir keeps one item per file)."""

    path: Path

    @property
    def name(self) -> str:
        """The folder's path."""
        return str(self.path)

    def files(self) -> list[Path]:
        """Every .ics file below the folder, in a stable order; refused past
        ``calendar.files`` files (of any name) before any of them is read."""
        if not os.access(self.path, os.R_OK | os.X_OK):
            raise SourceError(self.name, "this folder cannot be read", "check its permissions")
        most = limit("calendar.files")
        found: list[Path] = []
        seen = 0
        for folder, _folders, names in os.walk(self.path):  # symbolic links to folders: not
            seen += len(names)
            if seen > most:
                raise SourceError(self.name, f"this folder holds more than {most:,} files "
                                  "(calendar.files)", "give a folder of one calendar")
            found.extend(Path(folder, n) for n in names if n.lower().endswith(".ics"))
        if not found:
            raise SourceError(self.name, "this folder holds no .ics files",
                              "give a folder of .ics files")
        return sorted(found)

    def read(self, first: date, last: date, *, cache: InstanceCache | None = None,
             progress: Progress | None = None) -> list[CalendarRead]:
        """Each file's events and tasks, one CalendarRead per file.

        A vdir keeps one item per file, so a file that cannot be read at all (no calendar, no
        regular file, too big) costs only that item: it becomes a warning, not the loss of
        the whole folder.
        """
        reads = []
        for path in self.files():
            if progress is not None:
                progress(str(path))
            try:
                reads.append(read_calendar_file(path, first, last, cache))
            except SourceError as error:
                warning = ReadWarning(str(path), f"skipped: {error.detail}")
                reads.append(CalendarRead(source=str(path), warnings=(warning,)))
        return reads
