"""``makertime audit`` on a CalDAV collection of a real Radicale: read like a file, and every
failure one line: exit status 2 for what the person can fix, 3 for a server out of reach."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from makertime.cli import app
from tests.support.radicale import PASSWORD, USER, RadicaleServer, free_port

runner = CliRunner()
WEEK = ["--from", "2026-03-23", "--to", "2026-03-29"]
MEETING = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//makertime tests//cli//EN
BEGIN:VEVENT
UID:review@example.com
DTSTAMP:20260101T000000Z
SUMMARY:Design review
DTSTART:20260324T120000Z
DTEND:20260324T133000Z
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture
def calendar(server: RadicaleServer) -> str:
    """A fresh calendar holding one meeting."""
    url = server.new_calendar()
    server.put(server.item_url(url, "review.ics"), MEETING)
    return url


def _one_line(result: object, status: int = 2) -> str:
    assert getattr(result, "exit_code", None) == status
    text = getattr(result, "stderr", "")
    assert "Traceback" not in text and "Traceback" not in getattr(result, "stdout", "")
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


def test_audit_reads_a_caldav_collection(calendar: str, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAKERTIME_CALDAV_USERNAME", USER)
    monkeypatch.setenv("MAKERTIME_CALDAV_PASSWORD", PASSWORD)
    policy = tmp_path / "policy.toml"
    policy.write_text('timezone = "UTC"\n', encoding="utf-8")
    result = runner.invoke(app, ["audit", calendar, *WEEK, "--policy", str(policy), "--json"])
    assert result.exit_code == 0, result.output
    totals = json.loads(result.stdout)["totals"]
    assert totals["sync_minutes"] == 90


def test_audit_with_a_wrong_password_is_one_line(calendar: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAKERTIME_CALDAV_USERNAME", USER)
    monkeypatch.setenv("MAKERTIME_CALDAV_PASSWORD", "wrong-horse")
    line = _one_line(runner.invoke(app, ["audit", calendar, *WEEK]))
    assert f"{calendar}: the CalDAV server refused the credentials" in line
    assert "wrong-horse" not in line


def test_audit_of_an_unreachable_server_is_one_line() -> None:
    url = f"http://127.0.0.1:{free_port()}/ana/work/"
    line = _one_line(runner.invoke(app, ["audit", url, *WEEK]), status=3)
    assert "cannot reach the CalDAV server" in line


def test_check_reads_a_caldav_collection(calendar: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAKERTIME_CALDAV_USERNAME", USER)
    monkeypatch.setenv("MAKERTIME_CALDAV_PASSWORD", PASSWORD)
    result = runner.invoke(app, ["check", calendar, "--from", "2026-03-01", "--json"])
    assert result.exit_code == 0, result.output
    (found,) = json.loads(result.stdout)
    assert (found["source"], found["readable"], found["instances"]) == (calendar, True, 1)


def test_check_of_an_unreachable_collection_says_why() -> None:
    url = f"http://127.0.0.1:{free_port()}/ana/work/"
    result = runner.invoke(app, ["check", url, "--json"])
    assert result.exit_code == 3
    (found,) = json.loads(result.stdout)
    assert not found["readable"] and "cannot reach the CalDAV server" in found["error"]
