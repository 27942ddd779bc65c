"""Benchmark: what reading a calendar costs at its ceilings, in time and memory.

Each figure is a whole ``makertime`` process (audit, or check where it reads more), its wall
time (``time.perf_counter`` around it, with the small launcher that starts it) and its peak
resident memory (``os.wait4``'s rusage of that one process, taken by the launcher). The files
are generated with fixed seeds into bench/out/ (git-ignored):

- the heavy year of ``gen_calendar.py`` (5,000 instances in 2026), audited over 2026;
- 200,000 single events over ten years (about 70 MB, ``gen_big.py``), audited over a week and
  checked over a year;
- the costliest series the static checks let through (``gen_big.worst_series``), and a file
  of the costliest of them until ``calendar.file_instances`` is used up;
- the hostile files of tests/fixtures/ics/hostile/, 100,000 nested components, /dev/zero and a
  sparse file of a gigabyte, each now refused or skipped in a moment.

Baselines in the same run: ``python -c pass`` (the interpreter), and icalendar's parse plus
recurring-ical-events' expansion of the heavy year (``parse_expand.py``, as in ``audit.py``).
``--whole-parse`` adds icalendar's parse of the 200,000-event file whole, which is what reading
it cost before (about a minute and 1.7 GB). Prints a table; always exits 0.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from gen_big import WORST_RULES, write_many, write_worst_file, write_worst_series  # noqa: E402
from gen_calendar import write_calendar  # noqa: E402
from makertime.limits import limit  # noqa: E402
from tables import print_rows  # noqa: E402

PYTHON = sys.executable
MAKERTIME = str(Path(sys.executable).parent / "makertime")
HOSTILE = BENCH.parent / "tests" / "fixtures" / "ics" / "hostile"
OUT = BENCH / "out"
WEEK = ["--from", "2026-03-02", "--to", "2026-03-08"]
YEAR = ["--from", "2026-01-01", "--to", "2026-12-31"]
MIB = 1024 * 1024
# A small process that starts the command and reports that child's own peak RSS: measured from
# this (big) benchmark process, a child would inherit the benchmark's high-water mark.
LAUNCH = ("import os, sys\n"
          "pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, file_actions=["
          "(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])\n"
          "_, status, usage = os.wait4(pid, 0)\n"
          "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)\n")


@dataclass
class Figure:
    """One command to measure, and what it gave."""

    name: str
    command: list[str]
    times: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)  # bytes
    status: int = 0
    tail: str = ""


def run(figure: Figure, cache_home: Path) -> None:
    """One run of ``figure``: wall time and peak RSS of that process alone."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    started = time.perf_counter()
    done = subprocess.run([PYTHON, "-c", LAUNCH, *figure.command], capture_output=True,
                          env=env, check=False)
    elapsed = time.perf_counter() - started
    status, peak = done.stdout.decode().split()
    figure.times.append(elapsed)
    figure.peaks.append(int(peak) * 1024)  # Linux gives kilobytes
    figure.status = int(status)
    lines = [line for line in done.stderr.decode(errors="replace").strip().splitlines()
             if line.strip()]
    figure.tail = lines[-1][:90] if lines else ""


def figures(whole_parse: bool) -> list[Figure]:
    """Generate the files; the commands to measure."""
    OUT.mkdir(exist_ok=True)
    year, big = OUT / "year-2026.ics", OUT / "big-200k.ics"
    series, worst = OUT / "worst-series.ics", OUT / "worst-file.ics"
    nested, sparse = OUT / "nested-100k.ics", OUT / "sparse-1g.ics"
    write_calendar(year)
    if not big.exists():
        write_many(200_000, big)
    steps = limit("calendar.series_instances") - 100
    end = date(2026, 3, 8) + (date(2026, 3, 10) - date(2026, 3, 8))  # the read's day after
    write_worst_series(series, end, steps)
    write_worst_file(worst, end, steps, limit("calendar.file_instances"))
    depth = 100_000
    nested.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//b//EN\r\nBEGIN:VEVENT\r\n"
                      "UID:deep\r\nDTSTART:20260303T090000Z\r\nDTEND:20260303T100000Z\r\n"
                      + "BEGIN:X-N\r\n" * depth + "END:X-N\r\n" * depth
                      + "END:VEVENT\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    with sparse.open("wb") as handle:
        handle.truncate(1024 ** 3)
    audit = [MAKERTIME, "audit"]
    found = [
        Figure("python -c pass (baseline)", [PYTHON, "-c", "pass"]),
        Figure("heavy year: icalendar parse+expand (baseline)",
               [PYTHON, str(BENCH / "parse_expand.py"), str(year)]),
        Figure("heavy year: audit 2026", [*audit, str(year), *YEAR]),
        Figure("200k events: audit a week", [*audit, str(big), *WEEK]),
        Figure("200k events: check a year", [MAKERTIME, "check", str(big), "--from",
                                             "2026-01-01"]),
        Figure(f"worst allowed series ({len(WORST_RULES)}): audit a week",
               [*audit, str(series), *WEEK]),
        Figure(f"worst allowed file ({limit('calendar.file_instances') // steps} series)",
               [*audit, str(worst), *WEEK]),
        *(Figure(f"hostile: {p.name}", [*audit, str(p), *WEEK])
          for p in sorted(HOSTILE.glob("*.ics"))),
        Figure("hostile: 100,000 nested components", [*audit, str(nested), *WEEK]),
        Figure("hostile: /dev/zero", [*audit, "/dev/zero", *WEEK]),
        Figure("hostile: 1 GB sparse file", [*audit, str(sparse), *WEEK]),
    ]
    if whole_parse:
        found.insert(2, Figure("200k events: icalendar parse whole (before)",
                               [PYTHON, "-c", "import sys, icalendar; icalendar.Calendar."
                                "from_ical(open(sys.argv[1], 'rb').read())", str(big)]))
    return found


def print_table(found: list[Figure]) -> None:
    base = min(found[0].times)
    rows = [("figure", "exit", "wall s", "x python", "peak RSS MB")]
    for figure in found:
        best = min(figure.times)
        rows.append((figure.name, str(figure.status), f"{best:.2f}", f"{best / base:.0f}",
                     f"{max(figure.peaks) / MIB:.0f}"))
    print_rows(rows, left_first=True)
    print("exit 2: refused in one line; exit 0: read, with warnings for what was skipped")
    for figure in found:
        if figure.status not in (0,) and figure.tail:
            print(f"  {figure.name}: {figure.tail}")


def main() -> int:
    """Generate, measure, print. Always 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per figure (best is shown)")
    parser.add_argument("--whole-parse", action="store_true",
                        help="also parse the 200,000-event file whole with icalendar (slow)")
    options = parser.parse_args()
    print("generating bench/out/ ...", flush=True)
    found = figures(options.whole_parse)
    print(f"python {platform.python_version()}, {platform.system()} {platform.machine()}, "
          f"{os.cpu_count()} CPUs; limits: series {limit('calendar.series_instances'):,}, "
          f"file {limit('calendar.file_instances'):,}, a day "
          f"{limit('calendar.repeats_per_day')} per series", flush=True)
    with tempfile.TemporaryDirectory(prefix="makertime-ceilings-") as temp:
        for run_number in range(max(1, options.runs)):
            for figure in found:
                cache = Path(temp) / f"cache-{run_number}-{len(figure.times)}-{id(figure)}"
                run(figure, cache)
            print(f"  run {run_number + 1} done", flush=True)
    print()
    print_table(found)
    return 0


if __name__ == "__main__":
    sys.exit(main())
