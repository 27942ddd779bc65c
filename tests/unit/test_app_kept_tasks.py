"""``makertime tasks`` and ``progress``: progress and time left never contradict each other, and
a fraction outside 0..1 (negative ones included) is one clear line."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from rich.console import Console

from makertime.app.kept_tasks import task_rows
from makertime.cli.week_view import render_tasks
from makertime.model import Interval, Task
from makertime.plan.result import Block, BlockKind
from makertime.store import TaskState, open_store
from tests.support.helpers import z
from tests.support.week import ok, run

NOW = z("2026-03-25 12:00")


def state(progress: float, estimate: int = 60, *, done: bool = False) -> TaskState:
    """The task ``blog`` as the store keeps it, its estimate set on Monday."""
    return TaskState(Task("blog", "blog", estimate, progress=progress), z("2026-03-23 08:00"),
                     done=done)


def worked(minutes: int) -> Block:
    """A shallow block for ``blog`` on Tuesday morning, over by NOW."""
    start = z("2026-03-24 09:00")
    return Block(BlockKind.SHALLOW, Interval(start, start + timedelta(minutes=minutes)), "",
                 "blog")


def shown(states: list[TaskState], blocks: list[Block]) -> str:
    """``makertime tasks`` for ``states`` against ``blocks``, as one line of text."""
    buffer = io.StringIO()
    rows = task_rows(states, blocks, NOW, NOW.date(), [])
    render_tasks(rows, Console(file=buffer, width=200))
    return " ".join(buffer.getvalue().split())


def test_an_open_task_whose_blocks_held_its_estimate_asks_whether_it_is_done() -> None:
    [row] = task_rows([state(0.5)], [worked(60)], NOW, NOW.date(), [])
    assert row.left_minutes == 0 and row.estimate_spent
    text = shown([state(0.5)], [worked(60)])
    assert "50% 0m" not in text
    assert "blog shallow 50% done?" not in text  # depth is deep by default
    assert "blog deep 50% done? 0m" in text
    assert ("done? blog: its blocks held all of its estimate, yet it is logged 50% done: "
            "`makertime done blog` if it is finished; if not, `makertime progress blog "
            "FRACTION` (or a larger estimate in its source) sets what is left anew.") in text


@pytest.mark.parametrize(("task", "blocks", "left"), [
    (state(0.5), [worked(20)], "40m"),  # time is left: shown as it is
    (state(1.0, 0, done=True), [], "0m"),  # done: nothing left is the truth
    (state(0.0), [], "1h"),
])
def test_consistent_rows_are_shown_as_they_are(task: TaskState, blocks: list[Block],
                                               left: str) -> None:
    [row] = task_rows([task], blocks, NOW, NOW.date(), [])
    assert not row.estimate_spent
    text = shown([task], blocks)
    assert f" {left} " in f"{text} " and "done?" not in text


@pytest.mark.parametrize("fraction", ["-0.5", "-1", "1.5", "nan", "-inf"])
def test_a_fraction_outside_zero_to_one_is_one_line(tmp_path: Path, fraction: str) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    result = run("progress", "blog", fraction, "--db", db)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [f"makertime: FRACTION: {float(fraction):g} is not between 0 and 1 "
                     "(give how near done the whole task is, e.g. 0.6; 1 marks it done)"]


def test_progress_never_reports_some_done_and_nothing_left(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(db) as store:
        store.save_tasks([Task("blog", "blog", 60), Task("tiny", "tiny", 1)], NOW)
    assert ok("progress", "blog", "0.5", "--db", db) == "blog: 50% done, 30m left"
    # one minute at 50% rounds to nothing left: say so, and what to do
    assert ok("progress", "tiny", "0.5", "--db", db) == (
        "tiny: 50% done, yet nothing of its estimate is left: `makertime done tiny` if it is "
        "finished; if not, `makertime progress tiny FRACTION` (or a larger estimate in its "
        "source) sets what is left anew")
    assert ok("progress", "blog", "--db", db, "0.25") == "blog: 25% done, 45m left"
