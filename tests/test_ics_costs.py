"""Hostile calendars whose reading cost grew faster than their size: UIDs chaining thousands of
components together, pieces icalendar refuses among many time zones, huge titles on frequent
series. Each is generated here and read under an alarm, so a regression that takes minutes
fails instead of blocking the suite.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from makertime import limits
from makertime.sources import split
from tests.ics_support import deadline

FIRST, LAST = date(2026, 3, 1), date(2026, 3, 31)
WINDOW = (date(2026, 2, 28), date(2026, 4, 2))
HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"


def set_limit(monkeypatch: pytest.MonkeyPatch, key: str, value: int) -> None:
    monkeypatch.setitem(limits.BY_KEY, key, replace(limits.BY_KEY[key], value=value))


def calendar(*bodies: str) -> bytes:
    return (HEAD + "".join(bodies) + "END:VCALENDAR\r\n").encode()


def journal(*uids: str) -> str:
    return "BEGIN:VJOURNAL\r\n" + "".join(f"UID:{uid}\r\n" for uid in uids) + "END:VJOURNAL\r\n"


def grouped(data: bytes) -> list[list[int]]:
    """The groups of the file's components, each as the positions of its components."""
    [section] = split.scan(split.unfold(data), WINDOW).sections
    where = {id(part): n for n, part in enumerate(section.parts)}
    return [[where[id(part)] for part in group] for group in split.groups(section.parts)]


# --- grouping by UID ----------------------------------------------------------------------------


def test_components_naming_two_uids_join_their_groups_in_file_order() -> None:
    data = calendar(journal("a"), journal("b"), journal("c"), journal("b", "a"), journal("c"),
                    journal(), journal("d", "c", "a"))
    assert grouped(data) == [[0, 1, 2, 3, 4, 6], [5]]


def test_uids_chaining_forty_thousand_components_are_grouped_at_once() -> None:
    """20,000 journals, then 20,000 more each naming x0 and one of the first (1.8 MB): every
    join re-pointed every key before, 34 s."""
    count = 20_000
    data = calendar(*(journal(f"x{n}") for n in range(count)),
                    *(journal("x0", f"x{n}") for n in range(count)))
    with deadline():
        found = grouped(data)
    assert found == [list(range(2 * count))]
