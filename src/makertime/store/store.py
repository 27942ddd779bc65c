"""The store: one object over one database, every write one transaction.

Methods take and return frozen records and domain types, never rows. Moments go in aware (any
zone) and come out aware in UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from makertime.calendars.remote import CollectionState
from makertime.model import Task
from makertime.plan.result import Block
from makertime.store import catalog, locks, migrate, plans, rotations
from makertime.store import journal as journal_rows
from makertime.store import tasks as task_rows
from makertime.store.engine import make_engine, writer
from makertime.store.errors import unavailable
from makertime.store.journal import Action, Journalled, PublishedItem
from makertime.store.locks import Hold, refresh_hold
from makertime.store.records import (
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
from makertime.store.url import database_url


def open_store(url: str | None = None) -> Store:
    """Open the store at ``url`` (else ``$MAKERTIME_DB``, else the default SQLite file),
    upgrading its schema first when it is older than this makertime."""
    resolved = database_url(url)
    engine = make_engine(resolved)
    try:
        migrate.upgrade(engine, resolved)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, resolved)


class Store:
    """Sources, tasks, plans, interruptions, publish state, history and team rotations in one
    database."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.url = url  # as opened, password and all: show it through errors.masked
        self._engine = engine
        self._reads = sessionmaker(engine, expire_on_commit=False)
        self._writes = sessionmaker(writer(engine), expire_on_commit=False)
        self._current: StoredPlan | None = None  # the newest plan, as last read
        self._shared: ContextVar[Session | None] = ContextVar(f"reads-{id(self)}", default=None)

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Let the reads inside the block share one transaction: one consistent view of the
        store, and one connection taken instead of one per read (a writer waits its turn)."""
        if self._shared.get() is not None:
            yield
            return
        with self._session(write=False) as session:
            token = self._shared.set(session)
            try:
                yield
            finally:
                self._shared.reset(token)

    @contextmanager
    def _session(self, *, write: bool) -> Iterator[Session]:
        """One transaction: committed at the end, rolled back on any error (a read inside a
        ``snapshot`` is part of its transaction)."""
        shared = None if write else self._shared.get()
        if shared is not None:
            yield shared
            return
        try:
            with (self._writes if write else self._reads).begin() as session:
                yield session
        except IntegrityError:
            raise  # a constraint a caller should have checked: a bug, not the person's doing
        except DBAPIError as error:  # down, locked, no permission, not a database at all
            raise unavailable(self.url, error) from None

    # sources

    def add_source(self, name: str, url: str, credentials: str, at: datetime) -> Source:
        """Add a calendar source by name; ``credentials`` is ``env``, ``netrc`` or ``none``."""
        with self._session(write=True) as session:
            return catalog.add_source(session, name, url, credentials, at)

    def sources(self) -> list[Source]:
        """Every source, by name."""
        with self._session(write=False) as session:
            return catalog.sources(session)

    def source(self, name: str) -> Source | None:
        """Source ``name``, or None."""
        with self._session(write=False) as session:
            return catalog.source(session, name)

    def remove_source(self, name: str) -> bool:
        """Remove source ``name``; False when there was none."""
        with self._session(write=True) as session:
            return catalog.remove_source(session, name)

    def collection_state(self, url: str) -> CollectionState | None:
        """What was last fetched from the remote collection at ``url``."""
        with self._session(write=False) as session:
            return catalog.collection_state(session, url)

    def save_collection_state(self, state: CollectionState) -> None:
        """Replace what is kept of ``state.url`` (token and every item) in one transaction."""
        with self._session(write=True) as session:
            catalog.save_collection_state(session, state)

    # tasks

    def save_tasks(self, tasks: Sequence[Task], at: datetime, *,
                   tasks_file: str | None = None) -> None:
        """Insert or update tasks as read from their source: an estimate or progress edited
        there is taken (``estimate_at = at``), else what was logged since is kept. A task whose
        source is ``tasks_file`` comes from tasks.toml, any other from a calendar; a task added
        through makertime is never dropped, and taken over by a source that lists its id."""
        with self._session(write=True) as session:
            task_rows.save_tasks(session, tasks, at, tasks_file)

    def add_task(self, task: Task, *, at: datetime) -> TaskState:
        """Keep ``task`` as added through makertime, its estimate set at ``at``; a TasksError
        when its id is taken."""
        with self._session(write=True) as session:
            return task_rows.add_task(session, task, at)

    def added_task(self, task_id: str) -> TaskState:
        """The task ``task_id`` added through makertime: a StoreError when there is none, a
        TasksError naming its input when it comes from one."""
        with self._session(write=False) as session:
            return task_rows.added_task(session, task_id)

    def edit_task(self, task: Task, *, at: datetime, changed: Collection[str]) -> TaskState:
        """Change the task ``task.id`` added through makertime to ``task``; its estimate and
        progress only when ``changed`` names them (set at ``at``), else what was logged
        stands."""
        with self._session(write=True) as session:
            return task_rows.edit_task(session, task, at, changed)

    def tasks(self, include_done: bool = False) -> list[TaskState]:
        """Tasks by id; done ones only when asked."""
        with self._session(write=False) as session:
            return task_rows.tasks(session, include_done)

    def set_progress(self, task_id: str, fraction: float, at: datetime) -> TaskState:
        """Set a task's done fraction; its remaining estimate scales with it."""
        with self._session(write=True) as session:
            return task_rows.set_progress(session, task_id, fraction, at)

    def mark_done(self, task_id: str, at: datetime) -> TaskState:
        """Mark a task done."""
        with self._session(write=True) as session:
            return task_rows.mark_done(session, task_id, at)

    # plans, interruptions, history

    def save_plan(self, created: datetime, now: datetime, inputs: PlanInputs,
                  blocks: Sequence[Block], result: dict[str, Any], *,
                  weeks: Sequence[tuple[date, dict[str, Any]]] = ()) -> StoredPlan:
        """Save a plan, and the totals of the ``weeks`` it covers, in one transaction; it
        becomes the current plan."""
        with self._session(write=True) as session:
            for week, totals in weeks:
                plans.record_week(session, week, totals, created)
            return plans.save_plan(session, created=created, now=now, inputs=inputs,
                                     blocks=blocks, result=result)

    def current_plan(self) -> StoredPlan | None:
        """The plan saved last, or None. A saved plan never changes, so a store kept open
        (a server's) reads each one once: asking again costs one query for the newest id."""
        with self._session(write=False) as session:
            newest = plans.newest_id(session)
            known = self._current
            if newest is None or (known is not None and known.id == newest):
                return known if newest is not None else None
            found = plans.plans(session, 1)
        self._current = found[0] if found else None
        return self._current

    def plans(self, limit: int = 10) -> list[StoredPlan]:
        """The ``limit`` newest plans, newest first."""
        with self._session(write=False) as session:
            return plans.plans(session, limit)

    def plan_results_as_of(self, limit: int = 10) -> list[tuple[datetime, dict[str, Any]]]:
        """The ``now`` each of the ``limit`` newest plans was made for, and its JSON, newest
        first (without their blocks)."""
        with self._session(write=False) as session:
            return plans.results_as_of(session, limit)

    def log_interruption(self, text: str, start: datetime, minutes: int,
                         logged: datetime) -> Interruption:
        """Log an interruption; ``minutes`` must be at least 1."""
        with self._session(write=True) as session:
            return plans.log_interruption(session, text, start, minutes, logged)

    def interruptions(self, since: datetime | None = None,
                      until: datetime | None = None) -> list[Interruption]:
        """Interruptions that began in ``[since, until)``, by start."""
        with self._session(write=False) as session:
            return plans.interruptions(session, since, until)

    def interruption(self, number: int) -> Interruption:
        """Interruption ``number`` (its id); a StoreError when there is no such one."""
        with self._session(write=False) as session:
            return plans.interruption(session, number)

    def edit_interruption(self, number: int, minutes: int) -> tuple[Interruption, Interruption]:
        """Set how long interruption ``number`` lasted; returns it before and after (a
        StoreError when there is no such interruption)."""
        with self._session(write=True) as session:
            return plans.edit_interruption(session, number, minutes)

    def remove_interruption(self, number: int) -> Interruption:
        """Delete interruption ``number``; returns what it was (a StoreError when there is no
        such interruption)."""
        with self._session(write=True) as session:
            return plans.remove_interruption(session, number)

    def weeks(self) -> list[WeekTotals]:
        """Every recorded week, oldest first."""
        with self._session(write=False) as session:
            return plans.weeks(session)

    # publishing

    def journalled(self, target: str) -> Journalled:
        """What the store knows of ``target`` (records, intentions, declined UIDs), at once."""
        with self._session(write=False) as session:
            return journal_rows.journalled(session, target)

    def intend(self, target: str, uid: str, action: Action, at: datetime, *,
               hold: Hold | None = None) -> None:
        """Record that ``action`` on ``uid`` is about to be sent to ``target``."""
        with self._session(write=True) as session:
            refresh_hold(session, target, hold)
            journal_rows.intend(session, target, uid, action, at)

    def finished(self, target: str, uid: str, item: PublishedItem | None, *,
                 hold: Hold | None = None) -> None:
        """Clear the intention on ``uid`` and record the outcome, in one transaction."""
        with self._session(write=True) as session:
            refresh_hold(session, target, hold)
            journal_rows.finished(session, target, uid, item)

    def adopt(self, target: str, items: Sequence[PublishedItem], *,
              hold: Hold | None = None) -> None:
        """Record makertime's events found on ``target`` that were not recorded yet."""
        with self._session(write=True) as session:
            refresh_hold(session, target, hold)
            journal_rows.adopt(session, target, items)

    def settle(self, target: str, items: Mapping[str, PublishedItem],
               declined: Collection[str], *, hold: Hold | None = None) -> None:
        """In one transaction: ``target``'s record becomes ``items``, its intentions are
        closed, ``declined`` is remembered as deleted by the person."""
        with self._session(write=True) as session:
            refresh_hold(session, target, hold)
            journal_rows.settle(session, target, items, declined)

    def journal(self, at: datetime, *, holder: Holder | None = None,
                clock: Callable[[], datetime] | None = None) -> Journal:
        """The publish journal of a run that started at ``at``; with ``holder``, every record
        also refreshes that holder's publish lock (at ``clock()``), and fails without it."""
        return Journal(self, at, holder=holder, clock=clock)

    def declined(self, target: str) -> set[str]:
        """UIDs the person deleted from ``target``."""
        with self._session(write=False) as session:
            return journal_rows.declined(session, target)

    def decline(self, target: str, uids: Iterable[str]) -> None:
        """Remember that the person deleted ``uids`` from ``target``: never re-create them."""
        with self._session(write=True) as session:
            journal_rows.decline(session, target, uids)

    def lock_target(self, target: str, holder: Holder, at: datetime, *,
                    stale_after: timedelta) -> PublishLock | None:
        """Take the publish lock of ``target`` for ``holder`` at ``at``: None when taken (also
        over a holder that is gone, or silent for ``stale_after``), else who holds it."""
        with self._session(write=True) as session:
            return locks.take(session, target, holder, at, stale_after)

    def unlock_target(self, target: str, holder: Holder) -> None:
        """Give back ``holder``'s publish lock of ``target``."""
        with self._session(write=True) as session:
            locks.release(session, target, holder)

    # team rotations

    def save_rotation(self, record: RotationRecord) -> int:
        """Save a team's rotation with its duties (``record.id`` is not read); its new id."""
        with self._session(write=True) as session:
            return rotations.save_rotation(session, record)

    def rotations(self, team: str, limit: int = 20) -> list[RotationRecord]:
        """The ``limit`` rotations of ``team`` saved last, newest first."""
        with self._session(write=False) as session:
            return rotations.rotations(session, team, limit)

    def rotation_notes(self, team: str) -> list[str]:
        """Why each rotation of ``team`` was made ("plan", "away dario …"), oldest first."""
        with self._session(write=False) as session:
            return rotations.rotation_notes(session, team)

    def newest_rotation(self) -> RotationRecord | None:
        """The rotation saved last, of any team, or None."""
        with self._session(write=False) as session:
            return rotations.newest_rotation(session)

    def rotation(self, team: str, rotation_id: int) -> RotationRecord | None:
        """Rotation ``rotation_id`` of ``team``, or None."""
        with self._session(write=False) as session:
            return rotations.rotation(session, team, rotation_id)

    def latest_rotation(self, team: str, first: date, last: date) -> RotationRecord | None:
        """The rotation of ``team`` saved last whose period overlaps ``first``..``last``."""
        with self._session(write=False) as session:
            return rotations.latest_rotation(session, team, first, last)

    def effective_duties(self, team: str, first: date | None = None,
                         last: date | None = None) -> list[DutyRecord]:
        """The duties ``team`` holds on the dates ``first``..``last``, by start: on each date,
        those of the newest rotation whose period contains it."""
        with self._session(write=False) as session:
            return rotations.effective_duties(session, team, first, last)

    def carried_load(self, team: str, before: date) -> dict[str, float]:
        """Weighted duty hours each member of ``team`` held on the dates before ``before``."""
        with self._session(write=False) as session:
            return rotations.carried_load(session, team, before)

    def duty_history(self, team: str) -> list[MemberLoadRecord]:
        """The duty hours each member of ``team`` held in each ISO week, by week then member."""
        with self._session(write=False) as session:
            return rotations.duty_history(session, team)

    # lifetime

    def close(self) -> None:
        """Close every connection to the database."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
