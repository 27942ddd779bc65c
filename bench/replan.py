"""Benchmark: repairing a 2-week plan after one interruption mid-week, against replanning the
future from scratch.

For each seed, the ``gen_plan.py`` instance of 2 weeks is written to a temporary folder, read
back through makertime's own readers and planned with ``plan_commitments`` on one worker (the
default time limit and gap). Then, as of Wednesday of the first week at 13:00 (Europe/Zagreb):

- **hit**: an interruption of 40-60 min lands inside the first deep block that starts after
  then, so that block must move;
- **free**: an interruption of the same length lands in free time, touching no block (nor, with
  its buffer, any deep block), so nothing needs to move.

The tasks' estimates are reduced by ``worked_minutes`` (the plan's blocks since the period began),
and the future is repaired with ``replan(..., stable=True)`` on one worker and on every core (the
CLI's default), and with ``replan(..., stable=False)`` (from scratch; the same options). Each time
is the median of ``--runs`` in-process calls, after OR-Tools is imported. Goals: the stable repair
takes ≤ 1 s, and moves ≤ 10% of the future blocks.

Prints a table per seed and the medians. Always exits 0: a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from gen_plan import ZONE, build_instance, write_instance  # noqa: E402
from makertime.calendars import read_calendars  # noqa: E402
from makertime.classify import commitments  # noqa: E402
from makertime.inputs import reach  # noqa: E402
from makertime.model import Commitment, Interval, Period, Task  # noqa: E402
from makertime.plan import Block, BlockKind, PlanOptions, PlanResult, plan_commitments  # noqa: E402
from makertime.plan.replan import ChangeKind, Edits, Repair, replan, worked_minutes  # noqa: E402
from makertime.policy import Policy, load_policy  # noqa: E402
from makertime.tasks import load_tasks  # noqa: E402
from plan import print_versions  # noqa: E402
from tables import print_rows  # noqa: E402

SEEDS = (20260316, 20260401, 20260402, 20260403, 20260404)
GOAL_SECONDS = 1.0
GOAL_SHARE = 0.10
ONE = PlanOptions(workers=1)
CORES = PlanOptions()  # workers=None: every core, as the CLI does by default


@dataclass(frozen=True)
class Week:
    """A generated, planned 2-week instance."""

    seed: int
    policy: Policy
    found: tuple[Commitment, ...]
    tasks: tuple[Task, ...]
    period: Period
    plan: PlanResult
    plan_seconds: float


@dataclass
class Outcome:
    """One scenario of one seed: what the stable repair and the from-scratch replan gave."""

    seed: int
    scenario: str
    interruption: Interval | None = None
    hit: Block | None = None
    future: int = 0
    stable_one: float = 0.0
    stable_cores: float = 0.0
    scratch_one: float = 0.0
    stable: Repair | None = None
    scratch: Repair | None = None
    error: str = ""
    misses: list[str] = field(default_factory=list)

    def judge(self) -> bool:
        """Whether the stable repair met both goals; the misses are kept for the report."""
        if self.error or self.stable is None:
            self.misses.append(self.error or "no repair")
            return False
        slowest = max(self.stable_one, self.stable_cores)
        if slowest > GOAL_SECONDS:
            self.misses.append(f"stable repair {slowest:.2f} s > {GOAL_SECONDS:g} s")
        if self.stable.moved_share > GOAL_SHARE:
            self.misses.append(f"stable repair moved {self.stable.moved_share:.0%} > "
                               f"{GOAL_SHARE:.0%}")
        return not self.misses


def load_week(seed: int, folder: Path) -> Week:
    """The 2-week instance of ``seed``, written, read back and planned on one worker."""
    instance = build_instance(2, seed)
    files = write_instance(instance, folder / f"replan-{seed}")
    policy = load_policy(files.policy)
    period = Period(instance.first, instance.last)
    margin = reach(policy)
    reads = read_calendars([str(files.calendar)], period.first - margin, period.last + margin)
    found = tuple(commitments(reads, policy))
    tasks = tuple(load_tasks(files.tasks, policy.timezone))
    started = time.perf_counter()
    plan = plan_commitments(found, tasks, policy, period, options=ONE)
    return Week(seed, policy, found, tasks, period, plan, time.perf_counter() - started)


def mid_week(week: Week) -> datetime:
    """Wednesday of the first week, 13:00 local."""
    wednesday = week.period.first + timedelta(days=2)
    return datetime(wednesday.year, wednesday.month, wednesday.day, 13, tzinfo=ZONE).astimezone(UTC)


def in_a_deep_block(week: Week, now: datetime, minutes: int) -> tuple[Interval, Block] | None:
    """An interruption 30 minutes into the first deep block that starts at or after ``now``."""
    for block in week.plan.work_blocks:
        if block.kind is BlockKind.DEEP and block.span.start >= now:
            start = block.span.start + timedelta(minutes=30)
            return Interval(start, start + timedelta(minutes=minutes)), block
    return None


def in_free_time(week: Week, now: datetime, minutes: int) -> Interval | None:
    """The first time after ``now`` inside a work window where an interruption of ``minutes``
    overlaps no commitment and no block, and no deep block starts within the buffer after it."""
    busy = [c.span for c in week.found] + [b.span for b in week.plan.work_blocks]
    deep = [b.span for b in week.plan.work_blocks if b.kind is BlockKind.DEEP]
    buffer = timedelta(minutes=week.policy.sync.buffer_after_minutes)
    last = datetime(week.period.last.year, week.period.last.month, week.period.last.day,
                    tzinfo=ZONE)
    start = now + timedelta(minutes=30)
    while start < last:
        local = start.astimezone(ZONE)
        span = Interval(start, start + timedelta(minutes=minutes))
        after = Interval(span.end, span.end + buffer)
        inside = (local.weekday() < 5 and local.hour >= 9
                  and span.end.astimezone(ZONE) <= local.replace(hour=17, minute=0))
        if inside and not any(other.clip(span) for other in busy) \
                and not any(other.clip(after) for other in deep):
            return span
        start += timedelta(minutes=15)
    return None


def as_of(week: Week, now: datetime, lost: list[Interval]) -> list[Task]:
    """The tasks as of ``now``: each estimate less the minutes its blocks took so far."""
    first = week.period.first
    since = datetime(first.year, first.month, first.day, tzinfo=ZONE)
    worked = worked_minutes(week.plan.blocks, Edits(), {t.id: since for t in week.tasks}, now,
                            lost)
    return [replace(t, estimate_minutes=max(0, t.estimate_minutes - worked.get(t.id, 0)))
            for t in week.tasks]


def timed(runs: int, call: Callable[[], Repair]) -> tuple[float, Repair]:
    """Median seconds of ``runs`` calls of ``call`` and the repair it gave."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def run(week: Week, scenario: str, runs: int) -> Outcome:
    """Interrupt ``week`` mid-week as ``scenario`` says, then repair it three ways."""
    outcome = Outcome(week.seed, scenario)
    now = mid_week(week)
    minutes = random.Random(week.seed).choice((40, 45, 50, 60))
    if scenario == "hit":
        found = in_a_deep_block(week, now, minutes)
        if found is None:
            outcome.error = "no deep block after Wednesday 13:00"
            return outcome
        outcome.interruption, outcome.hit = found
    else:
        outcome.interruption = in_free_time(week, now, minutes)
        if outcome.interruption is None:
            outcome.error = "no free time after Wednesday 13:00"
            return outcome
    call = Commitment(summary="interruption", span=outcome.interruption,
                      uid=f"bench-{week.seed}-{scenario}", source="interruption")
    found = [*week.found, call]
    tasks = as_of(week, now, [])
    outcome.future = sum(1 for b in week.plan.work_blocks if b.span.start >= now)

    def repair(stable: bool, options: PlanOptions) -> Repair:
        return replan(week.plan.blocks, found, tasks, week.policy, week.period, now=now,
                      options=options, stable=stable)

    outcome.stable_one, outcome.stable = timed(runs, lambda: repair(True, ONE))
    outcome.stable_cores, _ = timed(runs, lambda: repair(True, CORES))
    outcome.scratch_one, outcome.scratch = timed(runs, lambda: repair(False, ONE))
    return outcome


def unscheduled(repair: Repair | None) -> int:
    return 0 if repair is None else sum(u.minutes for u in repair.plan.unscheduled)


def share(repair: Repair | None) -> str:
    return "-" if repair is None else f"{repair.moved_share:.0%}"


def row(o: Outcome, ok: bool) -> tuple[str, ...]:
    if o.error:
        return (str(o.seed), o.scenario, "-", "-", "-", "-", "-", "-", "-", "ERROR")
    return (str(o.seed), o.scenario, str(o.future), f"{o.stable_one:.3f}",
            f"{o.stable_cores:.3f}", f"{o.scratch_one:.3f}",
            f"{share(o.stable)} / {share(o.scratch)}",
            f"{unscheduled(o.stable)} / {unscheduled(o.scratch)}",
            o.stable.plan.solver.status if o.stable else "-", "PASS" if ok else "FAIL")


def median_row(label: str, outcomes: list[Outcome]) -> tuple[str, ...]:
    done = [o for o in outcomes if not o.error and o.stable and o.scratch]
    if not done:
        return ("median", label, *["-"] * 8)

    def mid(values: list[float]) -> float:
        return statistics.median(values)

    return ("median", label, f"{mid([o.future for o in done]):g}",
            f"{mid([o.stable_one for o in done]):.3f}",
            f"{mid([o.stable_cores for o in done]):.3f}",
            f"{mid([o.scratch_one for o in done]):.3f}",
            f"{mid([o.stable.moved_share for o in done if o.stable]):.0%} / "
            f"{mid([o.scratch.moved_share for o in done if o.scratch]):.0%}",
            f"{mid([unscheduled(o.stable) for o in done]):g} / "
            f"{mid([unscheduled(o.scratch) for o in done]):g}", "", "")


def print_table(outcomes: list[Outcome]) -> None:
    """One row per seed and scenario, then the medians, then what missed its goal."""
    header = ("seed", "case", "future blocks", "stable s (1 worker)",
              f"stable s ({os.cpu_count()} cores)", "scratch s (1 worker)",
              "moved stable / scratch", "unscheduled min stable / scratch", "stable status",
              "goal")
    rows = [header]
    met = 0
    for o in outcomes:
        ok = o.judge()
        met += ok
        rows.append(row(o, ok))
    for scenario in ("hit", "free"):
        rows.append(median_row(scenario, [o for o in outcomes if o.scenario == scenario]))
    print_rows(rows, rules_after=(0, len(outcomes)))
    print(f"goals met: {met} of {len(outcomes)} (each: the stable repair in <= {GOAL_SECONDS:g} s "
          f"on 1 worker and on every core, and <= {GOAL_SHARE:.0%} of the future blocks moved)")
    for o in outcomes:
        if o.misses:
            print(f"  seed {o.seed} {o.scenario}: " + "; ".join(o.misses))


def print_details(weeks: list[Week], outcomes: list[Outcome]) -> None:
    """Where each interruption landed and what the stable repair changed."""
    plans = {w.seed: w for w in weeks}
    for o in outcomes:
        week = plans[o.seed]
        if o.error or o.interruption is None or o.stable is None:
            continue
        start = o.interruption.start.astimezone(ZONE)
        hit = ""
        if o.hit is not None:
            first, end = o.hit.span.start.astimezone(ZONE), o.hit.span.end.astimezone(ZONE)
            hit = f", inside {o.hit.task}'s deep block {first:%a %H:%M}-{end:%H:%M}"
        counts: dict[str, int] = {}
        for change in o.stable.changes:
            counts[change.kind.value] = counts.get(change.kind.value, 0) + 1
        changes = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "no change"
        moved = [c for c in o.stable.changes if c.kind is ChangeKind.MOVED and c.after]
        where = "".join(f"; moved to {c.after.span.start.astimezone(ZONE):%a %d %H:%M}"
                        for c in moved if c.after)
        print(f"  seed {o.seed} {o.scenario}: plan {week.plan_seconds:.2f} s "
              f"({week.plan.solver.status}, {len(week.tasks)} tasks); interruption "
              f"{start:%a %d %H:%M}, {o.interruption.minutes} min{hit}; stable: {changes}{where}")


def main() -> int:
    """Generate, plan, interrupt, repair, print. Always 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed calls per figure (median)")
    parser.add_argument("--seeds", type=int, default=len(SEEDS), help="how many seeds to run")
    options = parser.parse_args()
    runs = max(1, options.runs)
    weeks: list[Week] = []
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="makertime-bench-replan-") as temp:
        for seed in SEEDS[:max(1, options.seeds)]:
            print(f"planning seed {seed} (2 weeks) and repairing it ...", flush=True)
            try:
                week = load_week(seed, Path(temp))
            except Exception as error:  # noqa: BLE001 (a crash is a result to report)
                outcomes += [Outcome(seed, s, error=f"plan failed: {error!r}")
                             for s in ("hit", "free")]
                continue
            weeks.append(week)
            for scenario in ("hit", "free"):
                try:
                    outcomes.append(run(week, scenario, runs))
                except Exception as error:  # noqa: BLE001
                    outcomes.append(Outcome(seed, scenario, error=f"replan failed: {error!r}"))
    print()
    print_versions()
    print()
    print_table(outcomes)
    print_details(weeks, outcomes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
