"""Run the makertime CLI in this process, then report what it imported (and, optionally, profile).

``run_cli.py [--profile OUT.prof] [--modules OUT.json] -- audit FILE --from D --to D``
The CLI's own output goes where this process's stdout goes; the reports go to the named files.
"""

from __future__ import annotations

import cProfile
import json
import sys
from pathlib import Path

WATCHED = ("icalendar", "recurring_ical_events", "x_wr_timezone", "dateutil",
           "makertime.calendars.ics", "matplotlib", "jinja2", "numpy", "pydantic", "rich", "typer")


def _run(args: list[str]) -> int:
    from makertime.cli import main

    sys.argv = ["makertime", *args]
    try:
        main()
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 1
    return 0


def main() -> int:
    """Parse this script's options, run the CLI with the rest, write the reports."""
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    options, args = argv[:split], argv[split + 1:]
    named = dict(zip(options[::2], options[1::2], strict=True))
    if "--profile" in named:
        profiler = cProfile.Profile()
        status = profiler.runcall(_run, args)
        profiler.dump_stats(named["--profile"])
    else:
        status = _run(args)
    if "--modules" in named:
        report = {"status": status, "loaded": [m for m in WATCHED if m in sys.modules],
                  "total": len(sys.modules)}
        Path(named["--modules"]).write_text(json.dumps(report), encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
