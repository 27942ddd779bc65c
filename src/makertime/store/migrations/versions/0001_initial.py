"""The first schema: sources, tasks, plans with their blocks, interruptions.

Revision ID: 0001
Revises: none
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def moment(name: str, *, nullable: bool = False) -> sa.Column[object]:
    """A timestamp with time zone (the tables read and write it as aware UTC)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Create the first tables."""
    op.create_table(
        "sources",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("credentials", sa.String(), nullable=False),
        moment("added"),
        sa.CheckConstraint("credentials IN ('env', 'netrc', 'none')",
                           name=op.f("ck_sources_credentials")),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_sources")),
    )
    op.create_table(
        "tasks",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("estimate_minutes", sa.Integer(), nullable=False),
        sa.Column("depth", sa.String(), nullable=False),
        moment("deadline", nullable=True),
        sa.Column("deadline_floating", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("min_block_minutes", sa.Integer(), nullable=True),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("last_touched", sa.Date(), nullable=True),
        sa.Column("waiting_on_me", sa.Boolean(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("read_estimate_minutes", sa.Integer(), nullable=False),
        sa.Column("read_progress", sa.Float(), nullable=False),
        moment("estimate_at"),
        sa.Column("done", sa.Boolean(), nullable=False),
        moment("done_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        moment("created"),
        moment("now_at"),
        sa.Column("cals", sa.JSON(), nullable=False),
        sa.Column("tasks_path", sa.Text(), nullable=True),
        sa.Column("policy_path", sa.Text(), nullable=True),
        sa.Column("target", sa.Text(), nullable=True),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("timezone", sa.String(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    op.create_table(
        "plan_blocks",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        moment("start_at"),
        moment("end_at"),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("task", sa.String(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="CASCADE",
                                name=op.f("fk_plan_blocks_plan_id_plans")),
        sa.PrimaryKeyConstraint("plan_id", "position", name=op.f("pk_plan_blocks")),
    )
    op.create_table(
        "interruptions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        moment("start_at"),
        sa.Column("minutes", sa.Integer(), nullable=False),
        moment("logged"),
        sa.CheckConstraint("minutes > 0", name=op.f("ck_interruptions_minutes_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interruptions")),
    )
    op.create_index(op.f("ix_interruptions_start_at"), "interruptions", ["start_at"])


def downgrade() -> None:
    """Drop the first tables."""
    op.drop_index(op.f("ix_interruptions_start_at"), table_name="interruptions")
    for table in ("interruptions", "plan_blocks", "plans", "tasks", "sources"):
        op.drop_table(table)
