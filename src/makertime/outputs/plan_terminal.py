"""The plan in a terminal: the week with its blocks, the block list, before and after, what is left.

The week is drawn as in the audit (a strip of 15-minute cells per work day), now with the planned
blocks in it; periods longer than five weeks get one row per ISO week instead of a strip per day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from itertools import groupby

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from makertime.audit import DayMetrics, weeks_of
from makertime.model import Interval, format_minutes
from makertime.outputs.plan_rows import (
    KIND_NAMES,
    block_rows,
    ledger_rows,
    placed_line,
    solver_line,
    total_rows,
    unscheduled_rows,
)
from makertime.outputs.terminal import (
    AWAY,
    BUSY,
    CELL,
    FOCUS,
    FRAGMENT,
    LONG_PERIOD_DAYS,
    PARTIAL,
    day_off_row,
    read_warnings_text,
    ruler,
)
from makertime.plan.result import Block, BlockKind, PlanResult

Glyph = tuple[str, str]
GLYPHS: dict[BlockKind, Glyph] = {
    BlockKind.DEEP: ("▓", "blue"), BlockKind.SHALLOW: ("▒", "cyan"),
    BlockKind.SYNC_WINDOW: ("≡", "magenta"),
    BlockKind.REST: ("~", "dim"), BlockKind.RECOVERY: ("~", "dim"),
}
WORK_ORDER = (BlockKind.DEEP, BlockKind.SHALLOW, BlockKind.SYNC_WINDOW)
UNKNOWN: Glyph = ("·", "dim")


def _cell_glyph(cell: Interval, before: DayMetrics, after: DayMetrics,
                blocks: Sequence[Block], min_block: int) -> Glyph:
    """What a cell shows, most telling first: planned work, a commitment, a marker, free time."""
    touching = [b for b in blocks if b.span.clip(cell)]
    for kind in WORK_ORDER:
        # a shallow block or sync window may sit inside a partial-attention commitment: the
        # plan says what to do there, so it is drawn over the commitment
        if any(b.kind is kind for b in touching):
            return GLYPHS[kind]
    if any(span.clip(cell) for span in before.busy):
        return BUSY
    if any(span.clip(cell) for span in before.away):
        return AWAY
    if any(span.clip(cell) for span in before.partial) and not touching:
        return PARTIAL
    if touching:  # rest or recovery: kept free of deep work
        return GLYPHS[touching[0].kind]
    gap = next((g for g in after.gaps if g.clip(cell)), None)
    if gap is None:
        return UNKNOWN
    return FOCUS if gap.minutes >= min_block else FRAGMENT


def plan_strip(before: DayMetrics, after: DayMetrics, blocks: Sequence[Block],
               min_block: int) -> Text:
    """The work window of a day as 15-minute cells: blocks, commitments, markers, free time."""
    text = Text()
    window = after.window or before.window
    if window is None:
        return text
    todays = [b for b in blocks if b.span.clip(window)]
    glyphs: list[Glyph] = []
    cursor = window.start
    while cursor < window.end:
        cell = Interval(cursor, min(cursor + CELL, window.end))
        glyphs.append(_cell_glyph(cell, before, after, todays, min_block))
        cursor += CELL
    for (glyph, style), run in groupby(glyphs):
        text.append(glyph * len(list(run)), style=style)
    return text


def _day_note(day: DayMetrics, blocks: Sequence[Block]) -> str:
    """Planned deep and shallow minutes of the day, else its longest free stretch."""
    assert day.window is not None
    parts = []
    for kind in (BlockKind.DEEP, BlockKind.SHALLOW):
        found = sum(part.minutes for b in blocks if b.kind is kind
                    and (part := b.span.clip(day.window)) is not None)
        if found:
            parts.append(f"{format_minutes(found)} {KIND_NAMES[kind]}")
    longest = format_minutes(day.longest_free_minutes)
    return " · ".join(parts) if parts else f"longest free {longest}"


def legend(min_block: int) -> Text:
    """What each glyph of the strips means."""
    marker = GLYPHS[BlockKind.REST]
    return Text.assemble(
        BUSY, " commitment  ", PARTIAL, " partial  ", GLYPHS[BlockKind.DEEP], " deep  ",
        GLYPHS[BlockKind.SHALLOW],
        " shallow  ", GLYPHS[BlockKind.SYNC_WINDOW], " sync window  ", marker,
        " rest/recovery (no deep work)  ", FOCUS, f" free ≥ {format_minutes(min_block)}  ",
        FRAGMENT, " free fragment")


def plan_picture(result: PlanResult, zone: tzinfo, min_block: int) -> Panel:
    """Each work day of the plan as a strip of its work window, with a legend."""
    grid = Table.grid(padding=(0, 1))
    grid.add_row(Text(""), ruler(result.after, zone), Text(""))
    for before, after in zip(result.before.days, result.after.days, strict=True):
        if after.window is None:
            continue
        if after.day_off:
            grid.add_row(*day_off_row(after))
            continue
        grid.add_row(Text(after.date.strftime("%a %d %b")),
                     plan_strip(before, after, result.blocks, min_block),
                     Text(_day_note(after, result.blocks), style="dim"))
    return Panel(Group(grid, legend(min_block)), title="The week with the plan", expand=False)


def _planned(blocks: Sequence[Block], kind: BlockKind) -> str:
    return format_minutes(sum(b.minutes for b in blocks if b.kind is kind))


def week_table(result: PlanResult, zone: tzinfo) -> Table:
    """One row per ISO week: what is planned there and the focus time before and after."""
    table = Table(title=f"{result.period.first} – {result.period.last} ({result.timezone}), "
                  "by ISO week", box=box.SIMPLE_HEAD, padding=(0, 0, 0, 1), pad_edge=False)
    for header in ("week of", "deep", "shallow", "sync windows", "focus before", "focus after",
                   "maker days before", "after"):
        table.add_column(header, justify="left" if header == "week of" else "right")
    after_weeks = weeks_of(result.after.days)
    for name, days in weeks_of(result.before.days).items():
        dates = {day.date for day in days}
        inside = [b for b in result.blocks if b.span.start.astimezone(zone).date() in dates]
        later = after_weeks.get(name, [])
        syncs = sum(b.kind is BlockKind.SYNC_WINDOW for b in inside)
        table.add_row(f"{days[0].date:%d %b %Y}", _planned(inside, BlockKind.DEEP),
                      _planned(inside, BlockKind.SHALLOW), str(syncs),
                      format_minutes(sum(d.focus_minutes for d in days)),
                      format_minutes(sum(d.focus_minutes for d in later)),
                      str(sum(d.maker_day for d in days)), str(sum(d.maker_day for d in later)))
    return table


def block_table(result: PlanResult, zone: tzinfo) -> Group:
    """Every work block in time order: day, time, length, kind and task, then why it is there.

    Each reason gets a line of its own, so it stays readable in an 80-column terminal; rest and
    recovery are drawn in the week (``~``) and written to the ICS, not repeated here."""
    lines: list[Text | Padding] = [Text("Blocks, and why each sits where it does", style="bold")]
    previous = ""
    for row in block_rows(result.work_blocks, zone):
        glyph, style = GLYPHS[row.kind]
        day = "" if row.day == previous else row.day
        name = row.task or row.title
        lines.append(Text.assemble(f"{day:<10} {row.time:<11} {row.length:>5} ",
                                   (f"{glyph} {row.kind_name:<12}", style), " ",
                                   (name, "bold" if row.task else "")))
        lines.append(Padding(Text(row.reason, style="dim"), (0, 0, 0, 11)))
        previous = row.day
    return Group(*lines)


def totals_table(result: PlanResult) -> Table:
    """The audit totals before and after the plan, side by side."""
    table = Table(title="Totals before and after the plan", box=box.SIMPLE_HEAD,
                  padding=(0, 0, 0, 1), pad_edge=False,
                  caption="after: shallow blocks and sync windows are busy time; deep blocks "
                  "stay free — they are the focus the plan keeps")
    for header in ("", "before", "after", "change"):
        table.add_column(header, justify="left" if not header else "right", no_wrap=True)
    for row in total_rows(result.before, result.after):
        table.add_row(row.label, row.before, row.after, row.change)
    return table


def ledger_table(result: PlanResult, zone: tzinfo) -> Table:
    """Every open task once: needed = placed here + held by an earlier plan + not placed."""
    table = Table(title="Every task: needed = placed here + held earlier + not placed",
                  box=box.SIMPLE_HEAD, padding=(0, 0, 0, 1), pad_edge=False)
    for header in ("task", "needed", "placed here", "held earlier", "not placed", "note"):
        table.add_column(header, justify="left" if header in ("task", "note") else "right",
                         no_wrap=header != "note", overflow="fold",
                         ratio=1 if header == "note" else None)
    for row in ledger_rows(result, zone):
        notes = []
        if row.overdue:
            notes.append(Text("overdue: planned first", style="bold red"))
        if row.held_at:
            notes.append(Text(f"held by an earlier plan: {row.held_at}", style="dim"))
        if row.reason:
            notes.append(Text("why: see Not placed", style="dim"))
        table.add_row(row.task, row.needed, row.placed, row.held, row.unscheduled,
                      Text("; ").join(notes))
    return table


def leftovers(result: PlanResult) -> list[Text | Table]:
    """The capacity findings, then what could not be placed (or that everything was)."""
    parts: list[Text | Table] = []
    if result.capacity:
        lines = [Text("Capacity check (before solving):", style="bold yellow")]
        lines += [Text(f"  ⚠ {finding}", style="yellow") for finding in result.capacity]
        parts.append(Text("\n").join(lines))
    rows = unscheduled_rows(result)
    if not rows:
        parts.append(Text(f"✓ Everything placed: {placed_line(result)}", style="green"))
        return parts
    table = Table(title="Not placed", box=box.SIMPLE_HEAD, padding=(0, 0, 0, 1), pad_edge=False,
                  title_style="bold red")
    for header in ("task", "minutes", "reason"):
        table.add_column(header, justify="right" if header == "minutes" else "left",
                         no_wrap=header != "reason", overflow="fold",
                         ratio=1 if header == "reason" else None)
    for task, _title, minutes, reason in rows:
        table.add_row(task, minutes, reason)
    parts.append(table)
    return parts


def render_plan(result: PlanResult, console: Console, zone: tzinfo, min_block: int) -> None:
    """Print the whole plan: the week, the blocks, before and after, what is left, the solve."""
    console.print(Text(f"Plan {result.period.first} – {result.period.last} ({result.timezone}): "
                       f"{placed_line(result)}", style="bold"))
    if len(result.after.days) > LONG_PERIOD_DAYS:
        console.print(Text(f"{len(result.after.days)} days: one row per ISO week (--html draws "
                           "every week)", style="dim"))
        console.print(week_table(result, zone))
    else:
        console.print(plan_picture(result, zone, min_block))
    console.print(block_table(result, zone))
    console.print(totals_table(result))
    if result.ledger:
        console.print(ledger_table(result, zone))
    for part in leftovers(result):
        console.print(part)
    console.print(Text(solver_line(result.solver), style="dim"))
    warnings = read_warnings_text(result.read_warnings)
    if warnings is not None:
        console.print(warnings)
