"""Regular files on disk: read within bounds, written whole or not at all.

Only regular files are read: a FIFO would block, a device such as /dev/zero never ends. A file
is opened without blocking, checked on the open handle (so it cannot be swapped meanwhile), and
read to at most a given number of bytes + 1, so neither a file that grows while it is read nor a
size the file system misreports can fill the memory (``read_bounded``: calendars, policy.toml and
tasks.toml are read so).

``write_atomically`` writes to a temporary file beside the target, flushes it to disk and renames
it over the target, then syncs the folder: a reader, a crash or a full disk sees the old file or
the new one, never half of one. A symbolic link (even to a regular file), a folder, a device
(``/dev/full``, ``/dev/null``), a named pipe or a socket is refused before anything is written,
and again just before the rename, in case the path changed meanwhile. The calendar files
makertime publishes to and every output file it writes are written so.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from contextlib import suppress
from pathlib import Path

from makertime.errors import NotRegularFile, OutputError, TooLarge
from makertime.limits import MIB
from makertime.text import controls

KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
         (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
         (stat.S_ISSOCK, "a socket"))


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


def size_text(size: int) -> str:
    """``size`` bytes as a person reads it: in MB from one on."""
    return f"{size / MIB:,.0f} MB" if size >= MIB else f"{size:,} bytes"


FIX = "give a file in a folder that exists and that you may write"
REGULAR = "makertime writes only regular files"
_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG)
_NO_FOLDER_SYNC = (errno.EINVAL, errno.ENOTSUP, errno.EBADF)
_CONTROL = controls()


def shown(path: Path | str) -> str:
    """``path`` for a one-line message: quoted and escaped when it holds a line break or
    another control character."""
    text = str(path)
    return repr(text) if _CONTROL.search(text) else text


def check_output_path(path: Path, option: str | None = None) -> os.stat_result | None:
    """Raise OutputError unless ``path`` is a regular file, or nothing yet, in a folder that
    exists and may be written; the file's status when there is one (``option`` names the
    command-line option in the message)."""
    where = f"{option} {shown(path)}" if option else shown(path)
    try:
        status: os.stat_result | None = path.lstat()
    except FileNotFoundError:
        status = None
    except OSError as error:  # a parent that is a file, a loop of links, a name too long
        raise OutputError(where, f"cannot be written: {error.strerror or error}", FIX) from None
    except ValueError:  # a NUL character, which no file name can hold
        raise OutputError(where, "is not a file name", FIX) from None
    if status is not None:
        refuse_other_than_regular(path, status, where)
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(where, f"cannot be written: no folder {shown(folder)}", FIX)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(where, f"cannot be written: the folder {shown(folder)} is not writable "
                          "for you", FIX)
    return status


def refuse_other_than_regular(path: Path, status: os.stat_result, where: str) -> None:
    """Raise OutputError unless ``status`` (from lstat) is that of a regular file."""
    mode = status.st_mode
    if stat.S_ISREG(mode):
        return
    if stat.S_ISLNK(mode):
        target = ""
        with suppress(OSError):
            target = f" to {shown(path.readlink())}"
        raise OutputError(where, f"is a symbolic link{target}; {REGULAR}, never through a link",
                          "give the path of the file itself, or another name")
    if stat.S_ISDIR(mode):
        raise OutputError(where, "is a folder", "give the name of a file inside it")
    raise OutputError(where, f"is {kind(mode)}, not a regular file; {REGULAR}",
                      "give the name of a file")


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all: a temporary file in the same folder,
    flushed to disk, renamed over ``path``, the folder synced. A file replaced keeps its
    permission bits (and, where allowed, its owner). On any error nothing is left behind and
    the old file, if any, is as it was."""
    status = check_output_path(path)
    temporary = _beside(path)
    try:
        _write_temporary(temporary, data, status)
        try:
            now = path.lstat()
        except FileNotFoundError:
            pass
        else:  # the path may have become a link or a device while the data was written
            refuse_other_than_regular(path, now, shown(path))
        temporary.replace(path)  # os.replace: atomic on POSIX and Windows
    except OSError as error:
        with suppress(OSError):  # the error worth reporting is the first one
            temporary.unlink(missing_ok=True)
        raise _write_error(path, error) from None
    except OutputError:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path)


def create_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all, as ``write_atomically`` does, but only
    where nothing is yet: FileExistsError when something is, even something put there while the
    data was written (the finished file is linked to ``path``, which fails on a name taken)."""
    check_output_path(path)
    temporary = _beside(path)
    try:
        _write_temporary(temporary, data, None)
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError as error:
        raise _write_error(path, error) from None
    finally:
        with suppress(OSError):  # linked or not, the temporary name goes
            temporary.unlink(missing_ok=True)
    _sync_folder(path)


def remove_file(path: Path) -> None:
    """Remove the file ``path`` and sync its folder; FileNotFoundError when it is gone."""
    try:
        path.unlink()
    except FileNotFoundError:
        raise
    except OSError as error:
        raise OutputError(shown(path), f"cannot be removed: {error.strerror or error}",
                          FIX) from None
    _sync_folder(path)


def _beside(path: Path) -> Path:
    """A unique temporary name beside ``path`` (os.replace and os.link work within one file
    system only)."""
    return path.with_name(f".{path.name[:200]}.{secrets.token_hex(6)}.tmp")


def _write_temporary(temporary: Path, data: bytes, status: os.stat_result | None) -> None:
    """Create ``temporary`` (never following or reusing a name), fill it and flush it to disk."""
    flags = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    # 0666 less the umask, unlike mkstemp's 0600: a calendar client or web server may read
    # the file as it could any other the person writes
    descriptor = os.open(temporary, flags, 0o666)
    with os.fdopen(descriptor, "wb") as handle:
        if status is not None:
            _keep_mode(descriptor, status)
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _keep_mode(descriptor: int, status: os.stat_result) -> None:
    """Give the new file the old one's owner (where allowed) and permission bits."""
    if hasattr(os, "fchown"):
        with suppress(OSError):  # only root may give a file away; not being able to is fine
            os.fchown(descriptor, status.st_uid, status.st_gid)
    if hasattr(os, "fchmod"):
        os.fchmod(descriptor, stat.S_IMODE(status.st_mode) & 0o777)


def _sync_folder(path: Path) -> None:
    """Flush the rename to disk, where the system can (not every file system syncs folders)."""
    try:
        descriptor = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # a folder that cannot be opened (as on Windows) cannot be synced either
    try:
        os.fsync(descriptor)
    except OSError as error:
        if error.errno not in _NO_FOLDER_SYNC:
            raise OutputError(shown(path), f"was written, but its folder could not be synced to "
                              f"disk: {error.strerror or error}", "check the disk") from None
    finally:
        os.close(descriptor)


def _write_error(path: Path, error: OSError) -> OutputError:
    """One line for a write that failed: what the system said, and that nothing changed."""
    reason = error.strerror or str(error)
    if error.errno in _FULL:
        return OutputError(shown(path), f"cannot be written: {reason}; nothing was written and "
                           "the file is as it was", "free some space on that disk, or write "
                           "elsewhere")
    return OutputError(shown(path), f"cannot be written: {reason}; nothing was written and the "
                       "file is as it was", FIX)
