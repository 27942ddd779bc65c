"""A real Radicale server for the CalDAV tests: a subprocess on a free loopback port.

``running_radicale(folder)`` starts Radicale with its storage in ``folder``, one user ("ana",
password "secret", in a plain-text htpasswd file) and owner-only rights, waits until it answers,
and stops it on exit. The ``RadicaleServer`` it yields makes a fresh calendar per test and acts
"as the person" through the caldav library: put raw iCalendar text, read an item back, list ETags.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from caldav.davclient import DAVClient
from caldav.lib.http_sync import requests

from makertime.calendars.credentials import Credentials

USER, PASSWORD = "ana", "secret"
START_SECONDS = 20
CALENDAR_TYPE = "text/calendar; charset=utf-8"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class RadicaleServer:
    """A running Radicale: where it listens, who may log in, and helpers acting as that person."""

    base_url: str
    folder: Path
    credentials: Credentials
    _client: DAVClient | None = field(default=None, repr=False)

    def client(self) -> DAVClient:
        """The caldav client the person uses (logged in), made on first use."""
        if self._client is None:
            self._client = DAVClient(url=self.base_url, username=USER, password=PASSWORD,
                                     enable_rfc6764=False)
        return self._client

    def close(self) -> None:
        """Close the person's client."""
        if self._client is not None:
            self._client.close()

    def home(self) -> str:
        """The person's calendar home."""
        return f"{self.base_url}{USER}/"

    def new_calendar(self) -> str:
        """A fresh, empty calendar collection (MKCALENDAR); its URL ends with a slash."""
        name = f"cal-{uuid.uuid4().hex[:10]}"
        calendar = self.client().principal().make_calendar(name=name, cal_id=name)
        return str(calendar.url)

    def unused_calendar_url(self) -> str:
        """The URL of a calendar that does not exist yet, in the person's home."""
        return f"{self.home()}new-{uuid.uuid4().hex[:10]}/"

    def put(self, url: str, text: str, etag: str | None = None) -> str:
        """Store ``text`` at ``url`` as the person would (If-Match when ``etag``); its new ETag."""
        headers = {"Content-Type": CALENDAR_TYPE}
        if etag is not None:
            headers["If-Match"] = etag
        response = self.client().put(url, text, headers)
        assert response.status in (201, 204), f"PUT {url}: {response.status}"
        return self.get(url)[0]

    def get(self, url: str) -> tuple[str, str]:
        """The item at ``url``: its ETag and its text."""
        response = self.client().request(url, "GET")
        assert response.status == 200, f"GET {url}: {response.status}"
        return str(response.headers["ETag"]), response.raw

    def delete(self, url: str) -> None:
        """Delete the item at ``url`` as the person would."""
        response = self.client().delete(url)
        assert response.status in (200, 204), f"DELETE {url}: {response.status}"

    def etags(self, calendar: str) -> dict[str, str]:
        """Every item of ``calendar``: href → ETag, by PROPFIND (none when it does not exist)."""
        response = self.client().propfind(calendar, props=["{DAV:}getetag"], depth=1)
        if response.status == 404:
            return {}
        assert response.status == 207, f"PROPFIND {calendar}: {response.status}"
        return {str(result.href): str(result.properties.get("{DAV:}getetag"))
                for result in response.results or []
                if not str(result.href).rstrip("/").endswith(urlsplit(calendar).path.rstrip("/"))}

    def stored_bytes(self, url: str) -> bytes:
        """The bytes Radicale keeps on disk for the item at ``url``."""
        path = urlsplit(url).path.strip("/")
        return (self.folder / "collection-root" / path).read_bytes()

    def item_url(self, calendar: str, name: str) -> str:
        """The URL of item ``name`` in ``calendar``."""
        return urljoin(calendar, name)


def _command(port: int, folder: Path, users: Path) -> list[str]:
    return [sys.executable, "-m", "radicale", "--config", "",
            "--server-hosts", f"127.0.0.1:{port}",
            # items up to 32 MB, as some servers take: makertime must read what a server holds
            "--server-max-resource-size", str(32 * 1024 * 1024),
            "--storage-filesystem-folder", str(folder),
            "--auth-type", "htpasswd", "--auth-htpasswd-filename", str(users),
            "--auth-htpasswd-encryption", "plain", "--auth-delay", "0",
            "--rights-type", "owner_only", "--sharing-type", "none", "--hook-type", "none",
            "--web-type", "none", "--logging-level", "error"]


@contextmanager
def running_radicale(folder: Path) -> Iterator[RadicaleServer]:
    """Start Radicale with its storage in ``folder``; stop it when the block ends."""
    users = folder / "users"
    users.write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    storage = folder / "storage"
    port = free_port()
    log = (folder / "radicale.log").open("wb")
    process = subprocess.Popen(_command(port, storage, users), stdout=log,
                               stderr=subprocess.STDOUT, env={**os.environ, "NETRC": os.devnull})
    try:
        base_url = f"http://127.0.0.1:{port}/"
        _wait_until_answering(base_url, process, folder)
        server = RadicaleServer(base_url, storage, Credentials(USER, PASSWORD))
        yield server
        server.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_until_answering(base_url: str, process: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (folder / "radicale.log").read_text(errors="replace")
            raise RuntimeError(f"Radicale exited with {process.returncode}:\n{log}")
        client = DAVClient(url=base_url, timeout=1, enable_rfc6764=False)
        try:
            client.options(base_url)
            return
        except requests.exceptions.RequestException:
            time.sleep(0.05)
        finally:
            client.close()
    raise RuntimeError(f"Radicale did not answer at {base_url} within {START_SECONDS}s")
