"""The rows of the day table, shared by the terminal and the HTML report."""

from __future__ import annotations

from collections.abc import Sequence

from makertime.audit import DayMetrics, Totals, total
from makertime.model import format_minutes

COLUMNS = ("work", "sync", "part", "free", "focus", "frag", "eff", "long", "sw", "maker",
           "after", "off")
LEGEND = ("part: partial attention (shallow work only) · frag: fragments · eff: effective focus "
          "(gaps less ramp-up) · long: longest gap (of any day, in a total) · sw: switches · "
          "maker: maker days · after: sync outside the work window · off: days off")


def minutes(value: int) -> str:
    """Minutes for a table cell, in full however long (``552h30m``); ``·`` for none."""
    return format_minutes(value) if value else "·"


def day_cells(day: DayMetrics) -> list[str]:
    """One day's metrics, in COLUMNS order."""
    return _cells(day, day.longest_free_minutes, "yes" if day.maker_day else "·",
                  "yes" if day.day_off else "·")


def total_cells(days: Sequence[DayMetrics]) -> list[str]:
    """The totals of ``days`` in COLUMNS order; ``long`` is the longest gap of any day there."""
    summed: Totals = total(days)
    longest = max((d.longest_free_minutes for d in days), default=0)
    return _cells(summed, longest, str(summed.maker_days), str(summed.days_off))


def _cells(metrics: DayMetrics | Totals, longest: int, maker: str, off: str) -> list[str]:
    return [minutes(metrics.work_minutes), minutes(metrics.sync_minutes),
            minutes(metrics.partial_minutes), minutes(metrics.free_minutes),
            minutes(metrics.focus_minutes), minutes(metrics.fragmented_minutes),
            minutes(metrics.effective_focus_minutes), minutes(longest), str(metrics.switches),
            maker, minutes(metrics.after_hours_sync_minutes), off]
