"""An independent checker of rosters: every hard rule of a ``RosterProblem`` and every term of
its objective, recomputed from the problem and the assigned cells alone.

It shares no code with the rostering core (no model, no helper of it): runs, weekends and
terms are worked out here by plain loops over a day-by-day table of each person's shifts, so
that a bug in the core cannot hide behind a helper both use. ``check_roster`` lists the
violations (empty: the roster holds every hard rule); ``roster_terms`` gives each soft term.
"""

from __future__ import annotations

from makertime.team.roster_problem import RosterProblem, Staff

Cell = tuple[str, int, str]


def table(problem: RosterProblem, assigned: frozenset[Cell]) -> dict[str, list[list[str]]]:
    """Per staff id, per day, the shift ids assigned (more than one is a violation)."""
    rows: dict[str, list[list[str]]] = {p.id: [[] for _ in range(problem.days)]
                                        for p in problem.staff}
    for person, day, shift in sorted(assigned):
        if person in rows and 0 <= day < problem.days:
            rows[person][day].append(shift)
    return rows


def runs(worked: list[bool], value: bool) -> list[tuple[int, int]]:
    """The (first day, length) of each maximal run of days whose worked flag is ``value``."""
    found: list[tuple[int, int]] = []
    day = 0
    while day < len(worked):
        if worked[day] == value:
            start = day
            while day < len(worked) and worked[day] == value:
                day += 1
            found.append((start, day - start))
        else:
            day += 1
    return found


def _person(problem: RosterProblem, person: Staff, days: list[list[str]]) -> list[str]:
    wrong: list[str] = []
    minutes = {t.id: t.minutes for t in problem.shifts}
    banned = {t.id: t.not_followed_by for t in problem.shifts}
    worked = [bool(shifts) for shifts in days]
    for day, shifts in enumerate(days):
        if len(shifts) > 1:
            wrong.append(f"{person.id}: {len(shifts)} shifts on day {day}")
        if shifts and day in person.days_off:
            wrong.append(f"{person.id}: works day {day}, a day off")
        if day + 1 < len(days):
            for shift in shifts:
                for after in days[day + 1]:
                    if after in banned.get(shift, frozenset()):
                        wrong.append(f"{person.id}: {after} on day {day + 1} follows {shift}")
    for shift, most in person.max_shifts.items():
        count = sum(shifts.count(shift) for shifts in days)
        if count > most:
            wrong.append(f"{person.id}: {count} shifts {shift}, more than {most}")
    total = sum(minutes.get(s, 0) for shifts in days for s in shifts)
    if total < person.min_minutes:
        wrong.append(f"{person.id}: {total} minutes, fewer than {person.min_minutes}")
    if person.max_minutes is not None and total > person.max_minutes:
        wrong.append(f"{person.id}: {total} minutes, more than {person.max_minutes}")
    last = len(days)
    for start, length in runs(worked, True):
        if person.max_consecutive is not None and length > person.max_consecutive:
            wrong.append(f"{person.id}: {length} working days in a row from day {start}")
        inside = start > 0 and start + length < last
        if inside and person.min_consecutive is not None and length < person.min_consecutive:
            wrong.append(f"{person.id}: only {length} working days in a row from day {start}")
    for start, length in runs(worked, False):
        inside = start > 0 and start + length < last
        low = person.min_consecutive_off
        if inside and low is not None and length < low:
            wrong.append(f"{person.id}: only {length} days off in a row from day {start}")
    if person.max_weekends is not None:
        weekends = set()
        for day in range(last):
            weekday = (problem.first_weekday + day) % 7
            if worked[day] and weekday in (5, 6):
                weekends.add((problem.first_weekday + day) // 7)
        if len(weekends) > person.max_weekends:
            wrong.append(f"{person.id}: {len(weekends)} weekends, more than "
                         f"{person.max_weekends}")
    return wrong


def _team(problem: RosterProblem, assigned: frozenset[Cell],
          rows: dict[str, list[list[str]]]) -> list[str]:
    wrong: list[str] = []
    for group in problem.linked:
        for person in rows:
            held = [(person, day, shift) in assigned for day, shift in group]
            if any(held) and not all(held):
                wrong.append(f"{person}: holds part of the linked group {group}")
    for first, second in problem.conflicts:
        for person in rows:
            if (person, *first) in assigned and (person, *second) in assigned:
                wrong.append(f"{person}: holds both {first} and {second}")
    for shift, window, most in problem.max_shifts_per_window:
        for person, days in rows.items():
            for start in range(problem.days):
                count = sum(days[d].count(shift)
                            for d in range(start, min(problem.days, start + window)))
                if count > most:
                    wrong.append(f"{person}: {count} {shift} in {window} days from day {start}")
    for need in problem.cover:
        count = sum(need.shift in rows[p][need.day] for p in rows)
        if need.hard_max and count > need.requirement:
            wrong.append(f"day {need.day} {need.shift}: {count} staff, hard maximum "
                         f"{need.requirement}")
    if problem.max_spread is not None and rows:
        loads = _loads(problem, assigned)
        if max(loads.values()) - min(loads.values()) > problem.max_spread:
            wrong.append(f"load spread {max(loads.values()) - min(loads.values())} > "
                         f"{problem.max_spread}")
    return wrong


def check_roster(problem: RosterProblem, assigned: frozenset[Cell]) -> list[str]:
    """Every hard rule the roster breaks, one line each (empty: it holds them all)."""
    shifts = {t.id for t in problem.shifts}
    people = {p.id for p in problem.staff}
    wrong = [f"unknown cell {cell}" for cell in sorted(assigned)
             if cell[0] not in people or cell[2] not in shifts
             or not 0 <= cell[1] < problem.days]
    if problem.allowed is not None:
        wrong += [f"{cell} is not allowed" for cell in sorted(assigned - problem.allowed)]
    rows = table(problem, assigned)
    for person in problem.staff:
        wrong += _person(problem, person, rows[person.id])
    return wrong + _team(problem, assigned, rows)


def _loads(problem: RosterProblem, assigned: frozenset[Cell]) -> dict[str, int]:
    loads = {}
    for person in problem.staff:
        total = problem.carried.get(person.id, 0)
        for day in range(problem.days):
            for shift in problem.shifts:
                if (person.id, day, shift.id) in assigned:
                    total += problem.load.get((person.id, day, shift.id), 0)
        loads[person.id] = total
    return loads


def roster_terms(problem: RosterProblem, assigned: frozenset[Cell]) -> dict[str, int]:
    """Each soft term of the roster: cover, requests, cost, spread, changes."""
    rows = table(problem, assigned)
    cover = 0
    for need in problem.cover:
        count = sum(need.shift in rows[p][need.day] for p in rows)
        if count < need.requirement:
            cover += (need.requirement - count) * need.under_weight
        else:
            cover += (count - need.requirement) * need.over_weight
    requests = 0
    for wish in problem.requests:
        shifts = rows[wish.staff][wish.day]
        holds = bool(shifts) if wish.shift is None else wish.shift in shifts
        if holds != wish.on:
            requests += wish.weight
    cost = sum(problem.cost.get(cell, 0) for cell in assigned)
    spread = 0
    if problem.staff:
        loads = _loads(problem, assigned)
        spread = (max(loads.values()) - min(loads.values())) * problem.spread_weight
    changes = 0
    for (day, shift), before in problem.previous.items():
        now = {p for p in rows if shift in rows[p][day]}
        changes += len(before - now) + len(now - before)
    return {"cover": cover, "requests": requests, "cost": cost, "spread": spread,
            "changes": changes * problem.change_weight}
