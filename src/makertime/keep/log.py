"""What a person tells makertime as the week goes: interruptions and remembered sources."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, tzinfo
from pathlib import Path

from makertime.errors import PeriodError, SourceError
from makertime.model import option_moment
from makertime.store import Interruption, Source, Store
from makertime.text import clean

_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
_LONGEST = 24 * 60
_TEXT_CHARS = 200  # what it was, in a few words: cut there, ending in …


def interruption_start(at: str | None, minutes: int, now: datetime, zone: tzinfo) -> datetime:
    """When an interruption began: ``--at`` as HH:MM today (or a full date and time), else
    ``minutes`` before ``now`` (it has just ended)."""
    if at is None:
        return now - timedelta(minutes=minutes)
    found = _CLOCK.match(at)
    if found:
        hour, minute = int(found[1]), int(found[2])
        if hour > 23 or minute > 59:
            raise PeriodError("--at", f"{at!r} is not a time of day", "write e.g. 14:05")
        day = now.astimezone(zone).date()
        return datetime.combine(day, time(hour, minute), tzinfo=zone)
    return option_moment(at, zone, "--at", "14:05 or 2026-03-25T14:05")


def log_interruption(store: Store, text: str, minutes: int, *, at: str | None, now: datetime,
                     zone: tzinfo) -> Interruption:
    """Log unplanned sync work; the next ``replan`` plans around it."""
    text = clean(text, chars=_TEXT_CHARS)
    if not text:
        raise PeriodError("TEXT", "an interruption needs a few words saying what it was",
                          'e.g. makertime interrupt "CDN alert" --minutes 40')
    if not 0 < minutes <= _LONGEST:
        raise PeriodError("--minutes", f"{minutes} is not between 1 and {_LONGEST}")
    start = interruption_start(at, minutes, now, zone)
    if start > now:
        when = start.astimezone(zone).strftime("%a %d %b %H:%M")
        raise PeriodError("--at", f"{at} ({when}) is later than now",
                          "log an interruption once it has begun; --now sets another moment")
    return store.log_interruption(text, start, minutes, now)


def add_source(store: Store, name: str, url: str, *, clock: datetime) -> tuple[Source, int]:
    """Remember a calendar by name: a CalDAV collection URL (credentials by reference only) or
    an .ics file or folder. A collection is read once first, so a wrong URL or password is
    found now; returns the source and how many calendar objects it holds (0 for files)."""
    from makertime.keep.inputs import checked_url
    from makertime.sources.caldav import fetch
    from makertime.sources.credentials import credentials_for, credentials_reference

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise SourceError(name, "is not a source name",
                          "use letters, digits, '-', '_' or '.', e.g. work")
    if url.startswith(("http://", "https://")):
        checked_url(url)
        fetched = fetch(url, credentials=credentials_for(url), state=store.collection_state(url))
        source = store.add_source(name, url, credentials_reference(url), clock)
        store.save_collection_state(fetched.state)
        return source, len(fetched.state.items)
    path = Path(url).expanduser()
    if not path.exists():
        raise SourceError(url, "no such file or folder",
                          "give a CalDAV collection URL, an .ics file or a folder of them")
    return store.add_source(name, str(path.resolve()), "none", clock), 0
