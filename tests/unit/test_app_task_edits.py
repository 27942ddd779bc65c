"""A task added through makertime is planned like one read from tasks.toml, by a fresh plan and
by a replan; when tasks.toml later lists its id, the file wins."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from makertime import app
from makertime.sample import sample_path
from makertime.store import PlanInputs, open_store
from tests.support.planning import FAST
from tests.support.week import SAMPLE, local, ok

WEEK = ["--from", "2026-03-23", "--to", "2026-03-29"]
CAL = str(sample_path("week.ics"))
SLIDES = {"id": "slides", "title": "Slides for the ingest talk", "estimate": "1h",
          "depth": "deep", "deadline": "2026-03-24T17:00:00", "priority": 1}


def test_an_added_task_is_planned_by_make_plan_and_by_a_replan(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    ok("plan", CAL, *SAMPLE, *WEEK, "--now", "2026-03-23T08:00", "--workers", "1", "--db", db)
    app.add_task(SLIDES, now="2026-03-23T08:00", db=db)
    with open_store(db) as store:
        before = store.current_plan()
        assert before is not None
        planned = app.make_plan(store, before.inputs, now=local("2026-03-23T08:00"),
                                clock=local("2026-03-23T08:00"), options=FAST)
    held = [b for b in planned.stored.blocks if b.task == "slides"]
    assert sum(b.span.minutes for b in held) == 60
    assert all(b.span.end <= local("2026-03-24T17:00") for b in held)
    assert {b.task for b in before.blocks} - {None} <= {b.task for b in planned.stored.blocks}

    app.edit_task("slides", {"estimate": "2h"}, now="2026-03-23T09:00", db=db)
    ok("replan", "--now", "2026-03-23T09:00", "--workers", "1", "--db", db)
    with open_store(db) as store:
        repaired = store.current_plan()
    assert repaired is not None  # what is needed now, placed or not (Monday and Tuesday are full)
    placed = sum(b.span.minutes for b in repaired.blocks if b.task == "slides")
    unplaced = sum(u["minutes"] for u in repaired.result["unscheduled"] if u["task"] == "slides")
    assert (placed, placed + unplaced) == (60, 120)
    rows = {row.state.task.id: row.origin for row in app.tasks(now="2026-03-23T09:00", db=db)}
    assert rows["slides"] == "makertime" and rows["pr-42-feedback"] == "tasks.toml"
    assert "slides" in ok("tasks", "--now", "2026-03-23T09:00", "--db", db)


def test_when_tasks_toml_lists_an_added_tasks_id_the_file_wins(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    app.add_task(SLIDES, now="2026-03-23T08:00", db=db)
    tasks = tmp_path / "tasks.toml"
    tasks.write_text(sample_path("tasks.toml").read_text(encoding="utf-8")
                     + '\n[[task]]\nid = "slides"\ntitle = "Slides, as the file says"\n'
                     'estimate = "30m"\n', encoding="utf-8")
    inputs = PlanInputs(cals=(CAL,), tasks_path=str(tasks), policy_path=SAMPLE[3],
                        target=None, first=date(2026, 3, 23), last=date(2026, 3, 29))
    with open_store(db) as store:
        planned = app.make_plan(store, inputs, now=local("2026-03-23T08:00"),
                                clock=local("2026-03-23T08:00"), options=FAST)
        [state] = [s for s in store.tasks() if s.task.id == "slides"]
    assert (state.origin, state.task.title, state.task.estimate_minutes) == (
        "tasks.toml", "Slides, as the file says", 30)
    assert sum(b.span.minutes for b in planned.stored.blocks if b.task == "slides") == 30
    assert tasks.read_text(encoding="utf-8").count("[[task]]") == 5  # never written
