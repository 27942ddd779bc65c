"""Bring a database to the newest schema, by itself, the first time a store opens it.

Alembic is configured in code: the scripts are the ``migrations`` folder next to this module,
and the connection (inside the transaction that holds the lock) goes to ``env.py`` through
``config.attributes``. Two processes opening an old database at once upgrade it once. A database
already at ``HEAD`` is recognised with one query, without importing Alembic (most runs).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.exc import DBAPIError

from makertime.errors import StoreError, param
from makertime.store.engine import writer
from makertime.store.errors import masked, unavailable

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPTS = Path(__file__).with_name("migrations")
HEAD = "0007"  # the newest revision in migrations/versions (a test keeps the two in step)
_LOCK = 0x6D616B6572  # "maker": the advisory lock PostgreSQL upgrades hold


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for the store's migrations, running on ``connection``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPTS).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    return config


@cache
def head() -> str:
    """The newest revision these migrations know."""
    from alembic.script import ScriptDirectory

    found = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if found is None:  # pragma: no cover - the package ships its revisions
        raise RuntimeError(f"no migrations in {SCRIPTS}")
    return found


@cache
def known() -> frozenset[str]:
    """Every revision these migrations know."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    return frozenset(script.revision for script in scripts.walk_revisions())


def current(connection: Connection) -> str | None:
    """The revision ``connection``'s database is at (None when it has no schema yet)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    found = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return None if found is None else str(found)


def upgrade(engine: Engine, url: str, revision: str = "head") -> None:
    """Upgrade the database behind ``engine`` to ``revision``, unless it is there already."""
    try:
        with engine.connect() as connection:
            found = current(connection)
        if found == HEAD and revision == "head":
            return
        from alembic import command

        if found is not None and found not in known():
            raise StoreError(f'database "{masked(url)}"',
                             f"its schema is revision {found}, newer than this makertime knows",
                             f"upgrade makertime, or give another {param('db')}")
        with writer(engine).begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK})")
            command.upgrade(alembic_config(connection), revision)
    except DBAPIError as error:
        raise unavailable(url, error) from None
