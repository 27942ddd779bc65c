"""Interruptions are the person's data: listed with their ids, corrected and removed; their
minutes lie within the day they began on; each one's focus lost is measured against the plan as
it stood when it was logged, so no other interruption changes it."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from makertime.app import audit_calendars
from makertime.app.log import check_minutes, interruption_start, log_interruption
from makertime.app.past_weeks import Footing, standing
from makertime.audit import audit_commitments
from makertime.cli.app import flag
from makertime.errors import OptionError
from makertime.model import Attention, Commitment, Period
from makertime.plan.extract import as_commitments
from makertime.policy import load_policy
from makertime.sample import sample_path
from makertime.store import Interruption, open_store
from tests.support.helpers import ZAGREB, span, z
from tests.support.week import SAMPLE, WEEK, ok, run

FAST = ["--workers", "1", "--gap", "0"]
WEDNESDAY = date(2026, 3, 25)


def one_line_error(*args: str) -> str:
    """The single line a refused command prints; it must exit with status 2."""
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding a plan of the sample week made as of Monday 08:00 (made once)."""
    path = tmp_path_factory.mktemp("planned") / "store.db"
    ok("plan", str(sample_path("week.ics")), *SAMPLE, *WEEK, "--now", "2026-03-23T08:00",
       *FAST, "--db", f"sqlite:///{path}")
    return path


@pytest.fixture
def db(planned: Path, tmp_path: Path) -> str:
    """A copy of the planned store of this test's own."""
    shutil.copy(planned, tmp_path / "store.db")
    return f"sqlite:///{tmp_path / 'store.db'}"


def listed(db: str) -> dict[int, dict[str, Any]]:
    """``makertime interruptions --json`` by id."""
    rows = json.loads(run("interruptions", "--json", "--db", db).output)
    return {row["id"]: row for row in rows}


def costliest(db: str) -> str:
    """What ``makertime history`` says about interruptions."""
    return ok("history", "--db", db).split("Interruptions that cost the most focus")[-1]


# the reported fault: a second interruption changed the first one's focus lost


def test_another_interruption_never_changes_ones_focus_lost(db: str) -> None:
    ok("interrupt", "CDN alert", "--minutes", "40", "--at", "2026-03-25T09:30",
       "--now", "2026-03-25T10:15", "--db", db)
    [first] = listed(db).values()
    lost = first["focus_lost"]
    assert lost > 0
    ok("replan", "--now", "2026-03-25T10:15", *FAST[:2], "--db", db)
    assert f"CDN alert: 40 min, {fmt(lost)} of focus lost" in costliest(db)
    ok("interrupt", "pager", "--minutes", "20", "--at", "2026-03-25T10:00",
       "--now", "2026-03-25T10:30", "--db", db)
    ok("replan", "--now", "2026-03-25T10:30", *FAST[:2], "--db", db)
    found = listed(db)
    assert found[first["id"]]["focus_lost"] == lost
    assert f"CDN alert: 40 min, {fmt(lost)} of focus lost" in costliest(db)
    second = next(i for i in found if i != first["id"])
    ok("interrupt", "--edit", str(second), "--minutes", "50", "--db", db)
    assert listed(db)[first["id"]]["focus_lost"] == lost
    ok("interrupt", "--remove", str(second), "--db", db)
    assert list(listed(db).values()) == [first]


def fmt(minutes: int) -> str:
    """Minutes as the terminal shows them."""
    from makertime.model import format_minutes

    return format_minutes(minutes)


def test_focus_lost_is_the_audits_difference_against_the_plans_blocks(db: str) -> None:
    with open_store(db) as store:
        plan = store.current_plan()
        assert plan is not None
    policy = load_policy(sample_path("policy.toml"))
    read = audit_calendars([str(sample_path("week.ics"))], policy, Period(WEDNESDAY, WEDNESDAY))
    base = [*read.commitments, *as_commitments(plan.blocks)]
    for start, minutes in (("2026-03-25T09:30", 40), ("2026-03-25T14:05", 25)):
        ok("interrupt", "alert", "--minutes", str(minutes), "--at", start,
           "--now", "2026-03-25T18:00", "--db", db)
        held = Commitment("alert", span(start.replace("T", " "), (
            datetime.fromisoformat(start) + timedelta(minutes=minutes)).isoformat(" ")),
            attention=Attention.FULL, uid="alert", source="interruption")
        day = Period(WEDNESDAY, WEDNESDAY)
        without = audit_commitments(sorted(base, key=key), policy, day)
        with_it = audit_commitments(sorted([*base, held], key=key), policy, day)
        expected = (without.totals.effective_focus_minutes
                    - with_it.totals.effective_focus_minutes)
        found = [row for row in listed(db).values() if row["start"].startswith(start)]
        assert [row["focus_lost"] for row in found] == [expected]


def key(commitment: Commitment) -> tuple[datetime, datetime]:
    """Commitments in time order."""
    return commitment.span.start, commitment.span.end


# which plan an interruption is measured against


def footing(as_of: str, first: date = date(2026, 3, 23), ramp_up: int = 15) -> Footing:
    """A plan's footing over one week with one free stretch on Wednesday, 09:00–12:00."""
    return Footing(first, first + timedelta(days=6), ZAGREB, ramp_up,
                   (span("2026-03-25 09:00", "2026-03-25 12:00"),), z(as_of))


def logged(start: str, minutes: int, at: str) -> Interruption:
    """An interruption as the store hands it out."""
    return Interruption(1, "alert", z(start), minutes, z(at))


def test_an_interruption_splitting_a_gap_costs_more_than_its_minutes() -> None:
    base = footing("2026-03-23 08:00")
    # 180 free minutes are 165 of focus; 60 and 100 left on either side are 45 and 85
    assert base.cost(span("2026-03-25 10:00", "2026-03-25 10:20")) == 165 - 45 - 85
    assert base.cost(span("2026-03-25 08:00", "2026-03-25 09:00")) == 0  # outside the gap
    assert base.cost(span("2026-03-25 11:50", "2026-03-25 12:30")) == 10  # its last minutes
    assert base.cost(span("2026-03-25 09:00", "2026-03-25 12:00")) == 165


def test_the_plan_that_stood_when_it_was_logged_is_the_measure() -> None:
    monday, wednesday = footing("2026-03-23 08:00"), footing("2026-03-25 10:15", ramp_up=30)
    later = footing("2026-03-25 12:00", ramp_up=45)
    newest_first = [later, wednesday, monday]
    assert standing(logged("2026-03-25 09:30", 40, "2026-03-25 10:15"), newest_first) is monday
    assert standing(logged("2026-03-25 09:30", 40, "2026-03-25 11:00"),
                    newest_first) is wednesday
    # logged before any plan was made: the first plan made for its day
    assert standing(logged("2026-03-25 09:30", 40, "2026-03-22 11:00"), newest_first) is monday
    # a day no plan covers
    assert standing(logged("2026-04-01 09:30", 40, "2026-04-01 11:00"), newest_first) is None


# minutes: 1 to the length of the day it began on, ending by its midnight


@pytest.mark.parametrize(("day", "length"), [("2026-03-25", 1440), ("2026-03-29", 1380),
                                             ("2026-10-25", 1500)])
def test_an_interruption_may_fill_its_whole_day_and_no_more(tmp_path: Path, day: str,
                                                            length: int) -> None:
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        midnight = datetime.fromisoformat(f"{day}T00:00").replace(tzinfo=ZAGREB)
        later = midnight + timedelta(days=2)
        with pytest.raises(OptionError) as raised:
            log_interruption(store, "outage", length + 1, at=f"{day}T00:00", now=later,
                             zone=ZAGREB)
        assert raised.value.parameter == "minutes"
        assert str(raised.value).startswith(f"minutes: {length + 1} is more than the "
                                            f"{length} minutes of ")
        item = log_interruption(store, "outage", length, at=f"{day}T00:00", now=later,
                                zone=ZAGREB)
        end = item.start.astimezone(UTC) + timedelta(minutes=length)
        assert end == to_next_midnight(midnight)
        with pytest.raises(OptionError, match=f"from 1 to {length}"):
            log_interruption(store, "outage", 0, at=f"{day}T00:00", now=later, zone=ZAGREB)
        assert store.interruptions() == [item]


def to_next_midnight(midnight: datetime) -> datetime:
    """The midnight after ``midnight``'s, in the same zone, as a UTC moment."""
    return datetime.combine(midnight.date() + timedelta(days=1), time(),
                            tzinfo=ZAGREB).astimezone(UTC)


def test_running_past_midnight_is_refused_with_the_two_halves_to_log() -> None:
    start = datetime(2026, 3, 24, 23, 40, tzinfo=ZAGREB)
    check_minutes(20, start, ZAGREB)  # ends at midnight: within its day
    with pytest.raises(OptionError) as raised:
        check_minutes(30, start, ZAGREB)
    assert raised.value.render(flag) == (
        "--minutes: 30 from Tue 24 Mar 23:40 runs past midnight (an interruption lies within "
        "one day: log --minutes 20 --at 2026-03-24T23:40, then --minutes 10 --at "
        "2026-03-25T00:00)")


def test_just_ended_counts_real_minutes_across_a_clock_change() -> None:
    now = datetime(2026, 3, 29, 3, 30, tzinfo=ZAGREB)  # an hour after clocks went forward
    assert interruption_start(None, 90, now, ZAGREB) == now.astimezone(UTC) - timedelta(
        minutes=90)
    assert interruption_start(None, 90, now, ZAGREB).astimezone(ZAGREB).hour == 1


# the commands


def test_no_interruptions_is_a_friendly_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert ok("interruptions", "--db", db) == (
        'no interruptions logged: makertime interrupt "CDN alert" --minutes 40 logs one')
    assert json.loads(run("interruptions", "--json", "--db", db).output) == []


def test_interruptions_are_listed_with_id_time_minutes_text_and_focus(db: str) -> None:
    first = ok("interrupt", "CDN alert", "--minutes", "40", "--at", "09:30",
               "--now", "2026-03-25T10:15", "--db", db)
    ok("interrupt", "chat [urgent]", "--minutes", "5", "--now", "2026-03-25T11:00",
       "--db", db)
    assert first.startswith("logged interruption 1: CDN alert, Wed 25 Mar 09:30, 40 min")
    table = ok("interruptions", "--db", db)
    rows = listed(db)
    assert [row["text"] for row in rows.values()] == ["CDN alert", "chat [urgent]"]
    alert, chat = rows.values()
    assert (alert["start"], alert["end"], alert["minutes"]) == (
        "2026-03-25T09:30:00+01:00", "2026-03-25T10:10:00+01:00", 40)
    assert chat["start"] == "2026-03-25T10:55:00+01:00"
    assert f"1 Wed 25 Mar 09:30–10:10 40 CDN alert {fmt(alert['focus_lost'])}" in table
    assert f"2 Wed 25 Mar 10:55–11:00 5 chat [urgent] {fmt(chat['focus_lost'])}" in table


def test_an_edit_says_what_changed_and_a_removal_what_is_gone(db: str) -> None:
    ok("interrupt", "CDN alert", "--minutes", "40", "--at", "09:30",
       "--now", "2026-03-25T10:15", "--db", db)
    before = listed(db)[1]["focus_lost"]
    edited = ok("interrupt", "--edit", "1", "--minutes", "90", "--db", db)
    after = listed(db)[1]
    assert after["minutes"] == 90 and after["focus_lost"] > before
    assert edited == (f"interruption 1 (CDN alert, Wed 25 Mar 09:30): 40 → 90 min, focus lost "
                      f"{fmt(before)} → {fmt(after['focus_lost'])} "
                      "(makertime replan to repair the plan)")
    removed = ok("interrupt", "--remove", "1", "--db", db)
    assert removed.startswith("removed interruption 1: CDN alert, Wed 25 Mar 09:30, 90 min")
    assert listed(db) == {}
    line = one_line_error("interrupt", "--remove", "1", "--db", db)
    assert line == ("makertime: interruption 1: no such interruption (none is logged yet) "
                    "(run `makertime interruptions` to list them)")


@pytest.mark.parametrize(("args", "expected"), [
    (["pager", "--minutes", "0"], "--minutes: 0 is not how long something took"),
    (["pager", "--minutes", "-5"], "--minutes: -5 is not how long something took"),
    (["pager", "--minutes", "900"], "--minutes: 900 from Tue 24 Mar 19:15 runs past midnight"),
    (["pager", "--minutes", "1441", "--at", "00:00"], "--minutes: 1441 is more than the 1440"),
    (["--edit", "1", "--minutes", "0"], "--minutes: 0 is not how long something took"),
    (["--edit", "1", "--minutes", "900"], "--minutes: 900 from Wed 25 Mar 09:30 runs past"),
    (["--edit", "7", "--minutes", "5"], "interruption 7: no such interruption (the latest: 1)"),
    (["pager", "--edit", "1", "--minutes", "5"], "TEXT: 'pager' cannot go with --edit"),
    (["pager", "--remove", "1"], "TEXT: 'pager' cannot go with --remove"),
    (["--edit", "1", "--remove", "1"], "--edit: cannot go with --remove"),
    (["--edit", "1"], "--minutes: missing"),
    (["--edit", "1", "--minutes", "5", "--at", "09:00"], "--at: cannot go with --edit"),
    (["--remove", "1", "--minutes", "5"], "--minutes: cannot go with --remove"),
    (["--minutes", "5"], "TEXT: missing"),
    (["pager"], "--minutes: missing"),
])
def test_a_wrong_interrupt_is_one_line(db: str, args: list[str], expected: str) -> None:
    ok("interrupt", "CDN alert", "--minutes", "40", "--at", "09:30",
       "--now", "2026-03-25T10:15", "--db", db)
    line = one_line_error("interrupt", *args, "--now", "2026-03-25T10:15", "--db", db)
    assert line.startswith(f"makertime: {expected}")
    [kept] = listed(db).values()
    assert kept["minutes"] == 40


def test_the_help_teaches_by_example() -> None:
    interrupt = ok("interrupt", "--help")
    assert 'Example: makertime interrupt "CDN alert" --minutes 40' in interrupt
    assert "makertime interrupt --edit 3 --minutes 25" in interrupt
    assert "ran past midnight is logged as two" in interrupt
    assert "Example: makertime interruptions" in ok("interruptions", "--help")
