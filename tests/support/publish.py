"""What the publish tests share: a week of blocks, the two places a plan is published to (an
.ics file and a Radicale calendar) with what the person does there behind makertime's back, a
journal that records like the store, and a target wrapper that counts writes, lets the person act
right after a read, crashes, or fails the way a server can (a 412 refusal, a 503, a connection
dropped after the write went through).

Each test module using them defines the ``server`` and ``place`` fixtures with ``open_place``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import icalendar
import pytest

from makertime.calendars.base import Conflict, PublishTarget, RemoteEvent, Stored, TargetState
from makertime.calendars.caldav import CalDavCalendar
from makertime.calendars.ics_file import IcsFile
from makertime.errors import ServerError
from makertime.model import Interval
from makertime.plan.result import Block, BlockKind
from makertime.publish.retry import Retry
from makertime.publish.sync import PublishReport, publish
from makertime.store.journal import Action, PublishedItem
from tests.support.radicale import RadicaleServer

ZONE = ZoneInfo("Europe/Zagreb")
MONDAY = datetime(2026, 3, 23, tzinfo=UTC)


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

    def _fault(self, method: str, href: str, send: Callable[[], Any]) -> Any:
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
        state: TargetState = self._fault("read", "", self.inner.list)
        if self.after_read is not None:
            action, self.after_read = self.after_read, None
            action()
        return state

    def get(self, href: str) -> RemoteEvent | None:
        found: RemoteEvent | None = self._fault("read_event", href,
                                                lambda: self.inner.get(href))
        return found

    def _wrote(self, result: Any) -> Any:
        self.writes += 1
        if self.crash_after_writes is not None and self.writes >= self.crash_after_writes:
            raise Crash  # after the write reached the target, before anything recorded it
        return result

    def create(self, uid: str, data: str) -> Stored:
        result: Stored = self._fault(
            "create", uid, lambda: self._wrote(self.inner.create(uid, data)))
        return result

    def update(self, href: str, etag: str, data: str) -> str:
        result: str = self._fault(
            "update", href, lambda: self._wrote(self.inner.update(href, etag, data)))
        return result

    def delete(self, href: str, etag: str) -> None:
        def send() -> None:
            self.inner.delete(href, etag)
            self._wrote(None)

        self._fault("delete", href, send)


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
