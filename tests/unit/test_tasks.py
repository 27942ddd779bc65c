"""tasks.toml: every field, and one message per mistake naming task, field and fix."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from makertime.errors import TasksError
from makertime.model import Depth
from makertime.sample import sample_path
from makertime.tasks import load_tasks, task_from_fields

ZAGREB = ZoneInfo("Europe/Zagreb")


def tasks_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "tasks.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_the_sample_tasks_load_with_every_field() -> None:
    tasks = {t.id: t for t in load_tasks(sample_path("tasks.toml"), ZAGREB)}
    pr = tasks["pr-42-feedback"]
    assert (pr.estimate_minutes, pr.depth, pr.priority, pr.min_block_minutes) == (
        90, Depth.SHALLOW, 1, 30)
    assert pr.deadline == datetime(2026, 3, 26, 12, 0, tzinfo=ZAGREB)
    assert pr.waiting_on_me and pr.last_touched == date(2026, 3, 19)
    side = tasks["overlay-side-project"]
    assert (side.progress, side.deadline, side.depth) == (0.95, None, Depth.DEEP)
    assert side.stale_days(date(2026, 3, 23)) == 37


def test_a_bare_date_deadline_is_the_end_of_that_day(tmp_path: Path) -> None:
    path = tasks_file(tmp_path, '[[task]]\nid = "a"\nestimate = "2h"\ndeadline = 2026-03-27\n')
    [task] = load_tasks(path, ZAGREB)
    assert task.deadline == datetime(2026, 3, 27, 23, 59, tzinfo=ZAGREB)
    assert task.depth is Depth.DEEP and task.priority == 3


@pytest.mark.parametrize(("body", "needle"), [
    ('[[task]]\nid = "blog"\nestimate = "2 hours"\n',
     'task \'blog\': estimate \'2 hours\' is not a duration (write e.g. "2h" or "1h30m")'),
    ('[[task]]\nid = "blog"\n', "task 'blog': estimate is missing"),
    ('[[task]]\nestimate = "1h"\n', "task '#1': id is missing"),
    ('[[task]]\nid = "a"\nestimate = "1h"\ndepth = "medium"\n', "depth 'medium' is not allowed"),
    ('[[task]]\nid = "a"\nestimate = "1h"\npriority = 9\n', "priority 9 is not allowed"),
    ('[[task]]\nid = "a"\nestimate = "1h"\nprogress = 60\n', "progress 60 is not a fraction"),
    ('[[task]]\nid = "a"\nestimate = "1h"\ndue = 2026-03-01\n', "due is not a task field"),
    ('[[task]]\nid = "a"\nestimate = "1h"\ndeadline = "friday"\n',
     "deadline 'friday' is not a date or time"),
    ('[[task]]\nid = "a"\nestimate = "1h"\n[[task]]\nid = "a"\nestimate = "2h"\n',
     "task 'a' appears twice"),
    ('[tasks]\nid = "a"\n', "expected only [[task]] tables"),
    ('[[task]\n', "is not valid TOML"),
])
def test_mistakes_are_named_with_their_fix(tmp_path: Path, body: str, needle: str) -> None:
    with pytest.raises(TasksError) as caught:
        load_tasks(tasks_file(tmp_path, body), ZAGREB)
    assert str(caught.value).startswith(f"{tmp_path / 'tasks.toml'}: ")
    assert needle in str(caught.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(TasksError, match="no such file"):
        load_tasks(tmp_path / "nope.toml", ZAGREB)


def test_the_fields_of_one_task_are_checked_as_a_file_is(tmp_path: Path) -> None:
    fields = {"id": "blog", "estimate": "2 hours"}
    with pytest.raises(TasksError) as from_file:
        load_tasks(tasks_file(tmp_path, '[[task]]\nid = "blog"\nestimate = "2 hours"\n'), ZAGREB)
    with pytest.raises(TasksError) as from_fields:
        task_from_fields("makertime", fields, ZAGREB)
    assert from_fields.value.detail == from_file.value.detail
    assert str(from_fields.value) == ("makertime: task 'blog': estimate '2 hours' is not a "
                                      'duration (write e.g. "2h" or "1h30m")')


def test_a_date_may_be_written_as_text() -> None:
    task = task_from_fields("makertime", {"id": "a", "estimate": "1h",
                                          "deadline": "2026-03-26T17:00:00",
                                          "last_touched": "2026-03-20"}, ZAGREB)
    assert task.deadline == datetime(2026, 3, 26, 17, tzinfo=ZAGREB)
    assert task.last_touched == date(2026, 3, 20)
    bare = task_from_fields("makertime", {"id": "a", "estimate": "1h",
                                          "deadline": "2026-03-27"}, ZAGREB)
    assert bare.deadline == datetime(2026, 3, 27, 23, 59, tzinfo=ZAGREB)
    with pytest.raises(TasksError, match="deadline 1800-01-01 is outside the years"):
        task_from_fields("makertime", {"id": "a", "estimate": "1h", "deadline": "1800-01-01"},
                         ZAGREB)
