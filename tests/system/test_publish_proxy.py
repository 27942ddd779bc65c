"""Publishing through a failing network, for real: a fault-injecting proxy (``fault_proxy``) in
front of the session's Radicale fails each kind of request once (500, 503, a made-up 412, an
answer lost after the write went through) and the next clean publish leaves no trace; or it
answers 500 to every try of one kind of request, and ``makertime`` stops with one line and exit
status 3, keeps what it intended, and the next publish completes the job. Everything is
bounded: the proxy and Radicale listen on loopback only, and every request has a timeout.

The campaign of random faults (412, 503, answers lost) and kills, with the person moving,
editing, deleting and copying blocks in between, runs over a calendar in memory:
``tests/unit/test_publish_machine.py``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import icalendar
import pytest

import makertime.publish.retry
from makertime.sample import sample_path
from makertime.store import open_store
from tests.support.fault_proxy import FaultProxy, Rates, running_proxy
from tests.support.publish import lock_of
from tests.support.radicale import RadicaleServer
from tests.support.week import SAMPLE, WEEK, env_for, ok, run

WEEK_ICS = str(sample_path("week.ics"))
MONDAY = ["--now", "2026-03-23T08:00"]
SOLVER = ["--workers", "1", "--gap", "0", "--time-limit", "5"]


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
            assert lock_of(store, target) is None and store.journalled(target).published == {}
            intended = [(i.action.value, i.uid) for i in list(store.journalled(target).intentions)]
        assert len(intended) == (0 if method == "PROPFIND" else 1)
    published = ok("publish", "--to", target, "--db", db)
    assert " 0 untouched" in published and "not created again" not in published
    with open_store(db) as store:
        plan = store.current_plan()
        assert plan is not None
        assert set(store.journalled(target).published) == {b.uid for b in plan.blocks}
        assert set(blocks_on(server, calendar)) == {b.uid for b in plan.blocks}
        assert list(store.journalled(target).intentions) == [] and store.declined(target) == set()


def test_a_publish_through_every_kind_of_fault_leaves_no_trace_after_one_clean_publish(
        server: RadicaleServer, proxy: FaultProxy, data: Path) -> None:
    db = f"sqlite:///{data.parent / 'store.db'}"
    calendar = server.new_calendar()
    target = proxy.url(calendar)
    before = Counter(proxy.counts)
    # each fault once (a 500, an answer lost after the write, a 503, a made-up 412), then dice
    proxy.faults(20260323, Rates(methods=("PUT", "DELETE", "GET")), first=True)
    try:
        first = run("plan", WEEK_ICS, *SAMPLE, *WEEK, *MONDAY, *SOLVER, "--publish", target,
                    "--db", db)
    finally:
        proxy.clean()
    assert first.exit_code in (0, 3) and "Traceback" not in first.output, first.output
    faults = proxy.counts - before
    faults["503"] += faults["503-retry"]
    assert all(faults[kind] for kind in ("500", "503", "412", "drop")), faults
    assert "refused" not in ok("publish", "--db", db)
    with open_store(db) as store:
        plan = store.current_plan()
        assert plan is not None
        events = blocks_on(server, calendar)  # no UID twice
        known = store.journalled(target)
        assert set(events) == {b.uid for b in plan.blocks} == set(known.published)
        assert list(store.journalled(target).intentions) == [] and store.declined(target) == set()
    assert "0 created, 0 moved, 0 removed" in ok("publish", "--db", db)
