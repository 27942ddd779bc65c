"""The HTML audit report: a self-contained page, a matplotlib timeline per ISO week, escaping."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from makertime import __version__
from makertime.audit import AuditReport, audit_commitments
from makertime.model import Commitment, Period, ReadWarning, format_minutes
from makertime.outputs.html import bars, render_audit_html, write_audit_html
from makertime.outputs.own import Kind, is_own
from makertime.policy import build_policy
from tests.support.helpers import ZAGREB, commitment, span

POLICY = build_policy({"timezone": "Europe/Zagreb"})
WEEK = Period(date(2026, 3, 23), date(2026, 3, 29))
HOSTILE = "<script>alert('x')</script> & DTSTART <missing>"
# An attribute or CSS value that makes a browser fetch something from elsewhere.
EXTERNAL = re.compile(r"""\b(?:src|href|action|poster)\s*=\s*["']?\s*(?:[a-z]+:|//)"""
                      r"""|url\(\s*["']?\s*(?!#)|@import""", re.IGNORECASE)


def week_commitments() -> list[Commitment]:
    return [
        commitment("2026-03-23 09:30", "2026-03-23 09:45", "standup"),
        commitment("2026-03-23 13:00", "2026-03-23 14:00", "1:1"),
        commitment("2026-03-24 10:00", "2026-03-24 11:00", "review"),
        commitment("2026-03-26 19:00", "2026-03-26 21:30", "LIVE stream"),
        commitment("2026-03-28 10:00", "2026-03-28 12:00", "weekend on-call"),
    ]


def week_report() -> AuditReport:
    warning = ReadWarning(source="cal <b>.ics", uid="ev-1", message=HOSTILE)
    return audit_commitments(week_commitments(), POLICY, WEEK, read_warnings=[warning])


@pytest.fixture(scope="module")
def week_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("html") / "week.html"
    write_audit_html(week_report(), POLICY, path)
    return path.read_text(encoding="utf-8")


def test_the_page_has_one_inline_svg_per_week_and_no_prologue(week_page: str) -> None:
    assert week_page.startswith("<!doctype html>")
    assert week_page.count("<svg") == 1
    assert "<?xml" not in week_page
    assert "<!DOCTYPE svg" not in week_page


def test_the_page_says_makertime_made_it_and_is_known_as_makertimes_own(
        week_page: str, tmp_path: Path) -> None:
    assert f'<meta name="generator" content="makertime {__version__}">' in week_page
    path = tmp_path / "week.html"
    path.write_text(week_page, encoding="utf-8")
    assert is_own(path, Kind.HTML) and not is_own(path, Kind.PLAN)


def test_the_page_fetches_nothing_from_elsewhere(week_page: str) -> None:
    assert EXTERNAL.search(week_page) is None
    assert "<script" not in week_page.lower()
    assert "<link" not in week_page.lower()
    assert "<img" not in week_page.lower()
    assert "@font-face" not in week_page
    # the only URIs are the SVG namespace declarations, which browsers never fetch
    uris = set(re.findall(r"https?://[^\s\"'<>)]+", week_page))
    assert uris <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    for declaration in re.findall(r"\bxmlns(?::\w+)?=\"([^\"]*)\"", week_page):
        assert declaration in uris


def test_in_page_references_point_inside_the_page(week_page: str) -> None:
    for target in re.findall(r"\b(?:xlink:)?href=\"([^\"]*)\"", week_page):
        assert target.startswith("#")
    for target in re.findall(r"url\(([^)]*)\)", week_page):
        assert target.startswith("#")


def test_the_page_shows_every_total_and_the_day_table(week_page: str) -> None:
    report = week_report()
    totals = report.totals
    assert totals.focus_minutes > 0
    for minutes in (totals.work_minutes, totals.sync_minutes, totals.free_minutes,
                    totals.focus_minutes, totals.fragmented_minutes,
                    totals.effective_focus_minutes,
                    max(d.longest_free_minutes for d in report.days),
                    totals.after_hours_sync_minutes):
        assert f"<dd>{format_minutes(minutes)}</dd>" in week_page
    for label in ("days", "switches", "maker days"):
        assert f"<dt>{label}</dt>" in week_page
    for column in ("day", "work", "sync", "free", "focus", "frag", "eff", "long", "sw",
                   "maker", "after"):
        assert f'<th scope="col">{column}</th>' in week_page
    for day in WEEK.dates():
        assert f"<td>{day:%a} {day.isoformat()}</td>" in week_page
    assert "2026-03-23" in week_page
    assert "Europe/Zagreb" in week_page
    assert "focus block" in week_page
    assert "fragment" in week_page
    assert "Effective focus" in week_page


def test_findings_and_reading_warnings_are_escaped(week_page: str) -> None:
    report = week_report()
    assert report.warnings
    for finding in report.warnings:
        assert finding.message in week_page
    escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; DTSTART &lt;missing&gt;"
    assert escaped in week_page
    assert "cal &lt;b&gt;.ics" in week_page
    assert "<script>" not in week_page
    assert "<missing>" not in week_page
    assert "<b>" not in week_page


def test_the_timeline_is_text_not_glyph_paths_and_names_the_days(week_page: str) -> None:
    svg = week_page[week_page.index("<svg"):week_page.index("</svg>")]
    assert "Mon 23 Mar" in svg
    assert "commitment" in svg
    assert "focus block (≥ 2h)" in svg
    assert "<text" in svg


def test_the_page_is_the_same_every_time() -> None:
    report = week_report()
    assert render_audit_html(report, POLICY) == render_audit_html(report, POLICY)


def test_bars_are_in_wall_clock_hours_across_a_daylight_saving_change() -> None:
    spring = date(2026, 3, 29)  # clocks go from 02:00 to 03:00 in Zagreb
    spans = [span("2026-03-29 01:00", "2026-03-29 04:00"), span("2026-03-29 09:00",
                                                                 "2026-03-30 00:00")]
    assert bars(spans, spring, ZAGREB) == [(1.0, 3.0), (9.0, 15.0)]


def test_a_year_renders_one_figure_per_iso_week(tmp_path: Path) -> None:
    year = Period(date(2026, 1, 1), date(2026, 12, 31))
    found = [commitment(f"{day} 10:00", f"{day} 11:30", "weekly sync")
             for day in year.dates() if day.weekday() == 1]
    found += [commitment(f"{day} 20:00", f"{day + timedelta(days=1)} 02:00", "night on-call")
              for day in year.dates()[::17]]
    report = audit_commitments(found, POLICY, year)
    path = tmp_path / "year.html"
    write_audit_html(report, POLICY, path)
    page = path.read_text(encoding="utf-8")
    weeks = {day.isocalendar()[:2] for day in year.dates()}
    assert len(weeks) == 53
    assert page.count("<svg") == len(weeks)
    ids = re.findall(r"<svg[^>]*\bid=\"([^\"]+)\"", page)
    assert len(ids) == len(set(ids)) == len(weeks)
    assert page.count("<tr") == 1 + 365 + 1
    assert EXTERNAL.search(page) is None


def test_only_the_html_report_imports_matplotlib() -> None:
    code = ("import sys; import makertime.cli, makertime.audit, makertime.outputs.terminal, "
            "makertime.outputs.json; assert 'matplotlib' not in sys.modules, 'imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
