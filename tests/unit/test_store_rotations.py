"""The ISO week a duty is counted in, across the turn of a year."""

from __future__ import annotations

from datetime import date

import pytest

from makertime.store.rotations import iso_week


@pytest.mark.parametrize(("day", "week"), [
    (date(2026, 3, 23), "2026-W13"),
    (date(2026, 3, 29), "2026-W13"),  # a Sunday closes its Monday's week
    (date(2026, 3, 30), "2026-W14"),
    (date(2027, 1, 1), "2026-W53"),  # a Friday: the week of the year it began in
    (date(2024, 12, 30), "2025-W01"),  # a Monday: the week of the year it ends in
    (date(2026, 1, 5), "2026-W02"),
])
def test_a_day_is_counted_in_its_iso_week(day: date, week: str) -> None:
    assert iso_week(day) == week
