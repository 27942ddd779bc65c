"""Benchmark: what one step of ``calendar.series_instances`` costs, rule shape by rule shape.

makertime estimates the work of expanding a series before it starts (``calendars/rules.py``): each
period of the rule's FREQ that dateutil visits weighs ``Shape.weight`` steps, each instance it
makes ``INSTANCE_STEPS``. This times dateutil's own iteration (as ``rules.iterate`` runs it,
ending after the period read) over rules of every FREQ: rules that find nothing, rules that find
one instance a period, rules with every BY- part, many BYSETPOS positions, many nth weekdays,
an hourly rule's many times, each started as long ago as ``target`` steps allow. The last
column, microseconds per step, should stay near or under 1 for every shape: then the limits in
steps bound the time. Prints a table; always exits 0.

The first rows are the measurements the weights come from: a DAILY rule that finds nothing
costs about a microsecond a day, a WEEKLY one 2, MONTHLY 4, YEARLY 30 (every day of the year is
checked), and an instance about 4 more.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime
from pathlib import Path

import icalendar
from dateutil.rrule import rrulestr  # type: ignore[import-untyped]

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from gen_big import start_within  # noqa: E402
from makertime.calendars import rules  # noqa: E402
from tables import print_rows  # noqa: E402

END = date(2026, 3, 10)  # the day after a period read, as the reader passes it
NEVER = "BYMONTH=2;BYMONTHDAY=30"
EVERY_PART = ("BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYWEEKNO="
              + ",".join(str(n) for n in [*range(1, 54), *range(-53, 0)])
              + ";BYDAY=MO,TU,WE,TH,FR,SA,SU;BYMONTHDAY="
              + ",".join(str(n) for n in [*range(1, 32), *range(-31, 0)]) + ";BYYEARDAY=-366")
SIXTY = ",".join(str(n) for n in range(60))
NTH = ",".join(f"{n}{d}" for n in [*range(1, 6), *range(-5, 0)]
               for d in ("MO", "TU", "WE", "TH", "FR", "SA", "SU"))
SHAPES = [
    *(f"FREQ={freq};{NEVER}" for freq in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY", "HOURLY")),
    *(f"FREQ={freq}" for freq in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY", "HOURLY")),
    *(f"FREQ={freq};{EVERY_PART}" for freq in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")),
    "FREQ=DAILY;BYHOUR=" + ",".join(str(h) for h in range(24)) + ";BYMINUTE=0,15,30,45",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;BYSETPOS=" + ",".join(str(n) for n in range(1, 367)),
    "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30;BYSETPOS=" + ",".join(str(n) for n in range(1, 32)),
    f"FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYMONTHDAY=31;BYDAY={NTH}",
    f"FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30;BYDAY={NTH}",
    f"FREQ=HOURLY;BYMINUTE={SIXTY};BYSECOND={SIXTY};BYSETPOS=1",
    f"FREQ=HOURLY;BYMINUTE={SIXTY};BYSETPOS=1",
    "FREQ=YEARLY;BYEASTER=0;BYMONTH=7",
]


def measure(text: str, target: int, runs: int) -> tuple[str, ...]:
    """One row: the rule, its start, periods, instances, steps, seconds, µs a step."""
    shape = rules.shape(icalendar.vRecur.from_ical(text), END)
    assert isinstance(shape, rules.Shape), text
    first = start_within(shape, END, target)
    estimate = rules.steps(shape, first, END)
    start = datetime.combine(first, datetime.min.time()).replace(hour=9)
    stop = datetime.combine(END, datetime.min.time())
    best, made = float("inf"), 0
    for _ in range(runs):
        rule = rrulestr(text, dtstart=start)
        began = time.perf_counter()
        made = 0
        for found in rules.iterate(rule, END.year + 1):
            if found > stop:
                break
            made += 1
        best = min(best, time.perf_counter() - began)
    shown = text if len(text) <= 58 else text[:55] + "..."
    return (shown, first.isoformat(), f"{rules.periods(shape, first, END):,}", f"{made:,}",
            f"{shape.weight}", f"{estimate:,}", f"{best:.3f}", f"{best / estimate * 1e6:.2f}")


def main() -> int:
    """Measure each shape and print the table. Always 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200_000, help="steps each rule may take")
    parser.add_argument("--runs", type=int, default=3, help="runs per rule (best is shown)")
    options = parser.parse_args()
    rows = [("rule", "start", "periods", "instances", "weight", "steps", "s", "us/step")]
    rows += [measure(text, options.steps, options.runs) for text in SHAPES]
    print_rows(rows, left_first=True)
    print(f"steps: periods x weight + instances x {rules.INSTANCE_STEPS}, each rule started as "
          f"long ago as {options.steps:,} steps allow (from year 1 at the earliest)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
