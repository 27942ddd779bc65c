"""Benchmark: CP-SAT plans of generated 2-, 4- and 8-week instances against the greedy baseline.

For each instance of ``gen_plan.py`` (fixed seeds, 60% load), written as week.ics + tasks.toml +
policy.toml in a temporary folder:

- the plan: ``makertime plan ICS --tasks T --policy P --from D --to D --json --time-limit S
  [--gap G]`` as a whole process (wall time around ``subprocess.run``, a fresh empty
  XDG_CACHE_HOME, so the calendar is read cold as on a first plan); status, objective, bound,
  solver seconds, deep blocks and minutes placed are read from its JSON;
- the baseline: ``greedy_plan`` in-process on the same files, read through makertime's own
  readers (the first-fit plan CP-SAT starts from and must never do worse than).

Prints a table with each goal and whether it is met. Always exits 0: a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from gen_plan import Instance, InstanceFiles, build_instance, write_instance  # noqa: E402
from tables import print_rows, versions  # noqa: E402

PYTHON = sys.executable
MAKERTIME = str(Path(sys.executable).parent / "makertime")
WORK_KINDS = ("deep", "shallow")  # blocks that place task minutes (sync windows place none)


@dataclass(frozen=True)
class Case:
    """One instance size and its goal: within ``gap`` of the bound in ``seconds`` of wall time."""

    weeks: int
    seconds: float
    gap: float
    pass_gap: bool  # whether to pass --gap (the 2-week goal uses the planner's default, 0.5%)

    def describe(self) -> str:
        """The goal in words."""
        return f"gap <= {self.gap:.1%} in <= {self.seconds:g} s"


CASES = (Case(2, 3.0, 0.005, pass_gap=False), Case(4, 10.0, 0.01, pass_gap=True),
         Case(8, 30.0, 0.01, pass_gap=True))


@dataclass
class Outcome:
    """What one instance gave: the plan (from its JSON) and the greedy baseline."""

    case: Case
    instance: Instance
    wall: float = 0.0
    status: str = "-"
    objective: float = 0.0
    bound: float = 0.0
    solver_seconds: float = 0.0
    deep_blocks: int = 0
    minutes: int = 0
    unscheduled: int = 0
    greedy_deep_blocks: int = 0
    greedy_minutes: int = 0
    greedy_seconds: float = 0.0
    error: str = ""
    misses: list[str] = field(default_factory=list)

    @property
    def gap(self) -> float:
        """(objective - bound) / objective, as SolverStats.gap computes it. CP-SAT says OPTIMAL
        once the gap limit is reached, so the gap is shown whatever the status."""
        if not self.objective > 0:  # also NaN, when no solution came back
            return 0.0
        return max(0.0, (self.objective - self.bound) / self.objective)

    def judge(self) -> bool:
        """Whether every goal is met; the misses are kept for the report."""
        case = self.case
        if self.error:
            self.misses.append(self.error)
            return False
        if self.status not in ("OPTIMAL", "FEASIBLE"):
            self.misses.append(f"status {self.status}: CP-SAT returned no plan of its own")
        if self.gap > case.gap + 1e-9:
            self.misses.append(f"gap {self.gap:.2%} > {case.gap:.1%}")
        if self.wall > case.seconds:
            self.misses.append(f"wall {self.wall:.2f} s > {case.seconds:g} s")
        if self.deep_blocks > self.greedy_deep_blocks:
            self.misses.append(f"{self.deep_blocks} deep blocks, greedy has "
                               f"{self.greedy_deep_blocks}")
        if self.minutes < self.greedy_minutes:
            self.misses.append(f"{self.minutes} min placed, greedy places {self.greedy_minutes}")
        return not self.misses


def _minutes(start: str, end: str) -> int:
    return int((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
               // 60)


def read_plan_json(outcome: Outcome, text: str) -> None:
    """Fill ``outcome`` from ``makertime plan --json`` output (raises if it is not that)."""
    data: dict[str, Any] = json.loads(text)
    solver = data["solver"]
    outcome.status = str(solver["status"])
    outcome.objective = float(solver["objective"])
    outcome.bound = float(solver["bound"])
    outcome.solver_seconds = float(solver["seconds"])
    blocks = data["blocks"]
    outcome.deep_blocks = sum(b["kind"] == "deep" for b in blocks)
    outcome.minutes = sum(_minutes(b["start"], b["end"]) for b in blocks
                          if b["kind"] in WORK_KINDS)
    outcome.unscheduled = sum(int(u["minutes"]) for u in data["unscheduled"])


def run_plan(outcome: Outcome, files: InstanceFiles, cache: Path) -> None:
    """``makertime plan ... --json`` as a whole process: its wall time and its figures."""
    case, instance = outcome.case, outcome.instance
    command = [MAKERTIME, "plan", str(files.calendar), "--tasks", str(files.tasks),
               "--policy", str(files.policy), "--from", instance.first.isoformat(),
               "--to", instance.last.isoformat(), "--json", "--time-limit", f"{case.seconds:g}"]
    if case.pass_gap:
        command += ["--gap", f"{case.gap:g}"]
    # a store of its own next to the cache: a benchmark never writes into the person's store
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "XDG_DATA_HOME": str(cache / "data")}
    env.pop("MAKERTIME_DB", None)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=env, check=False)
    outcome.wall = time.perf_counter() - started
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        outcome.error = f"plan exit status {done.returncode}: {' | '.join(tail)}"
        return
    try:
        read_plan_json(outcome, done.stdout.decode())
    except (ValueError, KeyError, TypeError) as error:
        outcome.error = f"plan --json output not understood: {error!r}"


def run_greedy(outcome: Outcome, files: InstanceFiles) -> None:
    """The greedy baseline in-process, on the same files read by makertime's own readers."""
    from makertime.calendars import read_calendars
    from makertime.classify import commitments
    from makertime.model import Period
    from makertime.plan import greedy_plan
    from makertime.plan.result import BlockKind
    from makertime.policy import load_policy
    from makertime.tasks import load_tasks

    instance = outcome.instance
    policy = load_policy(files.policy)
    # read a week either side, as the CLI reads past the period for rest and recovery
    margin = timedelta(days=7)
    reads = read_calendars([str(files.calendar)], instance.first - margin, instance.last + margin)
    found = commitments(reads, policy)
    tasks = load_tasks(files.tasks, policy.timezone)
    started = time.perf_counter()
    result = greedy_plan(found, tasks, policy, Period(instance.first, instance.last))
    outcome.greedy_seconds = time.perf_counter() - started
    outcome.greedy_deep_blocks = sum(b.kind is BlockKind.DEEP for b in result.blocks)
    outcome.greedy_minutes = sum(b.minutes for b in result.blocks
                                 if b.kind in (BlockKind.DEEP, BlockKind.SHALLOW))


def start_up(runs: int = 3) -> float:
    """Median wall time of a process that only imports makertime's CLI and CP-SAT: the fixed
    cost inside every plan's wall time."""
    command = [PYTHON, "-c", "import makertime.cli, ortools.sat.python.cp_model"]
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:])  # the first run warms the OS file cache


def print_table(outcomes: list[Outcome]) -> None:
    """The results, one row per instance, and what missed its goal."""
    header = ("weeks", "tasks (deep)", "load", "wall s", "solver s", "status", "gap %",
              "deep blocks plan/greedy", "min placed plan/greedy", "goal", "result")
    rows = [header]
    met = 0
    for o in outcomes:
        ok = o.judge()
        met += ok
        i = o.instance
        if o.error:
            rows.append((str(i.weeks), f"{len(i.tasks)} ({i.deep_tasks})", f"{i.load:.0%}",
                         f"{o.wall:.2f}", "-", "-", "-", f"-/{o.greedy_deep_blocks}",
                         f"-/{o.greedy_minutes}", o.case.describe(), "ERROR"))
            continue
        rows.append((str(i.weeks), f"{len(i.tasks)} ({i.deep_tasks})", f"{i.load:.0%}",
                     f"{o.wall:.2f}", f"{o.solver_seconds:.2f}", o.status, f"{o.gap:.2%}",
                     f"{o.deep_blocks}/{o.greedy_deep_blocks}", f"{o.minutes}/{o.greedy_minutes}",
                     o.case.describe(), "PASS" if ok else "FAIL"))
    print_rows(rows)
    print(f"goals met: {met} of {len(outcomes)} (each: the gap, the wall time of the whole "
          "process, no more deep blocks than greedy, no fewer minutes placed)")
    for o in outcomes:
        if o.misses:
            print(f"  {o.case.weeks} weeks: " + "; ".join(o.misses))


def print_details(outcomes: list[Outcome]) -> None:
    """Objective, bound and the greedy's own time, for reading the table."""
    for o in outcomes:
        i = o.instance
        print(f"  {i.weeks} weeks, seed {i.seed}, {i.first}..{i.last}: {len(i.events)} events, "
              f"{i.task_minutes} task min of {i.free_minutes} free min; objective "
              f"{o.objective:g}, bound {o.bound:g}, {o.unscheduled} min unscheduled; greedy "
              f"{o.greedy_seconds * 1000:.0f} ms in-process")


def print_versions() -> None:
    """The machine and the libraries the figures belong to."""
    print(f"python {platform.python_version()}, {platform.system()} {platform.machine()}, "
          f"{os.cpu_count()} CPUs")
    print(versions(("makertime", "ortools", "icalendar")))


def main() -> int:
    """Generate, plan, compare, print. Always 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the 2-week instance")
    parser.add_argument("--keep", type=Path, default=None,
                        help="write the instances here (one folder per size) and keep them")
    options = parser.parse_args()
    cases = CASES[:1] if options.quick else CASES
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="makertime-bench-plan-") as temp:
        root = options.keep or Path(temp)
        print("start-up (import makertime.cli + CP-SAT, median of 3): "
              f"{start_up():.2f} s", flush=True)
        for case in cases:
            instance = build_instance(case.weeks)
            files = write_instance(instance, root / f"plan-{case.weeks}w")
            outcome = Outcome(case, instance)
            print(f"planning {case.weeks} weeks ({len(instance.tasks)} tasks, "
                  f"limit {case.seconds:g} s) ...", flush=True)
            cache = Path(temp) / f"cache-{case.weeks}w"
            cache.mkdir()
            run_plan(outcome, files, cache)
            try:
                run_greedy(outcome, files)
            except Exception as error:  # noqa: BLE001 (a crash is a result to report, not to stop at)
                outcome.error = outcome.error or f"greedy_plan failed: {error!r}"
            outcomes.append(outcome)
    print()
    print_versions()
    print()
    print_table(outcomes)
    print_details(outcomes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
