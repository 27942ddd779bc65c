"""`makertime init`: starter files that load with makertime's own loaders, name every key of the
schema with its default, fill in the local zone and never replace a file."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from makertime.cli import app
from makertime.defaults import SETTINGS, Kind
from makertime.model import Attention
from makertime.policy import _RULE_KEYS, build_policy, load_policy
from makertime.sample import sample_path
from makertime.starter import TASK_FIELDS, markdown, policy_text, tasks_text
from makertime.tasks import _FIELDS, load_tasks

runner = CliRunner()
WEEK = ["--from", "2026-03-23", "--to", "2026-03-29"]
ZAGREB = ZoneInfo("Europe/Zagreb")


def uncommented(text: str) -> str:
    """The file with every ``#key = value`` (and ``#[[table]]``) line made live."""
    return "\n".join(line[1:] if line.startswith("#") and not line.startswith("# ") else line
                     for line in text.splitlines())


def test_init_writes_files_that_plan_and_audit_the_sample_week(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    monkeypatch.setenv("TZ", "Europe/Zagreb")
    folder = tmp_path / "mine"
    result = runner.invoke(app, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Europe/Zagreb" in result.output and "makertime audit" in result.output
    policy, tasks = folder / "policy.toml", folder / "tasks.toml"
    assert 'timezone = "Europe/Zagreb"' in policy.read_text(encoding="utf-8")
    week = str(sample_path("week.ics"))
    planned = runner.invoke(app, ["plan", week, "--tasks", str(tasks), "--policy", str(policy),
                                  *WEEK, "--workers", "1"])
    assert planned.exit_code == 0, planned.output
    audited = runner.invoke(app, ["audit", week, "--policy", str(policy), *WEEK])
    assert audited.exit_code == 0, audited.output
    assert "Europe/Zagreb" in audited.output


def test_as_written_the_policy_is_the_defaults_in_the_local_zone() -> None:
    written = build_policy(tomllib.loads(policy_text("Europe/Zagreb")))
    defaults = build_policy({})
    assert written.timezone == ZAGREB
    assert (written.work, written.focus, written.energy, written.sync, written.sync_windows,
            written.audit) == (defaults.work, defaults.focus, defaults.energy, defaults.sync,
                               defaults.sync_windows, defaults.audit)
    assert len(written.rules) == len(defaults.rules)


def test_every_key_of_the_schema_is_written_with_its_meaning_and_default() -> None:
    text = policy_text("Europe/Zagreb")
    live = tomllib.loads(uncommented(text))
    for setting in SETTINGS:
        if not setting.in_policy or setting.kind is Kind.RULES:
            continue
        section, _, name = setting.key.rpartition(".")
        assert name in (live[section] if section else live), setting.key
        line = next(i for i, row in enumerate(text.splitlines())
                    if row.startswith((f"#{name} = ", f"{name} = ")))
        comment = " ".join(text.splitlines()[line - 3:line])
        assert setting.meaning[1:12] in comment, setting.key
        assert "Default:" in comment, setting.key
    assert live["work"]["days_off"] == [date(2026, 12, 24), date(2026, 12, 31)]
    assert live["work"]["holidays"] == "DE-BE"
    rules = live["rule"]
    assert {key for rule in rules for key in rule} == set(_RULE_KEYS)
    assert [rule["attention"] for rule in rules] == ["full", "partial", "off"]
    for value in ("full", "partial", "none", "off"):
        assert f'"{value}"' in text


def test_every_line_uncommented_still_loads(tmp_path: Path) -> None:
    policy = build_policy(tomllib.loads(uncommented(policy_text("Europe/Zagreb"))))
    assert policy.me == ("you@example.com",)
    assert policy.work.days_off == frozenset({date(2026, 12, 24), date(2026, 12, 31)})
    assert policy.work.holidays == "DE-BE" and policy.work.day_off(date(2026, 12, 25))
    vacation = next(rule for rule in policy.rules if rule.attention is Attention.OFF)
    assert vacation.matches("Vacation in Split", ())
    assert policy.sync.meeting_free_days == frozenset({2})
    on_call = next(rule for rule in policy.rules if rule.attention is Attention.PARTIAL)
    assert on_call.matches("On-call: primary", ())
    path = tmp_path / "tasks.toml"
    path.write_text(uncommented(tasks_text(date(2026, 3, 18))), encoding="utf-8")
    first, second = load_tasks(path, ZAGREB)
    assert (first.id, first.estimate_minutes, first.waiting_on_me) == ("pr-42-feedback", 90, True)
    assert first.deadline is not None and first.deadline.date() == date(2026, 3, 20)  # a Friday
    assert first.last_touched == date(2026, 3, 18)
    assert (second.id, second.estimate_minutes, second.depth.value) == ("design-doc", 360, "deep")


def test_every_task_field_is_described() -> None:
    assert tuple(field.name for field in TASK_FIELDS) == _FIELDS
    text = tasks_text(date(2026, 3, 18))
    for field in _FIELDS:
        assert f"\n#{field} = " in text


def test_without_an_iana_zone_utc_is_written_and_says_so() -> None:
    text = policy_text(None)
    assert 'timezone = "UTC"' in text and "has no IANA name" in text
    assert str(build_policy(tomllib.loads(text)).timezone) == "UTC"


def test_init_writes_here_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["init"]).exit_code == 0
    assert load_policy(tmp_path / "policy.toml").source.endswith("policy.toml")
    assert load_tasks(tmp_path / "tasks.toml", ZAGREB) == []


@pytest.mark.parametrize("existing", ["policy.toml", "tasks.toml"])
def test_init_never_replaces_a_file(tmp_path: Path, existing: str) -> None:
    (tmp_path / existing).write_text("# mine\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 2
    line, = result.stderr.strip().splitlines()
    assert existing in line and "exists already" in line and "Traceback" not in result.output
    assert (tmp_path / existing).read_text(encoding="utf-8") == "# mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [existing]  # nor is the other written


def test_init_never_follows_a_link(tmp_path: Path) -> None:
    (tmp_path / "tasks.toml").symlink_to(tmp_path / "elsewhere.toml")  # dangling
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 2 and "tasks.toml" in result.stderr
    assert not (tmp_path / "elsewhere.toml").exists()


def test_init_into_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path / "plain")])
    assert result.exit_code == 2
    assert "is not a folder" in result.stderr and "Traceback" not in result.output


def test_the_files_page_is_what_init_writes() -> None:
    page = Path(__file__).resolve().parents[2] / "docs" / "files.md"
    assert page.read_text(encoding="utf-8") == markdown(), (
        "run: python -m makertime.starter > docs/files.md")


def test_nothing_users_read_points_outside_the_repository() -> None:
    root = Path(__file__).resolve().parents[2]
    outside = re.compile(r"\.\./shared|shared/|DESIGN\.md|STYLE\.md|planner-notes")
    read = [root / "README.md", *(root / "docs").rglob("*.md"),
            *(path for path in (root / "src" / "makertime").rglob("*")
              if path.suffix in (".py", ".html", ".toml", ".md"))]
    assert [str(p.relative_to(root)) for p in read
            if outside.search(p.read_text(encoding="utf-8"))] == []
