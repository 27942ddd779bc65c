"""Benchmark: duty rotations of generated teams, the rotation solver against two slot fillers.

For each instance of ``gen_team.py`` (6, 12 and 30 members × 4 and 12 weeks, fixed seeds):

- ``solver``: ``plan_rotation`` in-process (10 s, 2 workers, fairness on);
- ``round-robin`` and ``oncall``: the baselines of ``team_baselines.py``, on the slots the
  independent checker works out.

Every rotation is judged by the independent checker (``tests/support/rotation_checker.py``, in
the reading of the rules docs/team.md documents) and measured by
the team-focus oracle (``tests/support/team_focus_oracle.py``), never by the solver's
own figures: team focus in hours, violations, uncovered slots, the spread of weighted load
(hours, and in turns of the heaviest duty), the price of fairness (the solver's), the solver's
status and gap, and seconds. The 30×12 instance is also timed as a whole process (generation,
import and solve, wall time around ``subprocess.run``), and so is ``makertime team plan`` on the
bundled 6-member sample team when that command exists.

Prints a table with each goal and whether it is met. Always exits 0: a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

from tests.support.rotation_checker import (  # noqa: E402
    DOCUMENTED,
    check_rotation,
    expected_slots,
    rotation_of,
)
from tests.support.team_focus_oracle import (  # noqa: E402
    loads,
    team_focus,
    weighted_hours,
)

from gen_team import generate_team  # noqa: E402
from makertime.model import Commitment, Period  # noqa: E402
from makertime.team.model import Rotation, Slot, Team  # noqa: E402
from makertime.team.rotate import evaluate, plan_rotation  # noqa: E402
from tables import print_rows  # noqa: E402
from team_baselines import oncall_default, round_robin  # noqa: E402

SIZES = ((6, 4), (6, 12), (12, 4), (12, 12), (30, 4), (30, 12))
SEED = 20260323
TIME_LIMIT, WORKERS = 10.0, 2
BIG = (30, 12)
BIG_GAP, BIG_SECONDS = 0.01, 10.0
BIG_LIMIT = 8.0  # the solve's --time-limit in the whole-process run: start-up takes the rest
SAMPLE = ROOT / "src" / "makertime" / "sample" / "team" / "team.toml"
MAKERTIME = str(Path(sys.executable).parent / "makertime")


@dataclass(frozen=True)
class Row:
    """One method's rotation of one instance, as the checker and the oracle see it."""

    instance: str
    method: str
    focus_minutes: int
    violations: list[str]
    uncovered: int
    spread: float  # weighted hours between the most and the least loaded member
    turn: float  # weighted hours of the heaviest slot
    empty: list[str] = field(default_factory=list)  # uncovered slots, with why
    price: int | None = None
    status: str = ""
    seconds: float = 0.0
    own_focus: int | None = None  # makertime's own measure, only to set beside the oracle's

    def cells(self) -> list[str]:
        """The row as table cells."""
        return [self.instance, self.method, f"{self.focus_minutes / 60:,.1f}",
                str(len(self.violations)), str(self.uncovered), f"{self.spread:,.1f}",
                f"{self.spread / self.turn:.2f}",
                "" if self.price is None else f"{self.price / 60:,.1f}", self.status,
                f"{self.seconds:.2f}"]


def seed_of(members: int, weeks: int) -> int:
    """The fixed seed of an instance size."""
    return SEED + 100 * members + weeks


def heaviest_turn(team: Team, slots: Sequence[Slot]) -> float:
    """Weighted hours of the heaviest slot: one turn of the heaviest duty (what a spread of
    ``max_spread = None`` allows)."""
    return max((weighted_hours(team, slot) for slot in slots), default=1.0)


def judge(name: str, method: str, instance: tuple[Team, dict, list[Commitment], Period],
          rotation: Rotation, *, turn: float, seconds: float) -> Row:
    """The checker's and the oracle's view of ``rotation``."""
    team, members, events, period = instance
    held = [(a.member, a.slot) for a in rotation.assignments]
    focus = sum(team_focus(team, members, period, held).values())
    load = loads(team, held)
    solver = method == "solver"
    status = ""
    if solver:
        gap = (None if rotation.bound is None
               else abs(rotation.objective - rotation.bound) / max(1, abs(rotation.objective)))
        status = rotation.status + ("" if gap is None else f" {gap:.2%}")
    broken = check_rotation(team, members, events, period, rotation, reading=DOCUMENTED)
    empty = [f"{u.slot.id}: " + "; ".join(why for _, why in u.blocked)
             for u in rotation.uncovered]
    return Row(name, method, focus, broken, len(rotation.uncovered),
               max(load.values()) - min(load.values()), turn, empty,
               rotation.price_of_fairness if solver else None, status, seconds,
               rotation.team_focus if solver else None)


def run_instance(members: int, weeks: int, time_limit: float) -> list[Row]:
    """The three methods on one generated instance."""
    instance = generate_team(members, weeks, seed_of(members, weeks))
    team, calendars, events, period = instance
    name = f"{members}x{weeks}w"
    slots = expected_slots(team, events, period, DOCUMENTED.within)
    turn = heaviest_turn(team, slots)
    rows: list[Row] = []
    started = time.perf_counter()
    rotation = plan_rotation(team, calendars, events, period, time_limit=time_limit,
                             workers=WORKERS)
    rows.append(judge(name, "solver", instance, rotation, turn=turn,
                      seconds=time.perf_counter() - started))
    for method, fill in (("round-robin", lambda: round_robin(team, slots)),
                         ("oncall", lambda: oncall_default(team, calendars, slots))):
        started = time.perf_counter()
        holders = fill()
        seconds = time.perf_counter() - started
        row = judge(name, method, instance, rotation_of(team, period, slots, holders),
                    turn=turn, seconds=seconds)
        own = evaluate(team, calendars, events, period, holders).team_focus
        rows.append(replace(row, own_focus=own))
    return rows


def solve_only(members: int, weeks: int, time_limit: float) -> None:
    """Generate one instance and solve it (the whole process is timed from outside)."""
    team, calendars, events, period = generate_team(members, weeks, seed_of(members, weeks))
    rotation = plan_rotation(team, calendars, events, period, time_limit=time_limit,
                             workers=WORKERS)
    gap = (None if rotation.bound is None
           else abs(rotation.bound - rotation.objective) / max(1, abs(rotation.objective)))
    print(rotation.status, rotation.objective, rotation.bound,
          "no bound" if gap is None else f"{gap:.4%}")


def whole_process(args: Sequence[str]) -> tuple[float, int, str]:
    """Wall seconds, exit code and last output line of a whole process."""
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    lines = (done.stdout.strip() or done.stderr.strip()).splitlines()
    return time.perf_counter() - started, done.returncode, lines[-1] if lines else ""


def sample_team_plan() -> str:
    """``makertime team plan`` on the bundled sample team (a fresh cache and store), or why it
    was skipped."""
    help_run = subprocess.run([MAKERTIME, "team", "plan", "--help"], capture_output=True,
                              check=False)
    if help_run.returncode != 0:
        return "skipped: this makertime has no `team plan` command yet"
    if not SAMPLE.exists():
        return f"skipped: {SAMPLE.relative_to(ROOT)} is not there yet"
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        done = subprocess.run([MAKERTIME, "team", "plan", str(SAMPLE), "--from", "2026-03-23",
                               "--to", "2026-04-19", "--json", "--db",
                               f"sqlite:///{scratch}/store.db"],
                              capture_output=True, text=True, check=False,
                              env={**os.environ, "XDG_CACHE_HOME": f"{scratch}/cache"})
        seconds = time.perf_counter() - started
    if done.returncode != 0:
        return f"{seconds:.2f} s wall, exit {done.returncode}: {done.stderr.strip()[-80:]}"
    found = json.loads(done.stdout)
    solver = found.get("solver", {})
    return (f"{seconds:.2f} s wall, {len(found.get('assignments', []))} slots held, "
            f"{len(found.get('uncovered', []))} uncovered, {solver.get('status')} in "
            f"{solver.get('seconds')} s of solving")


def sample_team_judged(time_limit: float) -> list[str]:
    """The sample team's rotation in-process, read by makertime's own readers, judged by the
    checker and measured by the oracle."""
    from makertime.app.team_reading import load_team, read_team

    period = Period(date(2026, 3, 23), date(2026, 4, 19))
    with tempfile.TemporaryDirectory() as scratch:
        saved = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = scratch  # read cold, and leave no cache behind
        try:
            inputs = read_team(load_team(SAMPLE), period)
        finally:
            if saved is None:
                del os.environ["XDG_CACHE_HOME"]
            else:
                os.environ["XDG_CACHE_HOME"] = saved
    team, members, events = inputs.team, inputs.members, inputs.events
    rotation = plan_rotation(team, members, events, period, time_limit=time_limit,
                             workers=WORKERS)
    held = [(a.member, a.slot) for a in rotation.assignments]
    focus = sum(team_focus(team, members, period, held).values())
    broken = check_rotation(team, members, events, period, rotation, reading=DOCUMENTED)
    lines = [f"{len(rotation.assignments)} held, {len(rotation.uncovered)} uncovered, "
             f"{len(broken)} violations, oracle focus {focus:,} min (own "
             f"{rotation.team_focus:,}), {rotation.status}"]
    lines += [f"  {line[:120]}" for line in broken[:5]]
    return lines


def by_rule(violations: Sequence[str]) -> dict[str, tuple[int, str]]:
    """Rule → how many times it is broken and the first breach (without the rule)."""
    found: dict[str, tuple[int, str]] = {}
    for line in violations:
        rule, _, text = line.partition(": ")
        count, first = found.get(rule, (0, text))
        found[rule] = (count + 1, first)
    return dict(sorted(found.items(), key=lambda item: int(item[0].split()[-1])))


def mark(ok: bool) -> str:
    """✔ or ✘."""
    return "✔" if ok else "✘"


def goals(rows: Iterable[Row]) -> list[str]:
    """Each goal with whether it is met."""
    by: dict[str, dict[str, Row]] = {}
    for row in rows:
        by.setdefault(row.instance, {})[row.method] = row
    solved = {name: methods["solver"] for name, methods in by.items() if "solver" in methods}
    lines = [f"{mark(all(not r.violations for r in solved.values()))} zero violations for the "
             "solver on every instance"]
    # leaving a slot empty gives its focus back: a win only counts with no more slots empty
    beat = [name for name, r in solved.items()
            if all(r.focus_minutes > by[name][m].focus_minutes
                   and r.uncovered <= by[name][m].uncovered for m in ("round-robin", "oncall"))]
    lines.append(f"{mark(len(beat) == len(solved))} more team focus than both baselines, with "
                 f"no more slots uncovered, on every instance ({len(beat)} of {len(solved)})")
    fair = [name for name, r in solved.items() if r.spread <= r.turn + 1e-6]
    lines.append(f"{mark(len(fair) == len(solved))} weighted-load spread <= 1 turn of the "
                 f"heaviest duty ({len(fair)} of {len(solved)})")
    big = solved.get(f"{BIG[0]}x{BIG[1]}w")
    if big is not None:
        gap_text = big.status.rpartition(" ")[2]
        gap = float(gap_text.rstrip("%")) / 100 if gap_text.endswith("%") else None
        ok = gap is not None and gap <= BIG_GAP and big.seconds <= BIG_SECONDS
        lines.append(f"{mark(ok)} {BIG[0]}x{BIG[1]}w within {BIG_GAP:.0%} of the bound in <= "
                     f"{BIG_SECONDS:g} s of solving (status {big.status}, {big.seconds:.2f} s)")
    return lines


def main(argv: Sequence[str]) -> None:
    """Run the benchmark and print its table and goals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the 6x4w instance")
    parser.add_argument("--time-limit", type=float, default=TIME_LIMIT)
    parser.add_argument("--solve-only", nargs=2, type=int, metavar=("MEMBERS", "WEEKS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.solve_only:
        solve_only(*args.solve_only, args.time_limit)
        return
    sizes = SIZES[:1] if args.quick else SIZES
    rows = [row for size in sizes for row in run_instance(*size, args.time_limit)]
    header = ["instance", "method", "focus h", "violations", "uncovered", "spread h",
              "spread turns", "PoF h", "status/gap", "s"]
    per = len(rows) // len(sizes)
    print_rows([header, *(r.cells() for r in rows)], left_first=True,
               rules_after=range(0, len(rows), per))
    print("\nviolations by rule (the first of each):")
    for row in rows:
        for rule, (count, first) in by_rule(row.violations).items():
            print(f"  {row.instance:7} {row.method:11} {rule} ×{count}: {first[:90]}")
    print("\nmakertime's own team focus (the rotation's, evaluate's) against the oracle's "
          "(makertime adds up each duty's cost alone, which holds only when no two overlap):")
    for row in rows:
        if row.own_focus is not None:
            agree = "equal" if row.own_focus == row.focus_minutes else "DIFFERENT"
            print(f"  {row.instance:7} {row.method:11} own {row.own_focus:,} min, oracle "
                  f"{row.focus_minutes:,} min: {agree}")
    print("\nslots the solver left uncovered, and why:")
    for row in rows:
        for line in row.empty if row.method == "solver" else ():
            print(f"  {row.instance:7} {line[:150]}")
    whole = ""
    if not args.quick:
        seconds, code, last = whole_process([sys.executable, __file__, "--solve-only",
                                             *map(str, BIG), "--time-limit", str(BIG_LIMIT)])
        print(f"\n{BIG[0]}x{BIG[1]}w as a whole process (generate, import, solve with "
              f"--time-limit {BIG_LIMIT:g}): {seconds:.2f} s wall, exit {code}: {last[:80]}")
        gap_text = last.rpartition(" ")[2]
        gap = float(gap_text.rstrip("%")) / 100 if gap_text.endswith("%") else None
        ok = code == 0 and gap is not None and gap <= BIG_GAP and seconds <= BIG_SECONDS
        whole = (f"{mark(ok)} {BIG[0]}x{BIG[1]}w within {BIG_GAP:.0%} of the bound in <= "
                 f"{BIG_SECONDS:g} s as a whole process ({gap_text}, {seconds:.2f} s)")
    print(f"sample team, `makertime team plan` 2026-03-23..2026-04-19: {sample_team_plan()}")
    if SAMPLE.exists():
        for line in sample_team_judged(args.time_limit):
            print(f"sample team, in-process, judged: {line}")
    print()
    for line in goals(rows):
        print(line)
    if whole:
        print(whole)


if __name__ == "__main__":
    main(sys.argv[1:])
