"""Team rotations in the store, on SQLite and on a real PostgreSQL: kept as saved, and the
newest rotation for a date is the one the team holds that date (carry-over and history)."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import StatementError

from makertime.errors import StoreError
from makertime.store import DutyRecord, MemberLoadRecord, RotationRecord, Store, open_store
from makertime.store.engine import make_engine
from makertime.store.rotations import MAX_DUTIES, NAME_CHARS, TEXT_CHARS
from tests.support.helpers import z
from tests.support.postgres import BACKENDS, empty_database

TEAM = "platform"
CREATED = datetime(2026, 2, 27, 16, 0, tzinfo=UTC)
WEEK_1 = date(2026, 3, 2)  # a Monday: ISO week 2026-W10


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An open store on an empty database of each backend."""
    with open_store(empty_database(request, tmp_path)) as opened:
        yield opened


def shield(day: date, member: str, weighted: float = 8.0) -> DutyRecord:
    """A shield day held by ``member``: 09:00 to 17:00 in Zagreb."""
    return DutyRecord(slot=f"shield/{day}", duty="shield", kind="shield", seat="", event="",
                      member=member, start=z(f"{day} 09:00"), end=z(f"{day} 17:00"),
                      hours=8.0, weighted_hours=weighted, reason=f"{member} has the fewest hours",
                      day=day)


def rotation(first: date, last: date, member: str, *, team: str = TEAM, note: str = "plan",
             weighted: float = 8.0) -> RotationRecord:
    """A rotation with one shield day, held by ``member``, on every date of its period."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return RotationRecord(id=None, team=team, first=first, last=last, created=CREATED,
                          duties=tuple(shield(day, member, weighted) for day in days),
                          status="OPTIMAL", team_focus=12_000, price_of_fairness=45, note=note)


def week(number: int) -> tuple[date, date]:
    """The Monday and the Sunday of week ``number`` (1 is WEEK_1's)."""
    monday = WEEK_1 + timedelta(weeks=number - 1)
    return monday, monday + timedelta(days=6)


def is_utc(moment: datetime) -> bool:
    """Aware, and in UTC."""
    return moment.tzinfo is UTC


def test_a_rotation_round_trips_with_its_duties_in_order(store: Store) -> None:
    night = DutyRecord(
        slot="on-call/2026-03-09T22:00/primary", duty="pager", kind="on-call", seat="primary",
        event="", member="ben", start=z("2026-03-09 22:00"), end=z("2026-03-10 07:00"),
        hours=9.0, weighted_hours=13.5, reason="ben was on call least", day=date(2026, 3, 9))
    crew = DutyRecord(
        slot="crew/2026-03-05T19:00/audio#1", duty="meetup", kind="crew", seat="audio",
        event="Rust meetup", member="ana", start=z("2026-03-05 18:00"),
        end=z("2026-03-05 22:30"), hours=4.5, weighted_hours=4.5, reason="ana knows audio",
        day=date(2026, 3, 5))
    record = RotationRecord(id=None, team=TEAM, first=WEEK_1, last=date(2026, 3, 15),
                            created=datetime(2026, 2, 27, 17, 0, tzinfo=UTC),
                            duties=(night, shield(WEEK_1, "dario"), crew), status="FEASIBLE",
                            team_focus=9_870, price_of_fairness=None, note="away dario")
    saved = store.save_rotation(record)
    found = store.rotation(TEAM, saved)
    assert found == replace(record, id=saved)
    assert found is not None and found.duties == (night, shield(WEEK_1, "dario"), crew)
    assert all(is_utc(d.start) and is_utc(d.end) for d in found.duties) and is_utc(found.created)
    assert store.rotations(TEAM) == [found]
    assert store.rotation("other", saved) is None
    assert [store.rotation(TEAM, n) for n in (0, -1, saved + 1, 2**40)] == [None] * 4


def test_rotations_are_newest_first_and_per_team(store: Store) -> None:
    ids = [store.save_rotation(rotation(*week(n), "ana", note=f"plan {n}")) for n in (1, 2, 3)]
    store.save_rotation(rotation(*week(1), "zoe", team="web"))
    assert [r.id for r in store.rotations(TEAM)] == ids[::-1]
    assert [r.note for r in store.rotations(TEAM, limit=2)] == ["plan 3", "plan 2"]
    assert [r.duties[0].member for r in store.rotations("web")] == ["zoe"]
    assert store.rotations("nobody") == []
    assert store.rotation("web", ids[0]) is None


def test_a_newer_rotation_supersedes_an_older_one_on_its_dates_only(store: Store) -> None:
    older = store.save_rotation(rotation(week(1)[0], week(4)[1], "ana"))
    newer = store.save_rotation(rotation(week(3)[0], week(4)[1], "ben", weighted=10.0))
    held = store.effective_duties(TEAM)
    assert len(held) == 28 and held == sorted(held, key=lambda d: d.start)
    assert {d.member for d in held if d.day < week(3)[0]} == {"ana"}
    assert {d.member for d in held if d.day >= week(3)[0]} == {"ben"}
    assert [d.day for d in held] == [week(1)[0] + timedelta(days=n) for n in range(28)]
    assert store.effective_duties(TEAM, week(2)[1], week(3)[0]) == [
        shield(week(2)[1], "ana"), shield(week(3)[0], "ben", 10.0)]
    assert store.effective_duties(TEAM, last=week(1)[0]) == [shield(week(1)[0], "ana")]
    assert store.effective_duties(TEAM, first=week(4)[1]) == [shield(week(4)[1], "ben", 10.0)]
    assert store.effective_duties(TEAM, week(5)[0], week(6)[1]) == []
    assert store.carried_load(TEAM, week(4)[0]) == {"ana": 14 * 8.0, "ben": 7 * 10.0}
    assert store.carried_load(TEAM, week(1)[0]) == {}
    assert store.duty_history(TEAM) == [
        MemberLoadRecord("ana", "2026-W10", 56.0, 56.0),
        MemberLoadRecord("ana", "2026-W11", 56.0, 56.0),
        MemberLoadRecord("ben", "2026-W12", 56.0, 70.0),
        MemberLoadRecord("ben", "2026-W13", 56.0, 70.0)]
    # both rotations stay as they were saved: only what the team holds changes
    assert [len(r.duties) for r in store.rotations(TEAM)] == [14, 28]
    assert [r.id for r in store.rotations(TEAM)] == [newer, older]


def test_carried_load_and_history_agree_after_many_resolves(store: Store) -> None:
    store.save_rotation(rotation(week(1)[0], week(4)[1], "ana", weighted=1.1))
    store.save_rotation(rotation(date(2026, 3, 11), date(2026, 3, 18), "ben", weighted=2.3))
    store.save_rotation(rotation(date(2026, 3, 17), date(2026, 3, 17), "cleo", weighted=0.7))
    store.save_rotation(rotation(week(4)[0], week(4)[0], "ana", weighted=3.9))
    held = store.effective_duties(TEAM)
    assert len(held) == 28  # every date once, whichever rotation holds it
    assert [d.member for d in held if date(2026, 3, 16) <= d.day <= date(2026, 3, 18)] == [
        "ben", "cleo", "ben"]
    history = store.duty_history(TEAM)
    for before in (week(2)[0], date(2026, 3, 17), week(5)[0]):
        carried = store.carried_load(TEAM, before)
        assert carried == pytest.approx({
            m: math.fsum(d.weighted_hours for d in held if d.member == m and d.day < before)
            for m in {d.member for d in held if d.day < before}})
    by_member: dict[str, float] = {}
    for load in history:
        by_member[load.member] = by_member.get(load.member, 0.0) + load.weighted_hours
    assert by_member == pytest.approx(store.carried_load(TEAM, week(5)[0]))
    assert [(h.week, h.member) for h in history] == sorted((h.week, h.member) for h in history)


def test_a_duty_belongs_to_the_team_date_it_starts_on(store: Store) -> None:
    # 00:30 in Zagreb on Monday 9 March is still Sunday 8 March in UTC
    early = replace(shield(date(2026, 3, 9), "ana"), slot="on-call/early",
                    start=z("2026-03-09 00:30"), end=z("2026-03-09 07:00"))
    assert early.start.date() == date(2026, 3, 8)
    older = replace(rotation(week(1)[0], week(2)[1], "ana"),
                    duties=(shield(date(2026, 3, 8), "ana"), early))
    store.save_rotation(older)
    store.save_rotation(rotation(week(2)[0], week(2)[1], "ben"))
    assert [(d.slot, d.member) for d in store.effective_duties(TEAM, last=date(2026, 3, 9))] == [
        ("shield/2026-03-08", "ana"), ("shield/2026-03-09", "ben")]
    assert store.carried_load(TEAM, date(2026, 3, 9)) == {"ana": 8.0}


def test_latest_rotation_is_the_newest_that_overlaps(store: Store) -> None:
    whole = store.save_rotation(rotation(week(1)[0], week(4)[1], "ana"))
    later = store.save_rotation(rotation(week(3)[0], week(4)[1], "ben"))
    apart = store.save_rotation(rotation(week(6)[0], week(7)[1], "cleo"))
    store.save_rotation(rotation(week(1)[0], week(7)[1], "zoe", team="web"))

    def latest(first: date, last: date) -> int | None:
        found = store.latest_rotation(TEAM, first, last)
        return None if found is None else found.id

    assert latest(*week(1)) == whole
    assert latest(week(2)[1], week(3)[0]) == later
    assert latest(week(4)[1], week(4)[1]) == later
    assert latest(*week(5)) is None
    assert latest(week(5)[0], week(6)[0]) == apart
    assert latest(week(1)[0], week(7)[1]) == apart
    assert store.latest_rotation("nobody", week(1)[0], week(7)[1]) is None
    found = store.latest_rotation(TEAM, *week(3))
    assert found is not None and {d.member for d in found.duties} == {"ben"}


def test_a_swap_saved_for_the_same_period_replaces_it_whole(store: Store) -> None:
    plan = rotation(*week(1), "ana")
    store.save_rotation(plan)
    latest = store.latest_rotation(TEAM, *week(1))
    assert latest is not None
    swapped = tuple(replace(d, member="ben") if d.day == date(2026, 3, 4) else d
                    for d in latest.duties)
    saved = store.save_rotation(replace(latest, duties=swapped, note="swap ana ben 2026-03-04"))
    assert saved != latest.id  # saved anew: the id it came with is not read
    assert [d.member for d in store.effective_duties(TEAM)] == ["ana"] * 2 + ["ben"] + ["ana"] * 4
    assert store.carried_load(TEAM, week(2)[0]) == {"ana": 48.0, "ben": 8.0}


def test_many_duties_are_saved_and_more_than_the_bound_are_refused(store: Store) -> None:
    first, last = week(1)[0], week(1)[0] + timedelta(days=364)
    days = [first + timedelta(days=n % 365) for n in range(3_000)]
    duties = tuple(replace(shield(day, f"m{n % 40}"), slot=f"s{n}") for n, day in enumerate(days))
    record = replace(rotation(first, last, "ana"), duties=duties)
    saved = store.save_rotation(record)
    found = store.rotation(TEAM, saved)
    assert found is not None and found.duties == duties
    assert len(store.effective_duties(TEAM)) == 3_000
    too_many = replace(record, duties=duties[:1] * (MAX_DUTIES + 1))
    with pytest.raises(StoreError) as raised:
        store.save_rotation(too_many)
    assert str(raised.value) == (
        f'rotation of team "{TEAM}": has 50,001 duties, more than the 50,000 the store keeps '
        "(rotate a shorter period)")
    assert [r.id for r in store.rotations(TEAM)] == [saved]


def test_a_rotation_cut_in_hundreds_of_pieces_is_read_whole(store: Store) -> None:
    # every other date re-solved: hundreds of pieces, more than one statement may bind on a
    # SQLite built with the smallest limit (999 values), which this store's is set to
    if store.url.startswith("sqlite"):
        engine = store._engine
        event.listen(engine, "connect", lambda connection, _record: connection.setlimit(
            sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999))
        engine.dispose()
    first = week(1)[0]
    store.save_rotation(rotation(first, first + timedelta(days=399), "ana"))
    for n in range(1, 400, 2):
        day = first + timedelta(days=n)
        store.save_rotation(rotation(day, day, "ben", note=f"swap ana ben {day}"))
    held = store.effective_duties(TEAM)
    assert [d.member for d in held] == ["ana", "ben"] * 200
    assert [d.day for d in held] == [first + timedelta(days=n) for n in range(400)]
    assert store.carried_load(TEAM, first + timedelta(days=400)) == {"ana": 1600.0,
                                                                     "ben": 1600.0}
    history = store.duty_history(TEAM)  # 57 whole weeks, then one date, which is ben's
    assert len(history) == 2 * 57 + 1
    assert history[-1] == MemberLoadRecord("ben", "2027-W14", 8.0, 8.0)
    assert {(h.hours, h.weighted_hours) for h in history[:-1]} <= {(24.0, 24.0), (32.0, 32.0)}
    assert store.effective_duties(TEAM, first + timedelta(days=3), first + timedelta(days=2)) == []


@pytest.mark.parametrize(("change", "problem"), [
    ({"first": date(2026, 3, 9)}, "ends on 2026-03-08 before it starts on 2026-03-09"),
    ({"last": date(2026, 3, 3)}, 'slot "shield/2026-03-04" starts on 2026-03-04, outside the '
                                 "period 2026-03-02..2026-03-03"),
    ({"team_focus": 2**40}, "its team focus (1099511627776 minutes, 45 given up) is no count "
                            "of minutes"),
    ({"duties": (replace(shield(WEEK_1, "ana"), hours=math.nan),)},
     'slot "shield/2026-03-02" weighs nan hours (8.0 weighted)'),
    ({"duties": (replace(shield(WEEK_1, "ana"), weighted_hours=-1.0),)},
     'slot "shield/2026-03-02" weighs 8.0 hours (-1.0 weighted)'),
])
def test_a_rotation_the_store_cannot_keep_is_refused(store: Store, change: dict[str, object],
                                                       problem: str) -> None:
    with pytest.raises(StoreError) as raised:
        store.save_rotation(replace(rotation(*week(1), "ana"), **change))  # type: ignore[arg-type]
    assert str(raised.value).startswith(f'rotation of team "{TEAM}": {problem} (')
    assert store.rotations(TEAM) == []


def test_a_naive_moment_refuses_the_whole_rotation(store: Store) -> None:
    duties = (shield(WEEK_1, "ana"), replace(shield(WEEK_1, "ben"), start=datetime(2026, 3, 2, 9)))
    with pytest.raises(StatementError, match="aware datetimes only"):
        store.save_rotation(replace(rotation(*week(1), "ana"), duties=duties))
    assert store.rotations(TEAM) == [] and store.effective_duties(TEAM) == []


def test_texts_are_kept_on_one_line_and_bounded(store: Store) -> None:
    duty = replace(shield(WEEK_1, "ana"), reason="because\x1b[2J " + "x" * 5_000,
                   event="Launch\nparty", seat="s" * 500)
    record = replace(rotation(*week(1), "ana"), duties=(duty,), note="plan\r\nagain")
    found = store.rotation(TEAM, store.save_rotation(record))
    assert found is not None and found.note == "plan again"
    [kept] = found.duties
    assert kept.reason.startswith("because x") and kept.reason.endswith("…")
    assert len(kept.reason) == TEXT_CHARS and len(kept.seat) == NAME_CHARS
    assert kept.event == "Launch party"


def test_a_database_without_the_rotation_tables_is_one_line(store: Store) -> None:
    store.save_rotation(rotation(*week(1), "ana"))
    engine = make_engine(store.url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE rotation_duties"))
    finally:
        engine.dispose()
    with pytest.raises(StoreError) as raised:
        store.effective_duties(TEAM)
    assert "rotation_duties" in str(raised.value) and "\n" not in str(raised.value)
    with pytest.raises(StoreError):
        store.save_rotation(rotation(*week(1), "ana"))
