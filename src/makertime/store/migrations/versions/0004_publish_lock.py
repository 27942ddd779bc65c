"""One publish at a time per target: the publish lock.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create ``publish_locks`` (empty: no publish is under way while the schema changes)."""
    op.create_table(
        "publish_locks",
        sa.Column("target", sa.String(), nullable=False),
        sa.Column("token", sa.String(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refreshed", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("target", name=op.f("pk_publish_locks")),
    )


def downgrade() -> None:
    """Drop ``publish_locks``."""
    op.drop_table("publish_locks")
