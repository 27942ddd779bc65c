"""Team rotations: each saved rotation of a team and the duties it assigns.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def moment(name: str) -> sa.Column[object]:
    """A timestamp with time zone (the tables read and write it as aware UTC)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    """Create ``rotations`` and ``rotation_duties``; no table that exists is touched."""
    op.create_table(
        "rotations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team", sa.String(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        moment("created"),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("team_focus", sa.Integer(), nullable=False),
        sa.Column("price_of_fairness", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rotations")),
    )
    op.create_index("ix_rotations_team_first_day", "rotations", ["team", "first_day"])
    op.create_table(
        "rotation_duties",
        sa.Column("rotation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(), nullable=False),
        sa.Column("duty", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("seat", sa.String(), nullable=False),
        sa.Column("event", sa.Text(), nullable=False),
        sa.Column("member", sa.String(), nullable=False),
        moment("start_at"),
        moment("end_at"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("weighted_hours", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["rotation_id"], ["rotations.id"], ondelete="CASCADE",
                                name=op.f("fk_rotation_duties_rotation_id_rotations")),
        sa.PrimaryKeyConstraint("rotation_id", "position", name=op.f("pk_rotation_duties")),
    )
    op.create_index("ix_rotation_duties_rotation_id_day", "rotation_duties",
                    ["rotation_id", "day"])


def downgrade() -> None:
    """Drop the rotations and their duties."""
    op.drop_index("ix_rotation_duties_rotation_id_day", table_name="rotation_duties")
    op.drop_table("rotation_duties")
    op.drop_index("ix_rotations_team_first_day", table_name="rotations")
    op.drop_table("rotations")
