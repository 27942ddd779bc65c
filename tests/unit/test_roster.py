"""The rostering core: one tiny problem per rule where only that rule decides, the team terms,
and the independent checker's agreement with what the solver reports."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from makertime.team.roster import solve_roster
from makertime.team.roster_build import build_roster
from makertime.team.roster_lns import improve
from makertime.team.roster_problem import (
    Cover,
    Request,
    RosterProblem,
    RosterSolution,
    ShiftType,
    Staff,
)
from tests.support.roster_checker import check_roster, roster_terms

DAY = ShiftType("D", 480)
UNDER = 100  # per missing person in these problems


def need(days: range | list[int], shift: str = "D", requirement: int = 1,
         over: int = 0, *, hard: bool = False) -> tuple[Cover, ...]:
    """Cover of ``requirement`` on each of ``days``."""
    return tuple(Cover(d, shift, requirement, UNDER, over, hard) for d in days)


def only(days: list[int], horizon: int) -> tuple[Cover, ...]:
    """One person on each of ``days``, nobody on the other days (each extra person costs 1)."""
    return tuple(Cover(d, "D", int(d in days), UNDER, 1) for d in range(horizon))


def solved(problem: RosterProblem) -> RosterSolution:
    """Solve to optimality (these problems are tiny) and check it independently."""
    solution = solve_roster(problem, time_limit=5)
    assert solution.status == "optimal"
    assert check_roster(problem, solution.assigned) == []
    assert roster_terms(problem, solution.assigned) == solution.terms
    assert sum(solution.terms.values()) == solution.objective == solution.bound
    return solution


def days_of(solution: RosterSolution, person: str = "A") -> list[int]:
    """The days ``person`` works."""
    return sorted(d for s, d, _ in solution.assigned if s == person)


def test_one_shift_a_day() -> None:
    shifts = (ShiftType("E", 480), ShiftType("L", 480))
    problem = RosterProblem(1, shifts, (Staff("A"),), need([0], "E") + need([0], "L"))
    assert solved(problem).terms["cover"] == UNDER


def test_only_allowed_cells() -> None:
    problem = RosterProblem(1, (DAY,), (Staff("A"), Staff("B")), need([0]),
                            allowed=frozenset({("B", 0, "D")}))
    assert solved(problem).assigned == {("B", 0, "D")}


def test_days_off() -> None:
    problem = RosterProblem(2, (DAY,), (Staff("A", days_off=frozenset({1})),), need(range(2)))
    assert days_of(solved(problem)) == [0]


def test_a_shift_not_followed_by() -> None:
    shifts = (ShiftType("N", 480, frozenset({"E"})), ShiftType("E", 480))
    problem = RosterProblem(2, shifts, (Staff("A"),), need([0], "N") + need([1], "E"))
    assert solved(problem).terms["cover"] == UNDER
    allowed_order = RosterProblem(2, shifts, (Staff("A"),), need([0], "E") + need([1], "N"))
    assert solved(allowed_order).terms["cover"] == 0


def test_max_shifts_per_type() -> None:
    problem = RosterProblem(3, (DAY,), (Staff("A", max_shifts={"D": 2}),), need(range(3)))
    assert solved(problem).terms["cover"] == UNDER


def test_total_minutes_within_bounds() -> None:
    # nothing asks for work, yet the minimum total needs two shifts
    idle = RosterProblem(4, (DAY,), (Staff("A", min_minutes=900),), ())
    assert len(solved(idle).assigned) == 2
    busy = RosterProblem(4, (DAY,), (Staff("A", max_minutes=960),), need(range(4)))
    assert solved(busy).terms["cover"] == 2 * UNDER


def test_max_consecutive_days() -> None:
    problem = RosterProblem(3, (DAY,), (Staff("A", max_consecutive=2),), need(range(3)))
    assert solved(problem).terms["cover"] == UNDER


def test_min_consecutive_days_inside_the_horizon() -> None:
    # one day of work is asked for in the middle: a run of two is the cheapest way to give it
    person = Staff("A", min_consecutive=2)
    problem = RosterProblem(5, (DAY,), (person,), only([2], 5))
    solution = solved(problem)
    assert solution.objective == 1
    assert days_of(solution) in ([1, 2], [2, 3])
    # a run that touches the start or the end of the horizon is exempt
    assert days_of(solved(RosterProblem(5, (DAY,), (person,), only([0], 5)))) == [0]
    assert days_of(solved(RosterProblem(5, (DAY,), (person,), only([4], 5)))) == [4]


def test_min_consecutive_days_off() -> None:
    # days 1 and 3 are asked for: the single day off between them is not allowed
    person = Staff("A", min_consecutive_off=2)
    solution = solved(RosterProblem(5, (DAY,), (person,), only([1, 3], 5)))
    assert solution.objective == 1
    assert days_of(solution) == [1, 2, 3]
    # without the rule, the day off between them stays
    free = solved(RosterProblem(5, (DAY,), (Staff("A"),), only([1, 3], 5)))
    assert days_of(free) == [1, 3]


def test_max_weekends() -> None:
    saturdays = RosterProblem(14, (DAY,), (Staff("A", max_weekends=1),), need([5, 12]))
    assert solved(saturdays).terms["cover"] == UNDER
    same_weekend = RosterProblem(14, (DAY,), (Staff("A", max_weekends=1),), need([5, 6]))
    assert solved(same_weekend).terms["cover"] == 0
    # starting on a Sunday: day 0 is the end of a weekend the horizon cuts, day 6 the next one
    cut = RosterProblem(7, (DAY,), (Staff("A", max_weekends=1),), need([0, 6]), first_weekday=6)
    assert solved(cut).terms["cover"] == UNDER


def test_requests_on_and_off() -> None:
    requests = (Request("A", 0, "D", True, 3), Request("A", 1, None, False, 5),
                Request("B", 1, "D", False, 2))
    problem = RosterProblem(2, (DAY,), (Staff("A"), Staff("B")),
                            need([0], requirement=0, over=1) + need([1], over=1), requests)
    solution = solved(problem)
    assert solution.assigned == {("A", 0, "D"), ("B", 1, "D")}
    assert solution.terms["requests"] == 2


def test_linked_cells_are_held_by_one_person() -> None:
    turn = tuple((d, "O") for d in range(3))
    shifts = (ShiftType("O", 60),)
    problem = RosterProblem(
        3, shifts, (Staff("A", days_off=frozenset({1})), Staff("B"), Staff("C")),
        need(range(3), "O"), linked=(turn,), cost={("B", 0, "O"): 1})
    solution = solved(problem)
    assert solution.assigned == {("C", d, "O") for d in range(3)}
    assert solution.terms["cover"] == 0


def test_conflicting_cells() -> None:
    shifts = (ShiftType("N", 480), ShiftType("S", 60))
    problem = RosterProblem(2, shifts, (Staff("A"), Staff("B")),
                            need([0], "N", over=1) + need([1], "S", over=1)
                            + need([1], "N", 0, 1) + need([0], "S", 0, 1),
                            conflicts=(((0, "N"), (1, "S")),), cost={("B", 0, "N"): 5})
    solution = solved(problem)
    assert solution.assigned == {("A", 0, "N"), ("B", 1, "S")}
    assert solution.terms["cost"] == 0


def test_load_spread_limit_and_weight() -> None:
    people = (Staff("A"), Staff("B"))
    load = {(p.id, d, "D"): 1 for p in people for d in range(4)}
    problem = RosterProblem(4, (DAY,), people, need(range(4), hard=True), load=load,
                            carried={"A": 2}, max_spread=0,
                            cost={("A", d, "D"): -1 for d in range(4)})
    # A would take every day for the gain, but the spread limit leaves A one and B three
    assert len(days_of(solved(problem), "A")) == 1
    weighted = RosterProblem(4, (DAY,), people, need(range(4), hard=True), load=load,
                             carried={"A": 2},
                             spread_weight=3, cost={("A", d, "D"): -1 for d in range(4)})
    solution = solved(weighted)
    assert len(days_of(solution, "A")) == 1
    assert solution.terms["spread"] == 0 and solution.terms["cost"] == -1


def test_changes_to_the_previous_roster() -> None:
    people = (Staff("A"), Staff("B"))
    previous = {(d, "D"): frozenset({"A"}) for d in range(2)}
    problem = RosterProblem(2, (DAY,), people, need(range(2)), previous=previous,
                            change_weight=5, cost={("A", 0, "D"): 4})
    assert solved(problem).assigned == {("A", 0, "D"), ("A", 1, "D")}
    away = RosterProblem(2, (DAY,), (Staff("A", days_off=frozenset({1})), people[1]),
                         need(range(2)), previous=previous, change_weight=5)
    solution = solved(away)
    assert solution.assigned == {("A", 0, "D"), ("B", 1, "D")}
    assert solution.terms["changes"] == 10  # A left day 1, B joined it


def test_shifts_per_window() -> None:
    shifts = (ShiftType("O", 60),)
    problem = RosterProblem(10, shifts, (Staff("A"),), need(range(10), "O"),
                            max_shifts_per_window=(("O", 7, 1),))
    solution = solved(problem)
    assert len(solution.assigned) == 2
    assert days_of(solution)[1] - days_of(solution)[0] >= 7


def test_hard_cover_maximum() -> None:
    people = (Staff("A"), Staff("B"))
    gains = {(p.id, 0, "D"): -5 for p in people}
    problem = RosterProblem(1, (DAY,), people, need([0], hard=True), cost=gains)
    assert len(solved(problem).assigned) == 1


def test_an_infeasible_problem_says_so() -> None:
    problem = RosterProblem(2, (DAY,), (Staff("A", min_minutes=2000),), ())
    solution = solve_roster(problem, time_limit=2)
    assert solution.status == "infeasible" and solution.assigned == frozenset()


def test_instance_1_is_solved_to_its_best_known_objective() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from rostering_instances import load

    problem = load(1)
    solution = solve_roster(problem, time_limit=10)
    assert (solution.objective, solution.bound, solution.status) == (607, 607, "optimal")
    assert check_roster(problem, solution.assigned) == []
    assert sum(roster_terms(problem, solution.assigned).values()) == 607


def test_the_checker_finds_broken_rules() -> None:
    person = Staff("A", max_consecutive=2, min_consecutive=2, min_consecutive_off=2,
                   max_weekends=0, days_off=frozenset({3}))
    problem = RosterProblem(7, (DAY,), (person,), ())
    wrong = check_roster(problem, frozenset({("A", d, "D") for d in (0, 1, 2, 3, 5)}))
    assert any("4 working days in a row from day 0" in w for w in wrong)
    assert any("a day off" in w for w in wrong)
    assert any("only 1 working days" in w for w in wrong)
    assert any("only 1 days off" in w for w in wrong)
    assert any("weekends" in w for w in wrong)


def test_neighbourhoods_reach_the_optimum_from_an_empty_roster() -> None:
    people = tuple(Staff(f"S{i}", max_consecutive=3, min_consecutive_off=2) for i in range(5))
    requests = tuple(Request(p.id, (3 * i) % 10, None, False, i + 1)
                     for i, p in enumerate(people))
    problem = RosterProblem(10, (DAY,), people, need(range(10), requirement=3), requests)
    optimum = solved(problem).objective
    empty = frozenset[tuple[str, int, str]]()
    start = sum(roster_terms(problem, empty).values())
    assert start > optimum
    lines: list[str] = []
    assigned, objective, _ = improve(problem, build_roster(problem), empty, start, bound=optimum,
                                  until=time.monotonic() + 20, workers=2, seed=0,
                                  progress=lines.append)
    assert objective == optimum == sum(roster_terms(problem, assigned).values())
    assert check_roster(problem, assigned) == []
    assert lines and lines[-1].endswith(f"objective {optimum}")


def test_progress_reports_the_rosters_found() -> None:
    people = (Staff("A"), Staff("B"))
    problem = RosterProblem(3, (DAY,), people, need(range(3)))
    lines: list[str] = []
    solution = solve_roster(problem, time_limit=5, progress=lines.append)
    assert solution.status == "optimal" and solution.terms["cover"] == 0
    assert lines and lines[0].startswith("whole: objective")
