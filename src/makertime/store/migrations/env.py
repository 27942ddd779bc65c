"""Alembic's entry point: runs the migrations on the connection the store passes in.

The store builds its Alembic configuration in code (no alembic.ini) and hands over an open
connection in ``config.attributes["connection"]``, inside the transaction that holds the lock.
"""

from __future__ import annotations

from alembic import context

from makertime.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("makertime's migrations run through makertime.store.open_store")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite alters a table by copying it; later revisions get that for free.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
