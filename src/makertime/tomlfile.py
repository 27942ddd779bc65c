"""Reading a settings file (policy.toml, tasks.toml) with one clear error for each way it fails."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from makertime.errors import InputError


def load_toml(path: Path, error: type[InputError], name: str) -> dict[str, Any]:
    """The parsed TOML at ``path``; ``error`` names the file when it is missing or malformed."""
    where = str(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise error(where, "no such file", f"give the path of a {name}") from None
    except (OSError, UnicodeDecodeError) as problem:
        raise error(where, f"cannot be read: {problem}") from None
    except tomllib.TOMLDecodeError as problem:
        raise error(where, f"is not valid TOML: {problem}",
                    f"see the {name} format in the README") from None
