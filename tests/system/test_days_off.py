"""Days off, away time and partial time on real exports: a Google winter with public holidays
marked free and an opaque vacation, an Outlook OOF, a PagerDuty on-call feed marked free."""

from __future__ import annotations

import json
import tomllib
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from makertime.app import audit_calendars
from makertime.audit import (
    AuditReport,
    AuditWarning,
    DayMetrics,
    audit_commitments,
)
from makertime.calendars import read_calendars
from makertime.classify import commitments
from makertime.cli import app
from makertime.errors import PolicyError
from makertime.model import Attention, Commitment, Depth, Interval, Period, Task
from makertime.outputs.json import audit_to_dict
from makertime.outputs.terminal import warning_lines
from makertime.plan import PlanOptions, plan_commitments
from makertime.plan.result import BlockKind, PlanResult
from makertime.policy import Policy, build_policy
from tests.support.plan_checker import check_plan
from tests.support.radicale import PASSWORD, USER, RadicaleServer

WINTER = Path(__file__).parents[1] / "fixtures" / "winter"
GOOGLE, OUTLOOK, PAGERDUTY = (str(WINTER / name) for name in
                              ("google_winter.ics", "outlook_oof.ics", "pagerduty_oncall.ics"))
BERLIN = {"timezone": "Europe/Berlin"}
ON_CALL_RULE = {"match": {"summary": "(?i)on-call"}, "attention": "partial"}
CHRISTMAS = Period(date(2026, 12, 21), date(2027, 1, 3))
OPTIONS = PlanOptions(time_limit=5.0, workers=1, seed=0)
runner = CliRunner()


def _days(report: AuditReport) -> dict[date, DayMetrics]:
    return {d.date: d for d in report.days}


def test_an_opaque_vacation_is_days_off_not_meetings_or_after_hours() -> None:
    report = audit_calendars([GOOGLE], build_policy(BERLIN), CHRISTMAS)
    days = _days(report)
    for number in (28, 29, 30, 31):
        day = days[date(2026, 12, number)]
        assert day.day_off and day.work_minutes == 0
        # the standup still on the calendar is neither sync nor after hours while away
        assert day.sync_minutes == 0 and day.after_hours_sync_minutes == 0
    assert report.totals.days_off == 4
    assert report.totals.after_hours_sync_minutes == 0
    # the standups of the 21st–25th and of 1 January (a work day by the calendar), the review
    assert report.totals.sync_minutes == 15 * 6 + 60


def test_holidays_marked_free_are_work_days_but_named_with_the_rule_to_add() -> None:
    report = audit_calendars([GOOGLE], build_policy(BERLIN), CHRISTMAS)
    closures = {w.when: w.message for w in report.warnings if w.kind == "closure"}
    assert set(closures) == {"2026-12-24", "2026-12-25", "2027-01-01"}
    assert 'summary = "(?i)closed" } attention = "off"' in closures["2026-12-24"]
    assert '"(?i)christmas"' in closures["2026-12-25"]
    assert _days(report)[date(2026, 12, 24)].work_minutes == 480
    # the rule it names, added, makes the office-closed day a day off and the hint goes away
    rule = {"match": {"summary": "(?i)closed"}, "attention": "off"}
    ruled = audit_calendars([GOOGLE], build_policy({**BERLIN, "rule": [rule]}), CHRISTMAS)
    assert _days(ruled)[date(2026, 12, 24)].day_off
    assert "2026-12-24" not in {w.when for w in ruled.warnings if w.kind == "closure"}


def test_public_holidays_of_the_policy_are_days_off_without_any_rule() -> None:
    policy = build_policy({**BERLIN, "work": {"holidays": "DE-BE", "days_off": ["2026-12-24"]}})
    report = audit_calendars([GOOGLE], policy, CHRISTMAS)
    days = _days(report)
    for day in (date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1)):
        assert days[day].day_off, day
    assert days[date(2026, 12, 25)].off_reason == "Christmas Day"
    assert report.totals.days_off == 4 + 3
    assert not [w for w in report.warnings if w.kind == "closure"]  # nothing left to hint at


def test_a_plan_puts_nothing_on_days_off_or_away_time() -> None:
    policy = build_policy({**BERLIN, "work": {"holidays": "DE", "days_off": ["2026-12-24"]}})
    tasks = [Task(f"t{n}", f"task {n}", 240, Depth.DEEP if n % 2 else Depth.SHALLOW)
             for n in range(8)]
    result = _plan(GOOGLE, tasks, policy, CHRISTMAS)
    zone = policy.timezone
    planned_days = {b.span.start.astimezone(zone).date() for b in result.work_blocks}
    assert planned_days <= {date(2026, 12, 21), date(2026, 12, 22), date(2026, 12, 23)}
    assert not any(b.kind is BlockKind.SYNC_WINDOW
                   and b.span.start.astimezone(zone).date() == date(2026, 12, 25)
                   for b in result.blocks)
    assert check_plan(result, result.commitments, tasks, policy, CHRISTMAS) == []


def _plan(cal: str, tasks: list[Task], policy: Policy, period: Period) -> PlanResult:
    """A plan of ``tasks`` around the commitments of ``cal``."""
    reads = read_calendars([cal], period.first, period.last, cache=None)
    return plan_commitments(commitments(reads, policy), tasks, policy, period, options=OPTIONS)


def test_outlook_out_of_office_is_away_time_even_over_a_meeting() -> None:
    policy = build_policy(BERLIN)
    report = audit_calendars([OUTLOOK], policy, Period(date(2026, 12, 14), date(2026, 12, 18)))
    days = _days(report)
    dentist = days[date(2026, 12, 15)]
    # away 13:00-17:00: the window is 09:00-13:00 and the call inside the absence is no sync
    assert (dentist.work_minutes, dentist.sync_minutes) == (240, 60)
    assert dentist.after_hours_sync_minutes == 0
    assert dentist.free_minutes == 180 and not dentist.day_off
    # an all-day OOF marked free is still a day away
    assert days[date(2026, 12, 17)].day_off
    assert report.totals.days_off == 1


def test_a_transparent_on_call_feed_under_a_partial_rule_is_partial_time() -> None:
    period = Period(date(2026, 12, 14), date(2026, 12, 20))
    plain = audit_calendars([PAGERDUTY], build_policy(BERLIN), period)
    assert plain.totals.partial_minutes == 0 and plain.totals.free_minutes == 5 * 480
    policy = build_policy({**BERLIN, "rule": [ON_CALL_RULE]})
    ruled = audit_calendars([PAGERDUTY], policy, period)
    assert ruled.totals.partial_minutes == 5 * 480 and ruled.totals.free_minutes == 0
    # partial time after hours is not after-hours sync
    assert ruled.totals.after_hours_sync_minutes == 0 and ruled.totals.sync_minutes == 0
    tasks = [Task("deep", "deep work", 600, Depth.DEEP),
             Task("shallow", "tickets", 120, Depth.SHALLOW)]
    result = _plan(PAGERDUTY, tasks, policy, period)
    assert not [b for b in result.work_blocks if b.kind is BlockKind.DEEP]
    assert sum(b.minutes for b in result.work_blocks if b.task == "shallow") == 120
    assert {u.task for u in result.unscheduled} == {"deep"}
    assert check_plan(result, result.commitments, tasks, policy, period) == []


def test_the_demo_puts_no_deep_work_inside_the_on_call_shift() -> None:
    result = runner.invoke(app, ["plan", *_sample(), "--json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    on_call = (datetime.fromisoformat("2026-03-27T09:00:00+01:00"),
               datetime.fromisoformat("2026-03-28T09:00:00+01:00"))
    deep = [b for b in plan["blocks"] if b["kind"] == "deep"]
    assert deep
    for block in deep:
        start, end = (datetime.fromisoformat(block[k]) for k in ("start", "end"))
        assert end <= on_call[0] or start >= on_call[1], block
    sample_policy = tomllib.loads((_sample_dir() / "policy.toml").read_text())
    assert {"match": {"summary": "(?i)on-call"}, "attention": "partial",
            "drain_per_hour": 4} in sample_policy["rule"]


def _sample_dir() -> Path:
    return Path(__file__).parents[2] / "src" / "makertime" / "sample"


def _sample() -> list[str]:
    folder = _sample_dir()
    return [str(folder / "week.ics"), "--tasks", str(folder / "tasks.toml"), "--policy",
            str(folder / "policy.toml"), "--from", "2026-03-23", "--to", "2026-03-29",
            "--now", "2026-03-23T08:00"]


def test_audit_and_check_name_the_closure_once_per_date(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('timezone = "Europe/Berlin"\n')
    audit = runner.invoke(app, ["audit", GOOGLE, "--policy", str(policy), "--from",
                                "2026-12-21", "--to", "2027-01-03", "--json"])
    assert audit.exit_code == 0, audit.output
    kinds = [w["when"] for w in json.loads(audit.stdout)["warnings"] if w["kind"] == "closure"]
    assert kinds == ["2026-12-24", "2026-12-25", "2027-01-01"]
    check = runner.invoke(app, ["check", GOOGLE, "--policy", str(policy), "--from",
                                "2026-12-01", "--json"])
    assert check.exit_code == 0, check.output
    messages = [w["message"] for w in json.loads(check.stdout)[0]["warnings"]]
    assert sum("attention = \"off\"" in m for m in messages) == 3


def test_the_audit_json_carries_partial_time_and_days_off() -> None:
    policy = build_policy({**BERLIN, "rule": [ON_CALL_RULE], "work": {"days_off": ["2026-12-18"]}})
    report = audit_calendars([PAGERDUTY], policy, Period(date(2026, 12, 14), date(2026, 12, 20)))
    data = audit_to_dict(report, policy.timezone)
    friday = data["days"][4]
    assert friday["day_off"] is True and friday["off_reason"] == "day off"
    assert friday["away"] and friday["work_minutes"] == 0
    assert data["totals"]["days_off"] == 1 and data["totals"]["partial_minutes"] == 4 * 480


@pytest.mark.parametrize(("work", "needle"), [
    ({"holidays": "ZZ"}, 'work.holidays = "ZZ" is not a country'),
    ({"holidays": "DE-XX"}, 'work.holidays = "DE-XX" is not a subdivision of DE'),
    ({"holidays": 49}, "work.holidays = 49 must be a string"),
    ({"days_off": ["24.12.2026"]}, 'work.days_off = "24.12.2026" is not a date'),
    ({"days_off": "2026-12-24"}, "must be a list of dates"),
    ({"days_off": [date(1800, 1, 1)]}, "is outside the years"),
    ({"days_off": [date(2026, 1, 1)] * 1001}, "more than the 1,000 allowed"),
])
def test_bad_days_off_and_holidays_are_one_clear_error(work: dict[str, object],
                                                       needle: str) -> None:
    with pytest.raises(PolicyError) as caught:
        build_policy({"work": work}, source="policy.toml")
    assert needle in str(caught.value) and "\n" not in str(caught.value)


def _items(path: str) -> list[tuple[str, str]]:
    """Each VEVENT of an export as a calendar object of its own, as a CalDAV server holds it."""
    calendar = Calendar.from_ical(Path(path).read_bytes())
    items = []
    for event in calendar.walk("VEVENT"):
        one = Calendar()
        for key in ("VERSION", "PRODID"):
            one.add(key.lower(), calendar[key])
        for zone in calendar.walk("VTIMEZONE"):
            one.add_component(zone)
        one.add_component(event)
        items.append((str(event["UID"]).replace("@", "-") + ".ics", one.to_ical().decode()))
    return items


def test_days_off_and_partial_time_read_through_a_real_caldav_server(
        server: RadicaleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAKERTIME_CALDAV_USERNAME", USER)
    monkeypatch.setenv("MAKERTIME_CALDAV_PASSWORD", PASSWORD)
    url = server.new_calendar()
    for path in (GOOGLE, OUTLOOK, PAGERDUTY):
        for name, text in _items(path):
            server.put(server.item_url(url, name), text)
    policy = tmp_path / "policy.toml"
    policy.write_text('timezone = "Europe/Berlin"\n[work]\nholidays = "DE"\n'
                      '[[rule]]\nmatch = { summary = "(?i)on-call" }\nattention = "partial"\n',
                      encoding="utf-8")
    result = runner.invoke(app, ["audit", url, "--policy", str(policy), "--from", "2026-12-14",
                                 "--to", "2027-01-03", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    by_date = {d["date"]: d for d in report["days"]}
    assert by_date["2026-12-17"]["day_off"]  # the all-day OOF
    assert by_date["2026-12-15"]["work_minutes"] == 240  # away from 13:00 (OOF)
    assert by_date["2026-12-16"]["partial_minutes"] == 480 - 15  # on call, less the standup
    assert by_date["2026-12-25"]["off_reason"] == "Christmas Day"
    # the OOF day, 25 Dec (the 26th is a Saturday), the vacation, 1 Jan
    assert report["totals"]["days_off"] == 1 + 1 + 4 + 1
    assert [w["when"] for w in report["warnings"] if w["kind"] == "closure"] == ["2026-12-24"]


def test_plan_names_the_closure_it_may_plan_over(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('timezone = "Europe/Berlin"\n', encoding="utf-8")
    tasks = tmp_path / "tasks.toml"
    tasks.write_text('[[task]]\nid = "essay"\nestimate = "2h"\n', encoding="utf-8")
    result = runner.invoke(app, ["plan", GOOGLE, "--tasks", str(tasks), "--policy", str(policy),
                                 "--from", "2026-12-21", "--to", "2026-12-27", "--workers", "1"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert 'summary = "(?i)closed" } attention = "off"' in text
    assert "2027-01-01" not in text  # outside the period planned


def test_the_terminal_gives_one_line_per_closure_event_naming_each_of_its_dates() -> None:
    said = "the all-day event “Public holiday” is marked free"
    warnings = [AuditWarning("2026-12-24", "closure", said),
                AuditWarning("2026-W52", "low-focus", "only 2h of focus time"),
                AuditWarning("2026-12-28", "closure", said),
                AuditWarning("2026-12-29", "closure", "the all-day event “Office closed” …")]
    assert warning_lines(warnings) == [
        f"2026-12-24, 2026-12-28: {said}", "2026-W52: only 2h of focus time",
        "2026-12-29: the all-day event “Office closed” …"]


def test_a_day_away_is_named_by_its_events_briefly_and_as_text() -> None:
    report = audit_calendars([GOOGLE], build_policy(BERLIN), CHRISTMAS)
    assert _days(report)[date(2026, 12, 29)].off_reason == "Vacation"
    found = [Commitment(summary=f"\x1b[31mTrip {n}\x07" + "x" * 100, uid=f"t{n}",
                        span=Interval(z_("2026-12-22 00:00"), z_("2026-12-23 00:00")),
                        source="t", attention=Attention.OFF) for n in range(5)]
    day = audit_commitments(found, build_policy(BERLIN),
                            Period(date(2026, 12, 22), date(2026, 12, 22))).days[0]
    assert day.day_off and day.off_reason.endswith(" and 2 more")
    assert "\x1b" not in day.off_reason and "\x07" not in day.off_reason
    assert len(day.off_reason) < 3 * 62 + 20


def z_(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Europe/Berlin"))
