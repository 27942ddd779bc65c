"""A plan's zone is its policy's: the copy kept beside each plan, never read, goes.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Drop ``plans.timezone`` in place (``ALTER TABLE … DROP COLUMN``, SQLite 3.35 and later).

    Never by rebuilding the table, as Alembic's batch mode does on SQLite: dropping the old
    ``plans`` would cascade to every saved block of ``plan_blocks``.
    """
    op.drop_column("plans", "timezone")


def downgrade() -> None:
    """Bring ``plans.timezone`` back, as UTC for the plans kept meanwhile."""
    op.add_column("plans", sa.Column("timezone", sa.String(), nullable=False,
                                     server_default="UTC"))
