"""The audit in a terminal: a picture of the week, one row per day, totals and findings (Rich)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from makertime.audit import AuditReport, DayMetrics
from makertime.model import Interval, ReadWarning, Task, format_minutes

CELL = timedelta(minutes=15)
BUSY, FOCUS, FRAGMENT = ("█", "red"), ("═", "green"), ("░", "yellow")


def _m(minutes: int) -> str:
    return format_minutes(minutes) if minutes else "·"


def day_strip(day: DayMetrics, min_block: int) -> Text:
    """The work window of ``day`` as 15-minute cells: commitments, focus blocks, fragments."""
    text = Text()
    if day.window is None:
        return text
    cursor = day.window.start
    while cursor < day.window.end:
        cell = Interval(cursor, min(cursor + CELL, day.window.end))
        if any(span.clip(cell) for span in day.busy):
            glyph, style = BUSY
        else:
            gap = next((g for g in day.gaps if g.clip(cell)), None)
            long_gap = gap is not None and gap.minutes >= min_block
            glyph, style = FOCUS if long_gap else FRAGMENT
        text.append(glyph, style=style)
        cursor += CELL
    return text


def _ruler(report: AuditReport, zone: tzinfo) -> Text:
    window = next((d.window for d in report.days if d.window), None)
    if window is None:
        return Text()
    start = window.start.astimezone(zone)
    cells = int((window.end - window.start) / CELL)
    marks = [" "] * cells
    for index in range(0, cells, 8):
        label = (start + index * CELL).strftime("%H:%M")
        marks[index:index + len(label)] = list(label)
    return Text("".join(marks[:cells]), style="dim")


def week_picture(report: AuditReport, zone: tzinfo, min_block: int) -> Panel:
    """Each work day as a strip of its work window."""
    grid = Table.grid(padding=(0, 1))
    grid.add_row(Text(""), _ruler(report, zone), Text(""))
    for day in report.days:
        if day.window is None:
            continue
        note = f"longest {_m(day.longest_free_minutes)}" + (" · maker day" if day.maker_day else "")
        grid.add_row(Text(day.date.strftime("%a %d %b")), day_strip(day, min_block),
                     Text(note, style="dim"))
    legend = Text.assemble((BUSY[0], BUSY[1]), " commitment  ", (FOCUS[0], FOCUS[1]),
                           f" focus block (≥ {format_minutes(min_block)})  ",
                           (FRAGMENT[0], FRAGMENT[1]), " fragment")
    return Panel(Group(grid, legend), title="The week, work window by work window",
                 expand=False)


def day_table(report: AuditReport) -> Table:
    """One row per day and a totals row, with the metrics of DESIGN.md."""
    table = Table(title=f"{report.period.first} – {report.period.last} ({report.timezone})",
                  show_footer=True, box=box.SIMPLE_HEAD, padding=(0, 0, 0, 1),
                  pad_edge=False)
    energy = any(d.energy_drain is not None for d in report.days)
    totals = report.totals
    columns = [("day", "total"), ("work", _m(totals.work_minutes)),
               ("sync", _m(totals.sync_minutes)), ("free", _m(totals.free_minutes)),
               ("focus", _m(totals.focus_minutes)), ("frag", _m(totals.fragmented_minutes)),
               ("effect", _m(totals.effective_focus_minutes)),
               ("longest", _m(totals.longest_free_minutes)), ("sw", str(totals.switches)),
               ("maker", str(totals.maker_days)),
               ("after", _m(totals.after_hours_sync_minutes))]
    if energy:
        columns.append(("drain", ""))
    for header, footer in columns:
        table.add_column(header, footer=footer, no_wrap=True,
                         justify="left" if header == "day" else "right")
    for day in report.days:
        row = [day.date.strftime("%a %d"), _m(day.work_minutes), _m(day.sync_minutes),
               _m(day.free_minutes), _m(day.focus_minutes), _m(day.fragmented_minutes),
               _m(day.effective_focus_minutes), _m(day.longest_free_minutes), str(day.switches),
               "yes" if day.maker_day else "·", _m(day.after_hours_sync_minutes)]
        if energy:
            row.append("" if day.energy_drain is None else f"{day.energy_drain:.0f}")
        table.add_row(*row, style=None if day.work_minutes else "dim")
    table.caption = ("frag: fragments · effect: effective focus (gaps less ramp-up) · sw: "
                     "switches · maker: maker days · after: sync outside the work window")
    return table


def warnings_panel(report: AuditReport) -> Panel | None:
    """The findings: low-focus weeks, weeks without a maker day, heavy after-hours sync."""
    if not report.warnings:
        return None
    lines = Text("\n").join(Text(f"⚠ {w}", style="yellow") for w in report.warnings)
    return Panel(lines, title="Worth a look", expand=False)


def read_warnings_text(warnings: Sequence[ReadWarning], limit: int = 20) -> Text | None:
    """What had to be skipped or repaired while reading, at most ``limit`` lines."""
    if not warnings:
        return None
    lines = [Text(f"{len(warnings)} reading warning(s):", style="bold yellow")]
    lines += [Text(f"  {w}", style="yellow") for w in warnings[:limit]]
    if len(warnings) > limit:
        lines.append(Text(f"  … and {len(warnings) - limit} more (makertime check CAL lists "
                          "them all)", style="yellow"))
    return Text("\n").join(lines)


def render_audit(report: AuditReport, console: Console, zone: tzinfo, min_block: int) -> None:
    """Print the whole audit: picture, table, findings, reading warnings."""
    console.print(week_picture(report, zone, min_block))
    console.print(day_table(report))
    for part in (warnings_panel(report), read_warnings_text(report.read_warnings)):
        if part is not None:
            console.print(part)


def task_table(tasks: Iterable[Task], today: date, zone: tzinfo) -> Table:
    """Tasks with their estimate, deadline, progress and how long they have lain untouched."""
    table = Table(title="Async work waiting for maker time", box=box.SIMPLE_HEAD,
                  padding=(0, 0, 0, 1), pad_edge=False)
    for header in ("task", "estimate", "depth", "deadline", "done", "untouched", "waiting"):
        table.add_column(header, justify="left" if header == "task" else "right",
                         no_wrap=header != "task")
    for task in tasks:
        stale = task.stale_days(today)
        deadline = task.deadline
        table.add_row(
            task.title, format_minutes(task.estimate_minutes), task.depth.value,
            _when(deadline, zone) if deadline else "·", f"{task.progress:.0%}",
            f"{stale} d" if stale is not None else "·",
            "on you" if task.waiting_on_me else "·",
            style="bold" if task.waiting_on_me else None,
        )
    return table


def _when(moment: datetime, zone: tzinfo) -> str:
    local = moment.astimezone(zone) if moment.tzinfo else moment
    return local.strftime("%a %d %H:%M")
