"""A team rotation as one self-contained HTML page: the grid of dates and duties, each member's
maker time before and after, the fairness of the load (the carried part apart), the price of
that fairness, what nobody could hold and why each member holds what they hold.

The bars are plain HTML boxes sized in percent: the page fetches nothing, escapes every text
(Jinja2's autoescape: a name such as ``<script>`` is shown, never run), and is the same bytes for
the same rotation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from makertime.files import write_atomically
from makertime.outputs.own import GENERATOR
from makertime.outputs.team_rows import (
    LoadRow,
    cell_text,
    grid_rows,
    hole_rows,
    load_rows,
    price_line,
    solver_line,
    spread_line,
    why_rows,
)
from makertime.team.model import Rotation, Team
from makertime.text import clean


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of the grid as the page shows it."""

    text: str
    empty: bool
    uncovered: bool


@dataclass(frozen=True, slots=True)
class Bars:
    """One member's bars, widths in percent of the widest: focus before and after, the weighted
    load of this rotation and the part carried over from earlier ones."""

    row: LoadRow
    before: str
    after: str
    weighted: str
    carried: str


def _percent(value: float, most: float) -> str:
    return f"{100 * max(value, 0) / most:.1f}" if most > 0 else "0.0"


def member_bars(rotation: Rotation, team: Team) -> list[Bars]:
    """Each member's bars, on one scale for focus and one for load."""
    rows = load_rows(rotation, team)
    focus = max((max(load.focus_before, load.focus_after) for load in rotation.loads), default=0)
    heaviest = max((row.total for row in rows), default=0.0)
    return [Bars(row, _percent(load.focus_before, focus), _percent(load.focus_after, focus),
                 _percent(load.weighted_hours, heaviest), _percent(load.carried, heaviest))
            for row, load in zip(rows, rotation.loads, strict=True)]


def grid_cells(rotation: Rotation, team: Team) -> list[tuple[str, bool, list[Cell]]]:
    """The grid: each date (as shown), whether it is a weekend, and a cell per duty."""
    return [(row.day.strftime("%a %d %b"), row.weekend,
             [Cell(cell_text(entries, duty.kind), not entries,
                   any(entry.uncovered for entry in entries))
              for duty, entries in zip(team.duties, row.cells, strict=True)])
            for row in grid_rows(rotation, team)]


def render_team_html(rotation: Rotation, team: Team) -> str:
    """The rotation as one self-contained HTML page."""
    return _template().render(
        generator=GENERATOR, team=clean(team.name), rotation=rotation, zone=str(team.timezone),
        duties=[(clean(duty.id), duty.kind.value) for duty in team.duties],
        grid=grid_cells(rotation, team), bars=member_bars(rotation, team),
        spread=spread_line(rotation), price=price_line(rotation),
        holes=hole_rows(rotation, team), why=why_rows(rotation, team),
        changes=[clean(change) for change in rotation.changes], solver=solver_line(rotation),
        read_warnings=[],
    )


def write_team_html(rotation: Rotation, team: Team, path: Path) -> None:
    """Write the rotation as one self-contained HTML page to ``path``, whole or not at all."""
    write_atomically(path, render_team_html(rotation, team).encode("utf-8"))


@cache
def _template() -> Template:
    env = Environment(loader=PackageLoader("makertime.outputs", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("team.html")
