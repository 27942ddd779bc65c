"""Calendar sources on disk: one .ics file, or a folder of them (a vdir, as khal keeps them)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from makertime.errors import SourceError
from makertime.model import CalendarRead, ReadWarning
from makertime.sources.base import Progress
from makertime.sources.cache import InstanceCache


def read_calendar_file(path: Path, first: date, last: date,
                       cache: InstanceCache | None = None) -> CalendarRead:
    """One file's events over ``first``..``last``, from the cache when its content is unchanged."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(str(path), "no such file",
                          "give an .ics file or a folder of them") from None
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
        """Every .ics file below the folder, in a stable order."""
        if not os.access(self.path, os.R_OK | os.X_OK):
            raise SourceError(self.name, "this folder cannot be read", "check its permissions")
        found = sorted(p for p in self.path.rglob("*") if p.suffix.lower() == ".ics"
                       and p.is_file())
        if not found:
            raise SourceError(self.name, "this folder holds no .ics files",
                              "give a folder of .ics files")
        return found

    def read(self, first: date, last: date, *, cache: InstanceCache | None = None,
             progress: Progress | None = None) -> list[CalendarRead]:
        """Each file's events and tasks, one CalendarRead per file.

        A vdir keeps one item per file, so a file that cannot be read at all costs only that
        item: it becomes a warning, not the loss of the whole folder.
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
