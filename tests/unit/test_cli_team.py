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
