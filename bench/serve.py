"""Benchmark: ``makertime serve`` under load — 20 people reading their week and tasks while the
plan is repaired and published to a real CalDAV server every 2 s — against the command line.

Set-up, all on 127.0.0.1: a real Radicale (``tests/support/radicale.py``) in a temporary folder;
a SQLite store there holding the sample week planned as of Monday 2026-03-23 08:00 and
published to a calendar on that Radicale; then ``makertime serve`` as a subprocess on a free
port (``--now``, one search worker, a 5 s time limit).

Load: ``--clients`` threads, each with its own keep-alive ``httpx.Client``, alternate
``GET /api/v1/week`` and ``GET /api/v1/tasks`` for ``--seconds`` (closed loop: the next request
goes as soon as the answer is in, or after an exponential pause of mean ``--think`` ms); one
more thread POSTs ``/api/v1/replan {"publish": true}`` every ``--replan-every`` seconds (at once
when one ran late). Threads, not asyncio: the load and the server share the machine's cores,
and a blocking client costs less CPU per request than ``httpx.AsyncClient`` on an event loop
(blocking socket calls release the GIL), and each thread is one person's closed loop.

Baselines, in the same run, before the server starts: the same operations through the command
line as whole processes (``tasks``, ``replan --publish``, and ``replan --dry-run --json`` as the
nearest to the week: no command prints the week view), and the routes' own functions called
in-process on an open store (no HTTP, no response validation).

Goals: no errors; p95 <= 50 ms for each read; p95 <= 1.5 s for replan + publish. Prints the
tables and whether each goal is met. Always exits 0: a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

import httpx

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

from tests.support.radicale import free_port, running_radicale  # noqa: E402

from tables import print_rows, versions  # noqa: E402

MAKERTIME = str(Path(sys.executable).parent / "makertime")
HOST = "127.0.0.1"
NOW = "2026-03-23T08:00"
SEED = 20260323
TIME_LIMIT = "5"
READS = ("GET /week", "GET /tasks")
REPLAN = "POST /replan"
PATHS = {"GET /week": "/api/v1/week", "GET /tasks": "/api/v1/tasks", REPLAN: "/api/v1/replan"}
GOALS = {"GET /week": 0.050, "GET /tasks": 0.050, REPLAN: 1.5}
LIBRARIES = ("makertime", "fastapi", "starlette", "uvicorn", "pydantic", "SQLAlchemy", "httpx",
             "Radicale", "ortools")
START_SECONDS = 30
REQUEST_TIMEOUT = 60.0
REPLANS = 5  # in-process replans with publish, the floor of the replan route


@dataclass(frozen=True, slots=True)
class Sample:
    """One request: its route, when it started (s since the load began), how long it took,
    and its status (0 for an exception, named in ``error``)."""

    route: str
    at: float
    seconds: float
    status: int
    error: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass
class Load:
    """What the load threads recorded, and the CPU seconds spent while it ran."""

    samples: list[Sample] = field(default_factory=list)
    wall: float = 0.0
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    first_replan: float = 0.0


def bounded(kind: Callable[[str], float], low: float, high: float) -> Callable[[str], float]:
    """An argparse type: ``kind`` of the text, refused outside [low, high]."""
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value:g} is not from {low:g} to {high:g}")
        return value
    return parse


def loopback(url: str) -> str:
    """``url`` itself, refused unless it is on 127.0.0.1: this benchmark loads nothing else."""
    if urlsplit(url).hostname != HOST:
        raise SystemExit(f"refused: {url} is not on {HOST}")
    return url


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (no interpolation: a value that was measured)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` and of the processes it started (the
    server's worker processes), so far (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(cpu_seconds(int(child)) for child in children)


def run_cli(args: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one ``makertime`` process, stdout to /dev/null; an error if it failed."""
    started = time.perf_counter()
    done = subprocess.run([MAKERTIME, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=env, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        tail = " | ".join(done.stderr.decode(errors="replace").strip().splitlines()[-3:])
        raise RuntimeError(f"makertime {args[0]}: exit {done.returncode}: {tail}")
    return elapsed


def cli_baseline(db: str, env: dict[str, str], runs: int) -> dict[str, list[float]]:
    """The command line's figures: one unmeasured round, then ``runs`` rounds in turn."""
    commands = {
        "makertime tasks": ["tasks", "--db", db, "--now", NOW],
        "makertime replan --dry-run --json": ["replan", "--dry-run", "--json", "--db", db,
                                              "--now", NOW, "--workers", "1",
                                              "--time-limit", TIME_LIMIT],
        "makertime replan --publish": ["replan", "--publish", "--db", db, "--now", NOW,
                                       "--workers", "1", "--time-limit", TIME_LIMIT],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_number in range(runs + 1):
        for name, args in commands.items():
            elapsed = run_cli(args, env)
            if round_number:
                times[name].append(elapsed)
    return times


def in_process(db: str, calls: int) -> dict[str, list[float]]:
    """The routes' own functions on an open store, without HTTP or response validation, and
    ``REPLANS`` replans with publish (the same call the replan route makes)."""
    from makertime import app as ops
    from makertime.app.week_view import week_view
    from makertime.store import open_store
    from makertime.web.shapes import task_json, week_json

    def tasks(store: object) -> object:
        listed = ops.task_list(now=NOW, db=store)  # type: ignore[arg-type]
        return [task_json(row, listed.now) for row in listed.rows]

    times: dict[str, list[float]] = {route: [] for route in (*READS, REPLAN)}
    with open_store(db) as store:
        route: Callable[[], object]
        # what each route calls, and the JSON it builds
        for name, route in (("GET /week", lambda: week_json(week_view(now=NOW, db=store))),
                            ("GET /tasks", lambda: tasks(store))):
            route()
            for _ in range(calls):
                started = time.perf_counter()
                route()
                times[name].append(time.perf_counter() - started)
        for _ in range(REPLANS):
            started = time.perf_counter()
            ops.replan(publish=True, now=NOW, time_limit=float(TIME_LIMIT), workers=1,
                       db=store)
            times[REPLAN].append(time.perf_counter() - started)
    return times


@contextmanager
def serving(db: str, folder: Path, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """``makertime serve`` on a free loopback port until the block ends: its URL and pid."""
    port = free_port()
    base = loopback(f"http://{HOST}:{port}")
    log = (folder / "serve.log").open("wb")
    process = subprocess.Popen(
        [MAKERTIME, "serve", "--host", HOST, "--port", str(port), "--db", db, "--now", NOW,
         "--workers", "1", "--time-limit", TIME_LIMIT],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        wait_until_answering(base, process, folder)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def wait_until_answering(base: str, process: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    with httpx.Client(base_url=base, timeout=1, trust_env=False) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                log = (folder / "serve.log").read_text(errors="replace")
                raise RuntimeError(f"makertime serve exited with {process.returncode}:\n{log}")
            try:
                if client.get(PATHS["GET /week"]).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
    raise RuntimeError(f"makertime serve did not answer at {base} within {START_SECONDS} s")


def timed(client: httpx.Client, route: str) -> Sample:
    """One request of ``route``, timed from sending to the whole body read."""
    started = time.perf_counter()
    try:
        if route == REPLAN:
            response = client.post(PATHS[route], json={"publish": True})
        else:
            response = client.get(PATHS[route])
        response.read()
    except httpx.HTTPError as error:
        return Sample(route, started, time.perf_counter() - started, 0, type(error).__name__)
    elapsed = time.perf_counter() - started
    said = "" if response.is_success else response.text[:200]
    return Sample(route, started, elapsed, response.status_code, said)


@dataclass
class Window:
    """When the load runs: set once, by the last thread to be ready (the barrier's action)."""

    seconds: float
    start: float = 0.0
    until: float = 0.0

    def open(self) -> None:
        self.start = time.perf_counter()
        self.until = self.start + self.seconds

    def open_now(self) -> bool:
        return time.perf_counter() < self.until


@dataclass(frozen=True, slots=True)
class Crowd:
    """What every load thread shares: the server, the window, the start line, the stop."""

    base: str
    window: Window
    ready: threading.Barrier
    stop: threading.Event
    think: float  # mean seconds of a pause after a read (0: none)
    seed: int
    every: float  # seconds between replans

    def client(self) -> httpx.Client:
        """A keep-alive client of the server (no proxy from the environment: loopback only)."""
        return httpx.Client(base_url=self.base, timeout=REQUEST_TIMEOUT, trust_env=False)


def reader(crowd: Crowd, index: int, out: list[Sample]) -> None:
    """One person: week, tasks, week, ... while the window is open (odd ones start with
    tasks); a pause of mean ``think`` s (exponential, seeded) after each answer."""
    rng = random.Random(crowd.seed + index)
    with crowd.client() as client:
        crowd.ready.wait()
        turn = index % 2
        while not crowd.stop.is_set() and crowd.window.open_now():
            out.append(timed(client, READS[turn]))
            turn = 1 - turn
            if crowd.think:
                crowd.stop.wait(rng.expovariate(1 / crowd.think))


def replanner(crowd: Crowd, out: list[Sample]) -> None:
    """POST a replan with publish every ``every`` s (at once when the last one ran late)."""
    with crowd.client() as client:
        crowd.ready.wait()
        due = crowd.window.start
        while not crowd.stop.is_set():
            crowd.stop.wait(max(0.0, due - time.perf_counter()))
            if crowd.stop.is_set() or not crowd.window.open_now():
                return
            out.append(timed(client, REPLAN))
            due = max(due + crowd.every, time.perf_counter())


def warm_up(base: str) -> float:
    """A few untimed reads and one replan (the server's first imports the solver): its s."""
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT, trust_env=False) as client:
        for _ in range(5):
            for route in READS:
                timed(client, route)
        first = timed(client, REPLAN)
    if not first.ok:
        raise RuntimeError(f"the warm-up replan failed: {first.status} {first.error}")
    return first.seconds


def run_load(base: str, pid: int, options: argparse.Namespace, stop: threading.Event) -> Load:
    """The readers and the replanner for ``--seconds``, every request recorded."""
    clients = int(options.clients)
    window = Window(options.seconds)
    crowd = Crowd(base, window, threading.Barrier(clients + 2, action=window.open), stop,
                  options.think / 1000, int(options.seed), options.replan_every)
    outs: list[list[Sample]] = [[] for _ in range(clients + 1)]
    threads = [threading.Thread(target=reader, args=(crowd, i, outs[i]), daemon=True)
               for i in range(clients)]
    threads.append(threading.Thread(target=replanner, args=(crowd, outs[-1]), daemon=True))
    for thread in threads:
        thread.start()
    result = Load()
    server_before, client_before = cpu_seconds(pid), time.process_time()
    crowd.ready.wait()
    for thread in threads:
        thread.join()
    result.wall = time.perf_counter() - window.start
    result.server_cpu = cpu_seconds(pid) - server_before
    result.client_cpu = time.process_time() - client_before
    result.samples = [s for out in outs for s in out]
    return result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}" if seconds < 10 else f"{seconds * 1000:.0f}"


def print_load(result: Load, options: argparse.Namespace) -> list[str]:
    """The server's table, route by route, with the goals; returns the goals missed."""
    header = ("route", "count", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms", "req/s",
              "goal", "result")
    rows = [header]
    misses: list[str] = []
    for route in (*READS, REPLAN):
        samples = [s for s in result.samples if s.route == route]
        errors = sum(not s.ok for s in samples)
        if not samples:
            rows.append((route, "0", "0", "-", "-", "-", "-", "-", "", "NOT met"))
            misses.append(f"{route}: no request finished")
            continue
        seconds = [s.seconds for s in samples]
        p95 = percentile(seconds, 0.95)
        ok = p95 <= GOALS[route] and not errors
        if not ok:
            misses.append(f"{route}: p95 {ms(p95)} ms (goal <= {ms(GOALS[route])} ms), "
                          f"{errors} errors")
        rows.append((route, str(len(samples)), str(errors), ms(percentile(seconds, 0.5)),
                     ms(p95), ms(percentile(seconds, 0.99)), ms(max(seconds)),
                     f"{len(samples) / result.wall:.1f}",
                     f"p95 <= {ms(GOALS[route])} ms, 0 errors", "met" if ok else "NOT met"))
    every = [s.seconds for s in result.samples]
    total_errors = sum(not s.ok for s in result.samples)
    rows.append(("all", str(len(every)), str(total_errors),
                 ms(percentile(every, 0.5)) if every else "-",
                 ms(percentile(every, 0.95)) if every else "-",
                 ms(percentile(every, 0.99)) if every else "-",
                 ms(max(every)) if every else "-", f"{len(every) / result.wall:.1f}", "", ""))
    think = f"think {options.think:g} ms (exponential)" if options.think else "no think time"
    print(f"server under load: {int(options.clients)} clients (week/tasks alternately, {think}) "
          f"+ 1 replan --publish every {options.replan_every:g} s, {result.wall:.1f} s")
    print_rows(rows, left_first=True, rules_after=(0, 3))
    cores = os.cpu_count() or 1
    print(f"CPU while loaded: server {result.server_cpu:.1f} s "
          f"({result.server_cpu / result.wall / cores:.0%} of {cores} cores), load generator "
          f"{result.client_cpu:.1f} s ({result.client_cpu / result.wall / cores:.0%}); "
          f"first replan after start (warm-up, not counted) {ms(result.first_replan)} ms")
    reads = [s for s in result.samples if s.route != REPLAN]
    if reads:
        rate = len(reads) / result.wall
        print(f"  closed loop: mean read latency = clients / reads per second (Little's law) = "
              f"{int(options.clients)} / {rate:.0f} = "
              f"{ms(statistics.mean(s.seconds for s in reads))} ms measured; server CPU "
              f"{ms(result.server_cpu / len(result.samples))} ms per request")
    print_overlap(result.samples)
    seen: dict[str, int] = {}
    for sample in result.samples:
        if not sample.ok:
            key = f"{sample.route} {sample.status or 'exception'}: {sample.error}"
            seen[key] = seen.get(key, 0) + 1
    for key, count in sorted(seen.items(), key=lambda item: -item[1])[:5]:
        print(f"  {count} x {key}")
    return misses


def print_overlap(samples: list[Sample]) -> None:
    """Reads that overlapped a replan against the rest: what a replan costs the readers."""
    spans = [(s.at, s.at + s.seconds) for s in samples if s.route == REPLAN]
    during: list[float] = []
    apart: list[float] = []
    for sample in samples:
        if sample.route != REPLAN:
            end = sample.at + sample.seconds
            hit = any(sample.at < stop and end > start for start, stop in spans)
            (during if hit else apart).append(sample.seconds)
    for label, values in (("while a replan ran", during), ("with no replan running", apart)):
        if values:
            print(f"  reads {label}: {len(values)}, p50 {ms(percentile(values, 0.5))} ms, "
                  f"p95 {ms(percentile(values, 0.95))} ms")


def print_baselines(result: Load, cli: dict[str, list[float]],
                    direct: dict[str, list[float]]) -> None:
    """The server's figures beside the command line's and the in-process calls'."""
    served = {route: [s.seconds for s in result.samples if s.route == route and s.ok]
              for route in (*READS, REPLAN)}
    pairs = (("GET /week", "makertime replan --dry-run --json"),
             ("GET /tasks", "makertime tasks"),
             (REPLAN, "makertime replan --publish"))
    header = ("operation", "server p50 ms", "server p95 ms", "in-process p50 ms",
              "in-process p95 ms", "command line", "runs", "cli p50 ms", "cli p95 ms")
    rows = [header]
    for route, command in pairs:
        here, alone, whole = served[route], direct.get(route, []), cli.get(command, [])

        def cell(values: list[float], share: float) -> str:
            return ms(percentile(values, share)) if values else "-"

        rows.append((route, cell(here, 0.5), cell(here, 0.95), cell(alone, 0.5),
                     cell(alone, 0.95), command, str(len(whole)), cell(whole, 0.5),
                     cell(whole, 0.95)))
    print("the same operations: server under load; in-process, one at a time, the route's own "
          "function (no HTTP, no response validation; replan: app.replan with publish); the "
          "command line, a whole process each")
    print_rows(rows, left_first=True)
    print("  no command prints the week view: replan --dry-run --json is the nearest (it also "
          "re-reads the sources and searches)")


def print_versions(options: argparse.Namespace) -> None:
    print(f"python {platform.python_version()}, {platform.system()} {platform.machine()}, "
          f"{os.cpu_count()} CPUs; seed {options.seed}")
    print(versions(LIBRARIES))


def planned_store(folder: Path, env: dict[str, str]) -> tuple[str, str]:
    """A SQLite store with the sample week planned and published to a new calendar on the
    Radicale of ``env``: the store's URL and the calendar's."""
    from makertime.app.demo import sample_store

    target = loopback(env["BENCH_CALENDAR"])
    os.environ.update(env)  # the in-process plan logs in as the subprocesses will
    return sample_store(folder, publish=target, team=False).db, target


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=bounded(float, 1, 300), default=30.0,
                        help="how long the load runs (1-300; default 30)")
    parser.add_argument("--clients", type=bounded(int, 1, 64), default=20,
                        help="concurrent readers (1-64; default 20)")
    parser.add_argument("--replan-every", type=bounded(float, 0.5, 60), default=2.0,
                        help="seconds between replans with publish (0.5-60; default 2)")
    parser.add_argument("--think", type=bounded(float, 0, 10_000), default=0.0,
                        help="mean pause after each read, ms (0-10000; default 0: closed loop)")
    parser.add_argument("--seed", type=bounded(int, 0, 2**32 - 1), default=SEED,
                        help=f"seed of the pauses (default {SEED})")
    parser.add_argument("--cli-runs", type=bounded(int, 1, 20), default=5,
                        help="measured runs of each command line figure (1-20; default 5)")
    return parser.parse_args()


def python_handles_ctrl_c() -> None:
    """Give SIGINT back to Python: an in-process CP-SAT solve leaves its own handler, which
    ends the process at once (exit 130), with no clean-up."""
    signal.signal(signal.SIGINT, signal.default_int_handler)


def stop_on_term(stop: threading.Event) -> None:
    """SIGTERM ends the run as Ctrl-C does: every process stopped, every folder removed."""
    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def main() -> int:
    """Set up, measure the baselines, load the server, print. Always 0."""
    options = parse_options()
    stop = threading.Event()
    stop_on_term(stop)
    try:
        with ExitStack() as stack:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(
                prefix="makertime-bench-serve-")))
            (folder / "radicale").mkdir()
            radicale = stack.enter_context(running_radicale(folder / "radicale"))
            loopback(radicale.base_url)
            env = {**os.environ, "NETRC": os.devnull, "XDG_CACHE_HOME": str(folder / "cache"),
                   "MAKERTIME_CALDAV_USERNAME": radicale.credentials.username,
                   "MAKERTIME_CALDAV_PASSWORD": radicale.credentials.password,
                   "BENCH_CALENDAR": radicale.unused_calendar_url()}
            print(f"planning the sample week and publishing it to {env['BENCH_CALENDAR']} ...",
                  flush=True)
            db, _ = planned_store(folder, env)
            python_handles_ctrl_c()
            print(f"command line: {int(options.cli_runs)} runs of each, after one warm-up ...",
                  flush=True)
            cli = cli_baseline(db, env, int(options.cli_runs))
            direct = in_process(db, 50)
            python_handles_ctrl_c()
            print(f"serving, then loading for {options.seconds:g} s ...", flush=True)
            base, pid = stack.enter_context(serving(db, folder, env))
            first = warm_up(base)
            result = run_load(base, pid, options, stop)
            result.first_replan = first
    except KeyboardInterrupt:
        stop.set()
        print("\ninterrupted: every process stopped, the temporary folder removed")
        return 0
    print()
    print_versions(options)
    print()
    misses = print_load(result, options)
    print()
    print_baselines(result, cli, direct)
    goals = len(GOALS)
    print(f"\ngoals met: {goals - len(misses)} of {goals} (0 errors and p95 <= 50 ms for each "
          f"read; 0 errors and p95 <= 1.5 s for replan + publish)")
    for miss in misses:
        print(f"  NOT met: {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
