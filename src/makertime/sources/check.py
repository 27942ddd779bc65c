"""``makertime check``: can each calendar file be read, what does it hold, what was repaired."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from makertime.errors import SourceError
from makertime.model import ReadWarning
from makertime.sources import open_source, read_calendar_file

YEAR = timedelta(days=364)


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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"source": self.source, "readable": self.readable, "error": self.error,
                "components": self.components, "instances": self.instances,
                "tasks": self.tasks,
                "warnings": [{"uid": w.uid, "message": w.message} for w in self.warnings]}


def check_file(path: Any, first: date) -> CheckResult:
    """Read one file over the year from ``first`` (uncached: check always reads afresh)."""
    try:
        read = read_calendar_file(path, first, first + YEAR, cache=None)
    except SourceError as error:
        return CheckResult(str(path), readable=False, error=f"{error.problem}"
                           + (f" ({error.fix})" if error.fix else ""))
    return CheckResult(str(path), readable=True, components=read.components,
                       instances=len(read.instances), tasks=len(read.tasks),
                       warnings=read.warnings)


def check_calendars(cals: Iterable[str], first: date) -> list[CheckResult]:
    """Check every file named by ``cals``; a CAL that names nothing is reported unreadable."""
    results: list[CheckResult] = []
    for cal in cals:
        try:
            paths = open_source(cal).files()
        except SourceError as error:
            results.append(CheckResult(cal, readable=False, error=error.problem))
            continue
        results.extend(check_file(path, first) for path in paths)
    return results
