"""Which saved rotation holds each date, and the ISO week a duty is counted in."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from makertime.store.rotations import iso_week, owners


def d(day: int) -> date:
    """Day ``day`` of March 2026."""
    return date(2026, 3, day)


def test_one_rotation_holds_its_whole_period() -> None:
    assert owners([(1, d(2), d(29))]) == [(1, d(2), d(29))]


def test_a_newer_rotation_takes_its_dates_from_an_older_one() -> None:
    assert owners([(2, d(16), d(29)), (1, d(2), d(29))]) == [(2, d(16), d(29)),
                                                             (1, d(2), d(15))]


def test_a_newer_rotation_inside_an_older_one_splits_it() -> None:
    assert owners([(3, d(10), d(12)), (1, d(1), d(31))]) == [
        (3, d(10), d(12)), (1, d(1), d(9)), (1, d(13), d(31))]


def test_a_rotation_covered_by_newer_ones_holds_nothing() -> None:
    assert owners([(3, d(1), d(5)), (2, d(6), d(10)), (1, d(1), d(10)), (0, d(4), d(4))]) == [
        (3, d(1), d(5)), (2, d(6), d(10))]


def test_the_last_date_there_is_can_be_held() -> None:
    last = date.max
    assert owners([(2, last, last), (1, last - timedelta(days=1), last)]) == [
        (2, last, last), (1, last - timedelta(days=1), last - timedelta(days=1))]


def test_every_date_is_held_once_by_the_newest_rotation_that_covers_it() -> None:
    rng = random.Random(20260302)
    for _ in range(200):
        periods = []
        for rotation_id in range(rng.randint(1, 8), 0, -1):
            first = rng.randint(1, 31)
            periods.append((rotation_id, d(first), d(rng.randint(first, 31))))
        held = {day: rotation_id for rotation_id, first, last in owners(periods)
                for day in range(first.day, last.day + 1)}
        expected = {day: max(r for r, first, last in periods if first.day <= day <= last.day)
                    for day in range(1, 32)
                    if any(first.day <= day <= last.day for _, first, last in periods)}
        assert held == expected
        pieces = sum(last.day - first.day + 1 for _, first, last in owners(periods))
        assert pieces == len(expected)  # no date twice


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
