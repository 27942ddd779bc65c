"""Regenerate docs/week.png: the week page of ``makertime demo --serve`` (the sample week as of
Monday 08:00), 1600 px wide, in the system Chromium the browser tests use.

    .venv/bin/python bench/screenshot_week.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from tests.conftest import FLAGS, chromium_path  # noqa: E402
from tests.support.web_server import serving  # noqa: E402

from makertime.app.demo import sample_store  # noqa: E402

OUT = ROOT / "docs" / "week.png"


def main() -> None:
    """Serve the demo store, open its week page and save the screenshot."""
    executable = chromium_path()
    if executable is None:
        raise SystemExit("chromium is not installed: apt-get install chromium")
    with tempfile.TemporaryDirectory() as folder:
        demo = sample_store(Path(folder))
        with serving(demo.db, now=demo.now, note="makertime demo: the sample week") as app, \
                sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=FLAGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(app.url("/week"))
            page.wait_for_selector("body[data-ready=true]")
            page.locator(".ec-event", has_text="Ship the open-source stream overlay").first.click()
            page.screenshot(path=str(OUT), clip={"x": 0, "y": 0, "width": 1600, "height": 1130})
            browser.close()
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
