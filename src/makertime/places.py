"""Where makertime keeps its own files, by the XDG base directories: the store and the cache.

Imports nothing heavy, so a command that only needs to know these places (to refuse writing over
them) does not pay for the store's database libraries.
"""

from __future__ import annotations

import os
from pathlib import Path

from makertime.errors import param

STORE_ENV = "MAKERTIME_DB"  # a database URL that replaces the default store


def _base(variable: str, *fallback: str) -> Path:
    """``$variable`` when it is an absolute path (the XDG rule), else ``~/<fallback>``."""
    value = os.environ.get(variable, "")
    return Path(value) if value and Path(value).is_absolute() else Path.home().joinpath(*fallback)


def data_dir() -> Path:
    """``$XDG_DATA_HOME/makertime`` (``~/.local/share/makertime`` when unset or relative)."""
    return _base("XDG_DATA_HOME", ".local", "share") / "makertime"


def default_store_file() -> Path:
    """The SQLite file of the store when neither ``--db`` nor ``$MAKERTIME_DB`` names one."""
    return data_dir() / "makertime.db"


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/makertime`` (``~/.cache/makertime`` when unset or relative)."""
    return _base("XDG_CACHE_HOME", ".cache") / "makertime"


def store_setting(explicit: str | None) -> tuple[str, str]:
    """Where the store was named, and how: ``--db``, else ``$MAKERTIME_DB``, else ("", "") for
    the default SQLite file. The one place this order is decided."""
    if explicit is not None and explicit.strip():
        return explicit.strip(), param("db")
    from_env = os.environ.get(STORE_ENV, "").strip()
    return (from_env, STORE_ENV) if from_env else ("", "")


def sqlite_file(url: str) -> Path | None:
    """The file a ``sqlite:///PATH`` URL names (``~`` expanded); None for another database, an
    in-memory one or a URI filename. Plain text handling, so that knowing the store's file
    costs no database library."""
    scheme, separator, rest = url.partition("://")
    if not separator or scheme.lower() not in ("sqlite", "sqlite+pysqlite"):
        return None
    path = rest.split("?", 1)[0].removeprefix("/")  # sqlite:///x is x; sqlite:////x is /x
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return Path(path).expanduser()
