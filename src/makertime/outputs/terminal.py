"""The audit in a terminal: a picture of the week, one row per day, totals and findings (Rich)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from itertools import groupby

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from makertime.audit import AuditReport, AuditWarning, DayMetrics, weeks_of
from makertime.model import Interval, ReadWarning, Task, format_minutes
from makertime.outputs.rows import COLUMNS, LEGEND, day_cells, minutes, total_cells

CELL = timedelta(minutes=15)
LONG_PERIOD_DAYS = 35
BUSY, FOCUS, FRAGMENT = ("█", "red"), ("═", "green"), ("░", "yellow")
PARTIAL, AWAY = ("┈", "magenta"), (" ", "dim")


def day_strip(day: DayMetrics, min_block: int) -> Text:
    """The work window of ``day`` as 15-minute cells: commitments, focus blocks, fragments."""
    text = Text()
    if day.window is None:
        return text
    glyphs: list[tuple[str, str]] = []
    cursor = day.window.start
    while cursor < day.window.end:
        cell = Interval(cursor, min(cursor + CELL, day.window.end))
        if any(span.clip(cell) for span in day.busy):
            glyphs.append(BUSY)
        elif any(span.clip(cell) for span in day.partial):
            glyphs.append(PARTIAL)
        elif any(span.clip(cell) for span in day.away):
            glyphs.append(AWAY)
        else:
            gap = next((g for g in day.gaps if g.clip(cell)), None)
            glyphs.append(FOCUS if gap is not None and gap.minutes >= min_block else FRAGMENT)
        cursor += CELL
    for (glyph, style), run in groupby(glyphs):
        text.append(glyph * len(list(run)), style=style)
    return text


def ruler(report: AuditReport, zone: tzinfo) -> Text:
    """Clock times every two hours over the first work window of ``report``."""
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


def day_off_row(day: DayMetrics) -> tuple[Text, Text, Text]:
    """A day off in a week's picture: its date and why, dimmed, with no strip."""
    return (Text(day.date.strftime("%a %d %b"), style="dim"), Text(""),
            Text(f"day off: {day.off_reason}", style="dim"))


def week_picture(report: AuditReport, zone: tzinfo, min_block: int) -> Panel:
    """Each work day as a strip of its work window."""
    grid = Table.grid(padding=(0, 1))
    grid.add_row(Text(""), ruler(report, zone), Text(""))
    for day in report.days:
        if day.window is None:
            continue
        if day.day_off:
            grid.add_row(*day_off_row(day))
            continue
        note = f"longest {minutes(day.longest_free_minutes)}"
        if day.maker_day:
            note += " · maker day"
        if day.off_reason:
            note += f" · {'off' if day.day_off else 'away'}: {day.off_reason}"
        grid.add_row(Text(day.date.strftime("%a %d %b")), day_strip(day, min_block),
                     Text(note, style="dim"))
    legend = Text.assemble((BUSY[0], BUSY[1]), " commitment  ",
                           (PARTIAL[0], PARTIAL[1]), " partial (shallow only)  ",
                           (FOCUS[0], FOCUS[1]),
                           f" focus block (≥ {format_minutes(min_block)})  ",
                           (FRAGMENT[0], FRAGMENT[1]), " fragment")
    return Panel(Group(grid, legend), title="The week, work window by work window",
                 expand=False)


def day_table(report: AuditReport, *, by_week: bool = False) -> Table:
    """One row per day (or per ISO week) and a totals row, with the metrics of docs/metrics.md."""
    table = Table(title=f"{report.period.first} – {report.period.last} ({report.timezone})",
                  show_footer=True, box=box.SIMPLE_HEAD, padding=0, pad_edge=False,
                  caption=LEGEND)
    energy = not by_week and any(d.energy_drain is not None for d in report.days)
    headers = ["week of" if by_week else "day", *COLUMNS] + (["drain"] if energy else [])
    footers = ["total", *total_cells(report.days)] + ([""] if energy else [])
    for header, footer in zip(headers, footers, strict=True):
        table.add_column(header, footer=footer, no_wrap=True,
                         justify="left" if header == headers[0] else "right")
    if by_week:
        for days in weeks_of(report.days).values():
            table.add_row(f"{days[0].date:%d %b}", *total_cells(days))
    for day in [] if by_week else report.days:
        row = [day.date.strftime("%a %d"), *day_cells(day)]
        if energy:
            row.append("" if day.energy_drain is None else f"{day.energy_drain:.0f}")
        table.add_row(*row, style=None if day.work_minutes else "dim")
    return table


def warnings_panel(report: AuditReport) -> Panel | None:
    """The findings: low-focus weeks, weeks without a maker day, heavy after-hours sync, and
    free all-day closures (one line per event and rule, naming each of its dates)."""
    if not report.warnings:
        return None
    lines = Text("\n").join(Text(f"⚠ {line}", style="yellow")
                            for line in warning_lines(report.warnings))
    return Panel(lines, title="Worth a look", expand=False)


def warning_lines(warnings: Sequence[AuditWarning]) -> list[str]:
    """Each finding as a line; closure hints that say the same of several dates share one."""
    dates: dict[str, list[str]] = {}
    lines: list[str | tuple[str]] = []
    for warning in warnings:
        if warning.kind != "closure":
            lines.append(str(warning))
            continue
        if warning.message not in dates:
            dates[warning.message] = []
            lines.append((warning.message,))
        dates[warning.message].append(warning.when)
    return [line if isinstance(line, str) else f"{', '.join(dates[line[0]])}: {line[0]}"
            for line in lines]


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


def render_audit(report: AuditReport, console: Console, zone: tzinfo, min_block: int,
                 *, by: str = "auto") -> None:
    """Print the whole audit: picture, table, findings, reading warnings.

    ``by`` is "day", "week" or "auto": days for periods up to five weeks, weeks beyond (where a
    row and a strip per day would bury the findings; ``--html`` draws every week).
    """
    by_week = by == "week" or (by == "auto" and len(report.days) > LONG_PERIOD_DAYS)
    if by_week:
        console.print(Text(f"{len(report.days)} days: one row per ISO week (--by day for one "
                           "per day; --html draws every week)", style="dim"))
    else:
        console.print(week_picture(report, zone, min_block))
    console.print(day_table(report, by_week=by_week))
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
