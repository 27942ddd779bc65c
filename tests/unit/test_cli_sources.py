"""A remembered source's name works as CAL in audit, check and plan; a CAL that names nothing
is one clear line and exit status 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from makertime.cli import app
from makertime.sample import sample_path

runner = CliRunner()
WEEK = ["--from", "2026-03-23", "--to", "2026-03-29"]
POLICY = str(sample_path("policy.toml"))


@pytest.fixture
def kept(tmp_path: Path) -> tuple[str, Path]:
    """A store (by --db) remembering the sample week, copied, as the source "work"."""
    week = tmp_path / "week.ics"
    shutil.copyfile(sample_path("week.ics"), week)
    db = f"sqlite:///{tmp_path / 'kept.db'}"
    added = runner.invoke(app, ["source", "add", "work", str(week), "--db", db])
    assert added.exit_code == 0, added.output
    return db, week


def test_audit_reads_a_remembered_source_by_name(kept: tuple[str, Path]) -> None:
    db, week = kept
    by_name = runner.invoke(app, ["audit", "work", "--db", db, "--policy", POLICY, *WEEK,
                                  "--json"])
    by_path = runner.invoke(app, ["audit", str(week), "--policy", POLICY, *WEEK, "--json"])
    assert by_name.exit_code == 0, by_name.output
    named, direct = json.loads(by_name.stdout), json.loads(by_path.stdout)
    assert named["totals"] == direct["totals"]
    assert named["totals"]["sync_minutes"] > 0


def test_audit_finds_the_name_in_the_store_makertime_db_names(
        kept: tuple[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    db, _ = kept
    assert runner.invoke(app, ["audit", "work", "--policy", POLICY, *WEEK]).exit_code == 2
    monkeypatch.setenv("MAKERTIME_DB", db)
    result = runner.invoke(app, ["audit", "work", "--policy", POLICY, *WEEK])
    assert result.exit_code == 0, result.output
    assert "Mon 23" in result.output


def test_check_reads_a_remembered_source_by_name(kept: tuple[str, Path]) -> None:
    db, week = kept
    result = runner.invoke(app, ["check", "work", "--db", db, "--from", "2026-03-23", "--json"])
    assert result.exit_code == 0, result.output
    [checked] = json.loads(result.stdout)
    assert checked["readable"] is True
    assert Path(checked["source"]).resolve() == week.resolve()


def test_a_cal_that_names_nothing_is_one_line(kept: tuple[str, Path]) -> None:
    db, _ = kept
    for command in (["audit", "holiday", "--db", db], ["check", "holiday", "--db", db],
                    ["plan", "holiday", "--db", db, *WEEK]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2, (command, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert "holiday" in lines[0] and "nor a remembered source" in lines[0]
        assert "remembered: work" in lines[0] and "makertime source add holiday" in lines[0]
        assert "Traceback" not in result.output


def test_a_file_in_the_folder_wins_over_a_name(kept: tuple[str, Path], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    db, week = kept
    folder = tmp_path / "here"
    folder.mkdir()
    shutil.copyfile(week, folder / "work")  # a file called like the source
    monkeypatch.chdir(folder)
    result = runner.invoke(app, ["check", "work", "--db", db, "--from", "2026-03-23", "--json"])
    assert result.exit_code == 0, result.output
    assert Path(json.loads(result.stdout)[0]["source"]).resolve() == (folder / "work").resolve()


def test_an_audit_of_files_opens_no_store(tmp_path: Path) -> None:
    db = tmp_path / "never.db"
    result = runner.invoke(app, ["audit", str(sample_path("week.ics")), "--db", f"sqlite:///{db}",
                                 "--policy", POLICY, *WEEK])
    assert result.exit_code == 0, result.output
    assert not db.exists()
