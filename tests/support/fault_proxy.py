"""A fault-injecting HTTP proxy on loopback, in front of the tests' real Radicale.

``running_proxy(upstream)`` listens on 127.0.0.1 (a free port, one thread per connection) and
forwards every request to ``upstream`` — unless, between ``faults(seed)`` and ``clean()``, its
dice (a ``random.Random`` of that seed) say otherwise:

- ``500`` / ``503``: answer so without forwarding (half the 503s say ``Retry-After: 0``);
- ``412``: answer "precondition failed" without forwarding (only a request that has a
  precondition: ``If-Match`` or ``If-None-Match``);
- ``drop``: forward, let the server do the work, and close the connection without an answer.

``faults(seed, first=True)`` makes the first requests fail once each way before the dice decide,
so that a campaign meets every fault whatever its seed.

Everything is bounded: each socket has a timeout, and after ``MAX_REQUESTS`` requests the proxy
answers 503 to everything (a runaway client fails instead of looping). ``counts`` tallies the
outcomes.
"""

from __future__ import annotations

import http.client
import random
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

MAX_REQUESTS = 20_000
TIMEOUT_SECONDS = 10
_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "content-length",
        "upgrade", "te", "trailer"}


@dataclass(frozen=True, slots=True)
class Rates:
    """How often each fault happens, per request."""

    error500: float = 0.05
    error503: float = 0.07
    refuse412: float = 0.25  # of the requests with a precondition
    drop: float = 0.08
    methods: tuple[str, ...] = ()  # only requests of these methods fail (none given: all)


class FaultProxy:
    """The proxy's state: where it forwards, whether faults are on, and what happened."""

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.counts: Counter[str] = Counter()
        self._dice: random.Random | None = None
        self._rates = Rates()
        self._first: list[str] = []
        self._first_412 = False
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.port: int = self.server.server_address[1]

    @property
    def base_url(self) -> str:
        """The proxy's address, to use instead of the server's."""
        return f"http://127.0.0.1:{self.port}/"

    def url(self, upstream_url: str) -> str:
        """``upstream_url`` reached through the proxy."""
        return self.base_url.rstrip("/") + urlsplit(upstream_url).path

    def faults(self, seed: int, rates: Rates | None = None, *, first: bool = False) -> None:
        """Start failing requests at random, as ``seed`` decides; with ``first``, the first
        requests fail once each way (500, a drop, 503, with one forwarded in between; 412 the
        first with a precondition), so that every fault happens whatever the dice say."""
        with self._lock:
            self._dice = random.Random(seed)
            self._rates = rates or Rates()
            self._first = ["500", "forward", "drop", "forward", "503"] if first else []
            self._first_412 = first

    def clean(self) -> None:
        """Forward every request from now on."""
        with self._lock:
            self._dice = None

    def decide(self, method: str, conditional: bool) -> str:
        """The outcome of one request: ``forward``, ``500``, ``503``, ``503-retry``, ``412``
        or ``drop``."""
        with self._lock:
            self.counts["requests"] += 1
            if self.counts["requests"] > MAX_REQUESTS:
                outcome = "503"
            elif self._dice is None or (self._rates.methods
                                        and method not in self._rates.methods):
                outcome = "forward"
            elif conditional and self._first_412:
                outcome, self._first_412 = "412", False
            elif self._first:
                outcome = self._first.pop(0)
            else:
                outcome = self._roll(self._dice, conditional)
            self.counts[outcome] += 1
            return outcome

    def _roll(self, dice: random.Random, conditional: bool) -> str:
        rates, roll = self._rates, dice.random()
        for outcome, rate in (("500", rates.error500), ("503", rates.error503),
                              ("drop", rates.drop),
                              ("412", rates.refuse412 if conditional else 0.0)):
            if roll < rate:
                return "503-retry" if outcome == "503" and dice.random() < 0.5 else outcome
            roll -= rate
        return "forward"

    def forward(self, method: str, path: str, headers: list[tuple[str, str]],
                body: bytes) -> tuple[int, str, list[tuple[str, str]], bytes]:
        """Send one request upstream; its status, reason, headers and body."""
        connection = http.client.HTTPConnection(*self.upstream, timeout=TIMEOUT_SECONDS)
        try:
            sent = {name: value for name, value in headers if name.lower() not in _HOP}
            connection.request(method, path, body=body or None, headers=sent)
            response = connection.getresponse()
            return response.status, response.reason, response.getheaders(), response.read()
        finally:
            connection.close()


def _handler(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = TIMEOUT_SECONDS  # every socket read and write is bounded

        def handle_any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            conditional = "If-Match" in self.headers or "If-None-Match" in self.headers
            outcome = proxy.decide(self.command, conditional)
            if outcome in ("500", "503", "503-retry", "412"):
                status = int(outcome[:3])
                extra = [("Retry-After", "0")] if outcome == "503-retry" else []
                self._answer(status, "injected by the test proxy", extra, b"injected\n")
                return
            status, reason, headers, data = proxy.forward(self.command, self.path,
                                                          list(self.headers.items()), body)
            if outcome == "drop":
                self.close_connection = True  # the work is done; the answer never comes
                return
            self._answer(status, reason,
                         [(k, v) for k, v in headers if k.lower() not in _HOP], data)

        def _answer(self, status: int, reason: str, headers: list[tuple[str, str]],
                    data: bytes) -> None:
            self.send_response(status, reason)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
            self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the counts say what happened."""

        do_GET = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = handle_any
        do_PROPFIND = do_REPORT = do_MKCALENDAR = do_PROPPATCH = do_MKCOL = handle_any

    return Handler


@contextmanager
def running_proxy(upstream: str) -> Iterator[FaultProxy]:
    """A proxy to ``upstream`` serving from a thread of its own until the block ends."""
    proxy = FaultProxy(upstream)
    thread = threading.Thread(target=proxy.server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.server.shutdown()
        proxy.server.server_close()
        thread.join(timeout=TIMEOUT_SECONDS)
