"""The baseline: only parse a file with icalendar and expand 2026 with recurring-ical-events.

Run as its own process, so its wall time includes interpreter start and the library imports,
like a ``makertime`` run's does. Prints the instance count.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import icalendar
import recurring_ical_events


def main() -> None:
    """Parse ``sys.argv[1]`` and print how many instances 2026 holds."""
    data = Path(sys.argv[1]).read_bytes()
    calendar = icalendar.Calendar.from_ical(data)
    instances = recurring_ical_events.of(calendar).between(date(2026, 1, 1), date(2027, 1, 1))
    print(len(instances))


if __name__ == "__main__":
    main()
