"""A publish killed midway, for real: a ``makertime`` process gets SIGKILL right after its k-th
write to a real Radicale, and the next run finds a consistent state and finishes the job — every
block of the plan on the calendar exactly once, nothing extra, the store's record equal to the
calendar, no intention left, and the person's own events byte for byte as they were.

The kill is deterministic: the child wraps ``CalDavCalendar.create`` and kills itself with SIGKILL
on the k-th call, then runs the ordinary command line (``makertime.cli.main``). The other ways a
run can be killed (before a write, mid-delete, in a replan) are tested in process, over a
calendar in memory: ``tests/unit/test_publish_crash.py``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
import pytest

from makertime.plan.result import Block
from makertime.sample import sample_path
from makertime.store import open_store
from makertime.store.journal import Action
from tests.support.publish import DENTIST
from tests.support.radicale import RadicaleServer
from tests.support.week import SAMPLE, WEEK, env_for, marked, ok, snapshot

WEEK_ICS = str(sample_path("week.ics"))
MONDAY = ["--now", "2026-03-23T08:00"]
SOLVER = ["--workers", "1", "--gap", "0"]
KILLED = -signal.SIGKILL  # the return code of a process ended by SIGKILL

# The child: wrap CalDavCalendar.METHOD so that its K-th call kills the process (WHEN: "before" the
# request is sent, or "after" the server answered), then run makertime with the rest of argv.
DYING = """
import os, signal, sys
from makertime.calendars.caldav import CalDavCalendar
from makertime import cli

method, when, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
original = getattr(CalDavCalendar, method)
calls = 0

def dying(self, *args, **kwargs):
    global calls
    calls += 1
    if when == "before" and calls == k:
        os.kill(os.getpid(), signal.SIGKILL)
    result = original(self, *args, **kwargs)
    if when == "after" and calls == k:
        os.kill(os.getpid(), signal.SIGKILL)
    return result

setattr(CalDavCalendar, method, dying)
sys.argv = ["makertime", *sys.argv[4:]]
cli.main()
"""



@pytest.fixture
def target(server: RadicaleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh target calendar holding one event of the person's; logged in by environment."""
    for name, value in env_for(server, tmp_path / "data").items():
        monkeypatch.setenv(name, value)
    calendar = server.new_calendar()
    server.put(server.item_url(calendar, "dentist.ics"), DENTIST)
    return calendar


def killed(server: RadicaleServer, data: Path, method: str, when: str, k: int,
           *args: str) -> None:
    """Run ``makertime ARGS`` in a process of its own that is killed at the k-th ``method``."""
    done = subprocess.run(
        [sys.executable, "-c", DYING, method, when, str(k), *args],
        env={**os.environ, **env_for(server, data)}, capture_output=True, text=True,
        timeout=120, check=False)
    assert done.returncode == KILLED, (done.returncode, done.stdout, done.stderr)


def uids_on(server: RadicaleServer, calendar: str) -> Counter[str]:
    """How many times each UID of makertime's occurs among all the items of ``calendar``."""
    found: Counter[str] = Counter()
    for href in server.etags(calendar):
        _, text = server.get(server.item_url(calendar, href))
        for event in icalendar.Calendar.from_ical(text).walk("VEVENT"):
            if "X-MAKERTIME-KIND" in event:
                found[str(event["UID"])] += 1
    return found


def in_order(blocks: Iterable[Block]) -> list[str]:
    """The UIDs of ``blocks`` in the order a publish writes them."""
    return [b.uid for b in sorted(blocks, key=lambda b: (b.span.start, b.uid))]


def current_blocks(db: str) -> dict[str, Block]:
    """The blocks of the store's current plan, by UID."""
    with open_store(db) as store:
        plan = store.current_plan()
        assert plan is not None
        return {block.uid: block for block in plan.blocks}


def assert_finished(server: RadicaleServer, calendar: str, db: str) -> None:
    """The calendar holds each block of the current plan once, where planned, and nothing else
    of makertime's; the store records exactly that, with no intention left and none declined."""
    blocks = current_blocks(db)
    counts = uids_on(server, calendar)
    assert set(counts) == set(blocks)
    assert max(counts.values()) == 1, counts
    on_server = marked(server, calendar)
    for uid, (_, kind, start, _) in on_server.items():
        assert (kind, start) == (blocks[uid].kind.value, blocks[uid].span.start)
    etags = {urlsplit(server.item_url(calendar, href)).path: etag
             for href, etag in server.etags(calendar).items()}
    with open_store(db) as store:
        published = store.journalled(calendar).published
        assert set(published) == set(on_server)
        for uid, item in published.items():
            assert urlsplit(on_server[uid][0]).path == item.href
            assert etags[item.href] == item.etag == on_server[uid][3]
        assert list(store.journalled(calendar).intentions) == []
        assert store.declined(calendar) == set()


def test_a_publish_killed_mid_create_is_finished_by_the_next(
        server: RadicaleServer, target: str, tmp_path: Path) -> None:
    db, when = f"sqlite:///{tmp_path / 'store.db'}", "after"
    foreign = snapshot(server, target, ["dentist.ics"])
    ok("plan", WEEK_ICS, *SAMPLE, *WEEK, *MONDAY, *SOLVER, "--db", db)
    order = in_order(current_blocks(db).values())
    assert len(order) > 10

    killed(server, tmp_path / "data", "create", when, 5, "publish", "--to", target, "--db", db)

    # Killed after the 5th create: five events, four recorded, the 5th still intended. Killed
    # before it: four events, four recorded, the 5th intended but never sent.
    sent = order[:5] if when == "after" else order[:4]
    assert uids_on(server, target) == Counter(sent)
    with open_store(db) as store:
        assert set(store.journalled(target).published) == set(order[:4])
        intentions = list(store.journalled(target).intentions)
        assert [(i.uid, i.action) for i in intentions] == [(order[4], Action.CREATE)]
        assert store.declined(target) == set()
    assert snapshot(server, target, ["dentist.ics"]) == foreign

    again = ok("publish", "--to", target, "--db", db)
    assert f"{len(order) - len(sent)} created, 0 moved, 0 removed, {len(sent)} untouched" in again
    assert "not created again" not in again
    assert_finished(server, target, db)
    settled = marked(server, target)

    assert "0 created, 0 moved, 0 removed" in ok("publish", "--to", target, "--db", db)
    assert marked(server, target) == settled
    assert snapshot(server, target, ["dentist.ics"]) == foreign
