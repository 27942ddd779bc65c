"""What the publish tests share: a week of blocks, the two places a plan is published to (an
.ics file and a Radicale calendar) with what the person does there behind makertime's back, a
journal that records like the store, and a target wrapper that counts writes, lets the person act
right after a read, or crashes.

Each test module using them defines the ``server`` and ``place`` fixtures with ``open_place``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import icalendar
import pytest

from makertime.model import Interval
from makertime.outputs.caldav_target import CalDavTarget
from makertime.outputs.ics_target import IcsFileTarget
from makertime.outputs.publish import PublishReport, publish
from makertime.outputs.published import Action, PublishedItem
from makertime.outputs.targets import PublishTarget, RemoteEvent, Stored, TargetState
from makertime.plan.result import Block, BlockKind
from tests.radicale_server import RadicaleServer

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
        return IcsFileTarget(self.path)

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
        return CalDavTarget(self.url, self.server.credentials)

    def snapshot(self) -> dict[str, str]:
        return self.server.etags(self.url)

    def _href(self, uid: str) -> str:
        return self.target().read().by_uid()[uid].href

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
    """Records intentions and outcomes as the store would; may crash at the n-th intention."""

    items: dict[str, PublishedItem] = field(default_factory=dict)
    calls: list[tuple[str, str, str]] = field(default_factory=list)
    crash_at: int | None = None

    def intend(self, target: str, uid: str, action: Action) -> None:
        self.calls.append(("intend", uid, action.value))
        if self.crash_at is not None and len(self.calls_of("intend")) >= self.crash_at:
            raise Crash

    def finished(self, target: str, uid: str, item: PublishedItem | None) -> None:
        self.calls.append(("finished", uid, "" if item is None else item.etag))
        if item is None:
            self.items.pop(uid, None)
        else:
            self.items[uid] = item

    def calls_of(self, kind: str) -> list[tuple[str, str, str]]:
        return [call for call in self.calls if call[0] == kind]


@dataclass
class Watched:
    """A target that counts writes, lets the person act right after a read, or crashes."""

    inner: PublishTarget
    after_read: Callable[[], None] | None = None
    crash_after_writes: int | None = None
    writes: int = 0

    @property
    def name(self) -> str:
        return self.inner.name

    def read(self) -> TargetState:
        state = self.inner.read()
        if self.after_read is not None:
            action, self.after_read = self.after_read, None
            action()
        return state

    def read_event(self, href: str) -> RemoteEvent | None:
        return self.inner.read_event(href)

    def _wrote(self, result: Any) -> Any:
        self.writes += 1
        if self.crash_after_writes is not None and self.writes >= self.crash_after_writes:
            raise Crash  # after the write reached the target, before anything recorded it
        return result

    def create(self, uid: str, data: str) -> Stored:
        result: Stored = self._wrote(self.inner.create(uid, data))
        return result

    def update(self, href: str, etag: str, data: str) -> str:
        result: str = self._wrote(self.inner.update(href, etag, data))
        return result

    def delete(self, href: str, etag: str) -> None:
        self.inner.delete(href, etag)
        self._wrote(None)


def run(place: Place, blocks: list[Block], journal: Journal | None = None, *,
        watched: Watched | None = None, dry_run: bool = False,
        declined: frozenset[str] = frozenset()) -> tuple[PublishReport, Watched]:
    """One publish, as a fresh run would do it, with what makertime knows from ``journal``."""
    journal = journal if journal is not None else Journal()
    target = watched or Watched(place.target())
    report = publish(blocks, target, ZONE, known=dict(journal.items), declined=declined,
                     journal=journal, dry_run=dry_run)
    return report, target


def on_target(place: Place) -> dict[str, RemoteEvent]:
    """makertime's events on the target now, by UID, each UID exactly once."""
    events = place.target().read().events
    uids = [event.uid for event in events]
    assert len(uids) == len(set(uids)), "a block is on the target twice"
    return {event.uid: event for event in events}


def counts(report: PublishReport) -> tuple[int, ...]:
    return (len(report.created), len(report.updated), len(report.removed),
            len(report.untouched), len(report.kept_theirs), len(report.declined))
