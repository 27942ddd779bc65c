"""A folder of .ics files (a vdir, as khal and vdirsyncer keep them) as a calendar backend.

Reading takes every .ics file at any depth, one CalendarRead per file: a file that cannot be read
costs only that file. A folder is listed to at most ``calendar.files`` files before any of them is
read, and each file is read within ``calendar.file_bytes`` (``files.read_bounded``).

Writing keeps one event per file, named by its UID (``file_name``: the UID itself when it is safe
as a file name, else a hash of it); an event's href is its file's path inside the folder and its
ETag a hash of the file's content. A create writes only where no file is (If-None-Match: *); an
update or delete only a file whose content still hashes to the ETag read and that holds
makertime's events alone: a file of the person's is never touched. Every write is atomic. The
check and the write are two steps: a program writing the same file between them is not seen.
"""

from __future__ import annotations

import builtins
import hashlib
import os
import string
from dataclasses import dataclass, field
from datetime import UTC, date, tzinfo
from pathlib import Path, PurePosixPath

from makertime.calendars.base import RemoteEvent, Stored, TargetState, output_errors
from makertime.calendars.cache import InstanceCache
from makertime.calendars.files import etag_of, read_calendar_file
from makertime.errors import Conflict, NotRegularFile, OutputError, SourceError, TooLarge
from makertime.files import (
    create_atomically,
    read_bounded,
    remove_file,
    write_atomically,
)
from makertime.limits import limit
from makertime.model import CalendarRead, Progress, ReadWarning

SAFE = frozenset(string.ascii_letters + string.digits + "_.-+@")
"""The characters a UID may hold to name its file as it is."""
LONGEST_NAME = 200


def file_name(uid: str) -> str:
    """The name of the file that keeps the event ``uid``: the UID and ``.ics`` when the UID is
    safe as a file name on any system, else a hash of it."""
    if 0 < len(uid) <= LONGEST_NAME and set(uid) <= SAFE and not uid.startswith("."):
        return f"{uid}.ics"
    return f"{hashlib.sha256(uid.encode()).hexdigest()[:40]}.ics"


@dataclass(frozen=True, slots=True)
class IcsFolder:
    """A folder holding .ics files at any depth (a vdir keeps one item per file); floating times
    the person's calendar program writes into makertime's events are read in ``zone``."""

    path: Path
    zone: tzinfo = field(default=UTC, kw_only=True)

    @property
    def name(self) -> str:
        """The folder's path."""
        return str(self.path)

    def files(self) -> builtins.list[Path]:
        """Every .ics file below the folder, in a stable order; refused past
        ``calendar.files`` files (of any name) before any of them is read."""
        if not os.access(self.path, os.R_OK | os.X_OK):
            raise SourceError(self.name, "this folder cannot be read", "check its permissions")
        found = self._walk()
        if not found:
            raise SourceError(self.name, "this folder holds no .ics files",
                              "give a folder of .ics files")
        return found

    def _walk(self) -> builtins.list[Path]:
        """The .ics files below the folder, sorted; refused past ``calendar.files`` files."""
        most = limit("calendar.files")
        found: builtins.list[Path] = []
        seen = 0
        for folder, _folders, names in os.walk(self.path):  # symbolic links to folders: not
            seen += len(names)
            if seen > most:
                raise SourceError(self.name, f"this folder holds more than {most:,} files "
                                  "(calendar.files)", "give a folder of one calendar")
            found.extend(Path(folder, n) for n in names if n.lower().endswith(".ics"))
        return sorted(found)

    def read(self, first: date, last: date, *, cache: InstanceCache | None = None,
             progress: Progress | None = None) -> builtins.list[CalendarRead]:
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

    def list(self) -> TargetState:
        """makertime's events in the folder's files, and the count of the others (a file that
        cannot be read counts as one of the person's); none when there is no folder."""
        from makertime.calendars.own import target_state

        if not self.path.is_dir():
            return TargetState(exists=False)
        with output_errors():
            paths = self._walk()
        items = []
        for path in paths:
            href = path.relative_to(self.path).as_posix()
            data = _content(path)
            items.append((href, etag_of(data), _text(data)) if data is not None
                         else (href, "", ""))
        return target_state(items, self.zone)

    def get(self, href: str) -> RemoteEvent | None:
        """makertime's event in the file ``href`` as it is now; None when it is gone or the
        file is not makertime's alone."""
        from makertime.calendars.own import events_in

        path = self._path(href)
        data = _content(path) if path is not None else None
        if data is None:
            return None
        ours, others = events_in(_text(data), href, etag_of(data), self.zone)
        return ours[0] if ours and not others else None

    def create(self, uid: str, data: str) -> Stored:
        """Write the event into a new file named by ``uid``; Conflict when that file is there.
        The folder is made when it is missing (its parent must exist)."""
        href = file_name(uid)
        content = data.encode("utf-8")
        self._make_folder()
        try:
            create_atomically(self.path / href, content)
        except FileExistsError:
            raise Conflict(self.name, href) from None
        return Stored(href, etag_of(content))

    def update(self, href: str, etag: str, data: str) -> str:
        """Replace the file ``href`` if it still hashes to ``etag``; its new ETag, or Conflict."""
        path = self._current(href, etag)
        content = data.encode("utf-8")
        write_atomically(path, content)
        return etag_of(content)

    def delete(self, href: str, etag: str) -> None:
        """Remove the file ``href`` if it still hashes to ``etag``; Conflict when it changed."""
        try:
            remove_file(self._current(href, etag))
        except FileNotFoundError:
            raise Conflict(self.name, href) from None

    def _current(self, href: str, etag: str) -> Path:
        """The file ``href`` when it still hashes to ``etag`` and holds makertime's events
        alone; else Conflict."""
        from makertime.calendars.own import events_in

        path = self._path(href)
        data = _content(path) if path is not None else None
        if path is None or data is None or etag_of(data) != etag:
            raise Conflict(self.name, href)
        ours, others = events_in(_text(data), href, etag, self.zone)
        if not ours or others:
            raise Conflict(self.name, href)
        return path

    def _path(self, href: str) -> Path | None:
        """The file ``href`` names inside the folder; None for one that would lead outside it,
        or that is no .ics file."""
        parts = PurePosixPath(href).parts
        if not parts or href.startswith("/") or ".." in parts or "\\" in href \
                or not href.lower().endswith(".ics"):
            return None
        return self.path.joinpath(*parts)

    def _make_folder(self) -> None:
        """Make the folder when it does not exist yet (not its parents)."""
        try:
            self.path.mkdir(exist_ok=True)
        except OSError as error:
            raise OutputError(self.name, f"cannot create the folder: {error.strerror or error}",
                              "give a folder inside one that exists and that you may "
                              "write") from None


def _content(path: Path) -> bytes | None:
    """The bytes of the regular file ``path`` within ``calendar.file_bytes``; None when it is
    gone, cannot be read, is no regular file or is too large."""
    try:
        return read_bounded(path, limit("calendar.file_bytes"))
    except (OSError, NotRegularFile, TooLarge):
        return None


def _text(data: bytes) -> str:
    """A file's text: UTF-8, as iCalendar is; what is not UTF-8 is no file of makertime's."""
    return data.decode("utf-8", errors="replace")
