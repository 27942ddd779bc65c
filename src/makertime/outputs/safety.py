"""What a command's outputs may replace, checked for all of them before any work starts.

``check_outputs`` takes every file a command will write (``--out``, ``--html``, a calendar file
to publish to), everything it must never replace (the command's inputs, the store, the cache)
and whether ``--force`` was given, and raises one OutputError naming the path, the option, what
is wrong and how to fix it:

1. two outputs of one command never share a file;
2. an output never replaces an input of the same command: a CAL file, any calendar file in a CAL
   folder (nor is anything written inside such a folder), tasks.toml, policy.toml — nor a file
   that is one of them under another name (a hard link, a symbolic link);
3. nor the store (the SQLite file and its -wal, -journal and -shm files), nor anything inside
   makertime's cache folder;
4. an output is a regular file, or nothing yet, in a folder that exists: a symbolic link, a
   folder, a device, a named pipe or a socket is refused;
5. an existing file is replaced only when it is makertime's own output of that kind
   (``outputs.own``), or with ``force`` — which allows that and nothing else, and never for a
   calendar file published to (publishing there would mix makertime's events with the file's).

Paths are compared as the system sees them: resolved (links and ``..`` followed), and by
device and inode where both exist, so a hard link or a second name on a case-insensitive disk
is the same file; a path that does not exist yet compares by its resolved folder and name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from makertime.calendars import is_url
from makertime.errors import OutputError, param
from makertime.files import check_output_path, shown
from makertime.limits import limit
from makertime.outputs.own import Kind, is_own
from makertime.places import cache_root, default_store_file, sqlite_file, store_setting

_EXAMPLE = {Kind.PLAN: "plan.ics", Kind.PUBLISHED: "makertime.ics", Kind.HTML: "week.html"}
_STORE_FILES = ("", "-wal", "-journal", "-shm")


class Role(Enum):
    """Why a path may never be replaced."""

    INPUT = "input"
    STORE = "store"
    CACHE = "cache"


@dataclass(frozen=True, slots=True)
class Output:
    """A file a command will write: the option that named it, its path and its kind."""

    option: str
    path: Path
    kind: Kind

    @property
    def where(self) -> str:
        """How a message names it: ``--out plan.ics``."""
        return f"{self.option} {shown(self.path)}"


@dataclass(frozen=True, slots=True)
class Protected:
    """A path no output may replace (for a folder: nor anything inside it), and what it is."""

    what: str
    path: Path
    role: Role


def inputs(cals: Iterable[str], *, tasks: str | Path | None = None,
           policy: str | Path | None = None) -> list[Protected]:
    """The files and folders a command reads: CAL paths (URLs are not files), tasks.toml and
    policy.toml."""
    found = [Protected(f"the calendar CAL {shown(cal)}", Path(cal).expanduser(), Role.INPUT)
             for cal in cals if not is_url(cal)]
    for option, path in ((param("tasks"), tasks), (param("policy"), policy)):
        if path is not None:
            found.append(Protected(f"the file {option} {shown(path)}", Path(path).expanduser(),
                                   Role.INPUT))
    return found


def store_files(url: str | None) -> list[Protected]:
    """The files of the SQLite store ``url`` names (None: ``$MAKERTIME_DB``, else the default
    file); none for PostgreSQL, an in-memory store or a URL that cannot be read (opening it
    would fail on its own)."""
    text, _ = store_setting(url)
    found = sqlite_file(text) if text else default_store_file()
    if found is None:
        return []
    database = str(found)
    return [Protected(f"makertime's store {shown(database + suffix)}", Path(database + suffix),
                      Role.STORE) for suffix in _STORE_FILES]


def cache_folder() -> Protected:
    """makertime's cache folder (``$XDG_CACHE_HOME/makertime``)."""
    folder = cache_root()
    return Protected(f"makertime's cache folder {shown(folder)}", folder, Role.CACHE)


def check_outputs(outputs: Sequence[Output], protected: Sequence[Protected], *,
                  force: bool = False) -> None:
    """Raise one OutputError unless every output may be written (the rules above)."""
    places = [_Place.of(output.path) for output in outputs]
    for index, (output, place) in enumerate(zip(outputs, places, strict=True)):
        for other, seen in zip(outputs[:index], places[:index], strict=True):
            if place.same(seen):
                raise OutputError(output.where, f"is also the file of {other.option}; two "
                                  "outputs never share a file", "give each its own file")
        for guarded in protected:
            _refuse_protected(output, place, guarded)
    for output in outputs:
        _check_existing(output, force)


def _check_existing(output: Output, force: bool) -> None:
    """A regular file (or nothing yet) in a folder that exists, which makertime wrote or
    ``force`` lets it replace."""
    if output.kind is Kind.PUBLISHED and output.path.suffix.lower() != ".ics":
        raise OutputError(output.where, "is neither a CalDAV URL nor an .ics file",
                          "give https://… of a calendar, or a file name ending in .ics")
    status = check_output_path(output.path, output.option)
    if status is None or is_own(output.path, output.kind):
        return
    if output.kind is Kind.PUBLISHED:
        raise OutputError(output.where, "holds events or items makertime did not write; it is "
                          "left as it is", "publish to a calendar file of makertime's own, e.g. "
                          "makertime.ics, or to a CalDAV calendar")
    if not force:
        raise OutputError(output.where, f"exists and is not {output.kind.value} makertime "
                          "wrote; it is left as it is",
                          f"give another file, or add {param('force')} to replace it")


def _refuse_protected(output: Output, place: _Place, guarded: Protected) -> None:
    target = _Place.of(guarded.path)
    if guarded.role is Role.CACHE:
        if place.same(target) or place.inside(target):
            raise OutputError(output.where, f"is inside {guarded.what}",
                              "give a file outside it")
        return
    fix = f"give another file, e.g. {_EXAMPLE[output.kind]}"
    if guarded.role is Role.STORE:
        if place.same(target):
            raise OutputError(output.where, f"is {guarded.what}; replacing it would lose every "
                              "plan, task and record makertime keeps", fix)
        return
    never = "an output never replaces an input"
    if place.resolved == target.resolved:
        raise OutputError(output.where, f"is {guarded.what}, which this command reads; {never}",
                          fix)
    if place.same(target):
        raise OutputError(output.where, f"is the same file as {guarded.what} (a link to it), "
                          f"which this command reads; {never}", fix)
    if target.folder:
        if place.inside(target):
            raise OutputError(output.where, f"is inside {guarded.what}, which this command "
                              "reads; makertime writes nothing into an input folder",
                              "give a file outside that folder")
        linked = target.linked_calendar(place)
        if linked is not None:
            raise OutputError(output.where, f"is the same file as {shown(linked)} in "
                              f"{guarded.what} (a link to it), which this command reads; {never}",
                              fix)


@dataclass(frozen=True, slots=True)
class _Place:
    """A path as the system sees it: resolved, its device and inode when it exists, and
    whether it is a folder."""

    resolved: Path
    identity: tuple[int, int] | None
    folder: bool

    @classmethod
    def of(cls, path: Path) -> _Place:
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError, ValueError):  # a loop of links: compared by its name
            resolved = path.absolute()
        try:
            status = resolved.stat()
        except (OSError, ValueError):
            return cls(resolved, None, False)
        return cls(resolved, (status.st_dev, status.st_ino), resolved.is_dir())

    def same(self, other: _Place) -> bool:
        """Whether both name one file (or, for paths that do not exist, one name)."""
        if self.identity is not None and other.identity is not None:
            return self.identity == other.identity
        return self.resolved == other.resolved

    def inside(self, folder: _Place) -> bool:
        """Whether this path lies inside ``folder``."""
        return folder.folder and self.resolved.is_relative_to(folder.resolved)

    def linked_calendar(self, existing: _Place) -> Path | None:
        """The calendar file below this folder (as the folder reader finds them) that is the
        file ``existing`` names; None when there is none, or when ``existing`` does not exist."""
        if existing.identity is None:
            return None
        most = limit("calendar.files")
        for count, path in enumerate(self.resolved.rglob("*")):
            if count >= most * 4:
                return None  # past what a calendar folder holds: the reader refuses it anyway
            if path.suffix.lower() != ".ics":
                continue
            try:
                status = path.stat()
            except OSError:
                continue
            if (status.st_dev, status.st_ino) == existing.identity:
                return path
        return None


def check_command(outputs: Sequence[Output], *, cals: Iterable[str] = (),
                  tasks: str | Path | None = None, policy: str | Path | None = None,
                  store: str | None = None, force: bool = False) -> None:
    """``check_outputs`` against a command's inputs, the store ``store`` names (None: the one
    ``$MAKERTIME_DB`` or the default names) and the cache."""
    if not outputs:
        return
    protected = [*inputs(cals, tasks=tasks, policy=policy), *store_files(store), cache_folder()]
    check_outputs(outputs, protected, force=force)


def check_options(*, out: Path | None = None, html: Path | None = None,
                  publish: str | None = None, cals: Iterable[str] = (),
                  tasks: str | Path | None = None, policy: str | Path | None = None,
                  store: str | None = None, force: bool = False) -> None:
    """``check_command`` for the files ``--out``, ``--html`` and ``--publish`` name (a URL is
    no file)."""
    outputs = [Output(option, path, kind) for option, path, kind in
               ((param("out"), out, Kind.PLAN), (param("html"), html, Kind.HTML))
               if path is not None]
    if publish is not None and not is_url(publish):
        outputs.append(Output(param("publish"), Path(publish).expanduser(), Kind.PUBLISHED))
    check_command(outputs, cals=cals, tasks=tasks, policy=policy, store=store, force=force)
