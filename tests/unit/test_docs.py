"""The documentation says what the code does: the limits page is generated from the limits the
code checks, every documented limit is checked somewhere, and no page points outside the
repository."""

from __future__ import annotations

import re
from pathlib import Path

from makertime.limits import LIMITS
from makertime.outputs.limits_page import markdown

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "makertime"


def test_the_limits_page_is_the_one_the_code_generates() -> None:
    page = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    assert page == markdown(), "run: python -m makertime.outputs.limits_page > docs/limits.md"


def test_every_documented_limit_is_checked_in_the_code() -> None:
    code = "\n".join(path.read_text(encoding="utf-8") for path in SOURCE.rglob("*.py")
                     if path.name != "limits.py")
    unused = [item.key for item in LIMITS if f'"{item.key}"' not in code]
    assert unused == [], "documented but never checked"


def test_no_page_users_read_points_outside_the_repository() -> None:
    pages = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]
    outside = re.compile(r"\.\./shared|DESIGN\.md|STYLE\.md|planner-notes")
    assert [str(p.relative_to(ROOT)) for p in pages if outside.search(p.read_text("utf-8"))] == []
