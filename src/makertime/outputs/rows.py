"""The rows of the day table, shared by the terminal and the HTML report."""

from __future__ import annotations

from collections.abc import Sequence

from makertime.audit import DayMetrics, Totals, total
from makertime.model import format_minutes

COLUMNS = ("work", "sync", "free", "focus", "frag", "eff", "long", "sw", "maker", "after")
LEGEND = ("frag: fragments · eff: effective focus (gaps less ramp-up) · long: longest gap "
          "(of any day, in a total) · sw: switches · maker: maker days · after: sync outside "
          "the work window")


def minutes(value: int) -> str:
    """Minutes for a table cell: ``·`` for none, whole hours once totals grow long."""
    if value >= 100 * 60:
        return f"{value // 60}h"
    return format_minutes(value) if value else "·"


def day_cells(day: DayMetrics) -> list[str]:
    """One day's metrics, in COLUMNS order."""
    return _cells(day, day.longest_free_minutes, "yes" if day.maker_day else "·")


def total_cells(days: Sequence[DayMetrics]) -> list[str]:
    """The totals of ``days`` in COLUMNS order; ``long`` is the longest gap of any day there."""
    summed: Totals = total(days)
    longest = max((d.longest_free_minutes for d in days), default=0)
    return _cells(summed, longest, str(summed.maker_days))


def _cells(metrics: DayMetrics | Totals, longest: int, maker: str) -> list[str]:
    return [minutes(metrics.work_minutes), minutes(metrics.sync_minutes),
            minutes(metrics.free_minutes), minutes(metrics.focus_minutes),
            minutes(metrics.fragmented_minutes), minutes(metrics.effective_focus_minutes),
            minutes(longest), str(metrics.switches), maker,
            minutes(metrics.after_hours_sync_minutes)]
