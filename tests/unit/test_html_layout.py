"""The timelines of a four-week plan and audit in a real headless Chromium at 1,600 px: every
label inside its figure and the page, none overlapping another, none below a readable size.

The calendars are the sample week and night shifts on the weekends, so the hour scale runs the
whole day (00:00 to 24:00), the widest an axis gets."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from makertime.app import audit_calendars, plan_calendars
from makertime.model import Period
from makertime.outputs.html import write_audit_html
from makertime.outputs.plan_html import write_plan_html
from makertime.plan import PlanOptions
from makertime.policy import load_policy
from makertime.sample import sample_path

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ics"
POLICY = load_policy(sample_path("policy.toml"))
CALENDARS = [str(sample_path("week.ics")), str(FIXTURES / "night_shifts.ics")]
FOUR_WEEKS = Period(date(2026, 3, 23), date(2026, 4, 19))
WIDTH = 1600
READABLE_PX = 11.0  # the smallest text a timeline may show at this width
GAP_PX = 2.0  # labels closer than this read as one

# Every <text> of every <svg>: its box on the page, the box of its figure, and its size in
# pixels as shown (the font size times the figure's scale on screen).
TEXTS = """() => Array.from(document.querySelectorAll('svg')).flatMap((svg, figure) => {
  const frame = svg.getBoundingClientRect(), scale = svg.getScreenCTM().a;
  return Array.from(svg.querySelectorAll('text')).map(text => {
    const box = text.getBoundingClientRect();
    return {figure, text: text.textContent, left: box.left, right: box.right, top: box.top,
            bottom: box.bottom, px: parseFloat(getComputedStyle(text).fontSize) * scale,
            frame: [frame.left, frame.right, frame.top, frame.bottom]};
  });
})"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The four-week plan and audit pages."""
    folder = tmp_path_factory.mktemp("pages")
    result = plan_calendars(CALENDARS, POLICY, FOUR_WEEKS, tasks_path=sample_path("tasks.toml"),
                            options=PlanOptions(gap=0.05, workers=1, time_limit=10))
    write_plan_html(result, POLICY, folder / "plan.html")
    write_audit_html(audit_calendars(CALENDARS, POLICY, FOUR_WEEKS), POLICY,
                     folder / "audit.html")
    return {"plan": folder / "plan.html", "audit": folder / "audit.html"}


def _texts(browser: Any, path: Path) -> tuple[list[dict[str, Any]], int]:
    page = browser.new_page()
    page.set_viewport_size({"width": WIDTH, "height": 1000})
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    texts, scroll = page.evaluate(TEXTS), page.evaluate("document.documentElement.scrollWidth")
    page.close()
    return texts, scroll


def _touch(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (a["left"] < b["right"] + GAP_PX and b["left"] < a["right"] + GAP_PX
            and a["top"] < b["bottom"] and b["top"] < a["bottom"])


@pytest.mark.parametrize("name", ["plan", "audit"])
def test_four_weeks_of_timelines_are_readable_at_1600_px(browser: Any, pages: dict[str, Path],
                                                         name: str) -> None:
    texts, scroll = _texts(browser, pages[name])
    figures = 8 if name == "plan" else 4  # before and after, or one, per ISO week
    assert len({t["figure"] for t in texts}) == figures
    assert scroll <= WIDTH  # nothing runs past the page
    labels = {t["text"] for t in texts}
    assert {"00:00", "12:00", "Sat 28 Mar", "day off, 4h busy"} <= labels
    for text in texts:
        left, right, top, bottom = text["frame"]
        assert left <= text["left"] and text["right"] <= right, text  # not cut off
        assert top <= text["top"] and text["bottom"] <= bottom, text
        assert text["px"] >= READABLE_PX, text
    for figure in {t["figure"] for t in texts}:
        mine = [t for t in texts if t["figure"] == figure]
        touching = [(a["text"], b["text"]) for i, a in enumerate(mine) for b in mine[i + 1:]
                    if _touch(a, b)]
        assert touching == [], touching
