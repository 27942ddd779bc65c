"""What each duty costs a member's focus, measured by the audit with the duty in place."""

from __future__ import annotations

from datetime import date

from makertime.model import Commitment
from makertime.team.focus import FocusTable, focus_table, sync_windows
from makertime.team.model import DutyKind, Slot, Team
from makertime.team.slots import slots_of
from tests.support.helpers import span
from tests.support.team_fixture import WEEK, calendars, meetings, policy, stream, team

TUESDAY = date(2026, 3, 24)


def _table(**found: list[Commitment]) -> tuple[Team, list[Slot], FocusTable]:
    chosen = team()
    members = calendars(**found)
    slots = slots_of(chosen, [stream()], WEEK)
    shield_dates = frozenset(d for s in slots if s.kind is DutyKind.SHIELD for d in s.dates)
    return chosen, slots, focus_table(chosen, members, WEEK, shield_dates)


def test_sync_windows_sit_at_the_preferred_times_on_work_days_only() -> None:
    windows = sync_windows(policy(), TUESDAY, 2)
    assert [w.span for w in windows] == [span("2026-03-24 11:30", "2026-03-24 12:00"),
                                         span("2026-03-24 16:30", "2026-03-24 17:00")]
    assert sync_windows(policy(), date(2026, 3, 28), 2) == []  # Saturday
    assert len(sync_windows(policy(), TUESDAY, 3)) == 3  # a third is spread over the day


def test_the_shield_relieves_everyone_else() -> None:
    _, _, table = _table()
    # with both windows the day's longest gap is 09:00–11:30; relieved of the 16:30 one,
    # 12:00–17:00 becomes one block
    assert table.unrelieved["ana"][TUESDAY] == 150 + 270
    assert table.relieved["ana"][TUESDAY] == 150 + 300
    assert table.relief(TUESDAY) == 3 * 30


def test_holding_the_shield_costs_the_holder_their_whole_relieved_day() -> None:
    chosen, slots, table = _table(ben=meetings("2026-03-24", ("09:30", "10:30"),
                                               ("13:00", "14:00"), ("15:00", "16:00")))
    shield = next(s for s in slots if s.id == "shield/2026-03-24")
    duty = chosen.duties[0]
    assert table.cost("ana", shield, duty) == 450
    assert table.cost("ben", shield, duty) == table.relieved["ben"][TUESDAY] < 450


def test_an_on_call_turn_costs_the_focus_of_its_work_days() -> None:
    chosen, slots, table = _table()
    turn = next(s for s in slots if s.kind is DutyKind.ON_CALL)
    # partial attention takes every work hour of the turn's dates inside the week; Monday's
    # 09:00–10:00 before the handoff is a gap, but shorter than a focus block
    assert table.cost("ana", turn, chosen.duties[1]) == sum(
        table.base("ana", d) for d in turn.dates)


def test_a_crew_seat_costs_its_rest_and_recovery() -> None:
    chosen, slots, table = _table()
    seat = next(s for s in slots if s.kind is DutyKind.CREW)
    # prep from 18:00 and two hours of rest before it take Thursday's 16:00–17:00 (the
    # 12:00–17:00 block shrinks by 60); the recovery ends on Friday at 07:30, before work
    assert table.base("ana", date(2026, 3, 26)) == 450
    assert table.cost("ana", seat, chosen.duties[2]) == 60
