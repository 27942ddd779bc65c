"""A cache of expanded instances in the XDG cache directory, keyed by a file's content.

Parsing and expanding a busy year takes seconds; reading the cached result takes milliseconds.
The key is the SHA-256 of the file's bytes plus the expanded period and the cache format, so an
edited file is simply a miss; old entries are pruned. The cache holds only what was read, before
any policy, so one entry serves every policy. Any problem with it falls back to parsing.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from datetime import date, datetime
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from makertime import __version__
from makertime.model import (
    Attendee,
    CalendarRead,
    Depth,
    EventInstance,
    ReadWarning,
    Task,
    TimeKind,
)
from makertime.places import cache_root

FORMAT = 5  # bump when what is cached, or how it is read, changes (5: escape sequences removed)
KEEP_ENTRIES = 4096  # a vdir holds one event per file: room for big folders, a few MB at most
# What else decides the result of a read: the libraries and the zone database. Their install
# times stand in for their versions (importlib.metadata costs more than a warm audit can spare).
_READERS = ("icalendar", "recurring_ical_events", "x_wr_timezone", "dateutil", "tzdata")
_SYSTEM_ZONES = Path("/usr/share/zoneinfo/tzdata.zi")


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/makertime/instances`` (``~/.cache/...`` when unset or relative)."""
    return cache_root() / "instances"


@cache
def readers_fingerprint() -> str:
    """A short hash of where and when the parsing libraries and zone data were installed."""
    parts = [__version__, str(FORMAT)]
    for name in _READERS:
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        parts.append(f"{name}:{origin}:{Path(origin).stat().st_mtime_ns if origin else 0}")
    if _SYSTEM_ZONES.exists():
        parts.append(f"system-zones:{_SYSTEM_ZONES.stat().st_mtime_ns}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


class InstanceCache:
    """Stores CalendarRead results by content hash and period."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or cache_dir()
        self._pruned = False

    def key(self, data: bytes, first: date, last: date) -> str:
        """The entry name for ``data`` expanded over ``first``..``last`` by these readers."""
        digest = hashlib.sha256(data).hexdigest()[:40]
        return f"{digest}-{first.isoformat()}-{last.isoformat()}-{readers_fingerprint()}"

    def get(self, key: str, source: str) -> CalendarRead | None:
        """The cached read for ``key``, relabelled as ``source``; None on a miss or bad entry."""
        path = self.directory / f"{key}.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            found = _decode(raw, source)
            os.utime(path)  # recently used: pruning removes the least recently used
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return found

    def put(self, key: str, read: CalendarRead) -> None:
        """Store ``read`` under ``key`` atomically; failures are ignored (the cache is optional)."""
        temp = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                # dumps uses the C encoder; dump to a file would use the pure-Python one
                out.write(json.dumps(_encode(read), separators=(",", ":")))
            Path(temp).replace(self.directory / f"{key}.json")
            temp = None
            self._prune()
        except OSError:
            return
        finally:
            if temp is not None:
                Path(temp).unlink(missing_ok=True)

    def _prune(self) -> None:
        """Keep the KEEP_ENTRIES most recently used entries; once per cache object."""
        if self._pruned:
            return
        self._pruned = True
        entries = sorted(self.directory.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for stale in entries[:-KEEP_ENTRIES]:
            stale.unlink(missing_ok=True)


def _encode(read: CalendarRead) -> dict[str, Any]:
    return {
        "instances": [[i.uid, i.summary, i.start.isoformat(), i.end.isoformat(), i.kind.value,
                       i.status, i.transp, i.busystatus, list(i.categories),
                       [[a.address, a.partstat] for a in i.attendees]] for i in read.instances],
        "tasks": [{**asdict(t), "depth": t.depth.value,
                   "deadline": t.deadline.isoformat() if t.deadline else None,
                   "last_touched": t.last_touched.isoformat() if t.last_touched else None}
                  for t in read.tasks],
        "warnings": [[w.message, w.uid] for w in read.warnings],
        "components": read.components,
    }


def _decode(raw: dict[str, Any], source: str) -> CalendarRead:
    parse = datetime.fromisoformat
    instances = tuple(
        EventInstance(uid=uid, summary=summary, start=parse(start), end=parse(end),
                      kind=TimeKind(kind), source=source, status=status, transp=transp,
                      busystatus=busy, categories=tuple(categories),
                      attendees=tuple(Attendee(a, p) for a, p in attendees))
        for uid, summary, start, end, kind, status, transp, busy, categories, attendees
        in raw["instances"])
    tasks = tuple(
        Task(**{**t, "depth": Depth(t["depth"]), "source": source,
                "deadline": parse(t["deadline"]) if t["deadline"] else None,
                "last_touched": date.fromisoformat(t["last_touched"]) if t["last_touched"]
                else None})
        for t in raw["tasks"])
    warnings = tuple(ReadWarning(source, message, uid) for message, uid in raw["warnings"])
    return CalendarRead(source=source, instances=instances, tasks=tasks, warnings=warnings,
                        components=dict(raw["components"]))
