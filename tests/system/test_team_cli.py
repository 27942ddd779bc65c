"""The team's commands end to end on the sample team: a rotation published into members' own
calendars on a real Radicale (only makertime's events, nothing written twice, the person's own
events untouched), a member's plan that reads their duties from there, and swap, away and
history on the store the rotation was kept in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from makertime.cli import app
from makertime.sample import sample_path
from tests.support.radicale import PASSWORD, USER, RadicaleServer

runner = CliRunner()
PERIOD = ["--from", "2026-03-23", "--to", "2026-04-19"]
OWN_EVENT = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//makertime tests//team//EN
BEGIN:VEVENT
UID:dentist@example.com
DTSTAMP:20260101T000000Z
SUMMARY:Dentist
DTSTART:20260325T150000Z
DTEND:20260325T160000Z
END:VEVENT
END:VCALENDAR
"""
TASKS = """
[[task]]
id = "design"
title = "Design doc"
estimate = "10h"
depth = "deep"
priority = 1
"""


@pytest.fixture
def team_file(tmp_path: Path, server: RadicaleServer,
              monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, str]]:
    """The sample team copied, Ana and Ben publishing their duties to calendars of their own."""
    monkeypatch.setenv("MAKERTIME_CALDAV_USERNAME", USER)
    monkeypatch.setenv("MAKERTIME_CALDAV_PASSWORD", PASSWORD)
    monkeypatch.setenv("MAKERTIME_DB", f"sqlite:///{tmp_path / 'store.db'}")
    folder = tmp_path / "team"
    shutil.copytree(sample_path("team"), folder)
    targets = {"ana": server.new_calendar(), "ben": server.new_calendar()}
    text = (folder / "team.toml").read_text(encoding="utf-8")
    for member, url in targets.items():
        line = f'calendars = ["{member}.ics"]\n'
        assert line in text
        text = text.replace(line, f'{line}publish = "{url}"\n')
    (folder / "team.toml").write_text(text, encoding="utf-8")
    return folder / "team.toml", targets


def _run(*args: str) -> dict[str, object]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    found: dict[str, object] = json.loads(result.stdout)
    return found


def test_a_rotation_is_published_into_each_members_own_calendar(
        team_file: tuple[Path, dict[str, str]], server: RadicaleServer) -> None:
    path, targets = team_file
    rotation = _run("team", "plan", str(path), *PERIOD, "--publish")
    assignments = rotation["assignments"]
    assert isinstance(assignments, list)
    for member, url in targets.items():
        mine = [a for a in assignments if a["member"] == member]
        relief = [a for a in assignments if a["kind"] == "shield" and a["member"] != member]
        assert len(server.etags(url)) == len(mine) + len(relief) > 0
    server.put(server.item_url(targets["ana"], "dentist.ics"), OWN_EVENT)
    before = server.etags(targets["ana"])
    again = _run("team", "plan", str(path), *PERIOD, "--publish")
    assert again["assignments"] == assignments  # the same rotation: stability
    assert server.etags(targets["ana"]) == before  # nothing written twice, the dentist kept


def test_a_members_plan_reads_their_duties_from_their_calendar(
        team_file: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    path, targets = team_file
    rotation = _run("team", "plan", str(path), *PERIOD, "--publish")
    shields = [a["start"][:10] for a in rotation["assignments"]  # type: ignore[union-attr]
               if a["member"] == "ana" and a["kind"] == "shield"]
    assert shields
    tasks = tmp_path / "tasks.toml"
    tasks.write_text(TASKS, encoding="utf-8")
    week = shields[0]
    plan = _run("plan", targets["ana"], "--tasks", str(tasks), "--policy",
                str(sample_path("team/ana-policy.toml")), "--from", week, "--to", week,
                "--now", f"{week}T08:00", "--db", f"sqlite:///{tmp_path / 'ana.db'}")
    deep = [b for b in plan["blocks"] if b["kind"] == "deep"]  # type: ignore[union-attr]
    assert deep == []  # her shield day is all sync: no deep block fits


def test_swap_away_and_history_work_on_the_kept_rotation(
        team_file: tuple[Path, dict[str, str]]) -> None:
    path, _ = team_file
    rotation = _run("team", "plan", str(path), *PERIOD)
    shield = [a for a in rotation["assignments"] if a["kind"] == "shield"]  # type: ignore[union-attr]
    first, other = shield[0], next(a for a in shield if a["member"] != shield[0]["member"])
    day = first["start"][:10]
    swapped = _run("team", "swap", first["member"], other["member"], day)
    holders = {a["slot"]: a["member"] for a in swapped["assignments"]}  # type: ignore[union-attr]
    assert holders[first["slot"]] == other["member"]
    assert any(day in change or "swapped" in change for change in swapped["changes"])  # type: ignore[union-attr]
    held = [a for a in swapped["assignments"] if a["member"] == "dario"]  # type: ignore[union-attr]
    if held:
        away_day = held[0]["start"][:10]
        moved = _run("team", "away", "dario", away_day, away_day)
        assert all(not (a["member"] == "dario" and a["start"][:10] == away_day)
                   for a in moved["assignments"])  # type: ignore[union-attr]
    history = _run("team", "history", "--team", str(path))
    assert history["weeks"] and history["rotations"]
    wrong = runner.invoke(app, ["team", "away", "nobody", "2026-04-01", "2026-04-02"])
    assert wrong.exit_code == 2 and "has no member 'nobody'" in wrong.stderr
