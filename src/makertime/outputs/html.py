"""The audit as one self-contained HTML page: a matplotlib timeline per ISO week, totals, tables.

The page needs no network: CSS is inline and each week is an inline SVG whose text stays text
(``svg.fonttype = "none"``, shown in the reader's sans-serif), so it can be searched and read
aloud. matplotlib is imported here and nowhere else in makertime because it is slow to import.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import cache
from itertools import accumulate
from math import ceil, floor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from makertime.audit import AuditReport, DayMetrics, weeks_of
from makertime.files import write_atomically
from makertime.model import Interval, format_minutes
from makertime.outputs.own import GENERATOR
from makertime.outputs.rows import COLUMNS, day_cells, total_cells
from makertime.policy import Policy

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

# Okabe–Ito colours: told apart with the common colour-vision deficiencies.
WINDOW, OFF, BUSY, FOCUS, FRAGMENT = "#e4e7eb", "#f3f3f3", "#d55e00", "#009e73", "#e69f00"
PARTIAL = "#cc79a7"  # partial attention: shallow work only
INK, MUTED = "#222222", "#8a8a8a"
WIDTH_IN, LEFT_IN, RIGHT_IN, TOP_IN, BOTTOM_IN = 10.0, 1.05, 1.75, 0.5, 0.35
WORK_LANE, OFF_LANE = 0.36, 0.2  # inches of height per lane
# Points: a figure is shown about as wide as it is drawn (1 pt ≈ 1.35 px), so no text is
# smaller than 11 px on a wide screen.
FONT_PT, NOTE_PT = 9.0, 8.5
TICK_STEPS = (1, 2, 3, 4, 6, 12)  # hours between labelled ticks: the first whose labels fit
RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",  # text as <text>, no embedded glyphs, no font files
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],  # metrics for layout; the reader's sans-serif shows it
    "font.size": FONT_PT,
}
Box = tuple[float, float, float, float]  # x, y, width, height in hours and inches
METADATA: dict[str, str | None] = {"Date": None, "Creator": None, "Format": None, "Type": None}


@dataclass(frozen=True, slots=True)
class Week:
    """One ISO week of the period and its timeline as inline SVG."""

    name: str
    svg: Markup


def write_audit_html(report: AuditReport, policy: Policy, path: Path) -> None:
    """Write the audit as one self-contained HTML page to ``path``, whole or not at all."""
    write_atomically(path, render_audit_html(report, policy).encode("utf-8"))


def render_audit_html(report: AuditReport, policy: Policy) -> str:
    """The audit as one self-contained HTML page."""
    focus, work = policy.focus, policy.work
    hours = hour_range(report.days, policy)  # one scale for all weeks, so they compare
    weeks = [Week(name, week_svg(name, days, policy, hours))
             for name, days in weeks_of(report.days).items()]
    columns, rows, footer = day_rows(report)
    return _template().render(
        generator=GENERATOR, report=report, zone=report.timezone, weeks=weeks,
        totals=totals_items(report), columns=columns, rows=rows, footer=footer,
        read_warnings=[str(w) for w in report.read_warnings],
        work_window=f"{work.start:%H:%M}–{work.end:%H:%M}",
        min_block=format_minutes(focus.min_block_minutes),
        ramp_up=format_minutes(focus.ramp_up_minutes),
        maker_day=format_minutes(focus.maker_day_minutes),
    )


@cache
def _template() -> Template:
    env = Environment(loader=PackageLoader("makertime.outputs", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("audit.html")


def local_hours(moment: datetime, day: date, zone: tzinfo) -> float:
    """Wall-clock hours of ``moment`` since the local midnight that starts ``day`` (24 = next)."""
    local = moment.astimezone(zone)
    return (local.date() - day).days * 24 + local.hour + local.minute / 60


def bars(spans: Sequence[Interval], day: date, zone: tzinfo) -> list[tuple[float, float]]:
    """``spans`` as (start, width) pairs in local wall-clock hours, as ``broken_barh`` takes."""
    pairs = [(local_hours(s.start, day, zone), local_hours(s.end, day, zone)) for s in spans]
    return [(start, end - start) for start, end in pairs if end > start]


def hour_range(days: Sequence[DayMetrics], policy: Policy) -> tuple[int, int]:
    """Whole hours covering the policy's work window and every commitment of ``days``."""
    work = policy.work
    low, high = work.start.hour, ceil(work.end.hour + work.end.minute / 60)
    for day in days:
        for start, width in bars(day.busy, day.date, policy.timezone):
            low, high = min(low, floor(start)), max(high, ceil(start + width))
    return max(low, 0), min(high, 24)


def week_svg(name: str, days: Sequence[DayMetrics], policy: Policy,
             hours: tuple[int, int]) -> Markup:
    """The timeline of one ISO week as an inline ``<svg>`` element (no XML prologue)."""
    return svg_of(lambda: week_figure(name, days, policy, hours),
                  salt=f"makertime-{name}", ident=f"week-{name}")


def svg_of(make: Callable[[], Figure], *, salt: str, ident: str) -> Markup:
    """The figure ``make`` draws, as an inline ``<svg>`` element with ids unique to ``ident``."""
    with matplotlib.rc_context():
        # ids differ per figure (the page holds many SVGs) yet stay the same from run to run;
        # the figure is made inside the context because matplotlib reads rcParams on creation
        matplotlib.rcParams.update({**RC, "svg.hashsalt": salt, "svg.id": ident})
        figure = make()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata=METADATA)
    svg = buffer.getvalue()
    return Markup(svg[svg.index("<svg"):])  # matplotlib's output: no user text


DayDrawer = Callable[[dict[str, list["Box"]], DayMetrics, float, float], None]


def lanes_figure(days: Sequence[DayMetrics], policy: Policy, hours: tuple[int, int], *,
                 frame: tuple[float, float, float, float, float] = (WIDTH_IN, LEFT_IN, RIGHT_IN,
                                                                    TOP_IN, BOTTOM_IN),
                 layers: Sequence[str] = (WINDOW, OFF, FOCUS, FRAGMENT, PARTIAL, BUSY),
                 more: DayDrawer | None = None) -> tuple[Figure, Axes]:
    """One lane per date, Monday at the top: work window, commitments, focus and fragments,
    plus whatever ``more`` adds to a lane (``frame`` is width, left, right, top, bottom)."""
    width, left, right, top_in, bottom_in = frame
    tops = list(accumulate((WORK_LANE if _works(day) else OFF_LANE for day in days),
                           initial=0.0))
    lanes_in, height_in = tops[-1], top_in + tops[-1] + bottom_in
    figure = Figure(figsize=(width, height_in))
    axes = figure.add_axes((left / width, bottom_in / height_in,
                            1 - (left + right) / width, lanes_in / height_in))
    boxes_by: dict[str, list[Box]] = {colour: [] for colour in layers}
    for day, top, bottom in zip(days, tops, tops[1:], strict=False):
        day_boxes(boxes_by, day, top=top, lane=bottom - top, hours=hours, policy=policy)
        if more is not None:
            more(boxes_by, day, top, bottom - top)
        label_lane(axes, day, (top + bottom) / 2)
    for colour, boxes in boxes_by.items():
        # one collection per colour, not one broken_barh per day: a year draws in a second
        rectangles = [[(x, y), (x + w, y), (x + w, y + h), (x, y + h)] for x, y, w, h in boxes]
        axes.add_collection(PolyCollection(rectangles, facecolors=colour, edgecolors="none"),
                            autolim=False)
    style_axes(axes, hours, lanes_in, width - left - right)
    return figure, axes


def days_span(days: Sequence[DayMetrics]) -> str:
    """``Mon 23 Mar – Sun 29 Mar 2026`` (one date when there is one day)."""
    first, last = days[0].date, days[-1].date
    return f"{last:%a %d %b %Y}" if first == last else f"{first:%a %d %b} – {last:%a %d %b %Y}"


def week_figure(name: str, days: Sequence[DayMetrics], policy: Policy,
                hours: tuple[int, int]) -> Figure:
    """One lane per date, Monday at the top: work window, commitments, focus and fragments."""
    figure, axes = lanes_figure(days, policy, hours)
    dates = days_span(days)
    axes.set_title(f"{name}   {dates}", loc="left", fontweight="bold", color=INK, pad=6)
    handles = _legend(policy.focus.min_block_minutes, partial=any(d.partial for d in days))
    figure.legend(handles=handles, loc="upper right", ncols=len(handles),
                  frameon=False, bbox_to_anchor=(1 - 0.1 / WIDTH_IN, 1), handlelength=1.2,
                  columnspacing=1.2, borderaxespad=0.2)
    return figure


def day_boxes(layers: dict[str, list[Box]], day: DayMetrics, *, top: float, lane: float,
              hours: tuple[int, int], policy: Policy) -> None:
    """Add the day's rectangles (x, y, width, height) to the layer of their colour."""
    zone, min_block = policy.timezone, policy.focus.min_block_minutes
    inner, outer = (top + lane * 0.2, lane * 0.6), (top + lane * 0.06, lane * 0.88)

    def put(colour: str, spans: Sequence[Interval], band: tuple[float, float]) -> None:
        layers[colour].extend((x, band[0], w, band[1]) for x, w in bars(spans, day.date, zone))

    if not _works(day):
        layers[OFF].append((hours[0], inner[0], hours[1] - hours[0], inner[1]))
    else:
        assert day.window is not None
        put(WINDOW, [day.window], outer)
        put(OFF, [part for span in day.away if (part := span.clip(day.window))], outer)
        put(FOCUS, [gap for gap in day.gaps if gap.minutes >= min_block], inner)
        put(FRAGMENT, [gap for gap in day.gaps if gap.minutes < min_block], inner)
        put(PARTIAL, [part for span in day.partial if (part := span.clip(day.window))], inner)
    if not day.day_off:
        put(BUSY, day.busy, inner)


def _works(day: DayMetrics) -> bool:
    """Whether ``day`` has a work window left to draw (not a weekend, not a day off)."""
    return day.window is not None and not day.day_off


def label_lane(axes: Axes, day: DayMetrics, centre: float) -> None:
    """The date left of the lane and its longest free stretch right of it (text, not ticks)."""
    colour = INK if _works(day) else MUTED
    axes.text(-0.01, centre, f"{day.date:%a %d %b}", transform=axes.get_yaxis_transform(),
              ha="right", va="center", color=colour)
    axes.text(1.01, centre, _note(day), transform=axes.get_yaxis_transform(),
              va="center", fontsize=NOTE_PT, color=MUTED)


def _note(day: DayMetrics) -> str:
    if day.day_off:
        return f"day off: {day.off_reason}" if day.off_reason != "day off" else "day off"
    if day.window is None:
        after = day.after_hours_sync_minutes
        return f"day off, {format_minutes(after)} busy" if after else "day off"
    note = f"longest {format_minutes(day.longest_free_minutes)}"
    return note + " · maker day" if day.maker_day else note


def tick_step(hours: tuple[int, int], axis_in: float) -> int:
    """Hours between labelled ticks: the fewest that leave each ``HH:MM`` label (about 3 em
    of DejaVu Sans) room and a gap of one more em on an axis ``axis_in`` inches wide."""
    low, high = hours
    pitch_in = 4 * FONT_PT / 72  # label and gap, in inches
    return next((step for step in TICK_STEPS if (high - low) / step * pitch_in <= axis_in),
                TICK_STEPS[-1])


def style_axes(axes: Axes, hours: tuple[int, int], lanes_in: float, axis_in: float) -> None:
    """Hour ticks across the top-to-bottom lanes, a light grid, no frame but the time axis;
    as many ticks as ``axis_in`` inches of axis can label without their labels touching."""
    low, high = hours
    ticks = list(range(low, high + 1, tick_step(hours, axis_in)))
    axes.set_xlim(low, high)
    axes.set_ylim(lanes_in, 0)
    axes.set_xticks(ticks, [f"{tick:02d}:00" for tick in ticks])  # 24:00: the end of the day
    axes.set_yticks([])
    axes.tick_params(length=0, labelcolor=INK)
    axes.grid(axis="x", color="#d0d0d0", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color(MUTED)


def _legend(min_block: int, *, partial: bool = False) -> list[Patch]:
    return [Patch(facecolor=WINDOW, label="work window"),
            Patch(facecolor=BUSY, label="commitment"),
            *([Patch(facecolor=PARTIAL, label="partial")] if partial else []),
            Patch(facecolor=FOCUS, label=f"focus block (≥ {format_minutes(min_block)})"),
            Patch(facecolor=FRAGMENT, label="fragment")]


def totals_items(report: AuditReport) -> list[tuple[str, str]]:
    """Every field of the totals as (label, formatted value)."""
    t = report.totals
    return [("days", str(t.days)), ("work", format_minutes(t.work_minutes)),
            ("sync (in the work window)", format_minutes(t.sync_minutes)),
            ("partial attention (shallow work only)", format_minutes(t.partial_minutes)),
            ("sync after hours", format_minutes(t.after_hours_sync_minutes)),
            ("free", format_minutes(t.free_minutes)), ("focus", format_minutes(t.focus_minutes)),
            ("fragmented", format_minutes(t.fragmented_minutes)),
            ("effective focus", format_minutes(t.effective_focus_minutes)),
            ("longest free stretch (any day)",
             format_minutes(max((d.longest_free_minutes for d in report.days), default=0))),
            ("switches", str(t.switches)), ("maker days", str(t.maker_days)),
            ("days off", str(t.days_off))]


def day_rows(report: AuditReport) -> tuple[list[str], list[tuple[bool, list[str]]], list[str]]:
    """The day table: column names, (day off?, cells) per day, and the totals row."""
    energy = any(d.energy_drain is not None for d in report.days)
    columns = ["day", *COLUMNS] + (["drain"] if energy else [])
    rows = []
    for day in report.days:
        cells = [f"{day.date:%a} {day.date.isoformat()}", *day_cells(day)]
        if energy:
            cells.append("" if day.energy_drain is None else f"{day.energy_drain:.0f}")
        rows.append((day.window is None or day.day_off, cells))
    footer = ["total", *total_cells(report.days)] + ([""] if energy else [])
    return columns, rows, footer
