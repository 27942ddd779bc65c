"""Reading a settings file (policy.toml, tasks.toml) with one clear error for each way it fails.

The file is bounded before it is parsed: at most ``most`` bytes are read (a regular file only —
a FIFO or a device would never end), and TOML nested too deeply for the parser is one line too.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from makertime.errors import InputError, NotRegularFile, TooLarge
from makertime.files import read_bounded


def load_toml(path: Path, error: type[InputError], name: str, *, most: int) -> dict[str, Any]:
    """The parsed TOML at ``path`` (at most ``most`` bytes); ``error`` names the file when it is
    missing, too large, not a regular file or malformed."""
    where = str(path)
    try:
        text = _read(path, most, error, name).decode("utf-8-sig")
    except FileNotFoundError:
        raise error(where, "no such file", f"give the path of a {name}") from None
    except (OSError, UnicodeDecodeError) as problem:
        raise error(where, f"cannot be read: {problem}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise error(where, f"is not valid TOML: {problem}",
                    f"see the {name} format in the README") from None
    except RecursionError:
        raise error(where, "is not valid TOML: its tables or arrays are nested too deeply",
                    f"see the {name} format in the README") from None


def _read(path: Path, most: int, error: type[InputError], name: str) -> bytes:
    """The file's bytes, refused past ``most`` or when it is not a regular file."""
    where = str(path)
    try:
        return read_bounded(path, most)  # a file growing meanwhile cannot take more either
    except NotRegularFile:
        raise error(where, "is not a regular file", f"give the path of a {name}") from None
    except TooLarge:
        raise error(where, f"is larger than {most:,} bytes, the most a {name} may be",
                    f"check that this is your {name}; a real one takes a few kilobytes") from None
