"""`makertime plan` end to end on the sample week: JSON contract, ICS file, errors."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import icalendar
from typer.testing import CliRunner

from makertime.cli import app
from makertime.sample import sample_path

runner = CliRunner()
SAMPLE = [str(sample_path("week.ics")), "--tasks", str(sample_path("tasks.toml")),
          "--policy", str(sample_path("policy.toml")), "--from", "2026-03-23"]


def test_plan_json_follows_the_contract() -> None:
    result = runner.invoke(app, ["plan", *SAMPLE, "--json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert set(plan) >= {"blocks", "unscheduled", "before", "after", "solver"}
    assert set(plan["solver"]) >= {"status", "objective", "bound", "seconds"}
    assert plan["solver"]["status"] in {"OPTIMAL", "FEASIBLE"}
    for block in plan["blocks"]:
        assert set(block) >= {"task", "kind", "start", "end", "reason"}
        start = datetime.fromisoformat(block["start"])
        assert start.utcoffset() is not None and block["reason"]
    kinds = {b["kind"] for b in plan["blocks"]}
    assert kinds == {"deep", "shallow", "sync-window", "rest", "recovery"}
    deep = [b for b in plan["blocks"] if b["task"] == "overlay-side-project"]
    assert [b["kind"] for b in deep] == ["deep"]  # the side project at 95% ships, in one block
    for item in plan["unscheduled"]:
        assert "min exist" in item["reason"] and item["minutes"] > 0
    assert plan["before"]["work_minutes"] == plan["after"]["work_minutes"] == 2400


def test_plan_writes_an_ics_of_marked_events_with_stable_uids(tmp_path: Path) -> None:
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    for out in (first, second):
        result = runner.invoke(app, ["plan", *SAMPLE, "--out", str(out), "--workers", "1"])
        assert result.exit_code == 0, result.output
        assert f"written to {out}" in " ".join(result.output.split())
    assert first.read_bytes() == second.read_bytes()
    calendar = icalendar.Calendar.from_ical(first.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert events and all(str(e["UID"]).endswith("@makertime") for e in events)
    assert all(str(e["X-MAKERTIME-KIND"]) for e in events)
    assert {str(e["X-MAKERTIME-TASK"]) for e in events if "X-MAKERTIME-TASK" in e} == {
        "pr-42-feedback", "overlay-side-project", "design-doc-ingest", "postmortem-cdn"}


def test_plan_as_of_a_moment_places_nothing_before_it() -> None:
    result = runner.invoke(app, ["plan", *SAMPLE, "--json", "--now", "2026-03-25T13:00"])
    assert result.exit_code == 0, result.output
    starts = [datetime.fromisoformat(b["start"]) for b in json.loads(result.stdout)["blocks"]
              if b["kind"] in ("deep", "shallow", "sync-window")]
    assert starts and min(starts) >= datetime.fromisoformat("2026-03-25T13:00:00+01:00")


def test_bad_plan_options_are_one_line_and_exit_2(tmp_path: Path) -> None:
    bad_tasks = tmp_path / "tasks.toml"
    bad_tasks.write_text('[[task]]\nid = "x"\nestimate = "two hours"\n')
    cases = [
        (["--gap", "2"], "--gap: 2 is not a fraction"),
        (["--time-limit", "0"], "--time-limit: 0 is not a number of seconds from more than 0"),
        (["--time-limit", "nan"], "--time-limit: nan is not a number of seconds"),
        (["--time-limit", "inf"], "--time-limit: inf is not a number of seconds"),
        (["--workers", "0"], "--workers: 0 is not a number of threads from 1 to 64"),
        (["--workers", "99999999999999999999"], "--workers: 99999999999999999999 is not a"),
        (["--now", "noon"], "--now: 'noon' is not a date and time"),
        (["--now", "0001-01-01T00:00"], "--now: 0001-01-01T00:00 is outside the years"),
        (["--from", "2026-01-01", "--to", "2026-12-31"], "longer than the 92 days one plan"),
        (["--out", str(tmp_path / "missing" / "p.ics")], "cannot be written"),
    ]
    for extra, message in cases:
        result = runner.invoke(app, ["plan", *SAMPLE, *extra])
        assert result.exit_code == 2, (extra, result.output)
        assert message in " ".join(result.output.split()), result.output
    args = [str(sample_path("week.ics")), "--tasks", str(bad_tasks)]
    result = runner.invoke(app, ["plan", *args])
    assert result.exit_code == 2
    assert 'task \'x\': estimate \'two hours\' is not a duration' in " ".join(
        result.output.split())


def test_vtodo_in_the_calendar_is_planned_before_its_floating_due(tmp_path: Path) -> None:
    calendar = tmp_path / "work.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        "BEGIN:VEVENT\r\nUID:standup\r\nDTSTAMP:20260301T000000Z\r\n"
        "DTSTART;TZID=Europe/Zagreb:20260323T090000\r\n"
        "DTEND;TZID=Europe/Zagreb:20260323T093000\r\nSUMMARY:Standup\r\nEND:VEVENT\r\n"
        "BEGIN:VTODO\r\nUID:write-rfc\r\nDTSTAMP:20260301T000000Z\r\nSUMMARY:Write the RFC\r\n"
        "DUE:20260323T120000\r\nX-MAKERTIME-ESTIMATE:2h\r\nX-MAKERTIME-DEPTH:deep\r\n"
        "END:VTODO\r\nEND:VCALENDAR\r\n")
    policy = tmp_path / "policy.toml"
    policy.write_text('timezone = "Europe/Zagreb"\n[sync_windows]\nper_day = 0\n')
    result = runner.invoke(app, ["plan", str(calendar), "--policy", str(policy),
                                 "--from", "2026-03-23", "--to", "2026-03-23", "--json"])
    assert result.exit_code == 0, result.output
    (block,) = [b for b in json.loads(result.stdout)["blocks"] if b["task"] == "write-rfc"]
    # a floating DUE is wall time in the person's zone: 12:00 in Zagreb
    assert (block["kind"], block["start"], block["end"]) == (
        "deep", "2026-03-23T09:45:00+01:00", "2026-03-23T11:45:00+01:00")
