"""What the publish tests share: a week of blocks, the places a plan is published to (a calendar
in memory, an .ics file and a Radicale calendar) with what the person does there behind
makertime's back, a journal that records like the store, a store on SQLite ready at once, and a
target wrapper that counts writes, lets the person act right after a read, crashes, or fails the
way a server can (a 412 refusal, a 503, a connection dropped after the write went through).

The ``place`` fixture (``tests/conftest.py``) opens the .ics file and the Radicale calendar with
``open_place``; the tests of the algorithm alone publish to a ``MemoryPlace``.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from tempfile import mkdtemp
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy.orm import Session

from makertime.calendars.base import PublishTarget, RemoteEvent, Stored, TargetState
from makertime.calendars.caldav import CalDavCalendar
from makertime.calendars.ics_file import IcsFile
from makertime.calendars.memory import MemoryCalendar
from makertime.errors import Conflict, ServerError
from makertime.model import Interval
from makertime.plan.replan import Edits
from makertime.plan.result import Block, BlockKind
from makertime.publish.edits import read_edits
from makertime.publish.journalled import publish_blocks
from makertime.publish.retry import Retry
from makertime.publish.sync import PublishReport, publish
from makertime.store import PublishLock, Store, locks, open_store
from makertime.store.engine import make_engine
from makertime.store.journal import Action, PublishedItem
from tests.support.radicale import RadicaleServer

ZONE = ZoneInfo("Europe/Zagreb")
MONDAY = datetime(2026, 3, 23, tzinfo=UTC)
T0 = datetime(2026, 3, 23, 8, tzinfo=UTC)
"""When a publish through the store runs, for its journal and its lock alike."""
_T = TypeVar("_T")


def block(day: int, hour: int, minutes: int = 120, kind: BlockKind = BlockKind.DEEP,
          task: str | None = "pr-42", *, key: str = "") -> Block:
    """A block on the plan's week: ``day`` days after Monday, ``hour`` UTC."""
    start = MONDAY + timedelta(days=day, hours=hour)
    return Block(kind, Interval(start, start + timedelta(minutes=minutes)),
                 reason=f"the longest free stretch of day {day}", task=task,
                 title="Address review feedback" if task else "", key=key)


def kept_block(hour: int) -> Block:
    """A block that keeps its UID wherever a plan puts it on Monday."""
    return block(0, hour, key="kept-block@makertime")


PLAN = [block(0, 8), block(0, 13, 30, BlockKind.SYNC_WINDOW, None), block(1, 8),
        block(2, 9, 60, BlockKind.SHALLOW, "blog"), block(3, 12, 180, BlockKind.REST, None)]


class Place(Protocol):
    """A target and what the person can do to it behind makertime's back."""

    def target(self) -> PublishTarget:
        """A fresh target object on this place, as a new run would open it."""
        ...

    def snapshot(self) -> dict[str, str]:
        """Everything stored, as name → ETag or hash: equal snapshots, nothing written."""
        ...

    def move(self, uid: str, delta: timedelta) -> None:
        """The person moves an event."""
        ...

    def delete(self, uid: str) -> None:
        """The person deletes an event."""
        ...


def shifted(text: str, uid: str, delta: timedelta) -> str:
    """``text`` with event ``uid`` moved by ``delta``, as a calendar app would do it."""
    calendar = icalendar.Calendar.from_ical(text)
    for event in calendar.walk("VEVENT"):
        if str(event["UID"]) == uid:
            start, end = event.start + delta, event.end + delta
            event.start, event.end = start, end
    return bytes(calendar.to_ical()).decode()


@dataclass
class FilePlace:
    """An .ics file makertime owns."""

    path: Path

    def target(self) -> PublishTarget:
        return IcsFile(self.path)

    def snapshot(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        return {"file": hashlib.sha256(self.path.read_bytes()).hexdigest()}

    def move(self, uid: str, delta: timedelta) -> None:
        self.path.write_text(shifted(self.path.read_text(), uid, delta))

    def delete(self, uid: str) -> None:
        calendar = icalendar.Calendar.from_ical(self.path.read_text())
        calendar.subcomponents = [c for c in calendar.subcomponents if c.get("UID") != uid]
        self.path.write_bytes(calendar.to_ical())


@dataclass
class CalDavPlace:
    """A calendar on Radicale."""

    server: RadicaleServer
    url: str

    def target(self) -> PublishTarget:
        return CalDavCalendar(self.url, self.server.credentials)

    def snapshot(self) -> dict[str, str]:
        return self.server.etags(self.url)

    def _href(self, uid: str) -> str:
        return self.target().list().by_uid()[uid].href

    def move(self, uid: str, delta: timedelta) -> None:
        url = self.server.item_url(self.url, self._href(uid))
        etag, text = self.server.get(url)
        self.server.put(url, shifted(text, uid, delta), etag)

    def delete(self, uid: str) -> None:
        self.server.delete(self.server.item_url(self.url, self._href(uid)))


@dataclass
class MemoryPlace:
    """A calendar in memory: the same calendar object for every run, as a server would be."""

    calendar: MemoryCalendar = field(default_factory=lambda: MemoryCalendar("memory:plan"))

    def target(self) -> PublishTarget:
        return self.calendar

    def snapshot(self) -> dict[str, str]:
        return {href: item.etag for href, item in self.calendar.items.items()}

    def href(self, uid: str) -> str:
        """Where makertime's event ``uid`` is."""
        return self.calendar.list().by_uid()[uid].href

    def move(self, uid: str, delta: timedelta) -> None:
        href = self.href(uid)
        self.calendar.put(href, shifted(self.calendar.items[href].data, uid, delta))

    def delete(self, uid: str) -> None:
        self.calendar.remove(self.href(uid))


def open_place(request: pytest.FixtureRequest, tmp_path: Path) -> Place:
    """The place a ``place`` fixture parameter names: a file in ``tmp_path``, or a fresh
    calendar URL on the module's Radicale (the ``server`` fixture)."""
    if request.param == "ics":
        return FilePlace(tmp_path / "plan.ics")
    server: RadicaleServer = request.getfixturevalue("server")
    return CalDavPlace(server, server.unused_calendar_url())


class Crash(Exception):
    """The process is killed here."""


@dataclass
class Journal:
    """Records as the store would (adopted events, intentions, outcomes, the settled record
    and the declined UIDs); may crash at the n-th intention, or when the run settles."""

    items: dict[str, PublishedItem] = field(default_factory=dict)
    pending: dict[str, Action] = field(default_factory=dict)
    declined: set[str] = field(default_factory=set)
    calls: list[tuple[str, str, str]] = field(default_factory=list)
    crash_at: int | None = None
    crash_at_settle: bool = False

    def adopt(self, target: str, items: Sequence[PublishedItem]) -> None:
        self.calls.append(("adopt", " ".join(item.uid for item in items), ""))
        for item in items:
            self.items.setdefault(item.uid, item)

    def intend(self, target: str, uid: str, action: Action) -> None:
        self.calls.append(("intend", uid, action.value))
        self.pending[uid] = action
        if self.crash_at is not None and len(self.calls_of("intend")) >= self.crash_at:
            raise Crash

    def finished(self, target: str, uid: str, item: PublishedItem | None) -> None:
        self.calls.append(("finished", uid, "" if item is None else item.etag))
        self.pending.pop(uid, None)
        if item is None:
            self.items.pop(uid, None)
        else:
            self.items[uid] = item

    def settle(self, target: str, published: Mapping[str, PublishedItem],
               declined: Collection[str]) -> None:
        self.calls.append(("settle", "", ""))
        if self.crash_at_settle:
            raise Crash
        self.items = dict(published)
        self.pending.clear()
        self.declined |= set(declined)

    def calls_of(self, kind: str) -> list[tuple[str, str, str]]:
        return [call for call in self.calls if call[0] == kind]

    def known(self) -> dict[str, PublishedItem]:
        """What a run is told makertime saw, as the store tells it: less what makertime had
        set out to delete itself."""
        return {uid: item for uid, item in self.items.items()
                if self.pending.get(uid) is not Action.DELETE}


QUICK = Retry(pauses=(0.0, 0.0), sleep=lambda _seconds: None)
"""Three tries, no waiting."""

Fault = str
"""What a faulty target does with one call: "412" refuses it unsent, "503" fails it unsent,
"drop" sends it and then fails as if the answer was lost; "ok" sends it."""


@dataclass
class Watched:
    """A target that counts writes, lets the person act right after a read, crashes, or fails
    the calls of a method as ``faults[method]`` says, one entry per call."""

    inner: PublishTarget
    after_read: Callable[[], None] | None = None
    crash_after_writes: int | None = None
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    writes: int = 0
    sent: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.inner.name

    def _fault(self, method: str, href: str, send: Callable[[], _T]) -> _T:
        """``send()`` unless the next fault scripted for ``method`` says otherwise."""
        script = self.faults.get(method) or []
        fault = script.pop(0) if script else "ok"
        self.sent.append(f"{method} {fault}")
        if fault == "412":
            raise Conflict(self.name, href)
        if fault == "503":
            raise ServerError(self.name, "the CalDAV server answered 503 to PUT", "try again")
        result = send()
        if fault == "drop":
            raise ServerError(self.name, "cannot reach the CalDAV server", "try again")
        return result

    def list(self) -> TargetState:
        state = self._fault("read", "", self.inner.list)
        if self.after_read is not None:
            action, self.after_read = self.after_read, None
            action()
        return state

    def get(self, href: str) -> RemoteEvent | None:
        return self._fault("read_event", href, lambda: self.inner.get(href))

    def _wrote(self, result: _T) -> _T:
        self.writes += 1
        if self.crash_after_writes is not None and self.writes >= self.crash_after_writes:
            raise Crash  # after the write reached the target, before anything recorded it
        return result

    def create(self, uid: str, data: str) -> Stored:
        return self._fault("create", uid, lambda: self._wrote(self.inner.create(uid, data)))

    def update(self, href: str, etag: str, data: str) -> str:
        return self._fault("update", href,
                           lambda: self._wrote(self.inner.update(href, etag, data)))

    def delete(self, href: str, etag: str) -> None:
        def send() -> None:
            self.inner.delete(href, etag)
            self._wrote(None)

        self._fault("delete", href, send)


def faulty(place: Place, **faults: list[Fault]) -> Watched:
    """A fresh target on ``place`` whose calls fail as ``faults`` says, method by method."""
    return Watched(place.target(), faults={name: list(script) for name, script in faults.items()})


def run(place: Place, blocks: list[Block], journal: Journal | None = None, *,
        watched: Watched | None = None, dry_run: bool = False,
        declined: frozenset[str] = frozenset()) -> tuple[PublishReport, Watched]:
    """One publish, as a fresh run would do it, with what makertime knows from ``journal``."""
    journal = journal if journal is not None else Journal()
    target = watched or Watched(place.target())
    report = publish(blocks, target, ZONE, known=journal.known(),
                     declined=declined | journal.declined, pending=dict(journal.pending),
                     journal=journal, dry_run=dry_run, retry=QUICK)
    return report, target


@cache
def _migrated() -> Path:
    """An empty store at the newest schema, made once per session: copied, it opens at once."""
    path = Path(mkdtemp(prefix="makertime-store-")) / "store.db"
    open_store(f"sqlite:///{path}").close()
    return path


def sqlite_store(folder: Path) -> Store:
    """A store of its own on an empty SQLite file in ``folder``."""
    path = folder / "store.db"
    shutil.copyfile(_migrated(), path)
    return open_store(f"sqlite:///{path}")


def put(store: Store, target: str | PublishTarget, blocks: Sequence[Block], *,
        dry_run: bool = False) -> PublishReport:
    """``publish_blocks`` as a run at T0 does it, without pauses between tries."""
    return publish_blocks(store, target, blocks, ZONE, clock=T0, retry=QUICK,
                          lock_clock=lambda: T0, dry_run=dry_run)


def edits(store: Store, target: str | PublishTarget, blocks: Sequence[Block], *,
          dry_run: bool = False) -> Edits:
    """``read_edits`` as a run at T0 does it, without pauses between tries."""
    return read_edits(store, target, blocks, ZONE, retry=QUICK, lock_clock=lambda: T0,
                      dry_run=dry_run)


def assert_settled(store: Store, calendar: MemoryCalendar) -> dict[str, RemoteEvent]:
    """makertime's events on ``calendar``, by UID, after a publish that ended: none twice, and
    the store records exactly them (href and ETag), with no intention and no lock left."""
    events = calendar.list().events
    assert len({event.uid for event in events}) == len(events), "a UID is on the calendar twice"
    recorded = {uid: (item.href, item.etag)
                for uid, item in store.journalled(calendar.name).published.items()}
    assert recorded == {event.uid: (event.href, event.etag) for event in events}
    assert store.journalled(calendar.name).intentions == ()
    assert lock_of(store, calendar.name) is None
    return {event.uid: event for event in events}


def lock_of(store: Store, target: str) -> PublishLock | None:
    """The publish lock of ``target`` as the store's database holds it now (read beside the
    store, as another makertime would see it)."""
    engine = make_engine(store.url)
    try:
        with Session(engine) as session:
            return locks.current(session, target)
    finally:
        engine.dispose()


def item_of(planned: Block, target: str) -> PublishedItem:
    """The record of ``planned`` as published to ``target`` (an .ics file: href is the UID)."""
    return PublishedItem(target=target, uid=planned.uid, href=planned.uid, etag="",
                         kind=planned.kind.value, task=planned.task, start=planned.span.start,
                         end=planned.span.end)


def on_target(place: Place) -> dict[str, RemoteEvent]:
    """makertime's events on the target now, by UID, each UID exactly once."""
    events = place.target().list().events
    uids = [event.uid for event in events]
    assert len(uids) == len(set(uids)), "a block is on the target twice"
    return {event.uid: event for event in events}


def counts(report: PublishReport) -> tuple[int, ...]:
    return (len(report.created), len(report.updated), len(report.removed),
            len(report.untouched), len(report.kept_theirs), len(report.declined))


# an event of the person's own, in the calendar makertime publishes to: never touched
DENTIST = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//makertime tests//publish//EN
BEGIN:VEVENT
UID:dentist@example.com
DTSTAMP:20260301T000000Z
SUMMARY:Dentist
DTSTART:20260325T080000Z
DTEND:20260325T090000Z
END:VEVENT
END:VCALENDAR
"""
