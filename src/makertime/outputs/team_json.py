"""A rotation as a plain JSON-ready dictionary: times ISO 8601 with the team zone's offset,
minutes as integers, keys in the same order on every run (docs/team-outputs.md has the schema).
"""

from __future__ import annotations

import math
from typing import Any

from makertime.outputs.team_rows import by_time, gap, local, spread
from makertime.team.model import Assignment, Rotation, Team, Uncovered


def _hours(value: float) -> float:
    return round(value, 2)


def _number(value: float | None) -> float | None:
    """``value``, or None where JSON has no number for it (NaN, infinity)."""
    return value if value is not None and math.isfinite(value) else None


def assignment_json(assignment: Assignment, team: Team) -> dict[str, Any]:
    """One assignment: its slot, the member holding it, its focus cost and why."""
    slot, zone = assignment.slot, team.timezone
    return {"slot": slot.id, "duty": slot.duty, "kind": slot.kind.value, "seat": slot.seat,
            "event": slot.event, "start": local(slot.span.start, zone),
            "end": local(slot.span.end, zone), "member": assignment.member,
            "focus_cost_minutes": assignment.focus_cost, "reason": assignment.reason,
            "weighted_hours": _hours(slot.weighted_hours)}


def uncovered_json(hole: Uncovered, team: Team) -> dict[str, Any]:
    """One slot nobody could hold, with the rule that blocks each candidate."""
    slot, zone = hole.slot, team.timezone
    return {"slot": slot.id, "duty": slot.duty, "start": local(slot.span.start, zone),
            "end": local(slot.span.end, zone),
            "blocked": [{"member": who, "why": why} for who, why in hole.blocked]}


def rotation_json(rotation: Rotation, team: Team) -> dict[str, Any]:
    """The rotation as makertime's JSON: assignments, uncovered slots, members' loads, the
    fairness and its price, the team's focus, the changes and the solve."""
    names = {member.id: member.name for member in team.members}
    holes = sorted(rotation.uncovered, key=lambda u: (u.slot.span.start, u.slot.id))
    return {
        "team": rotation.team,
        "from": rotation.first.isoformat(),
        "to": rotation.last.isoformat(),
        "assignments": [assignment_json(a, team) for a in by_time(rotation.assignments)],
        "uncovered": [uncovered_json(hole, team) for hole in holes],
        "members": [{"id": load.member, "name": names.get(load.member, load.member),
                     "focus_before_minutes": load.focus_before,
                     "focus_after_minutes": load.focus_after, "hours": _hours(load.hours),
                     "weighted_hours": _hours(load.weighted_hours),
                     "carried": _hours(load.carried)}
                    for load in rotation.loads],
        "fairness": {"spread_weighted_hours": _hours(spread(rotation)),
                     "price_of_fairness_minutes": rotation.price_of_fairness},
        "team_focus_minutes": rotation.team_focus,
        "focus_only_minutes": rotation.focus_only,
        "changes": list(rotation.changes),
        "solver": {"status": rotation.status, "objective": rotation.objective,
                   "bound": rotation.bound, "gap": _number(gap(rotation)),
                   "seconds": round(rotation.seconds, 3)},
    }
