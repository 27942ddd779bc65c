"""Publishing through a hostile network, for real: a fault-injecting proxy (``fault_proxy``) in
front of the session's Radicale answers at random 500, 503, a 412 it made up, or forwards a
write and drops the connection before the answer; real ``makertime`` processes go through it and
are killed with SIGKILL at a random request, before it is sent or after its answer.

Each campaign (on SQLite, then PostgreSQL) plans a week and publishes it, then several rounds of
a publish or a replan under faults, each followed by the person moving and deleting blocks
directly on Radicale. One clean publish later:

- no UID and no block is on the calendar twice;
- every block of the current plan is there, except those the person deleted;
- the blocks the person deleted stay deleted, and nothing they did not delete is declined;
- nothing of makertime's is there that is neither planned nor moved by the person;
- the person's own events, and the blocks they moved, are byte for byte what they wrote;
- the store records exactly what is on the calendar, with no intention and no lock left.

The person deletes only blocks makertime has seen (the store records them) and has no write
pending on: the rule is that a block counts as the person's deletion only when makertime saw it
and then saw it gone; a block a killed run created and never recorded may come back.

Everything is bounded: the proxy and Radicale listen on loopback only, every request and every
process has a timeout, and the dice have fixed seeds, so every run of the test is the same.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import icalendar
import pytest

import makertime.publish.retry
from makertime.sample import sample_path
from makertime.store import open_store
from tests.support.fault_proxy import FaultProxy, Rates, running_proxy
from tests.support.publish import DENTIST
from tests.support.radicale import RadicaleServer
from tests.support.week import SAMPLE, WEEK, env_for, ok, run, shift_event, snapshot

WEEK_ICS = str(sample_path("week.ics"))
MONDAY = ["--now", "2026-03-23T08:00"]
SOLVER = ["--workers", "1", "--gap", "0", "--time-limit", "5"]
KILLED = -signal.SIGKILL
ROUNDS = 5
TASKS = ["pr-42-feedback", "overlay-side-project", "design-doc-ingest", "postmortem-cdn"]
CAMPAIGNS = [("sqlite", 20260323), ("postgresql", 20260324), ("sqlite", 20260325)]

# The child: no pauses between tries; SIGKILL before the K-th write (PUT or DELETE) is sent,
# or after its answer came (WHEN: before, after or never), whatever that answer was; then the
# ordinary command line with the rest of argv.
CHILD = """
import os, signal, sys
import makertime.publish.retry
from makertime.calendars.dav import DavClient
from makertime import cli

makertime.publish.retry.PAUSES = (0.0, 0.0)
when, k = sys.argv[1], int(sys.argv[2])
original = DavClient.request
writes = 0

def dying(self, *args, **kwargs):
    global writes
    method = kwargs.get("method") or (args[1] if len(args) > 1 else "GET")
    if method in ("PUT", "DELETE"):
        writes += 1
    if when == "before" and writes == k and method in ("PUT", "DELETE"):
        os.kill(os.getpid(), signal.SIGKILL)
    try:
        return original(self, *args, **kwargs)
    finally:
        if when == "after" and writes == k and method in ("PUT", "DELETE"):
            os.kill(os.getpid(), signal.SIGKILL)

DavClient.request = dying
sys.argv = ["makertime", *sys.argv[3:]]
cli.main()
"""


# a copy the person made of a block in a calendar program: makertime's kind, a UID of its own
COPY = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//makertime tests//proxy//EN
BEGIN:VEVENT
UID:copy-of-a-block@example.com
DTSTAMP:20260301T000000Z
SUMMARY:Deep work (my copy)
X-MAKERTIME-KIND:deep
DTSTART:20260326T130000Z
DTEND:20260326T150000Z
END:VEVENT
END:VCALENDAR
"""
THEIRS = {"dentist.ics": DENTIST, "copy.ics": COPY}


@pytest.fixture(scope="module")
def proxy(server: RadicaleServer) -> Iterator[FaultProxy]:
    """One proxy in front of the session's Radicale for the module."""
    with running_proxy(server.base_url) as running:
        yield running


@pytest.fixture
def data(server: RadicaleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where makertime processes keep their data; logged in to Radicale by environment, and
    no pauses between tries in this process either."""
    folder = tmp_path / "data"
    for name, value in env_for(server, folder).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(makertime.publish.retry, "PAUSES", (0.0, 0.0))
    return folder


@dataclass
class Person:
    """What the person did on the calendar, straight on Radicale: the blocks they deleted, and
    the bytes of each block they moved as they left it."""

    server: RadicaleServer
    calendar: str
    deleted: set[str] = field(default_factory=set)
    moved: dict[str, str] = field(default_factory=dict)  # UID → item URL
    moves: int = 0

    def act(self, dice: random.Random, db: str, target: str, first: str = "") -> None:
        """Move or delete one or two of the blocks makertime knows and has nothing pending on
        (never moving one onto a block of the same kind and task: that double is theirs);
        ``first``: "move" or "delete" the first one."""
        events = blocks_on(self.server, self.calendar)
        with open_store(db) as store:
            seen = set(store.published(target))
            pending = {intention.uid for intention in store.intentions(target)}
            plan = store.current_plan()
        taken = {shape[1:] for shape in events.values()} | {
            (b.kind.value, b.task or "", b.span.start, b.span.end)
            for b in (plan.blocks if plan is not None else ())}
        choices = sorted(uid for uid in events if uid in seen and uid not in pending)
        for number, uid in enumerate(dice.sample(choices, min(len(choices),
                                                              dice.randint(1, 2)))):
            url, kind, task, start, end = events[uid]
            delta = timedelta(minutes=dice.choice([-60, -30, 30, 60]))
            if number == 0 and first:
                delete = first == "delete" or uid in self.moved
            else:
                delete = uid in self.moved or dice.random() < 0.4
            if delete:
                self.server.delete(url)
                self.deleted.add(uid)
                self.moved.pop(uid, None)
            else:
                shift = next((d for d in (delta, -delta, 2 * delta)
                              if (kind, task, start + d, end + d) not in taken), None)
                if shift is not None:
                    shift_event(self.server, url, shift)
                    self.moved[uid] = url
                    self.moves += 1
                    taken.add((kind, task, start + shift, end + shift))

    def moved_bytes(self) -> dict[str, bytes]:
        """The bytes Radicale keeps for each block the person moved."""
        return {uid: self.server.stored_bytes(url) for uid, url in self.moved.items()}


def blocks_on(server: RadicaleServer, calendar: str
              ) -> dict[str, tuple[str, str, str, datetime, datetime]]:
    """makertime's events on ``calendar`` (by UID ending @makertime): UID → (item URL, kind,
    task, start, end); fails when a UID is there twice."""
    found: dict[str, tuple[str, str, str, datetime, datetime]] = {}
    uids: Counter[str] = Counter()
    for href in server.etags(calendar):
        url = server.item_url(calendar, href)
        _, text = server.get(url)
        for event in icalendar.Calendar.from_ical(text).walk("VEVENT"):
            uid = str(event["UID"])
            if "X-MAKERTIME-KIND" in event and uid.endswith("@makertime"):
                uids[uid] += 1
                found[uid] = (url, str(event["X-MAKERTIME-KIND"]),
                              str(event.get("X-MAKERTIME-TASK", "")),
                              event.decoded("DTSTART"), event.decoded("DTEND"))
    assert not [uid for uid, count in uids.items() if count > 1], uids
    return found


def saved(db: str) -> bool:
    """Whether the store holds a plan."""
    with open_store(db) as store:
        return store.current_plan() is not None


def child(server: RadicaleServer, data: Path, when: str, k: int, *args: str) -> int:
    """Run ``makertime ARGS`` in a process of its own, killed at its k-th request (``when``);
    its exit status (negative: killed by that signal)."""
    done = subprocess.run([sys.executable, "-c", CHILD, when, str(k), *args],
                          env={**os.environ, **env_for(server, data)}, capture_output=True,
                          text=True, timeout=120, check=False)
    # finished, stopped by a server failing every try (3), or killed; never a traceback
    assert done.returncode in (0, 3, KILLED), (args, done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode


def toggle(dice: random.Random, db: str, done: set[str]) -> None:
    """Mark two tasks done, or open them again: their blocks go or come back at the next
    replan (deletes and creates under fire)."""
    for task in dice.sample(TASKS, 2):
        if task in done:
            ok("progress", task, "0.1", *MONDAY, "--db", db)
            done.discard(task)
        else:
            ok("done", task, *MONDAY, "--db", db)
            done.add(task)


@pytest.mark.parametrize(("db", "seed"), CAMPAIGNS, indirect=["db"])
def test_a_campaign_of_faults_and_kills_leaves_no_trace_after_one_clean_publish(
        server: RadicaleServer, proxy: FaultProxy, db: str, seed: int, data: Path) -> None:
    dice = random.Random(seed)
    calendar = server.new_calendar()
    for name, text in THEIRS.items():
        server.put(server.item_url(calendar, name), text)
    theirs = snapshot(server, calendar, list(THEIRS))
    target = proxy.url(calendar)
    before = Counter(proxy.counts)
    # the first publish under fire too (its writes: the plan is saved once the target is read)
    proxy.faults(dice.randrange(2**32), Rates(methods=("PUT", "DELETE", "GET")), first=True)
    first = run("plan", WEEK_ICS, *SAMPLE, *WEEK, *MONDAY, *SOLVER, "--publish", target,
                "--db", db)
    assert first.exit_code in (0, 3) and saved(db), first.output
    proxy.clean()
    person = Person(server, calendar)
    outcomes: Counter[int] = Counter()
    done: set[str] = set()
    status = 0
    for number in range(ROUNDS):
        if status == 0 or dice.random() < 0.5:
            toggle(dice, db, done)
            command = ["replan", "--publish", *MONDAY, "--workers", "1", "--time-limit", "5"]
        else:  # the run before was stopped: a plain publish is to finish its job
            command = ["publish"]
        proxy.faults(dice.randrange(2**32))
        when, k = dice.choice(["before", "after", "after", "never"]), dice.randint(1, 3)
        if number == 0:  # at least one kill: after the first write of a replan
            when, k = "after", 1
        status = child(server, data, when, k, *command, "--db", db)
        outcomes[status] += 1
        proxy.clean()
        person.act(dice, db, target, first=("move", "delete")[number] if number < 2 else "")
    faults = proxy.counts - before
    moved = person.moved_bytes()

    final = ok("publish", "--db", db)
    assert "refused" not in final

    with open_store(db) as store:
        plan = store.current_plan()
        assert plan is not None
        planned = {block.uid for block in plan.blocks}
        declined = store.declined(target)
        published = set(store.published(target))
        assert store.intentions(target) == [] and store.target_lock(target) is None
    events = blocks_on(server, calendar)
    shapes = Counter(shape[1:] for shape in events.values())
    assert max(shapes.values()) == 1, shapes  # no block twice, under two UIDs
    assert planned - person.deleted <= set(events)  # no block lost
    assert not person.deleted & set(events)  # what the person deleted stays deleted
    assert declined <= person.deleted  # nothing declined that they did not delete
    assert set(events) <= planned | set(person.moved)  # nothing left over
    assert published == set(events)  # the store knows exactly what is there
    assert snapshot(server, calendar, list(THEIRS)) == theirs
    assert person.moved_bytes() == moved
    # the campaign did what it is for: faults of every kind, kills, moves and deletions
    assert outcomes[KILLED] and person.deleted and person.moves, (outcomes, person)
    faults["503"] += faults["503-retry"]
    assert all(faults[kind] for kind in ("500", "503", "412", "drop")), faults
    assert "0 created, 0 moved, 0 removed" in ok("publish", "--db", db)
    assert blocks_on(server, calendar) == events


def test_a_server_failing_every_try_exits_3_and_the_next_publish_completes(
        server: RadicaleServer, proxy: FaultProxy, data: Path) -> None:
    db = f"sqlite:///{data.parent / 'store.db'}"
    calendar = server.new_calendar()
    target = proxy.url(calendar)
    ok("plan", WEEK_ICS, *SAMPLE, *WEEK, *MONDAY, *SOLVER, "--db", db)
    for method, what in (("PROPFIND", "PROPFIND"), ("PUT", "PUT")):
        proxy.faults(1, Rates(error500=1.0, methods=(method,)))
        try:
            failed = run("publish", "--to", target, "--db", db)
        finally:
            proxy.clean()
        assert failed.exit_code == 3, failed.output
        line = " ".join(failed.output.split())
        assert line.startswith(f"makertime: {target}: the CalDAV server answered 500")
        assert f"to {what} (3 tries)" in line and "Traceback" not in failed.output
        with open_store(db) as store:
            assert store.target_lock(target) is None and store.published(target) == {}
            intended = [(i.action.value, i.uid) for i in store.intentions(target)]
        assert len(intended) == (0 if method == "PROPFIND" else 1)
    published = ok("publish", "--to", target, "--db", db)
    assert " 0 untouched" in published and "not created again" not in published
    with open_store(db) as store:
        plan = store.current_plan()
        assert plan is not None
        assert set(store.published(target)) == {b.uid for b in plan.blocks}
        assert set(blocks_on(server, calendar)) == {b.uid for b in plan.blocks}
        assert store.intentions(target) == [] and store.declined(target) == set()
