"""What was published where, the publish journal, remote collections and weekly history.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def moment(name: str) -> sa.Column[object]:
    """A timestamp with time zone (the tables read and write it as aware UTC)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    """Create the publishing, remote-state and history tables."""
    op.create_table(
        "published_items",
        sa.Column("target", sa.String(), nullable=False),
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column("href", sa.Text(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("task", sa.String(), nullable=True),
        moment("start_at"),
        moment("end_at"),
        sa.PrimaryKeyConstraint("target", "uid", name=op.f("pk_published_items")),
    )
    op.create_table(
        "publish_intentions",
        sa.Column("target", sa.String(), nullable=False),
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        moment("at"),
        sa.CheckConstraint("action IN ('create', 'update', 'delete')",
                           name=op.f("ck_publish_intentions_action")),
        sa.PrimaryKeyConstraint("target", "uid", name=op.f("pk_publish_intentions")),
    )
    op.create_table(
        "declined_uids",
        sa.Column("target", sa.String(), nullable=False),
        sa.Column("uid", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("target", "uid", name=op.f("pk_declined_uids")),
    )
    op.create_table(
        "remote_collections",
        sa.Column("url", sa.String(), nullable=False),
        sa.Column("sync_token", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_remote_collections")),
    )
    op.create_table(
        "remote_items",
        sa.Column("url", sa.String(), nullable=False),
        sa.Column("href", sa.String(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["url"], ["remote_collections.url"], ondelete="CASCADE",
                                name=op.f("fk_remote_items_url_remote_collections")),
        sa.PrimaryKeyConstraint("url", "href", name=op.f("pk_remote_items")),
    )
    op.create_table(
        "week_totals",
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("totals", sa.JSON(), nullable=False),
        moment("recorded"),
        sa.PrimaryKeyConstraint("week", name=op.f("pk_week_totals")),
    )


def downgrade() -> None:
    """Drop the tables of this revision."""
    for table in ("week_totals", "remote_items", "remote_collections", "declined_uids",
                  "publish_intentions", "published_items"):
        op.drop_table(table)
