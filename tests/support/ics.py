"""Helpers shared by the ICS trap tests: read a fixture, get its busy time, write UTC briefly.

``z`` (Zagreb wall time → UTC) comes from tests.support.helpers and is re-exported here.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from makertime.calendars import read_calendar_file
from makertime.classify import commitments
from makertime.model import CalendarRead, Interval, merge
from makertime.policy import build_policy
from tests.support.helpers import ZAGREB, z

__all__ = ["FIXTURES", "ZAGREB", "busy", "read", "u", "warned", "z"]

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ics"


def u(moment: str) -> datetime:
    """UTC time ``"2026-03-10 09:00"`` as an aware UTC datetime."""
    return datetime.fromisoformat(moment).replace(tzinfo=UTC)


def read(name: str, first: str = "2026-03-01", last: str = "2026-03-31") -> CalendarRead:
    """The fixture ``name`` read over ``first``..``last`` (ISO dates, inclusive)."""
    return read_calendar_file(FIXTURES / name, date.fromisoformat(first),
                              date.fromisoformat(last), cache=None)


def busy(calendar: CalendarRead, timezone: str = "Europe/Zagreb") -> list[Interval]:
    """Ana's busy time (merged, UTC) in ``calendar`` under a policy in ``timezone``."""
    policy = build_policy({"timezone": timezone, "me": ["ana@example.com"]})
    return merge(c.span for c in commitments([calendar], policy))


def warned(calendar: CalendarRead) -> dict[str, list[str]]:
    """The read's warning messages grouped by the UID (or TZID) they name."""
    found: dict[str, list[str]] = {}
    for warning in calendar.warnings:
        found.setdefault(warning.uid, []).append(warning.message)
    return found


class Hang(BaseException):
    """Reading took longer than a test allows (a BaseException: the reader catches Exception)."""


@contextmanager
def deadline(seconds: int = 10) -> Iterator[None]:
    """Fail the test when the block runs past ``seconds`` (a read that would never end fails):
    Hang interrupts the block, and leaves it as an AssertionError, which pytest reports as a
    plain failure."""
    def expire(*_: object) -> None:
        raise Hang

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    except Hang:
        raise AssertionError(f"still running after {seconds} s") from None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
