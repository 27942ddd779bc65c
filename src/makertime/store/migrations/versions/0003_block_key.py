"""A saved block keeps the UID it had when the person moved it in their calendar.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add ``plan_blocks.block_key`` ("" for every block saved before)."""
    with op.batch_alter_table("plan_blocks") as batch:
        batch.add_column(sa.Column("block_key", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    """Drop ``plan_blocks.block_key``."""
    with op.batch_alter_table("plan_blocks") as batch:
        batch.drop_column("block_key")
