"""Benchmark: a year's audit against bare parsing and expansion of the same file.

Generates the fixed-seed calendar of ``gen_calendar.py`` (about 5,000 instances in 2026), then
times whole processes, interleaved round by round, best and median of ``--runs``:

- baseline: ``parse_expand.py`` (icalendar parse + recurring-ical-events expansion only);
- (1) ``makertime audit`` with an empty cache (a fresh XDG_CACHE_HOME every run), and with --json;
- (2) ``makertime audit`` again on the unchanged file (warm cache);
- (3) ``makertime --help``.

Prints a table with each goal and whether it is met, which heavy modules a warm run imported,
and with ``--profile`` where the time goes. Always exits 0: a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from gen_calendar import FIRST, SEED, write_calendar  # noqa: E402
from tables import print_rows, versions  # noqa: E402

PYTHON = sys.executable
MAKERTIME = str(Path(sys.executable).parent / "makertime")
PERIOD = ["--from", "2026-01-01", "--to", "2026-12-31"]
LIBRARIES = ("makertime", "icalendar", "recurring-ical-events", "x-wr-timezone", "python-dateutil",
             "typer", "rich", "click")


@dataclass(frozen=True)
class Goal:
    """``limit`` seconds (absolute) or ``limit`` times the baseline (relative)."""

    limit: float
    relative: bool

    def describe(self) -> str:
        return f"<= {self.limit:g}x base" if self.relative else f"<= {self.limit:g} s"

    def met(self, best: float, baseline: float) -> bool:
        return best <= self.limit * baseline if self.relative else best <= self.limit


@dataclass
class Figure:
    """One command to time; ``cache`` is "none", "fresh" (a new empty cache) or "warm"."""

    name: str
    command: list[str]
    cache: str = "none"
    goal: Goal | None = None
    times: list[float] = field(default_factory=list)
    error: str = ""

    @property
    def best(self) -> float:
        return min(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)


class Dirs:
    """Cache directories: a fresh empty one per cold run, one shared warm one."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.warm = root / "warm"
        self.count = 0

    def fresh(self) -> Path:
        self.count += 1
        path = self.root / f"cold-{self.count:03d}"
        path.mkdir()
        return path

    def env(self, cache: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHONPROFILE")}
        if cache != "none":
            env["XDG_CACHE_HOME"] = str(self.warm if cache == "warm" else self.fresh())
        return env


def run_once(figure: Figure, dirs: Dirs) -> float:
    """Wall time of one whole process, its stdout sent to /dev/null."""
    env = dirs.env(figure.cache)
    started = time.perf_counter()
    done = subprocess.run(figure.command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=env, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise RuntimeError(f"exit status {done.returncode}: {' | '.join(tail)}")
    return elapsed


def measure(figures: list[Figure], dirs: Dirs, runs: int) -> None:
    """Time every figure ``runs`` times, round-robin, after one unmeasured warm-up round."""
    for round_number in range(runs + 1):
        for figure in figures:
            if figure.error:
                continue
            try:
                elapsed = run_once(figure, dirs)
            except RuntimeError as error:
                figure.error = str(error)
                continue
            if round_number:  # round 0 warms the OS caches and fills the warm cache
                figure.times.append(elapsed)
        print(f"  round {round_number}/{runs} done" + (" (warm-up)" if not round_number else ""),
              flush=True)


def baseline_count(baseline: Figure) -> str:
    """The instance count the baseline script prints (one extra, untimed run)."""
    done = subprocess.run(baseline.command, capture_output=True, check=False)
    return done.stdout.decode(errors="replace").strip() or "?"


def print_table(figures: list[Figure], baseline: Figure) -> None:
    """The results: times, ratios to the baseline, goals."""
    header = ("figure", "best s", "median s", "x base", "x base med", "goal", "result")
    rows = [header]
    base_best = baseline.best if baseline.times else float("nan")
    base_median = baseline.median if baseline.times else float("nan")
    met = 0
    for figure in figures:
        if figure.error or not figure.times:
            rows.append((figure.name, "-", "-", "-", "-",
                         figure.goal.describe() if figure.goal else "info", "ERROR"))
            continue
        result = "info"
        if figure.goal is not None:
            ok = figure.goal.met(figure.best, base_best)
            met += ok
            result = "PASS" if ok else "FAIL"
        rows.append((figure.name, f"{figure.best:.3f}", f"{figure.median:.3f}",
                     f"{figure.best / base_best:.2f}", f"{figure.median / base_median:.2f}",
                     figure.goal.describe() if figure.goal else "info", result))
    print_rows(rows, left_first=True)
    goals = sum(f.goal is not None for f in figures)
    print(f"goals met: {met} of {goals} (judged on best times; x base = best / baseline best)")
    for figure in figures:
        if figure.error:
            print(f"  {figure.name}: {figure.error}")


def imported(cache: str, args: list[str], dirs: Dirs, work: Path) -> dict[str, Any]:
    """Which watched modules a CLI run in ``cache`` state left in sys.modules."""
    report = work / f"modules-{cache}-{len(args)}.json"
    command = [PYTHON, str(BENCH / "run_cli.py"), "--modules", str(report), "--", *args]
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dirs.env(cache), check=False)
    try:
        found: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"status": "no report", "loaded": [], "total": 0}
    return found


def print_imports(path: Path, dirs: Dirs, work: Path) -> None:
    """Check (3): a warm-cache run must not import icalendar."""
    print("\nmodules imported (run in-process via bench/run_cli.py):")
    audit = ["audit", str(path), *PERIOD]
    for label, cache, args in (("audit, warm cache", "warm", audit),
                               ("audit, empty cache", "fresh", audit),
                               ("--help", "none", ["--help"])):
        found = imported(cache, args, dirs, work)
        loaded = [str(m) for m in found.get("loaded", [])]
        verdict = "yes" if "icalendar" in loaded else "no"
        print(f"  {label:<20} icalendar imported: {verdict:<3}  exit {found.get('status')}  "
              f"{found.get('total')} modules; of the watched: {', '.join(loaded) or 'none'}")


def _where(key: tuple[str, int, str]) -> str:
    filename, line, function = key
    for marker in ("site-packages/", "/src/", "lib/python"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    return f"{function} ({filename}:{line})" if line else function


# Library calls worth seeing next to makertime's own functions: (file ending, function).
ENTRY_POINTS = {("icalendar/cal/calendar.py", "from_ical"), ("recurring_ical_events/query.py",
                "_occurrences_between"), ("recurring_ical_events/query.py",
                "_occurrences_to_components"), ("rich/console.py", "print"),
                ("json/__init__.py", "dump"), ("json/__init__.py", "loads"),
                ("typer/main.py", "__call__")}


def _shown_cumulative(key: tuple[str, int, str]) -> bool:
    filename, _, function = key
    if "/makertime/" in filename:
        return True
    return any(filename.endswith(end) and function == name for end, name in ENTRY_POINTS)


def print_profile(path: Path, cache: str, dirs: Dirs, work: Path, top: int = 15) -> None:
    """cProfile of one audit run: makertime's functions by cumulative time, all by own time."""
    out = work / f"profile-{cache}.prof"
    command = [PYTHON, str(BENCH / "run_cli.py"), "--profile", str(out), "--",
               "audit", str(path), *PERIOD]
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dirs.env(cache), check=False)
    entries = pstats.Stats(str(out)).stats  # type: ignore[attr-defined]
    total = max(ct for _, _, _, ct, _ in entries.values())
    print(f"\ncProfile, audit with {cache} cache: {total:.2f} s in the profiled call "
          "(profiler overhead included, so read the shares, not the seconds)")
    cumulative = sorted((item for item in entries.items() if _shown_cumulative(item[0])),
                        key=lambda item: item[1][3], reverse=True)
    own = sorted(entries.items(), key=lambda item: item[1][2], reverse=True)
    for title, ranked in (("cumulative (makertime + entry points)", cumulative),
                          ("own time (everything)", own)):
        print(f"  by {title}:")
        print("      cum s    share    own s      calls  function")
        for key, (_, calls, own_s, cum_s, _) in ranked[:top]:
            share = cum_s / total
            print(f"    {cum_s:7.3f}  {share:6.1%}  {own_s:7.3f}  {calls:9d}  {_where(key)}")


def print_importtime(path: Path, cache: str, args: list[str], dirs: Dirs, top: int = 12) -> None:
    """``python -X importtime``: the slowest top-level imports of one run."""
    command = [PYTHON, "-X", "importtime", str(BENCH / "run_cli.py"), "--", *args]
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=dirs.env(cache), check=False)
    rows = []
    for line in done.stderr.decode(errors="replace").splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, cumulative, name = line.split(":", 1)[1].split("|")
        if not name[1:].startswith(" "):  # a top-level import; nested ones are indented
            rows.append((int(cumulative) / 1e6, int(own) / 1e6, name.strip()))
    rows.sort(reverse=True)
    label = " ".join(a if a != str(path) else "FILE" for a in args)
    print(f"\nimport time, makertime {label} ({cache} cache): "
          f"{sum(r[0] for r in rows):.3f} s in top-level imports")
    for cumulative, own, name in rows[:top]:
        print(f"  {cumulative:7.3f} s  (own {own:.3f})  {name}")


def print_versions(path: Path, count: int, counted: str) -> None:
    print(f"python {platform.python_version()} ({platform.python_implementation()}), "
          f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs")
    print(versions(LIBRARIES))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    print(f"calendar {path} ({path.stat().st_size:,} bytes, sha256 {digest}..., seed {SEED})")
    print(f"instances in {FIRST.year}: {count} (generator), {counted} (baseline script)")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is set, so makertime's modules are compiled on every "
              "run (~15 ms)")


def main() -> int:
    """Generate, measure, print. Always 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per figure (>= 3)")
    parser.add_argument("--profile", action="store_true", help="also show where the time goes")
    parser.add_argument("--calendar", type=Path, default=BENCH / "out" / "year-2026.ics",
                        help="where to write the generated calendar")
    options = parser.parse_args()
    runs = max(3, options.runs)

    print(f"generating {options.calendar} ...", flush=True)
    count = write_calendar(options.calendar)
    path = options.calendar
    audit = [MAKERTIME, "audit", str(path), *PERIOD]
    baseline = Figure("baseline parse+expand", [PYTHON, str(BENCH / "parse_expand.py"), str(path)])
    figures = [
        baseline,
        Figure("(1) audit, empty cache", audit, "fresh", Goal(1.3, relative=True)),
        Figure("(1) audit --json, empty cache", [*audit, "--json"], "fresh"),
        Figure("(2) audit, warm cache", audit, "warm", Goal(0.2, relative=True)),
        Figure("(2) audit --json, warm cache", [*audit, "--json"], "warm"),
        Figure("(3) makertime --help", [MAKERTIME, "--help"], "none", Goal(0.3, relative=False)),
        Figure("python -c pass (start-up)", [PYTHON, "-c", "pass"]),
    ]
    with tempfile.TemporaryDirectory(prefix="makertime-bench-") as temp:
        work = Path(temp)
        dirs = Dirs(work)
        print(f"timing {len(figures)} commands, {runs} measured rounds ...", flush=True)
        measure(figures, dirs, runs)
        print()
        print_versions(path, count, baseline_count(baseline))
        print()
        print_table(figures, baseline)
        print_imports(path, dirs, work)
        if options.profile:
            audit_args = ["audit", str(path), *PERIOD]
            print_importtime(path, "warm", audit_args, dirs)
            print_importtime(path, "none", ["--help"], dirs)
            print_profile(path, "fresh", dirs, work)
            print_profile(path, "warm", dirs, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
