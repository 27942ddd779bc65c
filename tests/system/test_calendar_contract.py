"""One test suite for every calendar backend: a calendar in memory, an .ics file, a vdir folder
and a real Radicale, each written through the same conditional writes and read back.

What each backend keeps of the person's own events differs in one way only: an .ics file that
holds any refuses every write (makertime writes only a file of its own); every other backend
counts them and leaves them as they are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Protocol

import pytest

from makertime.calendars.base import Calendar
from makertime.calendars.caldav import CalDavCalendar
from makertime.calendars.ics_file import IcsFile
from makertime.calendars.memory import MemoryCalendar
from makertime.calendars.vdir import IcsFolder
from makertime.errors import Conflict, OutputError, SourceError
from makertime.plan.result import Block
from makertime.publish.events import block_text
from tests.support.publish import DENTIST, ZONE, block
from tests.support.radicale import RadicaleServer

FIRST, LAST = date(2026, 3, 23), date(2026, 3, 29)
KEY = "contract-block@makertime"


class Backend(Protocol):
    """A calendar of one kind, and what the person does to it in their own calendar program."""

    keeps_foreign: bool  # False: a calendar holding the person's events is refused whole

    def open(self) -> Calendar:
        """The calendar, as a new run would open it."""
        ...

    def missing(self) -> Calendar:
        """A calendar of this kind that does not exist (yet)."""
        ...

    def put(self, name: str, text: str) -> None:
        """The person adds a calendar object ``text`` (named ``name`` where objects have names)."""
        ...

    def snapshot(self) -> dict[str, str]:
        """Everything stored, as name → hash: equal snapshots, nothing written."""
        ...


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class InMemory:
    calendar: MemoryCalendar
    keeps_foreign: bool = True

    def open(self) -> Calendar:
        return self.calendar  # its events live in the object itself

    def missing(self) -> Calendar:
        return MemoryCalendar(zone=ZONE, exists=False)

    def put(self, name: str, text: str) -> None:
        self.calendar.put(name, text)

    def snapshot(self) -> dict[str, str]:
        return {href: _hash(item.data.encode()) for href, item in self.calendar.items.items()}


@dataclass
class InFile:
    path: Path
    keeps_foreign: bool = False

    def open(self) -> Calendar:
        return IcsFile(self.path, zone=ZONE)

    def missing(self) -> Calendar:
        return IcsFile(self.path.with_name("missing.ics"), zone=ZONE)

    def put(self, name: str, text: str) -> None:
        self.path.write_text(text, encoding="utf-8")

    def snapshot(self) -> dict[str, str]:
        return {"file": _hash(self.path.read_bytes())} if self.path.exists() else {}


@dataclass
class InFolder:
    path: Path
    keeps_foreign: bool = True

    def open(self) -> Calendar:
        return IcsFolder(self.path, zone=ZONE)

    def missing(self) -> Calendar:
        return IcsFolder(self.path.with_name("missing"), zone=ZONE)

    def put(self, name: str, text: str) -> None:
        (self.path / name).write_text(text, encoding="utf-8")

    def snapshot(self) -> dict[str, str]:
        return {str(path.relative_to(self.path)): _hash(path.read_bytes())
                for path in sorted(self.path.rglob("*")) if path.is_file()}


@dataclass
class OnRadicale:
    server: RadicaleServer
    url: str
    keeps_foreign: bool = True

    def open(self) -> Calendar:
        return CalDavCalendar(self.url, self.server.credentials, zone=ZONE)

    def missing(self) -> Calendar:
        return CalDavCalendar(self.server.unused_calendar_url(), self.server.credentials,
                              zone=ZONE)

    def put(self, name: str, text: str) -> None:
        self.server.put(self.server.item_url(self.url, name), text)

    def snapshot(self) -> dict[str, str]:
        """Each item's ETag and the bytes Radicale keeps of it."""
        stored = self.server.stored_bytes
        return {href: f"{etag} {_hash(stored(self.server.item_url(self.url, href)))}"
                for href, etag in self.server.etags(self.url).items()}


def _folder(tmp_path: Path) -> InFolder:
    (tmp_path / "vdir").mkdir()
    return InFolder(tmp_path / "vdir")


MAKERS: dict[str, Callable[[pytest.FixtureRequest, Path], Backend]] = {
    "memory": lambda _request, _tmp: InMemory(MemoryCalendar(zone=ZONE)),
    "file": lambda _request, tmp: InFile(tmp / "plan.ics"),
    "folder": lambda _request, tmp: _folder(tmp),
    "caldav": lambda request, _tmp: _on_radicale(request.getfixturevalue("server")),
}


def _on_radicale(server: RadicaleServer) -> OnRadicale:
    return OnRadicale(server, server.new_calendar())


@pytest.fixture(params=list(MAKERS))
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """A fresh, empty calendar of each kind (the CalDAV one on the session's Radicale)."""
    return MAKERS[request.param](request, tmp_path)


def kept(hour: int, minutes: int = 60) -> Block:
    """The one block these tests write, on Tuesday at ``hour`` UTC; its UID never changes."""
    return block(1, hour, minutes, key=KEY)


def text(planned: Block, sequence: int = 0) -> str:
    return block_text(planned, ZONE, sequence)


def test_a_created_event_is_listed_and_got_with_its_etag(backend: Backend) -> None:
    stored = backend.open().create(KEY, text(kept(9)))
    state = backend.open().list()
    assert state.exists and state.foreign == 0
    [event] = state.events
    assert (event.uid, event.href, event.etag) == (KEY, stored.href, stored.etag)
    assert stored.etag and event.span == kept(9).span == event.planned
    got = backend.open().get(stored.href)
    assert got is not None and (got.uid, got.etag, got.span) == (KEY, stored.etag, kept(9).span)


def test_an_update_with_the_current_etag_changes_the_event_and_its_etag(backend: Backend) -> None:
    stored = backend.open().create(KEY, text(kept(9)))
    etag = backend.open().update(stored.href, stored.etag, text(kept(14), sequence=1))
    assert etag and etag != stored.etag
    [event] = backend.open().list().events
    assert (event.href, event.etag, event.span, event.sequence) == (
        stored.href, etag, kept(14).span, 1)


def test_a_stale_etag_refuses_an_update_or_a_delete_and_changes_nothing(
        backend: Backend) -> None:
    stored = backend.open().create(KEY, text(kept(9)))
    backend.open().update(stored.href, stored.etag, text(kept(14), sequence=1))
    before = backend.snapshot()
    with pytest.raises(Conflict):
        backend.open().update(stored.href, stored.etag, text(kept(16), sequence=2))
    with pytest.raises(Conflict):
        backend.open().delete(stored.href, stored.etag)
    assert backend.snapshot() == before
    [event] = backend.open().list().events
    assert event.span == kept(14).span


def test_a_create_of_a_uid_already_there_is_a_conflict(backend: Backend) -> None:
    backend.open().create(KEY, text(kept(9)))
    before = backend.snapshot()
    with pytest.raises(Conflict):
        backend.open().create(KEY, text(kept(14)))
    assert backend.snapshot() == before


def test_a_delete_with_the_current_etag_removes_the_event(backend: Backend) -> None:
    stored = backend.open().create(KEY, text(kept(9)))
    backend.open().delete(stored.href, stored.etag)
    assert backend.open().list().events == ()
    assert backend.open().get(stored.href) is None
    with pytest.raises(Conflict):  # gone: nothing to delete twice
        backend.open().delete(stored.href, stored.etag)


def test_the_persons_events_are_counted_never_listed_as_ours_and_never_changed(
        backend: Backend) -> None:
    backend.put("dentist.ics", DENTIST)
    theirs = backend.snapshot()
    if not backend.keeps_foreign:
        with pytest.raises(OutputError, match="holds 1 event makertime did not write"):
            backend.open().list()
        with pytest.raises(OutputError, match="holds 1 event makertime did not write"):
            backend.open().create(KEY, text(kept(9)))
        assert backend.snapshot() == theirs
        return
    state = backend.open().list()
    assert (state.events, state.foreign) == ((), 1)
    [href] = theirs
    assert backend.open().get(href) is None
    stored = backend.open().create(KEY, text(kept(9)))
    etag = backend.open().update(stored.href, stored.etag, text(kept(14), sequence=1))
    after = backend.open().list()
    assert [e.uid for e in after.events] == [KEY] and after.foreign == 1
    backend.open().delete(stored.href, etag)
    assert backend.snapshot() == theirs


def test_a_read_over_a_period_gives_the_events_written(backend: Backend) -> None:
    written = [kept(9), block(3, 12, 90, task="blog")]
    calendar = backend.open()
    calendar.create(KEY, text(written[0]))
    calendar.create(written[1].uid, text(written[1]))
    reads = backend.open().read(FIRST, LAST)
    found = sorted((i.uid, i.start, i.end) for r in reads for i in r.instances)
    assert found == sorted((b.uid, b.span.start, b.span.end) for b in written)
    assert all(r.warnings == () for r in reads)
    later = backend.open().read(FIRST + timedelta(days=7), LAST + timedelta(days=7))
    assert [i.uid for r in later for i in r.instances] == []


def test_a_calendar_that_does_not_exist_says_so_and_is_made_by_the_first_create(
        backend: Backend) -> None:
    missing = backend.missing()
    assert missing.list().exists is False and missing.list().events == ()
    with pytest.raises(SourceError):
        missing.read(FIRST, LAST)
    stored = missing.create(KEY, text(kept(9)))
    state = missing.list()
    assert state.exists and [(e.uid, e.etag) for e in state.events] == [(KEY, stored.etag)]
