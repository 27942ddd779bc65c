"""The command line: real commands on the sample week and on bad input (exit 2, one line)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from makertime.cli import app
from makertime.defaults import SETTINGS
from makertime.sample import sample_path

runner = CliRunner()
WEEK = str(sample_path("week.ics"))
POLICY = str(sample_path("policy.toml"))
SAMPLE = [WEEK, "--policy", POLICY, "--from", "2026-03-23", "--to", "2026-03-29"]


def test_demo_prints_the_sample_week() -> None:
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert "Mon 23" in result.output and "Fri 27" in result.output
    assert "no maker day" in result.output
    assert "Ship the" in result.output and "Design doc" in result.output
    assert "The week with the plan" in result.output
    assert "overlay-side-project" in result.output and "solver OPTIMAL" in result.output


def test_audit_json_matches_the_sample_week_to_the_minute() -> None:
    result = runner.invoke(app, ["audit", *SAMPLE, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    monday, tuesday, wednesday, thursday, friday, saturday, _ = report["days"]
    # Mon: standup 09:30-09:45, vendor 11:00-11:30, 1:1 13:00-13:30, planning 15:00-16:00;
    # gaps 30, 75, 90, 90, 60 minutes: all fragments.
    assert (monday["sync_minutes"], monday["focus_minutes"], monday["fragmented_minutes"]) == (
        135, 0, 345)
    assert (monday["longest_free_minutes"], monday["switches"]) == (90, 8)
    assert monday["effective_focus_minutes"] == 15 + 60 + 75 + 75 + 45
    # Tue: the late deploy 21:30-22:30 is after hours.
    assert tuesday["after_hours_sync_minutes"] == 60
    # Wed: the cancelled standup does not block; the New York call at 10:00 EDT is 15:00 here.
    assert wednesday["busy"][0]["start"] == "2026-03-25T11:00:00+01:00"
    assert {"start": "2026-03-25T15:00:00+01:00", "end": "2026-03-25T16:00:00+01:00"} in (
        wednesday["busy"])
    assert (wednesday["focus_minutes"], wednesday["fragmented_minutes"]) == (120, 225)
    # Thu: soundcheck 17:30-18:30 and the stream 19:00-21:30 are outside the window.
    assert thursday["after_hours_sync_minutes"] == 60 + 150
    # Fri: the all-hands is declined; standup moved to 10:30. The on-call shift is transparent,
    # but the policy's rule makes it partial, and the rule decides: the rest of the window is
    # partial time, not free, and the shift's night is not after-hours sync.
    assert friday["sync_minutes"] == 15 + 30 + 45
    assert (friday["partial_minutes"], friday["free_minutes"]) == (480 - 90, 0)
    assert friday["work_minutes"] == (friday["sync_minutes"] + friday["partial_minutes"]
                                      + friday["free_minutes"])
    assert friday["after_hours_sync_minutes"] == 0 and saturday["after_hours_sync_minutes"] == 0
    assert saturday["work_minutes"] == 0
    assert report["totals"]["maker_days"] == 0 and report["totals"]["days_off"] == 0
    assert report["totals"]["partial_minutes"] == 390
    assert report["timezone"] == "Europe/Zagreb"
    # 8h15m of focus in the week: under the 10 hours the audit warns below
    assert {w["kind"] for w in report["warnings"]} == {"no-maker-day", "after-hours", "low-focus"}


def test_audit_terminal_view_draws_the_week() -> None:
    result = runner.invoke(app, ["audit", *SAMPLE])
    assert result.exit_code == 0, result.output
    assert "The week, work window by work window" in result.output
    assert "commitment" in result.output and "fragment" in result.output
    assert "no maker day" in result.output


def _one_clear_line(result: object) -> str:
    assert getattr(result, "exit_code", None) == 2
    text = getattr(result, "stderr", "")
    assert "Traceback" not in text and "Traceback" not in getattr(result, "stdout", "")
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


def test_a_missing_calendar_is_one_line_and_exit_2(tmp_path: Path) -> None:
    line = _one_clear_line(runner.invoke(app, ["audit", str(tmp_path / "nope.ics")]))
    assert "nope.ics: no such file" in line


def test_a_bad_policy_is_one_line_and_exit_2(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[focus]\nmin_block_minutes = "two hours"\n', encoding="utf-8")
    line = _one_clear_line(runner.invoke(app, ["audit", WEEK, "--policy", str(policy)]))
    assert 'policy.toml: focus.min_block_minutes = "two hours" must be a whole number' in line


def test_bad_dates_are_one_line_and_exit_2() -> None:
    line = _one_clear_line(runner.invoke(app, ["audit", WEEK, "--from", "23/03/2026"]))
    assert "--from: '23/03/2026' is not a date" in line
    line = _one_clear_line(runner.invoke(app, ["audit", WEEK, "--from", "2026-03-23",
                                               "--to", "2026-03-01"]))
    assert "is before --from" in line


def test_a_file_that_is_not_a_calendar_is_one_line_and_exit_2(tmp_path: Path) -> None:
    notes = tmp_path / "notes.ics"
    notes.write_text("shopping list: milk, eggs\n", encoding="utf-8")
    line = _one_clear_line(runner.invoke(app, ["audit", str(notes)]))
    assert "notes.ics: is not an iCalendar file" in line


def test_check_reports_readable_and_unreadable_files(tmp_path: Path) -> None:
    notes = tmp_path / "notes.ics"
    notes.write_text("not a calendar\n", encoding="utf-8")
    result = runner.invoke(app, ["check", WEEK, str(notes), "--from", "2026-01-01", "--json"])
    assert result.exit_code == 2
    good, bad = json.loads(result.stdout)
    assert good["readable"] and good["components"]["VEVENT"] > 10
    assert good["instances"] > 80  # the standup repeats until June
    assert not bad["readable"] and "not an iCalendar file" in bad["error"]
    assert runner.invoke(app, ["check", WEEK]).exit_code == 0


def test_defaults_lists_every_setting_with_its_grade() -> None:
    result = runner.invoke(app, ["defaults"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    for setting in SETTINGS:
        assert setting.key in result.output
    assert "misquote" in result.output


def test_the_installed_entry_point_runs_and_teaches() -> None:
    exe = Path(sys.executable).with_name("makertime")
    done = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    for summary in ("Measure how your time really falls", "Can these calendars be read?",
                    "Every default, with its unit", "Audit and plan a bundled sample week",
                    "Place your async tasks into protected blocks"):
        assert summary in done.stdout


def test_long_periods_get_one_row_per_week_unless_asked() -> None:
    year = [WEEK, "--policy", POLICY, "--from", "2026-01-01", "--to", "2026-12-31"]
    weekly = runner.invoke(app, ["audit", *year])
    assert weekly.exit_code == 0, weekly.output
    assert "one row per ISO week" in weekly.output and "23 Mar" in weekly.output
    assert "Mon 23" not in weekly.output
    daily = runner.invoke(app, ["audit", *year, "--by", "day"])
    assert "Mon 23" in daily.output and "Thu 31" in daily.output
    assert runner.invoke(app, ["audit", *year, "--by", "month"]).exit_code == 2


def test_a_report_path_that_cannot_be_written_is_refused_before_reading(tmp_path: Path) -> None:
    line = _one_clear_line(runner.invoke(app, ["audit", WEEK, "--html", str(tmp_path)]))
    assert "is a folder" in line
    missing = tmp_path / "nowhere" / "week.html"
    line = _one_clear_line(runner.invoke(app, ["audit", WEEK, "--html", str(missing)]))
    assert "no folder" in line


def test_an_empty_file_is_named_as_empty(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ics"
    empty.write_bytes(b"\n")
    assert "empty.ics: is empty" in _one_clear_line(runner.invoke(app, ["audit", str(empty)]))
