"""The store: what makertime keeps between runs, in SQLite (default) or PostgreSQL.

It keeps the sources, the tasks and their progress (the tasks added through makertime are kept
here alone), each plan with its inputs, the interruption log, the published state (what
makertime saw on each target, the publish journal, the blocks the person deleted, the lock of a
publish under way), the weekly history and the rotations of team duties (what each member
holds, and so carries over). Writes are transactions; opening an older database upgrades it
first (Alembic migrations in ``migrations/``). Credentials are never kept: a source keeps only
where they come from.

::

    with open_store() as store:            # --db URL, else $MAKERTIME_DB, else the XDG file
        store.save_tasks(tasks, at=now)
        store.set_progress("blog-post", 0.5, at=now)
        store.add_task(task, at=now)       # added through makertime: kept here alone
"""

from __future__ import annotations

from makertime.errors import StoreError
from makertime.store.journal import Intention, Journalled
from makertime.store.locks import this_host
from makertime.store.records import (
    ADDED,
    CREDENTIALS,
    FROM_CALENDAR,
    FROM_FILE,
    ORIGINS,
    Holder,
    Interruption,
    PlanInputs,
    PublishLock,
    Source,
    StoredPlan,
    TaskState,
    WeekTotals,
)
from makertime.store.rotations import DutyRecord, MemberLoadRecord, RotationRecord
from makertime.store.runs import Journal
from makertime.store.store import Store, open_store
from makertime.store.url import database_url

__all__ = [
    "ADDED",
    "CREDENTIALS",
    "FROM_CALENDAR",
    "FROM_FILE",
    "ORIGINS",
    "DutyRecord",
    "Holder",
    "Intention",
    "Interruption",
    "Journal",
    "Journalled",
    "MemberLoadRecord",
    "PlanInputs",
    "PublishLock",
    "RotationRecord",
    "Source",
    "Store",
    "StoreError",
    "StoredPlan",
    "TaskState",
    "WeekTotals",
    "database_url",
    "open_store",
    "this_host",
]
