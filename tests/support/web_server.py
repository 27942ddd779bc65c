"""The web app served for real on loopback: uvicorn in a background thread on a free port,
over a store the test prepared; stopped when the block ends."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from makertime.sample import sample_path
from makertime.web import create_app
from makertime.web.settings import WebSettings
from tests.support.radicale import free_port

START_SECONDS = 20


@dataclass(frozen=True)
class Served:
    """A running app: its origin (``http://127.0.0.1:PORT``) and the store it serves."""

    origin: str
    db: str

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on this app."""
        return f"{self.origin}{path}"


@contextmanager
def serving(db: str, *, now: str = "2026-03-23T08:00", note: str = "",
            time_limit: float = 10.0) -> Iterator[Served]:
    """Serve the store ``db`` as of ``now`` until the block ends."""
    port = free_port()
    settings = WebSettings(db=db, port=port, now=now, note=note, time_limit=time_limit,
                           workers=1)
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                            log_level="warning", lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"makertime-web-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the web app did not start on port {port}")
        time.sleep(0.02)
    try:
        yield Served(f"http://127.0.0.1:{port}", db)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


HOSTILE = "<script>window.pwned=1</script>"
"""A commitment's title that must be shown as text, never run."""

_HOSTILE_EVENT = f"""BEGIN:VEVENT
UID:hostile-title@example.com
DTSTAMP:20260301T000000Z
SUMMARY:{HOSTILE}
DTSTART:20260326T080000Z
DTEND:20260326T083000Z
END:VEVENT
"""


def hostile_week(folder: Path) -> Path:
    """A copy of the sample week with one commitment titled ``HOSTILE``."""
    text = sample_path("week.ics").read_text(encoding="utf-8")
    end = text.rindex("END:VCALENDAR")
    path = folder / "week.ics"
    path.write_text(text[:end] + _HOSTILE_EVENT.replace("\n", "\r\n") + text[end:],
                    encoding="utf-8")
    return path


def planned_store(folder: Path, *, publish: str | None = None, team: bool = True) -> str:
    """A store in ``folder`` holding the plan of the sample week (with the hostile commitment)
    as of Monday 08:00, published to ``publish`` (default: an .ics file in ``folder``), and
    the sample team's rotation; its URL."""
    from makertime.app.demo import sample_store

    return sample_store(folder, calendar=hostile_week(folder), publish=publish, team=team).db
