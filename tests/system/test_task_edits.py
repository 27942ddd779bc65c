"""Adding and editing a task through makertime (``app.add_task``, ``app.edit_task``), on
SQLite and PostgreSQL: the fields are checked as tasks.toml's are, a task of an input is never
changed, and an added task is done and progressed as any other."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from makertime import app
from makertime.errors import StoreError, TasksError
from makertime.model import Depth, Task
from makertime.sample import sample_path
from makertime.store import PlanInputs, Store, open_store
from makertime.tasks import load_tasks
from tests.support.postgres import BACKENDS, empty_database

ZAGREB = ZoneInfo("Europe/Zagreb")
NOW = "2026-03-23T09:30"
FILE = "/home/ana/tasks.toml"
SLIDES = {"id": "slides", "title": "Slides for the ingest talk", "estimate": "1h30m",
          "depth": "shallow", "deadline": "2026-03-26T17:00:00", "priority": 2,
          "min_block": "30m", "waiting_on_me": True, "last_touched": "2026-03-20"}


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An open store of each backend whose current plan follows the sample policy (Zagreb)."""
    with open_store(empty_database(request, tmp_path)) as opened:
        at = datetime(2026, 3, 23, 8, tzinfo=UTC)
        inputs = PlanInputs(cals=(), tasks_path=None, policy_path=str(sample_path("policy.toml")),
                            target=None, first=date(2026, 3, 23), last=date(2026, 3, 29))
        opened.save_plan(at, at, inputs, [], {})
        yield opened


def test_a_task_is_added_with_every_field(store: Store) -> None:
    added = app.add_task(SLIDES, now=NOW, db=store)
    assert added.task == Task(
        "slides", "Slides for the ingest talk", 90, Depth.SHALLOW,
        deadline=datetime(2026, 3, 26, 17, tzinfo=ZAGREB), priority=2, min_block_minutes=30,
        last_touched=date(2026, 3, 20), waiting_on_me=True, source="makertime")
    assert (added.origin, added.estimate_at) == (
        "makertime", datetime(2026, 3, 23, 9, 30, tzinfo=ZAGREB))
    [row] = app.tasks(now=NOW, db=store)
    assert (row.origin, row.left_minutes, row.state.task.id) == ("makertime", 90, "slides")


def test_the_least_a_task_needs_is_an_id_and_an_estimate(store: Store) -> None:
    added = app.add_task({"id": "call-bank", "estimate": 20}, now=NOW, db=store)
    assert (added.task.title, added.task.depth, added.task.priority, added.task.deadline) == (
        "call-bank", Depth.DEEP, 3, None)


@pytest.mark.parametrize(("fields", "body"), [
    ({"id": "blog-post", "estimate": "2 hours"}, 'id = "blog-post"\nestimate = "2 hours"'),
    ({"id": "a", "estimate": "1h", "depth": "medium"},
     'id = "a"\nestimate = "1h"\ndepth = "medium"'),
    ({"id": "a", "estimate": "1h", "priority": 9}, 'id = "a"\nestimate = "1h"\npriority = 9'),
    ({"id": "a", "estimate": "1001h"}, 'id = "a"\nestimate = "1001h"'),
    ({"id": "a b", "estimate": "1h"}, 'id = "a b"\nestimate = "1h"'),
    ({"id": "a", "estimate": "1h", "due": "friday"}, 'id = "a"\nestimate = "1h"\ndue = "friday"'),
    ({"id": "a", "estimate": "1h", "deadline": "friday"},
     'id = "a"\nestimate = "1h"\ndeadline = "friday"'),
    ({"estimate": "1h"}, 'estimate = "1h"'),
])
def test_a_wrong_field_gets_the_message_tasks_toml_gets(
        store: Store, tmp_path: Path, fields: dict[str, object], body: str) -> None:
    path = tmp_path / "tasks.toml"
    path.write_text(f"[[task]]\n{body}\n", encoding="utf-8")
    with pytest.raises(TasksError) as from_file:
        load_tasks(path, ZAGREB)
    with pytest.raises(TasksError) as added:
        app.add_task(fields, now=NOW, db=store)
    assert added.value.detail == from_file.value.detail
    assert str(added.value) == f"makertime: {from_file.value.detail}"
    assert added.value.exit_status == 2
    assert store.tasks() == []


def test_the_example_message(store: Store) -> None:
    with pytest.raises(TasksError) as raised:
        app.add_task({"id": "blog-post", "estimate": "2 hours"}, db=store)
    assert str(raised.value) == ("makertime: task 'blog-post': estimate '2 hours' is not a "
                                 'duration (write e.g. "2h" or "1h30m")')


def test_an_id_taken_is_refused(store: Store) -> None:
    store.save_tasks([Task("pr-42", "PR 42", 60, source=FILE)], datetime.now(UTC),
                     tasks_file=FILE)
    app.add_task(SLIDES, now=NOW, db=store)
    with pytest.raises(TasksError, match=r'task "pr-42": already exists \(tasks.toml'):
        app.add_task({"id": "pr-42", "estimate": "1h"}, now=NOW, db=store)
    with pytest.raises(TasksError, match="added through makertime"):
        app.add_task({**SLIDES, "title": "again"}, now=NOW, db=store)


def test_an_edit_changes_only_what_it_gives(store: Store) -> None:
    app.add_task(SLIDES, now=NOW, db=store)
    edited = app.edit_task("slides", {"title": "Talk slides", "deadline": "2026-03-27T12:00:00",
                                      "waiting_on_me": False}, now="2026-03-24T10:00", db=store)
    task = edited.task
    assert (task.title, task.deadline, task.waiting_on_me) == (
        "Talk slides", datetime(2026, 3, 27, 12, tzinfo=ZAGREB), False)
    assert (task.estimate_minutes, task.depth, task.priority, task.min_block_minutes,
            task.last_touched) == (90, Depth.SHALLOW, 2, 30, date(2026, 3, 20))
    assert edited.estimate_at == datetime(2026, 3, 23, 9, 30, tzinfo=ZAGREB)  # untouched
    again = app.edit_task("slides", {"id": "slides", "estimate": "2h"}, now="2026-03-24T11:00",
                          db=store)
    assert (again.task.estimate_minutes, again.estimate_at) == (
        120, datetime(2026, 3, 24, 11, tzinfo=ZAGREB))


def test_an_edit_is_checked_as_tasks_toml_is(store: Store) -> None:
    app.add_task(SLIDES, now=NOW, db=store)
    with pytest.raises(TasksError) as raised:
        app.edit_task("slides", {"estimate": "2 hours"}, db=store)
    assert str(raised.value) == ("makertime: task 'slides': estimate '2 hours' is not a "
                                 'duration (write e.g. "2h" or "1h30m")')
    with pytest.raises(TasksError) as raised:
        app.edit_task("slides", {"id": "talk"}, db=store)
    assert str(raised.value) == ('task "slides": its id cannot change (to \'talk\') (add a task '
                                 "with the new id, and mark this one done)")
    [state] = store.tasks()
    assert state.task.estimate_minutes == 90


def test_a_task_of_tasks_toml_or_a_calendar_is_never_edited(store: Store) -> None:
    calendar = "https://cal.example.com/ana/todo/"
    store.save_tasks([Task("pr-42", "PR 42", 60, source=FILE),
                      Task("todo-1", "Call", 15, source=calendar)], datetime.now(UTC),
                     tasks_file=FILE)
    with pytest.raises(TasksError) as raised:
        app.edit_task("pr-42", {"title": "x"}, db=store)
    assert str(raised.value) == (f'task "pr-42": comes from tasks.toml {FILE}, not makertime '
                                 "(edit it in tasks.toml: makertime never writes its inputs)")
    with pytest.raises(TasksError, match=f"comes from the calendar {calendar}"):
        app.edit_task("todo-1", {"estimate": "1 hour"}, db=store)  # before its fields
    assert {s.task.title for s in store.tasks()} == {"PR 42", "Call"}


def test_an_unknown_task_is_named_as_done_names_it(store: Store) -> None:
    with pytest.raises(StoreError) as edit:
        app.edit_task("slides", {"title": "x"}, db=store)
    with pytest.raises(StoreError) as done:
        app.done("slides", db=store)
    assert str(edit.value) == str(done.value)
    app.add_task(SLIDES, now=NOW, db=store)
    with pytest.raises(StoreError, match=r'task "slide": no such task \(known: slides\)'):
        app.edit_task("slide", {"title": "x"}, db=store)


def test_an_added_task_is_progressed_and_done_as_any_other(store: Store) -> None:
    app.add_task(SLIDES, now=NOW, db=store)
    half = app.progress("slides", 0.5, now="2026-03-24T09:00", db=store)
    assert (half.task.estimate_minutes, half.task.progress, half.origin) == (
        45, 0.5, "makertime")
    done = app.done("slides", now="2026-03-24T10:00", db=store)
    assert done.done and done.origin == "makertime"
    assert app.tasks(now="2026-03-24T10:00", db=store) == []
    reopened = app.edit_task("slides", {"progress": 0.75}, now="2026-03-24T11:00", db=store)
    assert (reopened.done, reopened.task.progress, reopened.task.estimate_minutes) == (
        False, 0.75, 22)  # round(90 × 0.25): the whole, less three quarters
