"""Where the store lives: ``--db``, else ``MAKERTIME_DB``, else a SQLite file under XDG data."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from makertime.errors import StoreError
from makertime.places import STORE_ENV, default_store_file, store_setting
from makertime.store.errors import masked

ENV = STORE_ENV
_POSTGRES = {"postgresql", "postgres", "postgresql+psycopg"}
_SQLITE = {"sqlite", "sqlite+pysqlite"}
_FIX = "give sqlite:///PATH or postgresql://USER@HOST/DB"


def default_url() -> str:
    """The SQLite file under the XDG data home, its folder created when missing."""
    folder = default_store_file().parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # the store is private
    except OSError as error:
        raise StoreError(str(folder), f"cannot create the data folder ({error.strerror})",
                         f"make it writable, or set {ENV} to another database") from None
    return f"sqlite:///{default_store_file()}"


def database_url(explicit: str | None) -> str:
    """The SQLAlchemy URL to open: ``explicit`` (``--db``), else ``$MAKERTIME_DB``, else the
    default SQLite file. PostgreSQL URLs are mapped to the psycopg 3 driver."""
    text, named = store_setting(explicit)
    return normalise(text, f'{named} "{masked(text)}"') if text else default_url()


def normalise(text: str, where: str) -> str:
    """``text`` as a URL makertime can open, or a StoreError naming ``where`` it came from."""
    try:
        url = make_url(text)
    except ArgumentError:
        raise StoreError(where, "not a database URL", _FIX) from None
    if url.drivername in _POSTGRES:
        if not url.database:
            raise StoreError(where, "names no database", "end the URL with /DATABASE")
        url = url.set(drivername="postgresql+psycopg")
    elif url.drivername in _SQLITE:
        url = _sqlite(url, where)
    else:
        raise StoreError(where, "not a database makertime can use", _FIX)
    return url.render_as_string(hide_password=False)


def _sqlite(url: URL, where: str) -> URL:
    """A SQLite URL with its path (``~`` expanded); in-memory databases are allowed too."""
    if url.host or url.username or url.port:
        raise StoreError(where, "a SQLite URL has no host",
                         "write sqlite:///PATH, with three slashes")
    if not url.database or url.database == ":memory:":
        return url.set(drivername="sqlite")
    return url.set(drivername="sqlite", database=str(Path(url.database).expanduser()))
