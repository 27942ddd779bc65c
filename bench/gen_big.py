"""Big and worst-case calendars for ``ceilings.py``, always the same for the same seed.

- ``write_many``: single events spread over 2017-2026 on the quarter hour, each with a
  DESCRIPTION and two ATTENDEEs: 200,000 of them make about 70 MB;
- ``write_worst_series``: the most expensive series the static checks let through: a rule that
  never matches (dateutil visits every day and finds nothing) starting as long ago as
  ``calendar.series_instances`` allows, and a rule of 96 instances a day starting as long ago;
- ``write_worst_file``: such series until ``calendar.file_instances`` is used up.

Run alone to write one: ``.venv/bin/python bench/gen_big.py many 200000 bench/out/big.ics``.
"""

from __future__ import annotations

import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

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


def worst_series(end: date, steps: int) -> list[str]:
    """The two costliest series allowed when the period read ends on ``end``, each computed
    ``steps`` times (a little under ``calendar.series_instances``)."""
    never = end - timedelta(days=steps - 10)  # one period a day, all of them empty
    dense = end - timedelta(days=steps // 96 - 2)  # 96 instances a day
    return [*_event("never-matches", never, "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"),
            *_event("every-quarter-hour", dense, f"FREQ=DAILY;BYHOUR={HOURS};"
                    f"BYMINUTE={QUARTERS}")]


def write_worst_series(path: Path, end: date, steps: int) -> None:
    """The two costliest series allowed, and nothing else."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\r\n".join([*HEAD, *worst_series(end, steps), "END:VCALENDAR"]) + "\r\n",
                    encoding="utf-8")


def write_worst_file(path: Path, end: date, steps: int, budget: int) -> None:
    """Never-matching series as old as allowed, until the file's budget is used up."""
    lines = list(HEAD)
    for n in range(budget // steps):
        start = end - timedelta(days=steps - 10)
        lines += _event(f"never-{n}", start, "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")
    lines.append("END:VCALENDAR")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def _event(uid: str, start: date, rule: str) -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}@bench", "DTSTAMP:20200101T000000Z",
            f"DTSTART:{start:%Y%m%d}T090000Z", f"DTEND:{start:%Y%m%d}T091000Z",
            f"RRULE:{rule}", f"SUMMARY:{uid}", "END:VEVENT"]


def main() -> None:
    """``gen_big.py many COUNT PATH``."""
    _, kind, count, path = sys.argv
    if kind != "many":
        raise SystemExit("usage: gen_big.py many COUNT PATH")
    write_many(int(count), Path(path))


if __name__ == "__main__":
    main()
