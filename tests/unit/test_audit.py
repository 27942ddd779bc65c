"""The day metrics of docs/metrics.md, exactly, on hand-made days; properties on random days."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from makertime.audit import audit_commitments, measure_day
from makertime.model import Attention, Commitment, Interval, Period
from makertime.policy import Policy, build_policy
from tests.support.helpers import commitment, span, z

POLICY = build_policy({"timezone": "Europe/Zagreb"})
MONDAY = date(2026, 3, 23)


def audit_day(day: date, *found: Commitment, policy=POLICY):  # type: ignore[no-untyped-def]
    report = audit_commitments(list(found), policy, Period(day, day))
    return report.days[0]


def test_empty_work_day_is_one_focus_block() -> None:
    day = audit_day(MONDAY)
    assert (day.work_minutes, day.sync_minutes, day.free_minutes) == (480, 0, 480)
    assert (day.focus_minutes, day.fragmented_minutes) == (480, 0)
    assert day.effective_focus_minutes == 465
    assert (day.longest_free_minutes, day.switches, day.maker_day) == (480, 0, True)


def test_a_shredded_day_to_the_minute() -> None:
    day = audit_day(
        MONDAY,
        commitment("2026-03-23 09:30", "2026-03-23 09:45", "standup"),
        commitment("2026-03-23 11:00", "2026-03-23 11:30", "demo"),
        commitment("2026-03-23 11:15", "2026-03-23 12:00", "overlapping"),  # overlap counts once
        commitment("2026-03-23 14:00", "2026-03-23 15:00", "review"),
    )
    # gaps: 09:00-09:30 (30), 09:45-11:00 (75), 12:00-14:00 (120), 15:00-17:00 (120)
    assert day.sync_minutes == 15 + 60 + 60
    assert day.free_minutes == 345
    assert day.focus_minutes == 240
    assert day.fragmented_minutes == 105
    assert day.effective_focus_minutes == 15 + 60 + 105 + 105
    assert day.longest_free_minutes == 120
    assert day.switches == 6
    assert day.maker_day is False
    assert day.after_hours_sync_minutes == 0


def test_commitments_touching_the_window_edges_do_not_count_as_switches() -> None:
    day = audit_day(
        MONDAY,
        commitment("2026-03-23 08:00", "2026-03-23 10:00"),
        commitment("2026-03-23 16:00", "2026-03-23 18:30"),
    )
    assert day.switches == 2
    assert day.sync_minutes == 120
    assert day.after_hours_sync_minutes == 60 + 90
    assert day.free_minutes == 360 and day.focus_minutes == 360


def test_a_day_fully_busy_has_no_gap() -> None:
    day = audit_day(MONDAY, commitment("2026-03-23 08:00", "2026-03-23 18:00"))
    assert (day.free_minutes, day.longest_free_minutes, day.switches) == (0, 0, 0)
    assert day.effective_focus_minutes == 0


def test_a_day_off_counts_all_sync_as_after_hours() -> None:
    saturday = MONDAY + timedelta(days=5)
    day = audit_day(saturday, commitment("2026-03-28 10:00", "2026-03-28 12:00"))
    assert (day.work_minutes, day.sync_minutes, day.free_minutes) == (0, 0, 0)
    assert day.after_hours_sync_minutes == 120
    assert day.maker_day is False


def test_an_event_across_midnight_is_split_between_its_dates() -> None:
    report = audit_commitments(
        [commitment("2026-03-26 22:00", "2026-03-27 02:00", "late stream")], POLICY,
        Period(date(2026, 3, 26), date(2026, 3, 27)))
    assert [d.after_hours_sync_minutes for d in report.days] == [120, 120]


def test_dst_days_are_as_long_as_they_really_are() -> None:
    policy = build_policy({"timezone": "Europe/Zagreb",
                           "work": {"days": ["sun"], "start": "00:00", "end": "23:59"}})
    spring = audit_day(date(2026, 3, 29), policy=policy)
    autumn = audit_day(date(2026, 10, 25), policy=policy)
    assert spring.work_minutes == 23 * 60 - 1
    assert autumn.work_minutes == 25 * 60 - 1


def test_maker_day_threshold_is_inclusive() -> None:
    day = audit_day(MONDAY, commitment("2026-03-23 13:00", "2026-03-23 17:00"))
    assert day.longest_free_minutes == 240 and day.maker_day is True


def test_totals_sum_days_and_count_maker_days() -> None:
    report = audit_commitments([commitment("2026-03-24 10:00", "2026-03-24 16:00")], POLICY,
                               Period.week_of(MONDAY))
    totals = report.totals
    assert totals.days == 7
    assert totals.work_minutes == 5 * 480
    assert totals.sync_minutes == 360
    assert totals.maker_days == 4
    assert totals.focus_minutes == 4 * 480 + 60 - 60  # Tue: 60 + 60 are fragments
    assert totals.fragmented_minutes == 120
    assert totals.longest_free_minutes == 480  # docs/metrics.md: the longest of any day
    assert totals.days_off == 0 and totals.partial_minutes == 0


def test_findings_name_low_focus_missing_maker_day_and_after_hours() -> None:
    found = []
    for offset in range(5):
        day = MONDAY + timedelta(days=offset)
        found += [commitment(f"{day} 10:00", f"{day} 11:00"),
                  commitment(f"{day} 12:30", f"{day} 13:30"),
                  commitment(f"{day} 15:00", f"{day} 15:30")]  # every gap under 2h
    found.append(commitment("2026-03-26 19:00", "2026-03-26 22:00", "LIVE"))
    report = audit_commitments(found, POLICY, Period.week_of(MONDAY))
    kinds = {w.kind for w in report.warnings}
    assert kinds == {"low-focus", "no-maker-day", "after-hours"}
    assert all(w.when == "2026-W13" for w in report.warnings)


def test_energy_drain_counts_commitments_and_switches_when_enabled() -> None:
    policy = build_policy({"timezone": "Europe/Zagreb",
                           "energy": {"enabled": True, "sync_per_hour": 8, "switch_cost": 2}})
    day = audit_day(MONDAY, commitment("2026-03-23 10:00", "2026-03-23 11:30"), policy=policy)
    assert day.energy_drain == 1.5 * 8 + 2 * 2
    assert audit_day(MONDAY).energy_drain is None


starts = st.integers(min_value=0, max_value=(24 * 60 - 15) // 15).map(lambda n: n * 15)


@st.composite
def days(draw: st.DrawFn) -> list[Commitment]:
    found = []
    for _ in range(draw(st.integers(0, 8))):
        start = draw(starts)
        length = draw(st.integers(1, 16)) * 15
        a = f"2026-03-23 {start // 60:02d}:{start % 60:02d}"
        b_minutes = min(start + length, 24 * 60 - 1)
        b = f"2026-03-23 {b_minutes // 60:02d}:{b_minutes % 60:02d}"
        found.append(Commitment(summary="x", span=span(a, b), uid=str(start), source="t"))
    return found


@settings(max_examples=200)
@given(days())
def test_metric_identities_hold_on_any_day(found: list[Commitment]) -> None:
    day = audit_day(MONDAY, *found)
    assert day.focus_minutes + day.fragmented_minutes == day.free_minutes
    assert day.free_minutes + day.sync_minutes == day.work_minutes
    assert day.effective_focus_minutes <= day.free_minutes
    assert day.longest_free_minutes <= day.free_minutes
    assert day.maker_day == (day.longest_free_minutes >= 240)


@settings(max_examples=100)
@given(days())
def test_switches_are_even_when_nothing_touches_a_window_edge(found: list[Commitment]) -> None:
    window = span("2026-03-23 09:00", "2026-03-23 17:00")
    inside = [c for c in found if window.start < c.span.start and c.span.end < window.end]
    outside = [c for c in found if c.span.end < window.start or c.span.start > window.end]
    day = measure_day(MONDAY, sorted(c.span for c in inside + outside), POLICY)
    merged = sorted({c.span for c in inside})
    assert day.switches % 2 == 0
    assert (day.switches == 0) == (not merged)


def brute_force_day(day: date, found: list[Commitment],
                    policy: Policy = POLICY) -> dict[str, int]:
    """The metrics of ``day`` counted minute by minute, from the words of docs/metrics.md:
    away time (off, or the whole of a day off) leaves the window; busy is full attention;
    partial time is partial attention less busy."""
    start, window_start = z(f"{day} 00:00"), z(f"{day} 09:00")
    window_end, end = z(f"{day} 17:00"), z(f"{day + timedelta(days=1)} 00:00")
    minute = timedelta(minutes=1)

    def minutes_of(attention: Attention) -> set[datetime]:
        return {c.span.start + n * minute for c in found if c.attention is attention
                for n in range(int((c.span.end - c.span.start) / minute))}

    busy, partial, off = (minutes_of(Attention.FULL), minutes_of(Attention.PARTIAL),
                          minutes_of(Attention.OFF))
    whole_day = [start + n * minute for n in range(int((end - start) / minute))]
    away = set(whole_day) if day in policy.work.days_off else off
    work = [window_start + n * minute
            for n in range(int((window_end - window_start) / minute))]
    window = [m for m in work if m not in away]
    taken = busy | partial
    gaps, run = [], 0
    for moment in work:
        if moment in away or moment in taken:
            if run:
                gaps.append(run)
            run = 0
        else:
            run += 1
    if run:
        gaps.append(run)
    sync = sum(m in busy for m in window)

    def state(moment: datetime) -> str:
        return "away" if moment in away else "taken" if moment in taken else "free"

    return {
        "work_minutes": len(window),
        "sync_minutes": sync,
        "partial_minutes": sum(m in partial and m not in busy for m in window),
        "after_hours_sync_minutes": sum(m in busy and m not in away for m in whole_day) - sync,
        "free_minutes": sum(gaps),
        "focus_minutes": sum(g for g in gaps if g >= 120),
        "effective_focus_minutes": sum(max(0, g - 15) for g in gaps),
        "longest_free_minutes": max(gaps, default=0),
        "switches": sum({state(a), state(b)} == {"free", "taken"} for a, b in pairwise(work)),
        "day_off": int(bool(work) and not window),
    }


@st.composite
def weeks(draw: st.DrawFn) -> list[Commitment]:
    found = []
    for _ in range(draw(st.integers(0, 10))):
        day = MONDAY + timedelta(days=draw(st.integers(0, 2)))
        start = draw(st.integers(0, 24 * 4 - 1)) * 15 + draw(st.sampled_from([0, 7]))
        length = draw(st.integers(1, 40)) * 15
        begin = z(f"{day} 00:00") + timedelta(minutes=start)
        attention = draw(st.sampled_from([*[Attention.FULL] * 3, Attention.PARTIAL,
                                          Attention.PARTIAL, Attention.OFF, Attention.NONE]))
        found.append(Commitment(summary="x", span=Interval(begin, begin + timedelta(
            minutes=length)), uid=str(start), source="t", attention=attention))
    return found


TUESDAY_OFF = build_policy({"timezone": "Europe/Zagreb",
                            "work": {"days_off": [MONDAY + timedelta(days=1)]}})


@settings(max_examples=80, deadline=None)
@given(weeks(), st.sampled_from([POLICY, TUESDAY_OFF]))
def test_every_metric_matches_a_minute_by_minute_count(found: list[Commitment],
                                                       policy: Policy) -> None:
    report = audit_commitments(found, policy, Period(MONDAY, MONDAY + timedelta(days=2)))
    for day in report.days:
        expected = brute_force_day(day.date, found, policy)
        assert {name: int(getattr(day, name)) for name in expected} == expected, day.date
        assert day.work_minutes == day.sync_minutes + day.partial_minutes + day.free_minutes
    assert report.totals.days_off == sum(d.day_off for d in report.days)
