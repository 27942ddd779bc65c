"""Every input a person types has a bound, checked before work starts: past it, one line and
exit status 2, never a traceback, a hang or gigabytes. The hostile values come from a probe of
makertime as a careless user and an attacker would use it."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from typer.testing import CliRunner

from makertime.cli import app
from makertime.errors import PolicyError, TasksError
from makertime.inputs import merge_tasks
from makertime.limits import limit
from makertime.model import Depth, Task
from makertime.plan.greedy import block_sizes, splits
from makertime.plan.problem import Need
from makertime.policy import build_policy, load_policy
from makertime.sample import sample_path
from makertime.tasks import load_tasks, tasks_from_calendar

runner = CliRunner()
ZAGREB = ZoneInfo("Europe/Zagreb")
SAMPLE = [str(sample_path("week.ics")), "--policy", str(sample_path("policy.toml")),
          "--from", "2026-03-23", "--to", "2026-03-29"]


def tasks_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "tasks.toml"
    path.write_text(body, encoding="utf-8")
    return path


def one_task(tmp_path: Path, line: str, *, task_id: str = '"x"') -> Path:
    return tasks_file(tmp_path, f'[[task]]\nid = {task_id}\nestimate = "2h"\n{line}\n')


@pytest.mark.parametrize(("line", "message"), [
    ("estimate = 1.5", "estimate 1.5 is not a duration"),
    ("estimate = [1, 2]", "estimate [1, 2] is not a duration"),
    ("estimate = { h = 2 }", "is not a duration"),
    ('estimate = "100000h"', "estimate '100000h' is more than 1000h"),
    ("estimate = 99999999999999999999", "is more than 1000h"),
    (f'estimate = "{"9" * 5000}h"', "is not a duration"),
    ('min_block = "1001h"', "min_block '1001h' is more than 1000h"),
    ("min_block = 1e30", "min_block 1e+30 is not a duration"),
    ("deadline = 9999-12-31T23:59:59Z", "deadline 9999-12-31 23:59:59+00:00 is outside"),
    ("deadline = 0001-01-01", "deadline 0001-01-01 is outside the years"),
    ("last_touched = 0001-01-01", "last_touched 0001-01-01 is outside"),
    ("title = [1]", "title [1] is not text"),
    ("depth = 2", "depth 2 is not allowed"),
    ("priority = nan", "priority nan is not allowed"),
    ("progress = inf", "progress inf is not a fraction"),
], ids=lambda value: str(value)[:30])
def test_typed_junk_in_tasks_toml_is_one_line(tmp_path: Path, line: str, message: str) -> None:
    path = tasks_file(tmp_path, f'[[task]]\nid = "x"\nestimate = "2h"\n{line}\n'.replace(
        'estimate = "2h"\nestimate', "estimate"))
    with pytest.raises(TasksError) as raised:
        load_tasks(path, ZAGREB)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("task_id", ['"a\\nb"', '"a b"', '"tab\\there"', '"esc\\u001b[2J"',
                                     '"nul\\u0000"', '""', f'"{"x" * 256}"', '"quote\\"d"'])
def test_a_task_id_outside_the_documented_characters_is_refused(tmp_path: Path,
                                                                 task_id: str) -> None:
    path = one_task(tmp_path, "", task_id=task_id)
    with pytest.raises(TasksError) as raised:
        load_tasks(path, ZAGREB)
    text = str(raised.value)
    assert "\n" not in text and "\x1b" not in text and "\x00" not in text
    assert "id" in text


def test_ids_of_real_calendars_are_taken(tmp_path: Path) -> None:
    ids = ["pr-42", "040000008200E00074C5B7101A82E008", "{8B6D3C1A-7D}",
           "a1b2@google.com", "2026/03/review#2", "x" * 255]
    body = "".join(f'[[task]]\nid = "{i}"\nestimate = "1h"\n' for i in ids)
    assert [t.id for t in load_tasks(tasks_file(tmp_path, body), ZAGREB)] == ids


def test_a_task_title_with_control_characters_is_kept_clean(tmp_path: Path) -> None:
    path = one_task(tmp_path, 'title = "fix [/] parser\\u001b[2J\\u0000 now\\u202e"')
    [task] = load_tasks(path, ZAGREB)
    assert task.title == "fix [/] parser now"


def test_a_large_tasks_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tasks_file(tmp_path, "# " + "x" * limit("tasks.file_bytes") + "\n")
    with pytest.raises(TasksError, match=r"is larger than 1,048,576 bytes"):
        load_tasks(path, ZAGREB)


def test_more_tasks_than_a_plan_takes_are_refused(tmp_path: Path) -> None:
    body = "".join(f'[[task]]\nid = "t{n}"\nestimate = "1h"\n' for n in range(301))
    with pytest.raises(TasksError, match=r"holds 301 tasks, more than the 300 one plan takes"):
        load_tasks(tasks_file(tmp_path, body), ZAGREB)


@pytest.mark.parametrize("opening", ["a = " + "[" * 100_000, "a = " + "{ b = " * 100_000])
def test_toml_nested_too_deeply_is_one_line(tmp_path: Path, opening: str) -> None:
    path = tasks_file(tmp_path, opening + "\n")
    with pytest.raises(TasksError, match="not valid TOML"):
        load_tasks(path, ZAGREB)
    policy = tmp_path / "policy.toml"
    policy.write_text(opening + "\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="not valid TOML"):
        load_policy(policy)


def test_a_fifo_as_tasks_file_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "tasks.toml"
    os.mkfifo(fifo)
    failure: list[BaseException] = []

    def read() -> None:
        try:
            load_tasks(fifo, ZAGREB)
        except TasksError as error:
            failure.append(error)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # unblock the reader before failing
        with fifo.open("w"):
            pass
        pytest.fail("reading a FIFO waited for a writer")
    assert failure and "is not a regular file" in str(failure[0])


@pytest.mark.parametrize(("data", "message"), [
    ({"sync_windows": {"per_day": 1_000_000}}, "sync_windows.per_day = 1000000 must be a whole "
     "number from 0 to 24"),
    ({"focus": {"min_block_minutes": 10**20}}, "must be a whole number from 0 to 1,440"),
    ({"energy": {"daily_budget": float("nan")}}, "energy.daily_budget = nan must be a number"),
    ({"rule": [{"match": {"summary": "x"}, "recover_after_minutes": 10**9}]},
     "rule #1 recover_after_minutes = 1000000000 must be a whole number from 0 to 10,080"),
    ({"rule": [{"match": {"summary": "x"}}] * 201}, "holds 201 [[rule]] tables"),
    ({"work\x1b[2J": {}}, "unknown key work (allowed here"),
], ids=["per-day", "min-block", "nan", "recovery", "rules", "escape"])
def test_policy_numbers_have_bounds(data: dict[str, object], message: str) -> None:
    with pytest.raises(PolicyError) as raised:
        build_policy(data, source="policy.toml")
    assert message in str(raised.value)
    assert "\x1b" not in str(raised.value)


def _need(size: int, min_size: int, deep: bool) -> Need:
    task = Task("t", "t", size * 15, Depth.DEEP if deep else Depth.SHALLOW)
    return Need(task, size, min_size, None, 1)


def test_cutting_the_largest_task_costs_what_the_runs_allow() -> None:
    # 1,000 h of shallow work in 15-minute pieces: the ways to cut it are bounded by the runs
    # (one block per run) and by the longest run, not by the 4,000 grains of the estimate
    need = _need(4000, 1, deep=False)
    ways = splits(need, longest=32, most=40)
    assert ways == []  # 40 runs of at most 8 h cannot hold it whole
    sizes = block_sizes(need, longest=32)
    assert sizes == list(range(32, 0, -1))  # every length up to the longest run, no more
    deep = _need(4000, 8, deep=True)
    assert all(max(way) <= 16 and len(way) <= 400 for way in splits(deep, 16, 400))
    assert len(splits(deep, 16, 400)) == 400 - 250 + 1  # 250 to 400 blocks of 10 to 16 grains
    assert splits(deep, 16, 400, ways=3) == splits(deep, 16, 400)[:3]  # the first few, built alone


def test_a_task_that_fits_keeps_every_cut_it_had() -> None:
    need = _need(16, 8, deep=True)  # 4 h, blocks of at least 2 h, cap 4 h
    assert splits(need, longest=16, most=10) == [[16], [8, 8]]
    assert block_sizes(need, longest=16) == [16, 8]
    # lengths come from cuts into any number of blocks, beyond what the runs could hold whole
    shallow = _need(20, 1, deep=False)
    assert block_sizes(shallow, longest=8) == [7, 6, 5, 4, 3, 2, 1]


def _todo_calendar(*todos: str) -> icalendar.Calendar:
    body = "".join(f"BEGIN:VTODO\r\nDTSTAMP:20260301T000000Z\r\n{t}\r\nEND:VTODO\r\n"
                   for t in todos)
    text = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{body}END:VCALENDAR\r\n"
    return icalendar.Calendar.from_ical(text)


def test_vtodos_past_a_bound_are_skipped_with_a_warning_naming_them() -> None:
    calendar = _todo_calendar(
        "UID:weeks\r\nSUMMARY:forever\r\nDURATION:P9999W",
        "UID:estimate\r\nSUMMARY:huge\r\nX-MAKERTIME-ESTIMATE:100000h",
        "UID:negative\r\nSUMMARY:back\r\nDURATION:-PT2H",
        "UID:bad id\r\nSUMMARY:spaces",
        "UID:due\r\nSUMMARY:far\r\nDURATION:PT2H\r\nDUE:99991231T235959Z",
        "SUMMARY:no uid\r\nDURATION:PT1H")
    tasks, warnings = tasks_from_calendar(calendar, "shared.ics")
    by_id = {t.id: t for t in tasks}
    assert by_id["due"].deadline is None and by_id["due"].estimate_minutes == 120
    assert [t.title for t in tasks if t.id.startswith("todo-")] == ["no uid"]
    assert set(by_id) - {"due"} == {t.id for t in tasks if t.id.startswith("todo-")}
    skipped = {w.uid: w.message for w in warnings if "skipped" in w.message}
    assert set(skipped) == {"weeks", "estimate", "negative", "bad id"}
    assert "more than 1000h" in skipped["weeks"] and "negative" in skipped["negative"]
    assert any(w.uid == "due" and "read without a deadline" in w.message for w in warnings)


def test_a_vtodo_with_a_property_given_twice_costs_only_itself() -> None:
    calendar = _todo_calendar(
        "UID:twice\r\nSUMMARY:two dues\r\nDURATION:PT1H\r\nDUE:20260327T170000Z\r\n"
        "DUE:20260328T170000Z",
        "UID:durations\r\nSUMMARY:two\r\nDURATION:PT1H\r\nDURATION:PT2H",
        "UID:fine\r\nSUMMARY:fine\r\nDURATION:PT1H")
    tasks, warnings = tasks_from_calendar(calendar, "shared.ics")
    assert [t.id for t in tasks] == ["fine"]
    assert {w.uid for w in warnings if "cannot be read as a task" in w.message} == {
        "twice", "durations"}


def test_vtodos_past_the_task_count_keep_the_most_urgent() -> None:
    listed = [Task(f"l{n}", "l", 60) for n in range(250)]
    todos = [Task(f"v{n}", "v", 60, priority=5 - n % 5, source="tasks.ics") for n in range(80)]
    kept, warnings = merge_tasks(listed, todos)
    assert len(kept) == 300 and kept[:250] == listed
    dropped = [t for t in todos if t not in kept]
    assert max(t.priority for t in kept[250:]) <= min(t.priority for t in dropped)
    [warning] = warnings
    assert "30 open VTODOs past the 300 tasks one plan takes were left out" in warning.message


@pytest.mark.parametrize(("extra", "message"), [
    (["--workers", "99999999999999999999"], "--workers: 99999999999999999999 is not a number"),
    (["--now", "0001-01-01T00:00"], "--now: 0001-01-01T00:00 is outside the years"),
    (["--time-limit", "inf"], "--time-limit: inf is not a number of seconds"),
])
def test_cli_numbers_past_their_bound_are_one_line(extra: list[str], message: str) -> None:
    result = runner.invoke(app, ["plan", *SAMPLE, *extra])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert message in " ".join(result.output.split())


def test_an_interruption_at_the_start_of_time_is_one_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    result = runner.invoke(app, ["interrupt", "x", "--minutes", "5", "--at", "0001-01-01T00:00",
                                 "--db", db])
    assert result.exit_code == 2
    assert "--at: 0001-01-01T00:00 is outside the years" in " ".join(result.output.split())
