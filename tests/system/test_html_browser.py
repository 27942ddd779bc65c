"""The HTML pages in a real headless Chromium: they render, fetch nothing, and lay out as meant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from makertime.app import audit_calendars, plan_calendars
from makertime.outputs.html import write_audit_html
from makertime.outputs.plan_html import write_plan_html
from makertime.plan import PlanOptions
from makertime.policy import load_policy
from makertime.sample import SAMPLE_WEEK, sample_path

POLICY = load_policy(sample_path("policy.toml"))
CALENDAR = [str(sample_path("week.ics"))]


def _open(context: Any, path: Path, width: int) -> tuple[Any, list[str], list[str]]:
    """The page at ``path`` in a viewport ``width`` wide, with its requests and console errors."""
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 1000})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, requests, errors


def test_plan_page_shows_before_and_after_side_by_side(browser: Any, tmp_path: Path) -> None:
    result = plan_calendars(CALENDAR, POLICY, SAMPLE_WEEK, tasks_path=sample_path("tasks.toml"),
                            options=PlanOptions(gap=0.0, workers=1))
    page_path = tmp_path / "plan.html"
    write_plan_html(result, POLICY, page_path)
    page, requests, errors = _open(browser, page_path, 1600)
    before = page.get_by_label("2026-W13 before the plan").locator("svg")
    after = page.get_by_label("2026-W13 with the plan").locator("svg")
    wide_before, wide_after = before.bounding_box(), after.bounding_box()
    assert wide_before["width"] > 300 and wide_after["x"] > wide_before["x"] + wide_before["width"]
    assert abs(wide_after["y"] - wide_before["y"]) < 1  # side by side on a wide screen
    for task in ("overlay-side-project", "design-doc-ingest", "pr-42-feedback"):
        assert page.get_by_text(task).first.is_visible()
    assert page.locator("#unplaced").get_by_text("needs 360 min of deep time").first.is_visible()
    page.set_viewport_size({"width": 700, "height": 1000})
    narrow_before, narrow_after = before.bounding_box(), after.bounding_box()
    assert narrow_after["y"] >= narrow_before["y"] + narrow_before["height"]  # stacked
    assert requests == [page_path.as_uri()] and errors == []
    page.close()


def test_audit_page_renders_one_figure_per_week(browser: Any, tmp_path: Path) -> None:
    report = audit_calendars(CALENDAR, POLICY, SAMPLE_WEEK)
    page_path = tmp_path / "audit.html"
    write_audit_html(report, POLICY, page_path)
    page, requests, errors = _open(browser, page_path, 1200)
    figure = page.locator('figure[id="2026-W13"] svg')
    assert figure.count() == 1 and figure.bounding_box()["width"] > 600
    assert page.get_by_text("no maker day").first.is_visible()
    assert requests == [page_path.as_uri()] and errors == []
    page.close()


def test_team_page_shows_the_grid_the_maker_time_and_the_reasons(browser: Any,
                                                                  tmp_path: Path) -> None:
    from makertime.app.demo import sample_team_demo
    from makertime.outputs.team_html import write_team_html

    demo = sample_team_demo(time_limit=5)
    page_path = tmp_path / "team.html"
    write_team_html(demo.rotation, demo.team, page_path)
    page, requests, errors = _open(browser, page_path, 1200)
    holders = {demo.team.member(a.member).name for a in demo.rotation.assignments}
    for name in holders:
        assert page.get_by_text(name).first.is_visible()
    first = demo.rotation.assignments[0]
    assert page.get_by_text(first.reason[:60]).first.is_visible()
    assert page.get_by_text("Every slot is held").first.is_visible() or demo.rotation.uncovered
    assert requests == [page_path.as_uri()] and errors == []
    page.close()
