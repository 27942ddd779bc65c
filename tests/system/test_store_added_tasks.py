"""Tasks added through makertime, kept in the store alone, on SQLite and PostgreSQL: where each
stored task comes from, and what reading the sources again does to an added one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from makertime.errors import StoreError, TasksError
from makertime.model import Depth, Task
from makertime.store import ADDED, FROM_CALENDAR, FROM_FILE, Store, TaskState, open_store
from tests.support.postgres import BACKENDS, empty_database

ZAGREB = ZoneInfo("Europe/Zagreb")
NOW = datetime(2026, 3, 23, 9, 30, tzinfo=ZAGREB)
FILE = "/home/ana/tasks.toml"
CALENDAR = "https://cal.example.com/ana/todo/"
ADDED_TASK = Task("slides", "Slides for the ingest talk", 120, Depth.DEEP,
                  deadline=datetime(2026, 3, 27, 17, tzinfo=ZAGREB), priority=2,
                  min_block_minutes=60, source="makertime")


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An open store on an empty database of each backend."""
    with open_store(empty_database(request, tmp_path)) as opened:
        yield opened


def read(task_id: str, source: str, estimate: int = 60, **fields: Any) -> Task:
    """A task as a source gives it."""
    return Task(task_id, task_id, estimate, source=source, **fields)


def state_of(store: Store, task_id: str) -> TaskState:
    """Task ``task_id`` as the store holds it, done or not."""
    return next(s for s in store.tasks(include_done=True) if s.task.id == task_id)


def test_an_added_task_is_kept_with_its_fields_and_origin(store: Store) -> None:
    added = store.add_task(ADDED_TASK, at=NOW)
    assert added == state_of(store, "slides")
    assert (added.origin, added.estimate_at, added.done) == (ADDED, NOW, False)
    assert added.task == replace(ADDED_TASK, deadline=ADDED_TASK.deadline.astimezone(UTC)
                                 if ADDED_TASK.deadline else None)
    assert store.added_task("slides") == added


def test_each_task_says_where_it_comes_from(store: Store) -> None:
    store.save_tasks([read("pr-42", FILE), read("todo-1", CALENDAR)], NOW, tasks_file=FILE)
    store.add_task(ADDED_TASK, at=NOW)
    assert {s.task.id: s.origin for s in store.tasks()} == {
        "pr-42": FROM_FILE, "todo-1": FROM_CALENDAR, "slides": ADDED}


def test_an_id_that_exists_is_refused_whatever_its_origin(store: Store) -> None:
    store.save_tasks([read("pr-42", FILE), read("todo-1", CALENDAR)], NOW, tasks_file=FILE)
    store.add_task(ADDED_TASK, at=NOW)
    for task_id, whence in [("pr-42", f"tasks.toml {FILE}"), ("todo-1", f"the calendar {CALENDAR}"),
                            ("slides", "added through makertime")]:
        with pytest.raises(TasksError) as raised:
            store.add_task(replace(ADDED_TASK, id=task_id), at=NOW)
        assert str(raised.value) == (f'task "{task_id}": already exists ({whence}) '
                                     "(give the new task another id)")
        assert raised.value.exit_status == 2
    assert state_of(store, "pr-42").origin == FROM_FILE


def test_reading_the_sources_never_drops_or_changes_an_added_task(store: Store) -> None:
    added = store.add_task(ADDED_TASK, at=NOW)
    store.save_tasks([read("pr-42", FILE)], NOW + timedelta(hours=1), tasks_file=FILE)
    store.save_tasks([], NOW + timedelta(hours=2), tasks_file=FILE)
    assert state_of(store, "slides") == added


def test_a_source_that_lists_an_added_tasks_id_takes_it_over(store: Store) -> None:
    store.add_task(ADDED_TASK, at=NOW)
    store.set_progress("slides", 0.5, NOW + timedelta(hours=1))
    later = NOW + timedelta(days=1)
    store.save_tasks([read("slides", FILE, 240, progress=0.5)], later, tasks_file=FILE)
    taken = state_of(store, "slides")
    assert (taken.origin, taken.task.source, taken.task.title) == (FROM_FILE, FILE, "slides")
    # the file wins: its estimate and progress, as of its read, even where they match
    assert (taken.task.estimate_minutes, taken.task.progress, taken.estimate_at) == (
        240, 0.5, later)
    with pytest.raises(TasksError, match=r"comes from tasks\.toml"):
        store.added_task("slides")
    store.save_tasks([], later + timedelta(days=1), tasks_file=FILE)
    assert state_of(store, "slides").origin == FROM_FILE  # kept, as any task read once is


def test_an_edit_changes_the_fields_and_keeps_what_was_logged(store: Store) -> None:
    store.add_task(ADDED_TASK, at=NOW)
    logged = store.set_progress("slides", 0.25, NOW + timedelta(hours=1))
    edited = store.edit_task(replace(ADDED_TASK, title="Talk slides", priority=1,
                                     estimate_minutes=logged.task.estimate_minutes,
                                     progress=logged.task.progress,
                                     last_touched=date(2026, 3, 23)),
                             at=NOW + timedelta(hours=2), changed={"title", "priority"})
    assert (edited.task.title, edited.task.priority, edited.origin) == ("Talk slides", 1, ADDED)
    assert (edited.task.estimate_minutes, edited.task.progress, edited.estimate_at) == (
        90, 0.25, logged.estimate_at)


def test_a_new_estimate_is_taken_as_of_the_edit(store: Store) -> None:
    store.add_task(ADDED_TASK, at=NOW)
    store.mark_done("slides", NOW)
    at = NOW + timedelta(hours=3)
    edited = store.edit_task(replace(ADDED_TASK, estimate_minutes=45, progress=0.5), at=at,
                             changed={"estimate", "progress"})
    assert (edited.task.estimate_minutes, edited.task.progress, edited.estimate_at) == (
        45, 0.5, at)
    assert (edited.done, edited.done_at) == (False, None)  # reopened
    done = store.edit_task(replace(ADDED_TASK, estimate_minutes=0, progress=1.0), at=at,
                           changed={"estimate", "progress"})
    assert (done.done, done.done_at) == (True, at)


def test_a_new_progress_alone_scales_what_is_left(store: Store) -> None:
    store.add_task(ADDED_TASK, at=NOW)
    at = NOW + timedelta(hours=1)
    edited = store.edit_task(replace(ADDED_TASK, progress=0.5), at=at, changed={"progress"})
    assert (edited.task.estimate_minutes, edited.task.progress, edited.estimate_at) == (
        60, 0.5, at)


def test_a_task_of_an_input_cannot_be_edited(store: Store) -> None:
    store.save_tasks([read("pr-42", FILE), read("todo-1", CALENDAR)], NOW, tasks_file=FILE)
    with pytest.raises(TasksError) as raised:
        store.edit_task(replace(read("pr-42", FILE), title="x"), at=NOW, changed={"title"})
    assert str(raised.value) == (f'task "pr-42": comes from tasks.toml {FILE}, not makertime '
                                 "(edit it in tasks.toml: makertime never writes its inputs)")
    with pytest.raises(TasksError) as raised:
        store.edit_task(read("todo-1", CALENDAR), at=NOW, changed={"title"})
    assert str(raised.value) == (f'task "todo-1": comes from the calendar {CALENDAR}, not '
                                 "makertime (edit it in its calendar's VTODO: makertime never "
                                 "writes its inputs)")
    assert state_of(store, "pr-42").task.title == "pr-42"


def test_an_unknown_task_cannot_be_edited(store: Store) -> None:
    store.add_task(ADDED_TASK, at=NOW)
    with pytest.raises(StoreError) as raised:
        store.edit_task(replace(ADDED_TASK, id="slide"), at=NOW, changed={"title"})
    assert str(raised.value) == ('task "slide": no such task (known: slides) '
                                 "(run `makertime tasks` to list them)")


def test_open_added_tasks_are_bounded_by_what_one_plan_takes(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import makertime.store.tasks

    monkeypatch.setattr(makertime.store.tasks, "limit", lambda key: 2)
    store.add_task(replace(ADDED_TASK, id="a"), at=NOW)
    store.add_task(replace(ADDED_TASK, id="b"), at=NOW)
    with pytest.raises(TasksError, match="one more than the 2 open added tasks one plan takes"):
        store.add_task(ADDED_TASK, at=NOW)
    store.mark_done("a", NOW)
    assert store.add_task(ADDED_TASK, at=NOW).origin == ADDED
