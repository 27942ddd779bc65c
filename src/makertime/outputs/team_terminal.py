"""A team rotation in a terminal: the grid of dates and duties, each member's focus and load, the
fairness and its price, what nobody could hold and why, the solve, the changes, and why each
member holds what they hold.

Every text is handed to Rich as plain ``Text``, never as markup: a name such as ``[bold]`` stays
what it is.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from makertime.outputs.team_rows import (
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


def _table(title: str, *, style: str = "bold") -> Table:
    return Table(title=title, title_style=style, box=box.SIMPLE_HEAD, padding=(0, 0, 0, 1),
                 pad_edge=False)


def grid_table(rotation: Rotation, team: Team) -> Table:
    """A row per date, a column per duty: who holds it; weekends and holes marked."""
    table = _table("Who holds what")
    table.add_column("date", no_wrap=True)
    for duty in team.duties:
        table.add_column(f"{clean(duty.id)} ({duty.kind.value})", overflow="fold")
    for row in grid_rows(rotation, team):
        day = Text(row.day.strftime("%a %d %b"), style="bold" if row.weekend else "")
        if row.weekend:
            day.append(" weekend", style="dim")
        cells = []
        for duty, entries in zip(team.duties, row.cells, strict=True):
            text = Text(cell_text(entries, duty.kind),
                        style="dim" if not entries else "")
            if any(entry.uncovered for entry in entries):
                text.stylize("bold red")
            cells.append(text)
        table.add_row(day, *cells)
    return table


def load_table(rotation: Rotation, team: Team) -> Table:
    """Each member: focus before → after, duty hours, weighted hours and those carried over."""
    table = _table("Each member's focus and load")
    for header in ("member", "focus before", "after", "change", "duty hours", "weighted",
                   "carried"):
        table.add_column(header, justify="left" if header == "member" else "right",
                         no_wrap=True)
    for row in load_rows(rotation, team):
        table.add_row(Text(row.name), row.focus_before, row.focus_after, row.focus_change,
                      row.hours, row.weighted, row.carried)
    return table


def holes_part(rotation: Rotation, team: Team) -> Text | Group:
    """The slots nobody could hold, each with the rule blocking every candidate."""
    rows = hole_rows(rotation, team)
    if not rows:
        return Text("✓ Every slot is held.", style="green")
    lines: list[Text | Padding] = [Text("Uncovered: nobody could hold", style="bold red")]
    for row in rows:
        lines.append(Text.assemble((f"{row.when}  ", ""), (row.title, "bold")))
        for name, why in row.blocked:
            lines.append(Padding(Text.assemble((name, "bold"), ": ", why), (0, 0, 0, 2)))
    return Group(*lines)


def why_part(rotation: Rotation, team: Team) -> Group:
    """Every assignment with its reason, on a line of its own (readable at 80 columns)."""
    lines: list[Text | Padding] = [Text("Why each member holds what they hold", style="bold")]
    for row in why_rows(rotation, team):
        lines.append(Text.assemble(f"{row.when}  ", (row.title, "bold"), " — ",
                                   (row.member, "bold"), (f"  (costs {row.focus_cost} of "
                                                          "focus)", "dim")))
        lines.append(Padding(Text(row.reason, style="dim"), (0, 0, 0, 2)))
    return Group(*lines)


def changes_part(rotation: Rotation) -> Group | None:
    """What changed against the previous rotation, each with its reason (None when nothing)."""
    if not rotation.changes:
        return None
    lines = [Text("Changes against the previous rotation", style="bold")]
    lines += [Text(f"  • {clean(change)}") for change in rotation.changes]
    return Group(*lines)


def render_rotation(rotation: Rotation, team: Team, console: Console) -> None:
    """Print the whole rotation: grid, loads, fairness and its price, holes, solve, changes, why."""
    held, holes = len(rotation.assignments), len(rotation.uncovered)
    console.print(Text(f"Rotation of {clean(team.name)} {rotation.first} – {rotation.last} "
                       f"({team.timezone}): {held} slot{'' if held == 1 else 's'} held, "
                       f"{holes} uncovered", style="bold"))
    console.print(grid_table(rotation, team))
    console.print(load_table(rotation, team))
    console.print(Text(spread_line(rotation)))
    console.print(Text(price_line(rotation)))
    console.print(holes_part(rotation, team))
    console.print(Text(solver_line(rotation), style="dim"))
    changes = changes_part(rotation)
    if changes is not None:
        console.print(changes)
    console.print(why_part(rotation, team))
