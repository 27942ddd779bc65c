"""``team check`` and ``team history`` on the terminal (and the history as JSON)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table

from makertime.text import clean

if TYPE_CHECKING:
    from rich.console import Console

    from makertime.team.model import TeamCheck, TeamHistory


def render_team_check(check: TeamCheck, console: Console) -> None:
    """The calendars read, the slots by duty, what no member can hold and the capacity."""
    team = check.team
    console.rule(f"{clean(team.name, chars=80)}: {check.first} to {check.last}")
    calendars = Table("whose", "calendar", "read", title="Calendars")
    for column in calendars.columns[1:]:
        column.overflow = "fold"  # a path or a problem is shown whole, never cut
    for item in check.calendars:
        calendars.add_row(clean(item.owner, chars=60), clean(item.cal, chars=120),
                          "✔" if not item.problem else f"✘ {clean(item.problem, chars=300)}")
    console.print(calendars)
    if any(c.problem for c in check.calendars):
        console.print("✘ a calendar cannot be read: fix it, then check again", style="red")
        return
    console.print("slots: " + ", ".join(f"{duty} {count}" for duty, count in check.slots))
    for line in check.capacity:
        console.print(line, markup=False, highlight=False)
    if not check.problems:
        console.print("✔ every slot has at least one member who may hold it")
    for line in check.problems:
        console.print(f"✘ {line}", markup=False, highlight=False, style="red")


def render_history(history: TeamHistory, console: Console) -> None:
    """Each member's load by week, and each week's spread."""
    console.rule(f"{clean(history.team, chars=80)}: duty load by week")
    if not history.weeks:
        console.print("no rotation kept yet: makertime team plan TEAM.toml")
        return
    members = sorted({w.member for w in history.weeks})
    weeks = sorted({w.week for w in history.weeks})
    table = Table("week", *members, "spread", title="duty hours (weighted hours)")
    table.columns[0].no_wrap = True
    for week in weeks:
        cells = []
        for member in members:
            found = [w for w in history.weeks if w.week == week and w.member == member]
            cells.append(f"{found[0].hours:g} ({found[0].weighted_hours:g})" if found else "–")
        table.add_row(week, *cells, f"{history.spread(week):g}")
    console.print(table)
    totals = {m: sum(w.weighted_hours for w in history.weeks if w.member == m) for m in members}
    console.print("weighted hours in all: " + ", ".join(f"{m} {v:g}" for m, v in totals.items())
                  + f"; spread {max(totals.values()) - min(totals.values()):g}",
                  markup=False, highlight=False)
    console.print(f"{len(history.rotations)} rotations kept, newest: "
                  + "; ".join(f"#{r.id} {r.first}–{r.last} ({clean(r.note, chars=60)})"
                              for r in history.rotations[:5]), markup=False, highlight=False)


def history_json(history: TeamHistory) -> dict[str, Any]:
    """The history as JSON: per member and week, hours and weighted hours."""
    weeks = sorted({w.week for w in history.weeks})
    return {"team": history.team,
            "weeks": [{"week": week, "spread_weighted_hours": history.spread(week),
                       "members": [{"member": w.member, "hours": w.hours,
                                    "weighted_hours": w.weighted_hours}
                                   for w in history.weeks if w.week == week]}
                      for week in weeks],
            "rotations": [{"id": r.id, "from": r.first.isoformat(), "to": r.last.isoformat(),
                           "note": r.note, "status": r.status, "team_focus_minutes": r.team_focus,
                           "price_of_fairness_minutes": r.price_of_fairness}
                          for r in history.rotations]}
