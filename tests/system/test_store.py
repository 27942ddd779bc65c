"""One test suite for the store, run against SQLite and against a real PostgreSQL."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, inspect, select, table, text
from sqlalchemy.exc import IntegrityError, StatementError

from makertime.calendars.remote import CollectionState, RemoteItem
from makertime.errors import StoreError
from makertime.model import Depth, Interval, Task
from makertime.plan.result import Block, BlockKind
from makertime.store import PlanInputs, Store, TaskState, open_store
from makertime.store.engine import make_engine
from makertime.store.journal import Action, PublishedItem, PublishJournal
from tests.support.helpers import z
from tests.support.postgres import BACKENDS, empty_database

ZAGREB = ZoneInfo("Europe/Zagreb")
NOW = datetime(2026, 3, 23, 9, 30, tzinfo=ZAGREB)
TARGET = "https://cal.example.com/ana/makertime/"


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An open store on an empty database of each backend."""
    with open_store(empty_database(request, tmp_path)) as opened:
        yield opened


def is_utc(moment: datetime | None) -> bool:
    """Aware, and in UTC."""
    return moment is not None and moment.tzinfo is UTC


def raw_rows(url: str) -> str:
    """Every row of every table, as text (what someone who copies the file could read)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            names = inspect(connection).get_table_names()
            return repr([list(connection.execute(select(text("*")).select_from(table(name))))
                         for name in names])
    finally:
        engine.dispose()


# sources


def test_sources_round_trip(store: Store) -> None:
    store.add_source("work", "https://cal.example.com/ana/work/", "env", NOW)
    store.add_source("home", "/home/ana/cal", "none", NOW + timedelta(minutes=1))
    assert [found.name for found in store.sources()] == ["home", "work"]
    work = store.source("work")
    assert work is not None
    assert (work.url, work.credentials, work.added) == (
        "https://cal.example.com/ana/work/", "env", NOW)
    assert is_utc(work.added)
    assert store.source("nope") is None
    assert store.remove_source("home") is True
    assert store.remove_source("home") is False
    assert [found.name for found in store.sources()] == ["work"]


def test_a_source_name_is_unique(store: Store) -> None:
    store.add_source("work", "https://a.example.com/", "env", NOW)
    with pytest.raises(StoreError) as raised:
        store.add_source("work", "https://b.example.com/", "env", NOW)
    assert str(raised.value) == ('source "work": already added with the URL '
                                 "https://a.example.com/ (choose another name, or remove that "
                                 "source first)")
    again = store.add_source("work", "https://a.example.com/", "netrc", NOW + timedelta(days=1))
    assert (again.credentials, again.added) == ("netrc", NOW)
    assert len(store.sources()) == 1


def test_a_source_keeps_where_credentials_are_never_what(store: Store,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "correct-horse-battery-staple"
    monkeypatch.setenv("MAKERTIME_CALDAV_USERNAME", "ana")
    monkeypatch.setenv("MAKERTIME_CALDAV_PASSWORD", secret)
    with pytest.raises(StoreError, match="credentials 'hunter2' are not one of env, netrc, none"):
        store.add_source("work", "https://cal.example.com/", "hunter2", NOW)
    with pytest.raises(StoreError, match="its URL holds a password"):
        store.add_source("work", f"https://ana:{secret}@cal.example.com/", "env", NOW)
    store.add_source("work", "https://ana@cal.example.com/", "env", NOW)
    dump = raw_rows(store.url)
    assert "https://ana@cal.example.com/" in dump  # the dump does show what is stored
    assert secret not in dump


# remote collections


def collection(token: str | None, *names: str) -> CollectionState:
    """A collection state whose items are named ``names``."""
    items = {f"/cal/{name}.ics": RemoteItem(f"/cal/{name}.ics", f'"{name}-1"',
                                            f"BEGIN:VCALENDAR\r\nX-NAME:{name}\r\nEND:VCALENDAR")
             for name in names}
    return CollectionState(url=TARGET, sync_token=token, items=items)


def test_collection_state_round_trip_and_replace(store: Store) -> None:
    assert store.collection_state(TARGET) is None
    store.save_collection_state(collection("token-1", "a", "b", "c"))
    assert store.collection_state(TARGET) == collection("token-1", "a", "b", "c")
    store.save_collection_state(collection(None, "b", "d"))
    assert store.collection_state(TARGET) == collection(None, "b", "d")
    store.save_collection_state(collection("token-2"))
    assert store.collection_state(TARGET) == collection("token-2")


def test_a_failed_collection_write_leaves_the_old_state(store: Store) -> None:
    store.save_collection_state(collection("token-1", "a", "b"))
    clash = RemoteItem("/cal/x.ics", '"1"', "BEGIN:VCALENDAR\r\nEND:VCALENDAR")
    broken = CollectionState(TARGET, "token-2", {"/cal/x.ics": clash, "/cal/y.ics": clash})
    with pytest.raises(IntegrityError):
        store.save_collection_state(broken)
    assert store.collection_state(TARGET) == collection("token-1", "a", "b")


# tasks


BLOG_POST = Task("blog-post", "Write the blog post", 120, Depth.DEEP,
                 deadline=datetime(2026, 3, 27, 17, tzinfo=ZAGREB), priority=2,
                 min_block_minutes=60, last_touched=date(2026, 3, 20), waiting_on_me=True,
                 source="tasks.toml")


def task(task_id: str = "blog-post", estimate: int = 120, progress: float = 0.0,
         **fields: Any) -> Task:
    """A task with every field set."""
    return replace(BLOG_POST, id=task_id, estimate_minutes=estimate, progress=progress, **fields)


def test_tasks_round_trip(store: Store) -> None:
    floating = task("review", 45, depth=Depth.SHALLOW, deadline=datetime(2026, 3, 25, 12),
                    min_block_minutes=None, last_touched=None, waiting_on_me=False)
    store.save_tasks([task(), floating], NOW)
    found = store.tasks()
    assert [state.task for state in found] == [task(), floating]
    assert is_utc(found[0].task.deadline)
    assert found[1].task.deadline == datetime(2026, 3, 25, 12)  # floating stays floating
    assert all(state.estimate_at == NOW and is_utc(state.estimate_at) for state in found)
    assert not any(state.done for state in found)
    assert task_of(store, "review") == found[1]
    assert task_of(store, "nope") is None


def task_of(store: Store, task_id: str) -> TaskState | None:
    """Task ``task_id`` as the store holds it, done or not; None when it holds none."""
    return next((s for s in store.tasks(include_done=True) if s.task.id == task_id), None)


def test_reading_tasks_again_keeps_the_progress_logged_since(store: Store) -> None:
    store.save_tasks([task()], NOW)
    later = NOW + timedelta(days=1)
    store.set_progress("blog-post", 0.5, later)
    store.save_tasks([task(title="Write the blog post, part 1")], NOW + timedelta(days=2))
    state = task_of(store, "blog-post")
    assert state is not None
    assert (state.task.title, state.task.estimate_minutes, state.task.progress) == (
        "Write the blog post, part 1", 60, 0.5)
    assert state.estimate_at == later
    edited = NOW + timedelta(days=3)
    store.save_tasks([task(estimate=200, progress=0.2)], edited)
    state = task_of(store, "blog-post")
    assert state is not None
    assert (state.task.estimate_minutes, state.task.progress, state.estimate_at) == (
        200, 0.2, edited)


def test_progress_scales_the_remaining_estimate(store: Store) -> None:
    store.save_tasks([task(estimate=120)], NOW)
    after_midnight = datetime(2026, 3, 24, 0, 30, tzinfo=ZAGREB)  # still the 23rd in UTC
    first = store.set_progress("blog-post", 0.25, after_midnight)
    assert (first.task.estimate_minutes, first.task.progress) == (90, 0.25)
    assert first.estimate_at == after_midnight
    assert first.task.last_touched == date(2026, 3, 24)  # the date where the person is
    second = store.set_progress("blog-post", 0.5, NOW + timedelta(days=2))
    assert second.task.estimate_minutes == 60  # round(90 * 0.5 / 0.75)
    assert second.task.last_touched == date(2026, 3, 25)
    done = store.set_progress("blog-post", 1.0, NOW + timedelta(days=3))
    assert (done.done, done.done_at, done.task.estimate_minutes) == (
        True, NOW + timedelta(days=3), 0)
    assert store.tasks() == []
    assert store.tasks(include_done=True) == [done]


def test_progress_reopens_a_done_task_from_its_whole(store: Store) -> None:
    store.save_tasks([task(estimate=90, progress=0.25)], NOW)  # the whole is 120 minutes
    store.mark_done("blog-post", NOW)
    reopened = store.set_progress("blog-post", 0.75, NOW + timedelta(hours=1))
    assert (reopened.done, reopened.done_at, reopened.task.estimate_minutes) == (False, None, 30)


@pytest.mark.parametrize("fraction", [-0.1, 1.5, math.nan])
def test_progress_outside_zero_to_one_is_refused(store: Store, fraction: float) -> None:
    store.save_tasks([task()], NOW)
    with pytest.raises(StoreError, match=r'task "blog-post": progress .* is not between 0 and 1'):
        store.set_progress("blog-post", fraction, NOW)
    state = task_of(store, "blog-post")
    assert state is not None
    assert (state.task.progress, state.task.estimate_minutes) == (0.0, 120)


def test_mark_done_and_done_stays_done(store: Store) -> None:
    store.save_tasks([task(), task("other")], NOW)
    done = store.mark_done("blog-post", NOW)
    assert (done.done, done.done_at, done.task.progress) == (True, NOW, 1.0)
    assert store.mark_done("blog-post", NOW + timedelta(days=1)).done_at == NOW
    store.save_tasks([task(estimate=30)], NOW + timedelta(days=1))  # the file still lists it
    assert [state.task.id for state in store.tasks()] == ["other"]


def test_an_unknown_task_is_named_with_the_known_ones(store: Store) -> None:
    with pytest.raises(StoreError, match="the store holds no tasks yet"):
        store.mark_done("blog-post", NOW)
    store.save_tasks([task(name) for name in ("a", "b", "blog-post", "c", "d", "e", "f")], NOW)
    with pytest.raises(StoreError) as raised:
        store.set_progress("blog-pots", 0.5, NOW)
    assert str(raised.value) == ('task "blog-pots": no such task (known: blog-post, …) '
                                 "(run `makertime tasks` to list them)")
    with pytest.raises(StoreError) as raised:
        store.mark_done("zzz", NOW)
    assert "(known: a, b, blog-post, c, d, …)" in str(raised.value)


def test_naive_moments_are_refused(store: Store) -> None:
    with pytest.raises(StatementError, match="aware datetimes only"):
        store.log_interruption("chat", datetime(2026, 3, 23, 10), 5, NOW)
    assert store.interruptions() == []


# plans


def block(kind: BlockKind, start: str, end: str, task_id: str | None = None) -> Block:
    """A block between two Zagreb wall times."""
    return Block(kind, Interval(z(start), z(end)), reason=f"{kind} because", task=task_id,
                 title=f"{kind} {task_id or ''}".strip())


def inputs(first: date = date(2026, 3, 23)) -> PlanInputs:
    """What a plan was made from."""
    return PlanInputs(cals=("work.ics", "https://cal.example.com/ana/"), tasks_path="tasks.toml",
                      policy_path=None, target=TARGET, first=first,
                      last=first + timedelta(days=6))


def test_plans_round_trip_newest_is_current(store: Store) -> None:
    assert store.current_plan() is None
    blocks = (block(BlockKind.DEEP, "2026-03-23 09:00", "2026-03-23 11:00", "blog-post"),
              block(BlockKind.SYNC_WINDOW, "2026-03-23 11:30", "2026-03-23 12:00"),
              block(BlockKind.REST, "2026-03-26 16:00", "2026-03-26 19:00"))
    result = {"blocks": [{"task": "blog-post", "kind": "deep"}], "unscheduled": [],
              "solver": {"status": "OPTIMAL", "objective": 1.5}}
    first = store.save_plan(NOW, NOW, inputs(), blocks, result)
    second = store.save_plan(NOW + timedelta(hours=1), NOW + timedelta(hours=1),
                             inputs(date(2026, 3, 30)), blocks[:1], {"blocks": []})
    assert second.id != first.id
    assert store.current_plan() == second
    assert store.plans() == [second, first]
    assert store.plans(limit=1) == [second]
    stored = store.plans()[1]
    assert stored == first
    assert (stored.blocks, stored.inputs, stored.result) == (blocks, inputs(), result)
    assert stored.blocks[0].uid == blocks[0].uid
    assert all(is_utc(found.span.start) and is_utc(found.span.end) for found in stored.blocks)
    assert is_utc(stored.created) and is_utc(stored.now)


def test_a_plan_without_blocks(store: Store) -> None:
    saved = store.save_plan(NOW, NOW, inputs(), (), {})
    assert store.current_plan() == saved
    assert saved.blocks == ()


# interruptions


def test_interruptions_by_start_and_between(store: Store) -> None:
    late = store.log_interruption("pager", z("2026-03-24 15:00"), 20, NOW)
    early = store.log_interruption("chat", z("2026-03-23 10:00"), 5, NOW)
    middle = store.log_interruption("call", z("2026-03-24 09:00"), 30, NOW)
    assert early.id is not None and early.id != late.id
    assert store.interruptions() == [early, middle, late]
    assert store.interruptions(since=z("2026-03-24 00:00")) == [middle, late]
    assert store.interruptions(since=z("2026-03-24 09:00"), until=z("2026-03-24 15:00")) == [
        middle]
    assert is_utc(store.interruptions()[0].start) and is_utc(store.interruptions()[0].logged)


def test_an_interruption_lasts_a_minute_at_least(store: Store) -> None:
    with pytest.raises(StoreError) as raised:
        store.log_interruption("chat", NOW, 0, NOW)
    assert str(raised.value) == ("interruption: lasted 0 minutes "
                                 "(an interruption lasts a minute at least)")
    assert store.interruptions() == []


def test_an_interruption_is_read_edited_and_removed_by_its_id(store: Store) -> None:
    chat = store.log_interruption("chat", z("2026-03-23 10:00"), 5, NOW)
    pager = store.log_interruption("pager", z("2026-03-24 15:00"), 20, NOW)
    assert chat.id is not None and pager.id is not None
    assert store.interruption(pager.id) == pager
    before, after = store.edit_interruption(pager.id, 45)
    assert before == pager and after == replace(pager, minutes=45)
    assert store.interruptions() == [chat, after]
    assert store.remove_interruption(chat.id) == chat
    assert store.interruptions() == [after]
    with pytest.raises(StoreError, match=f"interruption {chat.id}: no such interruption"):
        store.interruption(chat.id)


def test_an_unknown_interruption_id_names_the_latest_ones(store: Store) -> None:
    with pytest.raises(StoreError) as raised:
        store.remove_interruption(3)
    assert str(raised.value) == ("interruption 3: no such interruption (none is logged yet) "
                                 "(run `makertime interruptions` to list them)")
    logged = [store.log_interruption(f"chat {n}", z("2026-03-23 10:00"), 5, NOW)
              for n in range(7)]
    ids = [i.id for i in logged if i.id is not None]
    missing = max(ids) + 1
    with pytest.raises(StoreError, match=r"no such interruption \(the latest: "
                       + ", ".join(str(n) for n in ids[-5:])):
        store.edit_interruption(missing, 10)
    with pytest.raises(StoreError, match="lasted 0 minutes"):
        store.edit_interruption(ids[0], 0)
    for number in (0, -1, 2**31, 10**20):
        with pytest.raises(StoreError, match=f"interruption {number}: no such interruption"):
            store.remove_interruption(number)
    assert store.interruptions() == logged


def test_plan_results_come_with_the_moment_they_were_made_for(store: Store) -> None:
    first = store.save_plan(NOW, NOW - timedelta(days=1), inputs(), [], {"n": 1})
    store.save_plan(NOW, NOW, inputs(), [], {"n": 2})
    found = store.plan_results_as_of()
    assert found == [(NOW, {"n": 2}), (first.now, {"n": 1})]
    assert all(is_utc(now) for now, _ in found)


# publishing


def item(uid: str, etag: str = '"1"', hour: int = 9) -> PublishedItem:
    """A block as published to TARGET."""
    return PublishedItem(target=TARGET, uid=uid, href=f"/ana/makertime/{uid}.ics", etag=etag,
                         kind="deep", task="blog-post", start=z(f"2026-03-23 {hour:02d}:00"),
                         end=z(f"2026-03-23 {hour + 2:02d}:00"))


def test_the_journal_records_intentions_until_finished(store: Store) -> None:
    journal: PublishJournal = store.journal(NOW)
    journal.intend(TARGET, "a@makertime", Action.CREATE)
    journal.intend(TARGET, "b@makertime", Action.CREATE)
    journal.finished(TARGET, "a@makertime", item("a@makertime"))
    store.close()  # the run dies before finishing b
    with open_store(store.url) as reopened:
        left = list(reopened.journalled(TARGET).intentions)
        assert [(found.uid, found.action, found.at) for found in left] == [
            ("b@makertime", Action.CREATE, NOW)]
        assert is_utc(left[0].at)
        assert reopened.journalled(TARGET).published == {"a@makertime": item("a@makertime")}
        kept = reopened.journalled(TARGET).published["a@makertime"]
        assert is_utc(kept.start) and is_utc(kept.end)
        later = reopened.journal(NOW + timedelta(hours=1))
        later.intend(TARGET, "b@makertime", Action.UPDATE)
        assert [found.action for found in reopened.journalled(TARGET).intentions] == [
            Action.UPDATE]
        later.finished(TARGET, "b@makertime", item("b@makertime", hour=13))
        later.intend(TARGET, "a@makertime", Action.UPDATE)
        later.finished(TARGET, "a@makertime", item("a@makertime", '"2"', hour=10))
        assert list(reopened.journalled(TARGET).intentions) == []
        assert reopened.journalled(TARGET).published == {
            "a@makertime": item("a@makertime", '"2"', 10),
            "b@makertime": item("b@makertime", hour=13)}
        later.intend(TARGET, "a@makertime", Action.DELETE)
        later.finished(TARGET, "a@makertime", None)
        assert set(reopened.journalled(TARGET).published) == {"b@makertime"}
        assert reopened.journalled("elsewhere.ics").published == {}


def test_finished_refuses_another_items_record(store: Store) -> None:
    store.journal(NOW).intend(TARGET, "a@makertime", Action.CREATE)
    with pytest.raises(ValueError, match="given the item of"):
        store.journal(NOW).finished(TARGET, "a@makertime", item("b@makertime"))
    assert len(list(store.journalled(TARGET).intentions)) == 1


def test_adopting_records_only_what_is_not_recorded_yet(store: Store) -> None:
    store.journal(NOW).finished(TARGET, "a@makertime", item("a@makertime", '"1"', 9))
    store.journal(NOW).adopt(TARGET, [item("a@makertime", '"9"', 15),
                                      item("b@makertime", '"2"', 11)])
    assert store.journalled(TARGET).published == {"a@makertime": item("a@makertime", '"1"', 9),
                                       "b@makertime": item("b@makertime", '"2"', 11)}
    with pytest.raises(ValueError, match="given the item of"):
        store.journal(NOW).adopt("elsewhere.ics", [item("c@makertime")])
    assert store.journalled("elsewhere.ics").published == {}


def test_settling_makes_the_record_what_the_target_holds_in_one_transaction(
        store: Store) -> None:
    journal = store.journal(NOW)
    for uid in ("a@makertime", "b@makertime"):
        journal.finished(TARGET, uid, item(uid))
    journal.intend(TARGET, "c@makertime", Action.CREATE)
    journal.intend("elsewhere.ics", "d@makertime", Action.DELETE)
    with pytest.raises(ValueError):  # an item of another target: nothing is settled
        journal.settle(TARGET, {"b@makertime": item("x@makertime")}, ["a@makertime"])
    known = store.journalled(TARGET)
    assert set(known.published) == {"a@makertime", "b@makertime"}
    assert [i.uid for i in known.intentions] == ["c@makertime"] and known.declined == set()
    journal.settle(TARGET, {"b@makertime": item("b@makertime", '"5"', 13),
                            "c@makertime": item("c@makertime")}, ["a@makertime"])
    known = store.journalled(TARGET)
    assert known.published == {"b@makertime": item("b@makertime", '"5"', 13),
                               "c@makertime": item("c@makertime")}
    assert known.intentions == () and known.declined == frozenset({"a@makertime"})
    assert [i.uid for i in list(store.journalled("elsewhere.ics").intentions)] == ["d@makertime"]
    journal.settle(TARGET, {}, [])
    assert store.journalled(TARGET).published == {} and store.declined(TARGET) == {"a@makertime"}


def test_a_target_of_many_thousand_blocks_is_adopted_and_settled(store: Store) -> None:
    # more rows and more UIDs than one statement may bind on a SQLite built with the smallest
    # limit (999 values; Debian's allows 250,000, others 32,766): this store's is set to that
    if store.url.startswith("sqlite"):
        engine = store._engine
        event.listen(engine, "connect", lambda connection, _record: connection.setlimit(
            sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999))
        engine.dispose()
    many = {f"{n}@makertime": item(f"{n}@makertime") for n in range(6000)}
    journal = store.journal(NOW)
    journal.adopt(TARGET, list(many.values()))
    assert len(store.journalled(TARGET).published) == 6000
    kept = dict(list(many.items())[:2500])
    journal.settle(TARGET, kept, list(many)[2500:5000])
    assert set(store.journalled(TARGET).published) == set(kept)
    assert len(store.declined(TARGET)) == 2500


def test_declined_uids_per_target(store: Store) -> None:
    assert store.declined(TARGET) == set()
    store.decline(TARGET, ["a@makertime", "b@makertime"])
    store.decline(TARGET, iter(["b@makertime", "c@makertime", "c@makertime"]))
    store.decline("plan.ics", [])
    assert store.declined(TARGET) == {"a@makertime", "b@makertime", "c@makertime"}
    assert store.declined("plan.ics") == set()


# history


def test_weeks_latest_recorded_wins(store: Store) -> None:
    inputs = PlanInputs(cals=("work.ics",), tasks_path=None, policy_path=None, target=None,
                        first=date(2026, 3, 23), last=date(2026, 4, 5))

    def record(week: date, totals: dict[str, int], at: datetime) -> None:
        store.save_plan(at, at, inputs, [], {}, weeks=[(week, totals)])

    record(date(2026, 3, 30), {"focus_minutes": 600}, NOW)
    record(date(2026, 3, 25), {"focus_minutes": 300}, NOW)  # a Wednesday
    record(date(2026, 3, 23), {"focus_minutes": 360, "maker_days": 1}, NOW + timedelta(days=1))
    record(date(2026, 3, 23), {"focus_minutes": 1}, NOW)  # older: ignored
    found = store.weeks()
    assert [(week.week, week.totals) for week in found] == [
        (date(2026, 3, 23), {"focus_minutes": 360, "maker_days": 1}),
        (date(2026, 3, 30), {"focus_minutes": 600})]
    assert found[0].recorded == NOW + timedelta(days=1) and is_utc(found[0].recorded)


def test_a_plan_and_its_weeks_are_saved_in_one_transaction(store: Store) -> None:
    inputs = PlanInputs(cals=("work.ics",), tasks_path=None, policy_path=None, target=None,
                        first=date(2026, 3, 23), last=date(2026, 3, 29))
    at = datetime(2026, 3, 23, 8, tzinfo=UTC)
    with pytest.raises(StatementError):  # a naive datetime: the whole save is refused
        store.save_plan(at, datetime(2026, 3, 23, 8), inputs, [], {},
                        weeks=[(date(2026, 3, 23), {"focus_minutes": 60})])
    assert store.current_plan() is None and store.weeks() == []
    store.save_plan(at, at, inputs, [], {}, weeks=[(date(2026, 3, 25), {"focus_minutes": 60})])
    assert [(w.week, w.totals) for w in store.weeks()] == [(date(2026, 3, 23),
                                                            {"focus_minutes": 60})]


def test_plan_results_are_the_newest_plans_json_without_blocks(store: Store) -> None:
    inputs = PlanInputs(cals=("work.ics",), tasks_path=None, policy_path=None, target=None,
                        first=date(2026, 3, 23), last=date(2026, 3, 29))
    at = datetime(2026, 3, 23, 8, tzinfo=UTC)
    for number in range(3):
        store.save_plan(at, at, inputs, [], {"number": number})
    assert store.plan_results_as_of(2) == [(at, {"number": 2}), (at, {"number": 1})]
