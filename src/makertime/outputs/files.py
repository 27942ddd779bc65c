"""Output files written whole or not at all, and one clear error for a path that cannot be used."""

from __future__ import annotations

import os
import secrets
from contextlib import suppress
from pathlib import Path

from makertime.errors import OutputError

FIX = "give a file in a folder that exists and that you may write"


def check_output_path(path: Path) -> None:
    """Raise OutputError unless ``path`` names a file in a folder that exists."""
    if path.is_dir():
        raise OutputError(str(path), "is a folder", "give the name of a file inside it")
    if not path.parent.is_dir():
        raise OutputError(str(path), f"cannot be written: no folder {path.parent}", FIX)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so readers never see half a file."""
    check_output_path(path)
    # a unique name beside the target: os.replace is atomic only within one file system
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        # "x" creates with the usual mode (0666 less the umask), unlike mkstemp's 0600, so a
        # calendar client or web server may read the file as it could any other the person writes
        with temporary.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)  # os.replace: atomic on POSIX and Windows
    except OSError as error:
        with suppress(OSError):  # the error worth reporting is the first one
            temporary.unlink(missing_ok=True)
        raise OutputError(str(path), f"cannot be written: {error.strerror or error}", FIX) from None
