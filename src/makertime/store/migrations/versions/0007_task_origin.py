"""A stored task records where it comes from: tasks.toml, a calendar, or added through makertime.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add ``tasks.origin``. Every task kept before came from an input: from tasks.toml when
    its source is the tasks file of a saved plan (or ends in ``.toml``), else from a calendar's
    VTODO. The next read of its source sets it anew in any case.

    On SQLite the table is copied (batch mode): nothing refers to ``tasks``, so nothing
    cascades.
    """
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("origin", sa.String(), nullable=False,
                                   server_default="calendar"))
        batch.create_check_constraint(
            op.f("ck_tasks_origin"), "origin IN ('tasks.toml', 'calendar', 'makertime')")
    op.execute("UPDATE tasks SET origin = 'tasks.toml' WHERE source LIKE '%.toml' OR source IN "
               "(SELECT tasks_path FROM plans WHERE tasks_path IS NOT NULL)")


def downgrade() -> None:
    """Drop ``tasks.origin``: a task added through makertime stays, as if it came from a
    calendar no plan reads (so it is no longer planned)."""
    with op.batch_alter_table("tasks") as batch:
        batch.drop_constraint(op.f("ck_tasks_origin"), type_="check")
        batch.drop_column("origin")
