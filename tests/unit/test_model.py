"""Interval algebra and durations: exact cases and properties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from makertime.model import (
    Interval,
    Period,
    covered_minutes,
    format_minutes,
    merge,
    parse_duration,
    subtract,
)

BASE = datetime(2026, 3, 23, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return BASE + timedelta(minutes=minutes)


def iv(a: int, b: int) -> Interval:
    return Interval(at(a), at(b))


intervals = st.lists(
    st.tuples(st.integers(0, 1440), st.integers(1, 300)).map(lambda t: iv(t[0], t[0] + t[1])),
    max_size=12,
)


def test_merge_joins_overlapping_and_touching_spans() -> None:
    assert merge([iv(60, 120), iv(0, 30), iv(30, 45), iv(100, 150)]) == [iv(0, 45), iv(60, 150)]


def test_merge_drops_empty_spans() -> None:
    assert merge([iv(10, 10), iv(20, 15)]) == []


def test_subtract_gives_maximal_gaps() -> None:
    window = iv(0, 480)
    assert subtract(window, [iv(-30, 30), iv(90, 120), iv(470, 600)]) == [iv(30, 90), iv(120, 470)]


def test_subtract_with_nothing_busy_is_the_window() -> None:
    assert subtract(iv(0, 480), []) == [iv(0, 480)]


@given(intervals)
def test_merged_spans_are_sorted_disjoint_and_cover_the_same_minutes(spans: list[Interval]) -> None:
    merged = merge(spans)
    assert all(a.end < b.start for a, b in pairwise(merged))
    covered = {m for s in spans for m in range(int((s.start - BASE).total_seconds() // 60),
                                               int((s.end - BASE).total_seconds() // 60))}
    assert sum(s.minutes for s in merged) == len(covered)


@given(intervals)
def test_gaps_and_busy_partition_the_window(spans: list[Interval]) -> None:
    window = iv(300, 900)
    busy = merge(spans)
    gaps = subtract(window, busy)
    assert sum(g.minutes for g in gaps) + covered_minutes(window, busy) == window.minutes
    for gap in gaps:
        assert gap.clip(window) == gap
        assert all(gap.clip(b) is None for b in busy)


def test_parse_duration_accepts_the_documented_forms() -> None:
    assert parse_duration("1h30m") == 90
    assert parse_duration("90m") == 90
    assert parse_duration("2h") == 120
    assert parse_duration("45 min") == 45
    assert parse_duration(30) == 30


def test_parse_duration_rejects_prose_and_negatives() -> None:
    assert parse_duration("2 hours") is None
    assert parse_duration("") is None
    assert parse_duration(-5) is None
    assert parse_duration(True) is None


def test_format_minutes() -> None:
    assert [format_minutes(n) for n in (0, 45, 60, 95)] == ["0m", "45m", "1h", "1h35m"]


def test_week_of_runs_monday_to_sunday() -> None:
    week = Period.week_of(datetime(2026, 3, 26).date())
    assert (week.first.isoformat(), week.last.isoformat()) == ("2026-03-23", "2026-03-29")
    assert len(week.dates()) == 7
