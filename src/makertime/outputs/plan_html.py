"""The plan as one self-contained HTML page: each ISO week before and after, totals, every block.

Built on the audit report's figures (``outputs/html.py``): the *before* timeline is the audit's,
the *after* one adds the planned blocks coloured by kind. The page fetches nothing, escapes every
text that came from a calendar or a task file, and is the same bytes for the same plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup
from matplotlib.figure import Figure

from makertime.audit import DayMetrics, day_bounds, weeks_of
from makertime.files import write_atomically
from makertime.model import format_minutes
from makertime.outputs.html import (
    BUSY,
    FOCUS,
    FRAGMENT,
    INK,
    OFF,
    PARTIAL,
    WINDOW,
    Box,
    bars,
    days_span,
    hour_range,
    lanes_figure,
    svg_of,
)
from makertime.outputs.own import GENERATOR
from makertime.outputs.plan_rows import (
    KIND_NAMES,
    block_rows,
    ledger_rows,
    placed_line,
    solver_line,
    total_rows,
    unscheduled_rows,
)
from makertime.plan.result import PLANNED_KINDS, Block, BlockKind, PlanResult
from makertime.policy import Policy

# Okabe–Ito colours beside the audit's: blue, sky blue and reddish purple for the work kinds;
# rest and recovery are a thin dark rule, told apart by shape rather than by colour.
COLOURS = {BlockKind.DEEP: "#0072b2", BlockKind.SHALLOW: "#56b4e9",
           BlockKind.SYNC_WINDOW: "#cc79a7", BlockKind.REST: "#444444",
           BlockKind.RECOVERY: "#444444"}
# drawn in this order, so planned work lies over the commitments and free time it fills
LAYERS = (WINDOW, OFF, FOCUS, FRAGMENT, PARTIAL, BUSY, COLOURS[BlockKind.SHALLOW],
          COLOURS[BlockKind.SYNC_WINDOW], COLOURS[BlockKind.DEEP], COLOURS[BlockKind.REST])
# narrower than the audit's figure: two sit side by side on a wide screen
WIDTH_IN, LEFT_IN, RIGHT_IN, TOP_IN, BOTTOM_IN = 6.8, 0.95, 1.7, 0.4, 0.35


@dataclass(frozen=True, slots=True)
class WeekPair:
    """One ISO week of the plan: its dates and its timeline before and after, as inline SVG."""

    name: str
    dates: str
    before: Markup
    after: Markup


def write_plan_html(result: PlanResult, policy: Policy, path: Path) -> None:
    """Write the plan as one self-contained HTML page to ``path``, whole or not at all."""
    write_atomically(path, render_plan_html(result, policy).encode("utf-8"))


def render_plan_html(result: PlanResult, policy: Policy) -> str:
    """The plan as one self-contained HTML page."""
    zone = policy.timezone
    return _template().render(
        generator=GENERATOR, result=result, zone=result.timezone, placed=placed_line(result),
        weeks=week_pairs(result, policy), totals=total_rows(result.before, result.after),
        blocks=block_rows(result.blocks, zone), unscheduled=unscheduled_rows(result),
        ledger=ledger_rows(result, zone),
        capacity=list(result.capacity), solver=solver_line(result.solver),
        read_warnings=[str(w) for w in result.read_warnings],
        kinds=[(KIND_NAMES[kind], COLOURS[kind], kind.is_work) for kind in PLANNED_KINDS],
        colours={kind.value: COLOURS[kind] for kind in PLANNED_KINDS},
        min_block=format_minutes(policy.focus.min_block_minutes),
    )


@cache
def _template() -> Template:
    env = Environment(loader=PackageLoader("makertime.outputs", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("plan.html")


def week_pairs(result: PlanResult, policy: Policy) -> list[WeekPair]:
    """Every ISO week of the plan, drawn before and after on one hour scale."""
    hours = hour_range([*result.before.days, *result.after.days], policy)
    after_weeks = weeks_of(result.after.days)
    pairs = []
    for name, days in weeks_of(result.before.days).items():
        later = after_weeks[name]
        before = svg_of(partial(plan_figure, days, (), policy, hours, "Before"),
                        salt=f"makertime-{name}-before", ident=f"before-{name}")
        after = svg_of(partial(plan_figure, later, result.blocks, policy, hours,
                               "After: with the plan"),
                       salt=f"makertime-{name}-after", ident=f"after-{name}")
        pairs.append(WeekPair(name, days_span(days), before, after))
    return pairs


def plan_figure(days: Sequence[DayMetrics], blocks: Sequence[Block], policy: Policy,
                hours: tuple[int, int], title: str) -> Figure:
    """One lane per date as in the audit (work window, commitments, focus, fragments), with
    ``blocks`` drawn over it coloured by kind."""
    more = partial(_block_boxes, blocks=blocks, policy=policy)
    figure, axes = lanes_figure(days, policy, hours, layers=LAYERS, more=more,
                                frame=(WIDTH_IN, LEFT_IN, RIGHT_IN, TOP_IN, BOTTOM_IN))
    axes.set_title(title, loc="left", fontweight="bold", color=INK, pad=6)
    return figure


def _block_boxes(layers: dict[str, list[Box]], day: DayMetrics, top: float, lane: float, *,
                 blocks: Sequence[Block], policy: Policy) -> None:
    """Add the parts of ``blocks`` that fall on ``day`` to the layer of their kind's colour."""
    bounds = day_bounds(day.date, policy)
    inner, marker = (top + lane * 0.2, lane * 0.6), (top + lane * 0.83, lane * 0.09)
    for block in blocks:
        part = block.span.clip(bounds)  # a recovery marker runs on into the next day's lane
        if part is None:
            continue
        band = inner if block.kind.is_work else marker
        layers[COLOURS[block.kind]].extend(
            (x, band[0], w, band[1]) for x, w in bars([part], day.date, policy.timezone))
