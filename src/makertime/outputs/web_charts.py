"""Week-over-week bar charts as geometry for inline SVG: each chart's bars, axis ticks and
labels computed here, in plain numbers, so a template only draws them (and a table beside each
chart says the same in text)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

WIDTH, HEIGHT = 480, 220
"""The drawing's coordinate space (it scales to its box)."""
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 44
"""Room for the value axis (left) and the week labels (below)."""


@dataclass(frozen=True, slots=True)
class Bar:
    """One week's bar: where it stands, its week and its value as text."""

    x: float
    y: float
    width: float
    height: float
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Tick:
    """A line across the chart at ``y``, labelled with its value."""

    y: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    """One bar chart: its title, what its axes measure, its bars and ticks."""

    key: str
    title: str
    x_label: str
    y_label: str
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def baseline(self) -> float:
        """The y of the value 0."""
        return float(self.height - BOTTOM)

    @property
    def left(self) -> int:
        """The x of the value axis."""
        return LEFT

    @property
    def right(self) -> int:
        """The x where the plot ends."""
        return self.width - RIGHT


def _hours(minutes: object) -> float:
    return round(float(minutes) / 60, 1) if isinstance(minutes, int | float) else 0.0


def _count(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _step(top: float) -> float:
    """A round tick step giving three to five ticks up to ``top``."""
    if top <= 0:
        return 1.0
    rough = top / 4
    power = 10.0 ** math.floor(math.log10(rough))
    return next(float(m * power) for m in (1, 2, 2.5, 5, 10) if m * power >= rough)


def bar_chart(key: str, title: str, y_label: str, points: Sequence[tuple[str, float]],
              shown: Callable[[float], str] = lambda v: f"{v:g}") -> Chart:
    """A bar per (label, value), scaled so the tallest reaches a round tick."""
    step = _step(max((v for _, v in points), default=0.0))
    top = step * max(1, math.ceil(max((v for _, v in points), default=0.0) / step))
    plot_h, plot_w = HEIGHT - TOP - BOTTOM, WIDTH - LEFT - RIGHT
    slot = plot_w / max(1, len(points))
    width = min(48.0, slot * 0.7)
    bars = tuple(Bar(x=round(LEFT + slot * i + (slot - width) / 2, 1),
                     y=round(HEIGHT - BOTTOM - plot_h * value / top, 1), width=round(width, 1),
                     height=round(plot_h * value / top, 1), label=label, value=shown(value))
                 for i, (label, value) in enumerate(points))
    ticks = tuple(Tick(y=round(HEIGHT - BOTTOM - plot_h * (n * step) / top, 1),
                       label=f"{n * step:g}")
                  for n in range(round(top / step) + 1))
    return Chart(key, title, "week beginning", y_label, bars, ticks)


def _monday(moment: str) -> date:
    day = datetime.fromisoformat(moment).date()
    return day - timedelta(days=day.weekday())


def interruptions_per_week(starts: Iterable[str]) -> Counter[date]:
    """How many interruptions began in each week (keyed by its Monday)."""
    return Counter(_monday(start) for start in starts)


def history_charts(weeks: Sequence[Mapping[str, Any]],
                   interruptions: Mapping[date, int] | None = None) -> tuple[Chart, ...]:
    """The history's charts: focus hours, fragmented hours, maker days, sync after hours and
    interruptions, one bar per recorded week (``weeks`` as ``history_json`` gives them)."""
    def label(week: Mapping[str, Any]) -> str:
        return f"{date.fromisoformat(str(week['week'])):%d %b}"

    def series(pick: Callable[[Mapping[str, Any]], float]) -> list[tuple[str, float]]:
        return [(label(w), pick(w["totals"])) for w in weeks]

    counted = interruptions or {}
    return (
        bar_chart("focus", "Focus time per week", "hours",
                  series(lambda t: _hours(t.get("focus_minutes")))),
        bar_chart("fragments", "Fragmented time per week", "hours",
                  series(lambda t: _hours(t.get("fragmented_minutes")))),
        bar_chart("maker-days", "Maker days per week", "days",
                  series(lambda t: _count(t.get("maker_days")))),
        bar_chart("after-hours", "Sync after hours per week", "hours",
                  series(lambda t: _hours(t.get("after_hours_sync_minutes")))),
        bar_chart("interruptions", "Interruptions logged per week", "interruptions",
                  [(label(w), float(counted.get(date.fromisoformat(str(w["week"])), 0)))
                   for w in weeks]),
    )


__all__ = ["Bar", "Chart", "Tick", "bar_chart", "history_charts", "interruptions_per_week"]
