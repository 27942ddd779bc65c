"""CalDAV collections within bounds: items past ``calendar.file_bytes`` are left out and named
by every read, collections past ``calendar.files`` are refused before any download, downloads
go in batches by the listed sizes, and a server that omits or misstates those sizes cannot make
makertime read more than ``caldav.answer_bytes`` of one answer. A real Radicale for the first,
and for the last a server on loopback that lists items without their size, sends answers larger
than the bound, says an answer is larger than it ever sends, or holds an item past the 10 MB of
text lxml reads in one answer.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

import pytest

from makertime import limits
from makertime.calendars.caldav import CalDavCalendar, collection
from makertime.calendars.dav import connect
from makertime.errors import SourceError
from makertime.limits import MIB
from tests.support.caldav_items import ITEMS, calendar_with_items
from tests.support.ics import deadline
from tests.support.radicale import RadicaleServer

FIRST, LAST = date(2026, 3, 23), date(2026, 3, 29)
NS = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"'
ITEM = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:one\r\n"
        "DTSTAMP:20260101T000000Z\r\nDTSTART:20260324T090000Z\r\nDTEND:20260324T100000Z\r\n"
        "SUMMARY:one\r\nDESCRIPTION:{padding}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


# --- items and collections past their bounds, on Radicale ---------------------------------------


@pytest.fixture
def calendar(server: RadicaleServer) -> str:
    """A fresh calendar holding ITEMS."""
    return calendar_with_items(server)


def _set_limit(monkeypatch: pytest.MonkeyPatch, key: str, value: int) -> None:
    monkeypatch.setitem(limits.BY_KEY, key, replace(limits.BY_KEY[key], value=value))


def test_the_listing_gives_each_items_size(server: RadicaleServer, calendar: str) -> None:
    client = connect(calendar, server.credentials)
    listing = collection.list_collection(client, calendar)
    sizes = {href.rsplit("/", 1)[1]: size for href, size in (listing.sizes or {}).items()}
    assert sizes == {name: len(text.replace("\n", "\r\n").encode())  # stored with CRLF
                     for name, text in ITEMS.items()}


def test_an_item_past_the_size_limit_is_skipped_and_named(
        server: RadicaleServer, calendar: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """review.ics (with its VTIMEZONE) is the one item larger than 400 bytes."""
    _set_limit(monkeypatch, "calendar.file_bytes", 400)
    source = CalDavCalendar(calendar, credentials=server.credentials)
    [read] = source.read(FIRST, LAST)
    assert "review@example.com" not in {i.uid for i in read.instances}
    assert {"standup@example.com", "stream@example.com"} <= {i.uid for i in read.instances}
    [warning] = read.warnings
    assert warning.source == f"{calendar}review.ics"
    assert warning.message == ("skipped: larger than the 400 bytes a calendar item may hold "
                               "(calendar.file_bytes)")
    assert source.stats is not None and source.state is not None
    assert [href.rsplit("/", 1)[1] for href in source.stats.oversize] == ["review.ics"]
    assert "review.ics" not in {href.rsplit("/", 1)[1] for href in source.stats.fetched}
    kept = {href.rsplit("/", 1)[1]: item.kept for href, item in source.state.items.items()}
    assert kept == {"standup.ics": True, "stream.ics": True, "blog.ics": True,
                    "review.ics": False}  # remembered by its ETag, without its text


@pytest.mark.parametrize("token", [True, False])
def test_an_item_past_the_size_limit_is_named_by_every_later_read(
        server: RadicaleServer, calendar: str, monkeypatch: pytest.MonkeyPatch,
        token: bool) -> None:
    """The next read lists only what changed (by sync token, or by ETag without one): the item
    left out was missing from the state, so it was never listed again and its time dropped
    out of the plan without a word. Once it is small enough, it is read."""
    _set_limit(monkeypatch, "calendar.file_bytes", 400)
    first = CalDavCalendar(calendar, credentials=server.credentials)
    first.read(FIRST, LAST)
    assert first.state is not None
    state = first.state if token else replace(first.state, sync_token=None)
    again = CalDavCalendar(calendar, credentials=server.credentials, state=state)
    [read] = again.read(FIRST, LAST)
    assert again.stats is not None and again.stats.mode == ("sync" if token else "etag")
    assert again.stats.fetched == ()
    [warning] = read.warnings
    assert (warning.source, warning.message) == (
        f"{calendar}review.ics", "skipped: larger than the 400 bytes a calendar item may hold "
        "(calendar.file_bytes)")

    short = ITEMS["review.ics"].replace("Design review", "Review")
    _set_limit(monkeypatch, "calendar.file_bytes", len(short.replace("\n", "\r\n")))
    server.put(server.item_url(calendar, "review.ics"), short)
    last = CalDavCalendar(calendar, credentials=server.credentials, state=again.state)
    [read] = last.read(FIRST, LAST)
    assert read.warnings == ()
    assert "review@example.com" in {i.uid for i in read.instances}


def test_a_collection_past_the_item_limit_is_refused_before_any_download(
        server: RadicaleServer, calendar: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _set_limit(monkeypatch, "calendar.files", 3)
    with pytest.raises(SourceError, match=r"this collection holds 4 items, more than 3 "
                                          r"\(calendar.files\)"):
        CalDavCalendar(calendar, credentials=server.credentials).read(FIRST, LAST)


def test_multigets_are_batched_by_the_listed_sizes(monkeypatch: pytest.MonkeyPatch) -> None:
    _set_limit(monkeypatch, "caldav.batch_bytes", 1000)
    sizes = {"a": 600, "b": 600, "c": 100, "d": 5000, "e": 10}
    assert collection.batches(["a", "b", "c", "d", "e", "f"], sizes) == [
        ["a"], ["b", "c"], ["d"], ["e"], ["f"]]  # f: size not listed, counts as 64 KB


# --- a server that misstates sizes -------------------------------------------------------------


@dataclass
class Answers:
    """What the server sends: padding in its listing, the size of its item ``one.ics`` (its
    padding folded into lines, as a calendar program writes a long text, when ``folded``), the
    items it holds besides, and whether it says how long its answers are (``declared``), or
    claims a length it never sends. ``requests`` records each request it was sent."""

    listing_padding: int = 0
    item_padding: int = 10
    folded: bool = False
    others: dict[str, str] = field(default_factory=dict)  # name → iCalendar text
    declared: bool = True
    claimed: int | None = None  # a Content-Length for the multiget, far past what is sent
    released: threading.Event = field(default_factory=threading.Event)
    url: str = ""  # the collection's, once the server runs
    requests: list[str] = field(default_factory=list)

    def items(self) -> dict[str, str]:
        """Every item by name, ``one.ics`` first."""
        padding = "x" * self.item_padding
        if self.folded:
            padding = "\r\n ".join(padding[at:at + 70] for at in range(0, len(padding), 70))
        return {"one.ics": ITEM.format(padding=padding), **self.others}

    def listing(self) -> bytes:
        own = ("<d:response><d:href>/cal/</d:href><d:propstat><d:prop><d:resourcetype>"
               "<d:collection/><c:calendar/></d:resourcetype><d:getetag>\"c\"</d:getetag>"
               "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>")
        items = "".join(
            f"<d:response><d:href>/cal/{name}</d:href><d:propstat><d:prop><d:resourcetype/>"
            f"<d:getetag>\"{number}\"</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status>"
            "</d:propstat></d:response>" for number, name in enumerate(self.items(), start=1))
        padding = f"<!-- {'x' * self.listing_padding} -->" if self.listing_padding else ""
        return (f'<?xml version="1.0"?><d:multistatus {NS}>{own}{items}{padding}'
                "</d:multistatus>").encode()

    def multiget(self) -> bytes:
        items = "".join(
            f"<d:response><d:href>/cal/{name}</d:href><d:propstat><d:prop>"
            f"<d:getetag>\"{number}\"</d:getetag><c:calendar-data>{escape(data)}"
            "</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>"
            "</d:response>" for number, (name, data) in enumerate(self.items().items(), start=1))
        return f'<?xml version="1.0"?><d:multistatus {NS}>{items}</d:multistatus>'.encode()

    def item(self, path: str) -> tuple[str, bytes] | None:
        """The ETag and text of the item at ``path``; None when there is none."""
        for number, (name, data) in enumerate(self.items().items(), start=1):
            if path == f"/cal/{name}":
                return f'"{number}"', data.encode()
        return None


def _handler(answers: Answers) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 30

        def do_PROPFIND(self) -> None:
            answers.requests.append(f"PROPFIND {self.path}")
            self._answer(answers.listing())

        def do_REPORT(self) -> None:
            answers.requests.append(f"REPORT {self.path}")
            if answers.claimed is not None:
                self._claim(answers.claimed)
            else:
                self._answer(answers.multiget())

        def do_GET(self) -> None:
            answers.requests.append(f"GET {self.path}")
            found = answers.item(self.path)
            if found is None:
                self.send_error(404)
                return
            etag, body = found
            self._answer(body, status=200, kind="text/calendar; charset=utf-8", etag=etag)

        def _answer(self, body: bytes, *, status: int = 207,
                    kind: str = "application/xml; charset=utf-8", etag: str = "") -> None:
            """``body`` with its length, or in chunks that never say the whole."""
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            if etag:
                self.send_header("ETag", etag)
            if answers.declared:
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for at in range(0, len(body), 64 * 1024):
                piece = body[at:at + 64 * 1024]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")

        def _claim(self, length: int) -> None:
            """Say the answer is ``length`` bytes, send a few, and hold the connection."""
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(207)
            self.send_header("Content-Type", "application/xml; charset=utf-8")
            self.send_header("Content-Length", str(length))
            self.end_headers()
            self.wfile.write(b'<?xml version="1.0"?>')
            self.wfile.flush()
            answers.released.wait(30)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: makertime closes the connection of an answer it refuses, mid-answer."""


@pytest.fixture
def answers() -> Iterator[Answers]:
    """What the server on loopback will send; the server runs for the test."""
    found = Answers()
    server = _Server(("127.0.0.1", 0), _handler(found))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    found.url = f"http://127.0.0.1:{server.server_address[1]}/cal/"
    try:
        yield found
    finally:
        found.released.set()
        server.shutdown()
        server.server_close()


def _read(answers: Answers) -> list[str]:
    [read] = CalDavCalendar(answers.url).read(FIRST, LAST)
    assert read.warnings == ()
    return [i.uid for i in read.instances]


@pytest.fixture
def small_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Answers of at most a megabyte."""
    _set_limit(monkeypatch, "caldav.answer_bytes", MIB)


@pytest.mark.usefixtures("small_answers")
def test_answers_within_the_bound_are_read(answers: Answers) -> None:
    answers.declared = False
    answers.item_padding = MIB // 2
    assert _read(answers) == ["one"]


@pytest.mark.usefixtures("small_answers")
def test_a_multiget_answer_past_the_bound_is_refused_in_one_line(answers: Answers) -> None:
    """The listing gives no size, the item is 3 MB, the answer says nothing of its length: it
    was read whole, and the item kept (it is within calendar.file_bytes)."""
    answers.declared = False
    answers.item_padding = 3 * MIB
    with pytest.raises(SourceError) as refused:
        _read(answers)
    assert str(refused.value) == (
        f"{answers.url}: the CalDAV server's answer is larger than 1 MB, more than makertime "
        "reads of one answer (caldav.answer_bytes) (check that the URL names a calendar "
        "collection and that the server is one you trust)")


@pytest.mark.usefixtures("small_answers")
def test_an_answer_that_says_it_is_larger_than_the_bound_is_not_read(answers: Answers) -> None:
    """Content-Length: a terabyte, a few bytes sent, the connection held open: the read waited
    for the rest."""
    answers.claimed = 1024 ** 4
    with deadline(), pytest.raises(SourceError, match=r"caldav\.answer_bytes"):
        _read(answers)


@pytest.mark.usefixtures("small_answers")
def test_a_listing_past_the_bound_is_refused(answers: Answers) -> None:
    answers.declared = False
    answers.listing_padding = 2 * MIB
    with pytest.raises(SourceError, match=r"answer is larger than 1 MB"):
        _read(answers)


def test_an_item_of_more_than_ten_megabytes_costs_no_other_item(answers: Answers) -> None:
    """lxml refuses a text of more than 10 MB inside one XML answer: the batch holding such an
    item is fetched item by item, so it and every other item are read."""
    answers.item_padding, answers.folded = 11 * MIB, True
    answers.others = dict(ITEMS)
    with deadline(60):
        uids = _read(answers)
    assert {"one", "standup@example.com", "review@example.com"} <= set(uids)
    assert answers.requests == ["PROPFIND /cal/", "REPORT /cal/",
                                *(f"GET /cal/{name}" for name in answers.items())]
