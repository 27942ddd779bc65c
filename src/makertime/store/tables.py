"""The store's tables, as SQLAlchemy declarative classes; never handed out (see ``mapping``).

Every moment is a ``UtcDateTime``: an aware datetime in, an aware UTC datetime out, on every
backend (SQLite keeps no offset, so UTC wall time is what it stores). The migrations in
``migrations/versions`` create exactly these tables; a test compares the two.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names the same on every backend, so later migrations can name them."""


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp with time zone that accepts only aware datetimes and returns aware UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Aware ``value`` in UTC; SQLite gets the UTC wall time, as it keeps no offset."""
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"the store takes aware datetimes only, not {value.isoformat()}")
        moment = value.astimezone(UTC)
        return moment.replace(tzinfo=None) if dialect.name == "sqlite" else moment

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """The stored moment as an aware UTC datetime (naive values are UTC wall time)."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Root of the store's tables."""

    metadata = MetaData(naming_convention=NAMING)


class SourceRow(Base):
    """A named calendar source; ``credentials`` says where they are, never what they are."""

    __tablename__ = "sources"
    __table_args__ = (
        CheckConstraint("credentials IN ('env', 'netrc', 'none')", name="credentials"),)

    name: Mapped[str] = mapped_column(String, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    credentials: Mapped[str] = mapped_column(String)
    added: Mapped[datetime] = mapped_column(UtcDateTime)


class TaskRow(Base):
    """A task, what its source said last (``read_*``) and what the person logged since;
    ``origin`` says where it comes from: tasks.toml, a calendar, or makertime (revision 0007)."""

    __tablename__ = "tasks"
    __table_args__ = (
        CheckConstraint("origin IN ('tasks.toml', 'calendar', 'makertime')", name="origin"),)

    id: Mapped[str] = mapped_column(String, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    estimate_minutes: Mapped[int] = mapped_column(Integer)
    depth: Mapped[str] = mapped_column(String)
    deadline: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # A floating deadline (wall time in the person's zone) is kept as that wall time in UTC.
    deadline_floating: Mapped[bool] = mapped_column(Boolean)
    priority: Mapped[int] = mapped_column(Integer)
    min_block_minutes: Mapped[int | None] = mapped_column(Integer)
    progress: Mapped[float] = mapped_column(Float)
    last_touched: Mapped[date | None] = mapped_column(Date)
    waiting_on_me: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(Text)
    read_estimate_minutes: Mapped[int] = mapped_column(Integer)
    read_progress: Mapped[float] = mapped_column(Float)
    estimate_at: Mapped[datetime] = mapped_column(UtcDateTime)
    done: Mapped[bool] = mapped_column(Boolean)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    origin: Mapped[str] = mapped_column(String, server_default="calendar")


class PlanRow(Base):
    """A saved plan with its inputs and JSON; the newest is the current plan."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created: Mapped[datetime] = mapped_column(UtcDateTime)
    now_at: Mapped[datetime] = mapped_column(UtcDateTime)
    cals: Mapped[list[str]] = mapped_column(JSON)
    tasks_path: Mapped[str | None] = mapped_column(Text)
    policy_path: Mapped[str | None] = mapped_column(Text)
    target: Mapped[str | None] = mapped_column(Text)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)


class PlanBlockRow(Base):
    """One block of a saved plan, in the plan's order."""

    __tablename__ = "plan_blocks"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"),
                                         primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String)
    start_at: Mapped[datetime] = mapped_column(UtcDateTime)
    end_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(Text)
    task: Mapped[str | None] = mapped_column(String)
    title: Mapped[str] = mapped_column(Text)
    # the UID kept after the person moved the block (revision 0003; "" otherwise)
    block_key: Mapped[str] = mapped_column(String, server_default="")


class InterruptionRow(Base):
    """An interruption a person logged."""

    __tablename__ = "interruptions"
    __table_args__ = (CheckConstraint("minutes > 0", name="minutes_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(Text)
    start_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    logged: Mapped[datetime] = mapped_column(UtcDateTime)


class PublishedRow(Base):
    """A block as makertime last wrote it to a target (revision 0002)."""

    __tablename__ = "published_items"

    target: Mapped[str] = mapped_column(String, primary_key=True)
    uid: Mapped[str] = mapped_column(String, primary_key=True)
    href: Mapped[str] = mapped_column(Text)
    etag: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String)
    task: Mapped[str | None] = mapped_column(String)
    start_at: Mapped[datetime] = mapped_column(UtcDateTime)
    end_at: Mapped[datetime] = mapped_column(UtcDateTime)


class IntentionRow(Base):
    """A change a publish announced and has not reported finished (revision 0002)."""

    __tablename__ = "publish_intentions"
    __table_args__ = (
        CheckConstraint("action IN ('create', 'update', 'delete')", name="action"),)

    target: Mapped[str] = mapped_column(String, primary_key=True)
    uid: Mapped[str] = mapped_column(String, primary_key=True)
    action: Mapped[str] = mapped_column(String)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class DeclinedRow(Base):
    """A block the person deleted from a target: never created there again (revision 0002)."""

    __tablename__ = "declined_uids"

    target: Mapped[str] = mapped_column(String, primary_key=True)
    uid: Mapped[str] = mapped_column(String, primary_key=True)


class CollectionRow(Base):
    """A remote collection as last fetched: its sync token (revision 0002)."""

    __tablename__ = "remote_collections"

    url: Mapped[str] = mapped_column(String, primary_key=True)
    sync_token: Mapped[str | None] = mapped_column(Text)


class RemoteItemRow(Base):
    """One calendar object of a remote collection as last fetched (revision 0002)."""

    __tablename__ = "remote_items"

    url: Mapped[str] = mapped_column(ForeignKey("remote_collections.url", ondelete="CASCADE"),
                                     primary_key=True)
    href: Mapped[str] = mapped_column(String, primary_key=True)
    etag: Mapped[str] = mapped_column(Text)
    data: Mapped[str] = mapped_column(Text)


class WeekRow(Base):
    """The audit totals of one week, as last recorded (revision 0002)."""

    __tablename__ = "week_totals"

    week: Mapped[date] = mapped_column(Date, primary_key=True)
    totals: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded: Mapped[datetime] = mapped_column(UtcDateTime)


class PublishLockRow(Base):
    """The publish to a target now under way: who holds it, since when, and when it last wrote
    (revision 0004). ``token`` tells one hold from another of the same process."""

    __tablename__ = "publish_locks"

    target: Mapped[str] = mapped_column(String, primary_key=True)
    token: Mapped[str] = mapped_column(String)
    pid: Mapped[int] = mapped_column(Integer)
    host: Mapped[str] = mapped_column(Text)
    since: Mapped[datetime] = mapped_column(UtcDateTime)
    refreshed: Mapped[datetime] = mapped_column(UtcDateTime)


class RotationRow(Base):
    """A team's rotation over a period, as saved (revision 0006): the newest saved for a day
    is the one the team holds that day."""

    __tablename__ = "rotations"
    __table_args__ = (Index("ix_rotations_team_first_day", "team", "first_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team: Mapped[str] = mapped_column(String)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    created: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String)
    team_focus: Mapped[int] = mapped_column(Integer)
    price_of_fairness: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)


class RotationDutyRow(Base):
    """One duty of a saved rotation, in the rotation's order (revision 0006); ``day`` is the
    team's date it starts on."""

    __tablename__ = "rotation_duties"
    __table_args__ = (Index("ix_rotation_duties_rotation_id_day", "rotation_id", "day"),)

    rotation_id: Mapped[int] = mapped_column(ForeignKey("rotations.id", ondelete="CASCADE"),
                                             primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    slot: Mapped[str] = mapped_column(String)
    duty: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String)
    seat: Mapped[str] = mapped_column(String)
    event: Mapped[str] = mapped_column(Text)
    member: Mapped[str] = mapped_column(String)
    start_at: Mapped[datetime] = mapped_column(UtcDateTime)
    end_at: Mapped[datetime] = mapped_column(UtcDateTime)
    day: Mapped[date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float)
    weighted_hours: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
