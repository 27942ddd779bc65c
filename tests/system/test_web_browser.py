"""The web app's pages in a real headless Chromium, served by uvicorn over a store planned from
the sample week (one commitment titled with a script) and published to a real Radicale: the
calendar draws the plan, a block is dragged and deleted, an interruption logged with one tap, a
task finished, the plan published, two people swapped by dragging; and every page lays out at
1600 and 400 px without overflow, overlap, console errors or requests off the app's origin."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.radicale import RadicaleServer
from tests.support.web_server import HOSTILE, Served, planned_store, serving
from tests.support.week import marked

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / ".artifacts" / "screenshots"
PAGES = ["week", "tasks", "interruptions", "audit", "team", "sources"]
THEIRS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//the person//their own//EN\r
BEGIN:VEVENT\r
UID:dentist@example.com\r
DTSTAMP:20260301T000000Z\r
SUMMARY:Dentist\r
DTSTART:20260328T090000Z\r
DTEND:20260328T100000Z\r
END:VEVENT\r
END:VCALENDAR\r
"""
CONTROLS = ("header nav a, main button, main h1, main h2, main h3, main input:not([type=hidden]),"
            " main select")
OVERLAPS = """(selector) => {
  const seen = [...document.querySelectorAll(selector)].filter(e => {
    if (e.closest('#calendar') || e.closest('details:not([open])')) return false;
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden';
  });
  const found = [];
  for (let i = 0; i < seen.length; i++) for (let j = i + 1; j < seen.length; j++) {
    const a = seen[i], b = seen[j];
    if (a.contains(b) || b.contains(a)) continue;
    const p = a.getBoundingClientRect(), q = b.getBoundingClientRect();
    const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
    const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
    if (w > 1 && h > 1) found.push(a.outerHTML.slice(0, 80) + ' × ' + b.outerHTML.slice(0, 80));
  }
  return found;
}"""


@pytest.fixture(scope="module")
def target(server: RadicaleServer) -> tuple[str, str, bytes]:
    """The person's calendar the plan publishes to, holding one event of their own: its URL,
    the URL of their event, and the bytes Radicale keeps of it."""
    calendar = server.new_calendar()
    theirs = server.item_url(calendar, "dentist.ics")
    server.put(theirs, THEIRS)
    return calendar, theirs, server.stored_bytes(theirs)


@pytest.fixture(scope="module")
def app(server: RadicaleServer, target: tuple[str, str, bytes],
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The app over a store planned (and published to Radicale) and with the team rotated."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MAKERTIME_CALDAV_USERNAME", server.credentials.username)
        patch.setenv("MAKERTIME_CALDAV_PASSWORD", server.credentials.password)
        db = planned_store(tmp_path_factory.mktemp("web"), publish=target[0])
    with serving(db, note="sample week as of Monday 08:00") as served:
        yield served


@pytest.fixture(autouse=True)
def caldav_login(server: RadicaleServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The person's CalDAV login, where the app reads it (this process's environment: a
    replan reads the published calendar for the person's edits, a publish writes it)."""
    monkeypatch.setenv("MAKERTIME_CALDAV_USERNAME", server.credentials.username)
    monkeypatch.setenv("MAKERTIME_CALDAV_PASSWORD", server.credentials.password)


class Opened:
    """A page of the app with what it requested and every console error."""

    def __init__(self, browser: Any, app: Served, path: str, width: int = 1600) -> None:
        self.page = browser.new_page()
        self.page.set_viewport_size({"width": width, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(app.url(path))
        self.page.wait_for_load_state("networkidle")
        self.app = app

    def ready(self) -> None:
        """Wait until the page's script finished its last change."""
        self.page.wait_for_selector("body[data-ready=true]", timeout=30_000)

    def week(self) -> dict[str, Any]:
        """The week's JSON as the API gives it now."""
        text = self.page.evaluate("fetch('/api/v1/week').then(r => r.text())")
        found: dict[str, Any] = json.loads(text)
        return found

    def close(self) -> None:
        """Check nothing went wrong or off the origin, and close."""
        assert self.errors == []
        assert all(url.startswith(self.app.origin) or url.startswith("data:")
                   for url in self.requests), self.requests
        self.page.close()


def _event(opened: Opened, title: str) -> Any:
    return opened.page.locator(".ec-event", has_text=title).first


def test_the_week_draws_blocks_and_commitments_with_readable_reasons(browser: Any,
                                                                     app: Served) -> None:
    opened = Opened(browser, app, "/week")
    opened.ready()
    page = opened.page
    assert page.locator(".ec-event.mt-block").count() > 10
    assert page.locator(".ec-event.mt-commitment").count() > 10
    assert _event(opened, "Daily standup").is_visible()
    _event(opened, "Ship the open-source stream overlay").click()
    detail = page.locator("#detail")
    assert detail.is_visible() and "deep" in detail.inner_text()
    assert "Ship the open-source stream overlay" in page.locator("#detail-reason").inner_text()
    assert page.locator("#detail-delete").is_visible()
    opened.close()


def test_a_script_in_a_commitment_title_is_text(browser: Any, app: Served) -> None:
    opened = Opened(browser, app, "/week")
    opened.ready()
    assert opened.page.locator(".ec-event", has_text=HOSTILE).count() == 1
    assert opened.page.get_by_text(HOSTILE).first.is_visible()
    assert opened.page.evaluate("typeof window.pwned") == "undefined"
    opened.close()


@pytest.mark.parametrize("width", [1600, 400])
def test_every_page_lays_out(browser: Any, app: Served, width: int) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name in PAGES:
        opened = Opened(browser, app, f"/{name}", width)
        if name in ("week", "team"):
            opened.ready()
        page = opened.page
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
        assert page.evaluate(OVERLAPS, CONTROLS) == [], name
        assert page.locator("h1").first.is_visible()
        opened.close()


def test_dragging_a_block_pins_it_there_and_says_what_moved(browser: Any, app: Served) -> None:
    opened = Opened(browser, app, "/week")
    opened.ready()
    page = opened.page
    block = _event(opened, "Design doc: multi-region ingest")
    there = _event(opened, "Ship the open-source stream overlay").bounding_box()
    box = block.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 6)
    page.mouse.down()
    steps = 12
    for step in range(1, steps + 1):  # Wed 09:00 onto Tue 12:00, where the overlay stood
        page.mouse.move(box["x"] + box["width"] / 2 + (there["x"] - box["x"]) * step / steps,
                        box["y"] + 6 + (there["y"] - box["y"]) * step / steps)
    page.mouse.up()
    opened.ready()
    assert page.locator("#alert").is_hidden(), page.locator("#alert").inner_text()
    result = page.locator("#result")
    assert result.is_visible() and "What changed" in result.inner_text()
    moved = [b for b in opened.week()["blocks"] if b["task"] == "design-doc-ingest"
             and b["pinned"]]
    assert [b["start"][:16] for b in moved] == ["2026-03-24T12:00"]
    assert "overlay" in result.inner_text().lower()  # the block it displaced moved
    assert "pinned" in _event(opened, "Design doc: multi-region ingest").inner_text()
    opened.close()


def test_deleting_a_block_removes_it(browser: Any, app: Served) -> None:
    opened = Opened(browser, app, "/week")
    opened.ready()
    page = opened.page
    before = {b["uid"] for b in opened.week()["blocks"]}
    page.locator(".ec-event.mt-sync-window").first.click()
    page.locator("#detail-delete").click()
    opened.ready()
    assert "you deleted it" in page.locator("#result").inner_text()
    after = {b["uid"] for b in opened.week()["blocks"]}
    assert len(before - after) >= 1
    opened.close()


def test_one_tap_logs_an_interruption_with_its_cost(browser: Any, app: Served) -> None:
    opened = Opened(browser, app, "/interruptions")
    page = opened.page
    page.get_by_label("What by").fill("CDN alert")
    page.get_by_role("button", name="15 min").click()
    page.wait_for_load_state("networkidle")
    row = page.locator("table.interruptions tbody tr").first
    assert "CDN alert" in row.inner_text() and "15" in row.inner_text()
    assert row.locator("td").nth(4).inner_text().strip() != ""
    opened.close()


def test_marking_a_task_done_takes_it_off_the_open_list(browser: Any, app: Served) -> None:
    opened = Opened(browser, app, "/tasks")
    page = opened.page
    page.locator("#task-postmortem-cdn").get_by_role("button", name="Done").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#task-postmortem-cdn").count() == 0
    page.goto(app.url("/tasks?all=true"))
    assert "done" in page.locator("#task-postmortem-cdn .badges").inner_text()
    opened.close()


def test_publishing_writes_the_plan_to_radicale_and_leaves_theirs(
        browser: Any, app: Served, server: RadicaleServer,
        target: tuple[str, str, bytes]) -> None:
    calendar, theirs, their_bytes = target
    opened = Opened(browser, app, "/week")
    opened.ready()
    page = opened.page
    page.get_by_role("button", name="Publish").click()
    opened.ready()
    result = page.locator("#result")
    assert page.locator("#alert").is_hidden(), page.locator("#alert").inner_text()
    assert "created" in result.inner_text() and "Published" in result.inner_text()
    published = marked(server, calendar)
    assert set(published) == {b["uid"] for b in opened.week()["blocks"]}
    assert server.stored_bytes(theirs) == their_bytes
    opened.close()


def test_dragging_one_holder_onto_another_swaps_them(browser: Any, app: Served) -> None:
    opened = Opened(browser, app, "/team")
    opened.ready()
    page = opened.page
    row = page.locator("table.grid tbody tr").filter(has_text="Mon 23 Mar")
    chips = row.locator(".chip")
    names = [chips.nth(i).inner_text() for i in range(chips.count())]
    assert names == ["Ben Horvat", "Filip Marić"]  # the shield, then on-call
    one, other = chips.nth(0), chips.nth(1)
    a, b = one.bounding_box(), other.bounding_box()
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    for step in range(1, 9):
        page.mouse.move(a["x"] + a["width"] / 2 + (b["x"] - a["x"]) * step / 8,
                        a["y"] + a["height"] / 2 + (b["y"] - a["y"]) * step / 8)
    page.mouse.up()
    opened.ready()
    assert page.locator("#alert").is_hidden(), page.locator("#alert").inner_text()
    assert page.locator("#swap-result").is_visible()
    assert page.locator("#swap-changes li").count() >= 1
    chips = page.locator("table.grid tbody tr").filter(has_text="Mon 23 Mar").locator(".chip")
    assert [chips.nth(i).inner_text() for i in range(chips.count())] == names[::-1]
    assert "ben and filip swapped" in page.locator("#swap-changes").inner_text()
    opened.close()
