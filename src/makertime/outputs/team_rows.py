"""A rotation as rows every rendering shares: the grid of dates and duties, each member's load,
what nobody could hold, why each member holds what they hold, the fairness and the solve.

Every text that came from a calendar or from team.toml (a member's name, an event's title, a
reason that quotes them) is cleaned here, once, so that no rendering shows a control character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from makertime.model import format_minutes
from makertime.team.duties import duty_title
from makertime.team.model import Assignment, DutyKind, Rotation, Slot, Team
from makertime.text import clean

SEAT_ORDER = {"primary": 0, "secondary": 1}


def team_slug(team: Team) -> str:
    """The team's name as a lower-case key of letters, digits and dashes (``team`` when none)."""
    slug = re.sub(r"[^a-z0-9]+", "-", team.name.lower()).strip("-")
    return slug or "team"


def member_name(team: Team, member_id: str) -> str:
    """The member's name as team.toml gives it, cleaned; the id for a member it does not know."""
    try:
        return clean(team.member(member_id).name)
    except KeyError:
        return clean(member_id)


def local(moment: datetime, zone: tzinfo) -> str:
    """``moment`` in ``zone`` as ISO 8601 with its offset."""
    return moment.astimezone(zone).isoformat()


def by_time(assignments: tuple[Assignment, ...]) -> list[Assignment]:
    """``assignments`` in time order, then by slot id: the same order on every run."""
    return sorted(assignments, key=lambda a: (a.slot.span.start, a.slot.id))


def slot_when(slot: Slot, zone: tzinfo) -> str:
    """When ``slot`` runs, in ``zone``: "Mon 07 Dec 09:00–17:00", or across dates."""
    start, end = slot.span.start.astimezone(zone), slot.span.end.astimezone(zone)
    if start.date() == end.date():
        return f"{start:%a %d %b %H:%M}–{end:%H:%M}"
    return f"{start:%a %d %b %H:%M} – {end:%a %d %b %H:%M}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One holder (or hole) in a cell of the grid: its text, whether nobody holds it, and
    whether it is an on-call turn's second holder."""

    text: str
    uncovered: bool = False
    secondary: bool = False


@dataclass(frozen=True, slots=True)
class GridRow:
    """One date of the rotation: whether it is a weekend, and one cell per duty."""

    day: date
    weekend: bool
    cells: tuple[tuple[Entry, ...], ...]


def _entry(slot: Slot, holder: str | None, team: Team) -> Entry:
    name = "uncovered" if holder is None else member_name(team, holder)
    if slot.kind is DutyKind.CREW and slot.seat:
        return Entry(f"{clean(slot.seat)}: {name}", holder is None)
    if slot.kind is DutyKind.ON_CALL and slot.seat == "secondary":
        return Entry(f"2nd: {name}", holder is None, secondary=True)
    return Entry(name, holder is None)


def grid_rows(rotation: Rotation, team: Team) -> list[GridRow]:
    """A row per date of the period, a cell per duty of the team: who holds it that date (an
    on-call turn shows its holder on every date it touches)."""
    held: list[tuple[Slot, str | None]] = [(a.slot, a.member) for a in rotation.assignments]
    held += [(u.slot, None) for u in rotation.uncovered]
    held.sort(key=lambda pair: (pair[0].span.start, SEAT_ORDER.get(pair[0].seat, 2),
                                pair[0].id))
    rows = []
    day = rotation.first
    while day <= rotation.last:
        cells = []
        for duty in team.duties:
            entries: list[Entry] = []
            for slot, holder in held:
                if slot.duty == duty.id and day in slot.dates:
                    entry = _entry(slot, holder, team)
                    if entry not in entries:  # a seat listed once though two slots touch
                        entries.append(entry)
            cells.append(tuple(entries))
        rows.append(GridRow(day, day.weekday() >= 5, tuple(cells)))
        day += timedelta(days=1)
    return rows


def cell_text(entries: tuple[Entry, ...], kind: DutyKind) -> str:
    """A cell as one line: crew seats "audio: Ana, video: Ben"; on call handed over "Ana → Ben",
    then the second holders ("Ana → Ben, 2nd: Cid")."""
    if not entries:
        return "—"
    if kind is not DutyKind.ON_CALL:
        return ", ".join(entry.text for entry in entries)
    turns = " → ".join(entry.text for entry in entries if not entry.secondary)
    return ", ".join([turns] * bool(turns) + [e.text for e in entries if e.secondary])


@dataclass(frozen=True, slots=True)
class LoadRow:
    """One member's line of the load table, as text."""

    member: str
    name: str
    focus_before: str
    focus_after: str
    focus_change: str
    hours: str
    weighted: str
    carried: str
    total: float  # weighted + carried: what fairness compares


def load_rows(rotation: Rotation, team: Team) -> list[LoadRow]:
    """Each member's focus before and after, duty hours, weighted hours and carried hours."""
    rows = []
    for load in rotation.loads:
        change = load.focus_after - load.focus_before
        sign = "−" if change < 0 else "+"
        rows.append(LoadRow(
            load.member, member_name(team, load.member), format_minutes(load.focus_before),
            format_minutes(load.focus_after), f"{sign}{format_minutes(abs(change))}",
            f"{load.hours:.1f}", f"{load.weighted_hours:.1f}",
            f"+{load.carried:.1f}" if load.carried else "",
            load.weighted_hours + load.carried))
    return rows


def spread(rotation: Rotation) -> float:
    """The fairness spread: weighted hours (carried included), most loaded − least loaded."""
    totals = [load.weighted_hours + load.carried for load in rotation.loads]
    return max(totals) - min(totals) if totals else 0.0


def spread_line(rotation: Rotation) -> str:
    """The spread in words."""
    return (f"fairness spread: {spread(rotation):.1f} weighted hours between the most and the "
            "least loaded member (carried hours included)")


def price_line(rotation: Rotation) -> str:
    """What fairness costs the team's focus, or that it is not proven."""
    price = rotation.price_of_fairness
    if price is None:
        return ("price of fairness: not proven (the focus-only optimum was not solved to a "
                "proof)")
    if price == 0:
        return "fairness costs the team no focus against the focus-only optimum"
    return (f"fairness costs the team {format_minutes(price)} of focus against the focus-only "
            "optimum")


def gap(rotation: Rotation) -> float | None:
    """The relative gap between objective and bound (0 when they meet), None without a bound."""
    if rotation.bound is None:
        return None
    if rotation.objective == rotation.bound:
        return 0.0
    return abs(rotation.objective - rotation.bound) / max(1, abs(rotation.objective))


def solver_line(rotation: Rotation) -> str:
    """Status, objective, bound, gap and time of the solve; the status as the solver gave it,
    so the rotation is called optimal only when it was proven so."""
    found = gap(rotation)
    proof = ([f"bound {rotation.bound}", f"gap {found:.2%}"] if found is not None
             else ["no bound"])
    return " · ".join([f"solver {rotation.status}", f"objective {rotation.objective}", *proof,
                       f"{rotation.seconds:.1f} s"])


@dataclass(frozen=True, slots=True)
class HoleRow:
    """A slot nobody could hold: when, what, and the rule that blocks each member."""

    when: str
    title: str
    blocked: tuple[tuple[str, str], ...]  # (name, why)


def hole_rows(rotation: Rotation, team: Team) -> list[HoleRow]:
    """Every uncovered slot in time order, with each candidate's blocking rule."""
    holes = sorted(rotation.uncovered, key=lambda u: (u.slot.span.start, u.slot.id))
    return [HoleRow(slot_when(u.slot, team.timezone), duty_title(u.slot),
                    tuple((member_name(team, who), clean(why)) for who, why in u.blocked))
            for u in holes]


@dataclass(frozen=True, slots=True)
class WhyRow:
    """Why one member holds one slot."""

    when: str
    title: str
    member: str
    reason: str
    focus_cost: str


def why_rows(rotation: Rotation, team: Team) -> list[WhyRow]:
    """Every assignment in time order with its reason and what it costs the team's focus."""
    return [WhyRow(slot_when(a.slot, team.timezone), duty_title(a.slot),
                   member_name(team, a.member), clean(a.reason), format_minutes(a.focus_cost))
            for a in by_time(rotation.assignments)]
