"""``makertime check``: can each calendar file be read, what does it hold, what was repaired."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from makertime.calendars import is_url, open_source, read_calendar_file
from makertime.errors import ServerError, SourceError
from makertime.model import CalendarRead, Period, Progress, ReadWarning


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What reading one file gave: readable or the reason why not, and its contents."""

    source: str
    readable: bool
    error: str = ""
    components: dict[str, int] = field(default_factory=dict)
    instances: int = 0
    tasks: int = 0
    warnings: tuple[ReadWarning, ...] = ()
    unavailable: bool = False  # a server that could not be reached: try again later

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"source": self.source, "readable": self.readable, "error": self.error,
                "components": self.components, "instances": self.instances,
                "tasks": self.tasks,
                "warnings": [{"uid": w.uid, "message": w.message} for w in self.warnings]}


Examine = Callable[[CalendarRead], Sequence[ReadWarning]]  # more to say of a read calendar


def _nothing(read: CalendarRead) -> Sequence[ReadWarning]:
    return ()


def check_file(path: Path, period: Period, examine: Examine = _nothing) -> CheckResult:
    """Read one file over ``period`` (uncached: check always reads afresh); ``examine`` adds
    what a layer above has to say of it."""
    try:
        read = read_calendar_file(path, period.first, period.last, cache=None)
    except SourceError as error:
        return CheckResult(str(path), readable=False, error=error.detail)
    return CheckResult(str(path), readable=True, components=read.components,
                       instances=len(read.instances), tasks=len(read.tasks),
                       warnings=(*read.warnings, *examine(read)))


def check_calendars(cals: Iterable[str], period: Period,
                    progress: Progress | None = None,
                    examine: Examine = _nothing) -> list[CheckResult]:
    """Check every file named by ``cals``; a CAL that names nothing is reported unreadable."""
    results: list[CheckResult] = []
    for cal in cals:
        if is_url(cal):
            results.append(check_collection(cal, period, progress, examine))
            continue
        try:
            paths = open_source(cal).files()
        except SourceError as error:
            results.append(CheckResult(cal, readable=False, error=error.detail))
            continue
        for path in paths:
            if progress is not None:
                progress(str(path))
            results.append(check_file(path, period, examine))
    return results


def check_collection(url: str, period: Period, progress: Progress | None = None,
                     examine: Examine = _nothing) -> CheckResult:
    """Read a CalDAV collection whole over ``period`` (afresh, like a file)."""
    try:
        source = open_source(url)
        (read,) = source.read(period.first, period.last, cache=None, progress=progress)
    except SourceError as error:
        return CheckResult(error.where, readable=False, error=error.detail)
    except ServerError as error:
        return CheckResult(error.where, readable=False, error=error.detail, unavailable=True)
    return CheckResult(source.name, readable=True, components=read.components,
                       instances=len(read.instances), tasks=len(read.tasks),
                       warnings=(*read.warnings, *examine(read)))
