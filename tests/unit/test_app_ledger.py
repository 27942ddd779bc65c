"""Two plans in one store: the second, for the weeks after, accounts for every task — the time
the first plan already holds shows as held (with where), so no task goes missing."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from tests.support.week import SAMPLE, local, ok

WEEK_ONE = ["--from", "2026-03-23", "--to", "2026-03-29"]
WEEKS_TWO_AND_THREE = ["--from", "2026-03-30", "--to", "2026-04-12"]
FAST = ["--workers", "1", "--gap", "0"]
NOW = ["--now", "2026-03-23T08:00"]


def plan_json(*args: str) -> dict[str, object]:
    """``makertime plan ARGS --json``, read."""
    return json.loads(ok("plan", *args, "--json"))  # type: ignore[no-any-return]


def test_a_second_plan_for_the_weeks_after_accounts_for_every_task(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    cal = str(Path(SAMPLE[1]).with_name("week.ics"))
    first = plan_json(cal, *SAMPLE, *WEEK_ONE, *NOW, *FAST, "--db", db)
    second = plan_json(cal, *SAMPLE, *WEEKS_TWO_AND_THREE, *NOW, *FAST, "--db", db)
    ids = {entry["id"] for entry in first["tasks"]}  # type: ignore[attr-defined]
    assert len(ids) >= 4
    rows = {entry["id"]: entry for entry in second["tasks"]}  # type: ignore[attr-defined]
    assert set(rows) == ids  # no task silently missing from the second plan
    held_by_first: dict[str, int] = {}
    for block in first["blocks"]:  # type: ignore[attr-defined]
        if block["task"] and block["kind"] in ("deep", "shallow"):
            minutes = (datetime.fromisoformat(block["end"])
                       - datetime.fromisoformat(block["start"])).seconds // 60
            held_by_first[block["task"]] = held_by_first.get(block["task"], 0) + minutes
    assert held_by_first
    for task, row in rows.items():
        assert row["needed"] == row["placed"] + row["held"] + row["unscheduled"], row
        assert row["held"] == held_by_first.get(task, 0), row
        for span in row["held_at"]:  # where: inside week one, where the first plan put it
            assert local("2026-03-23T00:00") <= datetime.fromisoformat(span["start"])
            assert datetime.fromisoformat(span["end"]) <= local("2026-03-30T00:00")
    # a task week one holds in whole is shown as held, not dropped
    whole = [row for row in rows.values() if row["held"] and not row["placed"]
             and not row["unscheduled"]]
    assert whole
    terminal = ok("plan", cal, *SAMPLE, *WEEKS_TWO_AND_THREE, *NOW, *FAST, "--db", db)
    assert "Every task: needed = placed here + held earlier + not placed" in terminal
    assert terminal.count("held by an earlier plan:") == len([r for r in rows.values()
                                                              if r["held"]])
    for task in ids:
        assert task in terminal
