"""Helpers for tests: wall times in a zone, intervals, commitments."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from makertime.model import Commitment, Interval

ZAGREB = ZoneInfo("Europe/Zagreb")


def z(text: str, zone: str = "Europe/Zagreb") -> datetime:
    """Wall time ``YYYY-MM-DD HH:MM`` in ``zone``, as an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def span(start: str, end: str, zone: str = "Europe/Zagreb") -> Interval:
    """An interval between two wall times of ``zone``."""
    return Interval(z(start, zone), z(end, zone))


def commitment(start: str, end: str, summary: str = "meeting") -> Commitment:
    """A plain full-attention commitment between two Zagreb wall times."""
    return Commitment(summary=summary, span=span(start, end), uid=summary, source="test")
