"""The team commands' mistakes: each one line on stderr, exit status 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from makertime.cli import app
from makertime.sample import sample_path

runner = CliRunner()


def _one_line(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture(autouse=True)
def _store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAKERTIME_DB", f"sqlite:///{tmp_path / 'store.db'}")


def test_a_missing_team_file(tmp_path: Path) -> None:
    line = _one_line(["team", "plan", str(tmp_path / "nope.toml")])
    assert "nope.toml: no such file" in line


def test_a_mistake_in_team_toml_names_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "team.toml"
    bad.write_text('[team]\nname = "T"\ntimezone = "Mars/Olympus"\n', encoding="utf-8")
    assert "timezone" in _one_line(["team", "check", str(bad)])


def test_the_time_limit_is_bounded_before_any_calendar_is_read() -> None:
    team = str(sample_path("team/team.toml"))
    assert "--time-limit" in _one_line(["team", "plan", team, "--time-limit", "0"])


def test_a_member_does_not_swap_with_themself() -> None:
    assert _one_line(["team", "swap", "ana", "ana", "2026-03-26"]) == (
        "makertime: MEMBER_B: is ana again (name the two members who swap)")


def test_swap_and_away_need_a_kept_rotation() -> None:
    assert "no rotation is kept" in _one_line(["team", "swap", "ana", "ben", "2026-03-26"])
    assert "no rotation is kept" in _one_line(["team", "history"])


def test_away_dates_in_order() -> None:
    team = str(sample_path("team/team.toml"))
    ok = runner.invoke(app, ["team", "plan", team, "--from", "2026-03-23", "--to",
                             "2026-03-29", "--time-limit", "2", "--json"])
    assert ok.exit_code == 0, ok.output
    line = _one_line(["team", "away", "dario", "2026-03-27", "2026-03-25"])
    assert line.startswith("makertime: TO: 2026-03-25 is before 2026-03-27")


def test_check_names_every_calendar_that_cannot_be_read(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "team"
    shutil.copytree(sample_path("team"), folder)
    (folder / "ben.ics").unlink()
    (folder / "eva.ics").write_text("not a calendar", encoding="utf-8")
    result = runner.invoke(app, ["team", "check", str(folder / "team.toml"), "--from",
                                 "2026-03-23", "--to", "2026-03-29"])
    assert result.exit_code == 2
    assert "ben.ics" in result.stdout and "eva.ics" in result.stdout
    assert result.stdout.count("✘") >= 3  # two calendars, and the verdict
    assert "ana.ics" in result.stdout and "Traceback" not in result.output


def test_check_says_which_rule_keeps_everyone_from_a_slot(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "team"
    shutil.copytree(sample_path("team"), folder)
    text = (folder / "team.toml").read_text(encoding="utf-8")
    (folder / "team.toml").write_text(text.replace('seats = { audio = 1, video = 1 }',
                                                   'seats = { audio = 1, lights = 1 }'),
                                      encoding="utf-8")
    result = runner.invoke(app, ["team", "check", str(folder / "team.toml"), "--from",
                                 "2026-03-23", "--to", "2026-03-29"])
    assert result.exit_code == 2
    assert "needs lights: nobody may hold it" in result.stdout
    assert "lacks the skill lights" in result.stdout


def test_html_never_replaces_an_input_of_the_team(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "team"
    shutil.copytree(sample_path("team"), folder)
    before = (folder / "ben.ics").read_bytes()
    line = _one_line(["team", "plan", str(folder / "team.toml"), "--html",
                      str(folder / "ben.ics")])
    assert "--html" in line and "ben.ics" in line
    assert (folder / "ben.ics").read_bytes() == before
    line = _one_line(["team", "plan", str(folder / "team.toml"), "--html",
                      str(folder / "team.toml")])
    assert "team.toml" in line


def test_a_rotation_longer_than_a_quarter_is_refused_before_any_calendar_is_read() -> None:
    team = str(sample_path("team/team.toml"))
    line = _one_line(["team", "plan", team, "--from", "2026-01-01", "--to", "2026-12-31"])
    assert "365 days, longer than the 92 days one rotation covers" in line
