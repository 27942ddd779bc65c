"""Big and worst-case calendars for ``ceilings.py``, always the same for the same seed.

- ``write_many``: single events spread over 2017-2026 on the quarter hour, each with a
  DESCRIPTION and two ATTENDEEs: 200,000 of them make about 70 MB;
- ``write_worst_series``: the most expensive series the static checks let through, each
  starting as long ago as ``calendar.series_instances`` steps allow (``rules.steps``): every
  hour (an instance a period), every day, a yearly rule that looks through the whole year for
  each of 366 BYSETPOS positions, and an hourly rule whose 60 times dateutil builds every hour
  (``bench/rule_costs.py`` times each shape alone: about a microsecond a step);
- ``write_worst_file``: hourly series (the costliest a step in a whole read) until
  ``calendar.file_instances`` is used up.

Run alone to write one: ``.venv/bin/python bench/gen_big.py many 200000 bench/out/big.ics``.
"""

from __future__ import annotations

import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import icalendar

from makertime.calendars import rules

SEED = 1
START = datetime(2017, 1, 1)
HEAD = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//makertime bench//big//EN"]
QUARTERS = ",".join(str(m) for m in (0, 15, 30, 45))
HOURS = ",".join(str(h) for h in range(24))


def write_many(count: int, path: Path, seed: int = SEED) -> None:
    """``count`` single events over ten years, written with CRLF line ends."""
    rng = random.Random(seed)
    lines = list(HEAD)
    for i in range(count):
        start = START + timedelta(minutes=15 * rng.randrange(0, 10 * 365 * 96))
        end = start + timedelta(minutes=15 * rng.randrange(1, 8))
        lines += ["BEGIN:VEVENT", f"UID:ev-{i}@gen", "DTSTAMP:20200101T000000Z",
                  f"DTSTART:{start:%Y%m%dT%H%M%S}Z", f"DTEND:{end:%Y%m%dT%H%M%S}Z",
                  f"SUMMARY:Meeting number {i} about things",
                  "DESCRIPTION:Some description text here that is moderately long to be "
                  "realistic.", "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@example.com",
                  "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bob@example.com", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


WORST_RULES = {
    "every-hour": "FREQ=HOURLY",
    "every-day": "FREQ=DAILY",
    "every-position": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;BYSETPOS="
                      + ",".join(str(n) for n in range(1, 367)),
    "sixty-times-an-hour": "FREQ=HOURLY;BYSETPOS=1;BYMINUTE="
                           + ",".join(str(m) for m in range(60)),
}


def earliest_start(rule: str, end: date, steps: int) -> date:
    """The earliest start (from year 1) from which the series of ``rule`` takes at most
    ``steps`` steps up to ``end``, by makertime's own estimate."""
    shape = rules.shape(icalendar.vRecur.from_ical(rule), end)
    assert isinstance(shape, rules.Shape), rule
    return start_within(shape, end, steps)


def start_within(shape: rules.Shape, end: date, steps: int) -> date:
    """The earliest start (from year 1) whose steps up to ``end`` stay within ``steps``, by
    binary search on the days back."""
    low, high = 0, (end - date(1, 1, 1)).days  # days back: ``low`` fits, ``high`` may not
    while high - low > 1:
        middle = (low + high) // 2
        if rules.steps(shape, end - timedelta(days=middle), end) <= steps:
            low = middle
        else:
            high = middle
    return end - timedelta(days=low)


def worst_series(end: date, steps: int) -> list[str]:
    """The costliest series allowed when the period read ends on ``end`` (the day after its
    last day, as the reader passes it), each taking ``steps`` steps at most (a little under
    ``calendar.series_instances``)."""
    return [line for uid, rule in WORST_RULES.items()
            for line in _event(uid, earliest_start(rule, end, steps), rule)]


def write_worst_series(path: Path, end: date, steps: int) -> None:
    """The costliest series allowed, and nothing else."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\r\n".join([*HEAD, *worst_series(end, steps), "END:VCALENDAR"]) + "\r\n",
                    encoding="utf-8")


def write_worst_file(path: Path, end: date, steps: int, budget: int) -> None:
    """Hourly series as old as allowed, until the file's budget is used up."""
    lines = list(HEAD)
    start = earliest_start(WORST_RULES["every-hour"], end, steps)
    for n in range(budget // steps):
        lines += _event(f"every-hour-{n}", start, WORST_RULES["every-hour"])
    lines.append("END:VCALENDAR")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def _event(uid: str, start: date, rule: str) -> list[str]:
    day = start.isoformat().replace("-", "")  # strftime would drop a year's leading zeros
    return ["BEGIN:VEVENT", f"UID:{uid}@bench", "DTSTAMP:20200101T000000Z",
            f"DTSTART:{day}T000000Z", f"DTEND:{day}T001000Z", f"RRULE:{rule}",
            f"SUMMARY:{uid}", "END:VEVENT"]


def main() -> None:
    """``gen_big.py many COUNT PATH``."""
    _, kind, count, path = sys.argv
    if kind != "many":
        raise SystemExit("usage: gen_big.py many COUNT PATH")
    write_many(int(count), Path(path))


if __name__ == "__main__":
    main()
