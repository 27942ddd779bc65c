"""The independent checker agrees with the rostering core on random small problems: every
roster it returns holds the hard rules, and each term it reports is the checker's."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from makertime.team.roster import solve_roster
from makertime.team.roster_problem import Cover, Request, RosterProblem, ShiftType, Staff
from tests.support.roster_checker import check_roster, roster_terms

SHIFTS = (ShiftType("E", 480), ShiftType("L", 480, frozenset({"E"})),
          ShiftType("N", 600, frozenset({"E", "L"})))
SMALL = st.none() | st.integers(1, 3)


@st.composite
def problems(draw: st.DrawFn) -> RosterProblem:
    """A random problem of 2–4 staff, 3–9 days and 1–3 shift types, with every kind of term."""
    days = draw(st.integers(3, 9))
    shifts = SHIFTS[:draw(st.integers(1, 3))]
    ids = [t.id for t in shifts]
    staff = tuple(
        Staff(f"S{i}", max_shifts={ids[0]: draw(st.integers(1, days))},
              max_minutes=draw(st.none() | st.integers(1500, 4000)),
              max_consecutive=draw(SMALL), min_consecutive=draw(SMALL),
              min_consecutive_off=draw(SMALL), max_weekends=draw(st.none() | st.integers(0, 1)),
              days_off=frozenset(draw(st.lists(st.integers(0, days - 1), max_size=2))))
        for i in range(draw(st.integers(2, 4))))
    cell = st.tuples(st.sampled_from([p.id for p in staff]), st.integers(0, days - 1),
                     st.sampled_from(ids))
    slot = st.tuples(st.integers(0, days - 1), st.sampled_from(ids))
    cover = tuple(Cover(d, t, draw(st.integers(0, 2)), draw(st.integers(1, 100)),
                        draw(st.integers(0, 3)), draw(st.booleans()))
                  for d in range(days) for t in ids)
    requests = tuple(Request(s, d, draw(st.sampled_from([t, None])), draw(st.booleans()),
                             draw(st.integers(1, 5)))
                     for s, d, t in draw(st.lists(cell, max_size=5)))
    linked = draw(st.lists(st.lists(slot, min_size=2, max_size=3, unique=True), max_size=1))
    return RosterProblem(
        days, shifts, staff, cover, requests, first_weekday=draw(st.integers(0, 6)),
        cost=draw(st.dictionaries(cell, st.integers(-5, 5), max_size=4)),
        linked=tuple(tuple(group) for group in linked),
        conflicts=tuple(draw(st.lists(st.tuples(slot, slot), max_size=2))),
        load=draw(st.dictionaries(cell, st.integers(0, 3), max_size=6)),
        carried=draw(st.dictionaries(st.sampled_from([p.id for p in staff]),
                                     st.integers(0, 3))),
        spread_weight=draw(st.integers(0, 4)), max_spread=draw(st.none() | st.integers(2, 6)),
        previous=draw(st.dictionaries(slot, st.frozensets(st.sampled_from(
            [p.id for p in staff] + ["gone"]), max_size=2), max_size=3)),
        change_weight=draw(st.integers(0, 3)),
        max_shifts_per_window=tuple(draw(st.lists(
            st.tuples(st.sampled_from(ids), st.integers(2, 4), st.integers(1, 2)), max_size=1))))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_checker_agrees_with_the_solver(problem: RosterProblem) -> None:
    solution = solve_roster(problem, time_limit=2)
    assert solution.status in ("optimal", "feasible", "infeasible")
    if solution.status == "infeasible":
        return
    assert check_roster(problem, solution.assigned) == []
    assert roster_terms(problem, solution.assigned) == solution.terms
    assert solution.objective == sum(solution.terms.values())
    assert solution.bound is not None and solution.bound <= solution.objective
