"""A CalDAV server that omits or misstates the sizes of what it sends cannot make makertime read
more than ``caldav.answer_bytes`` of one answer: a server on loopback that lists items without
their size, sends answers larger than the bound, or says an answer is larger than it ever sends.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from makertime import limits
from makertime.errors import SourceError
from makertime.limits import MIB
from makertime.sources.caldav import CalDavCollection
from tests.ics_support import deadline

FIRST, LAST = date(2026, 3, 23), date(2026, 3, 29)
NS = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"'
ITEM = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:one\r\n"
        "DTSTAMP:20260101T000000Z\r\nDTSTART:20260324T090000Z\r\nDTEND:20260324T100000Z\r\n"
        "SUMMARY:one\r\nDESCRIPTION:{padding}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


@dataclass
class Answers:
    """What the server sends: padding in its listing, the size of its one item, and whether
    it says how long its answers are (``declared``), or claims a length it never sends."""

    listing_padding: int = 0
    item_padding: int = 10
    declared: bool = True
    claimed: int | None = None  # a Content-Length for the multiget, far past what is sent
    released: threading.Event = field(default_factory=threading.Event)
    url: str = ""  # the collection's, once the server runs

    def listing(self) -> bytes:
        own = ("<d:response><d:href>/cal/</d:href><d:propstat><d:prop><d:resourcetype>"
               "<d:collection/><c:calendar/></d:resourcetype><d:getetag>\"c\"</d:getetag>"
               "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>")
        item = ("<d:response><d:href>/cal/one.ics</d:href><d:propstat><d:prop><d:resourcetype/>"
                "<d:getetag>\"1\"</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status>"
                "</d:propstat></d:response>")
        padding = f"<!-- {'x' * self.listing_padding} -->" if self.listing_padding else ""
        return (f'<?xml version="1.0"?><d:multistatus {NS}>{own}{item}{padding}'
                "</d:multistatus>").encode()

    def multiget(self) -> bytes:
        data = ITEM.format(padding="x" * self.item_padding)
        return (f'<?xml version="1.0"?><d:multistatus {NS}><d:response>'
                "<d:href>/cal/one.ics</d:href><d:propstat><d:prop><d:getetag>\"1\"</d:getetag>"
                f"<c:calendar-data>{data}</c:calendar-data></d:prop>"
                "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
                "</d:multistatus>").encode()


def _handler(answers: Answers) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 30

        def do_PROPFIND(self) -> None:
            self._answer(answers.listing())

        def do_REPORT(self) -> None:
            if answers.claimed is not None:
                self._claim(answers.claimed)
            else:
                self._answer(answers.multiget())

        def _answer(self, body: bytes) -> None:
            """``body`` with its length, or in chunks that never say the whole."""
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(207)
            self.send_header("Content-Type", "application/xml; charset=utf-8")
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


@pytest.fixture
def answers() -> Iterator[Answers]:
    """What the server on loopback will send; the server runs for the test."""
    found = Answers()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(found))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    found.url = f"http://127.0.0.1:{server.server_address[1]}/cal/"
    try:
        yield found
    finally:
        found.released.set()
        server.shutdown()
        server.server_close()


def _read(answers: Answers) -> list[str]:
    [read] = CalDavCollection(answers.url).read(FIRST, LAST)
    return [i.uid for i in read.instances]


@pytest.fixture(autouse=True)
def small_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Answers of at most a megabyte."""
    key = "caldav.answer_bytes"
    monkeypatch.setitem(limits.BY_KEY, key, replace(limits.BY_KEY[key], value=MIB))


def test_answers_within_the_bound_are_read(answers: Answers) -> None:
    answers.declared = False
    answers.item_padding = MIB // 2
    assert _read(answers) == ["one"]


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


def test_an_answer_that_says_it_is_larger_than_the_bound_is_not_read(answers: Answers) -> None:
    """Content-Length: a terabyte, a few bytes sent, the connection held open: the read waited
    for the rest."""
    answers.claimed = 1024 ** 4
    with deadline(), pytest.raises(SourceError, match=r"caldav\.answer_bytes"):
        _read(answers)


def test_a_listing_past_the_bound_is_refused(answers: Answers) -> None:
    answers.declared = False
    answers.listing_padding = 2 * MIB
    with pytest.raises(SourceError, match=r"answer is larger than 1 MB"):
        _read(answers)
