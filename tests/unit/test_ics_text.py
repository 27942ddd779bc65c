"""Text from a calendar reaches makertime without control characters: no escape sequence for the
terminal, no NUL for the ICS written back, no bidirectional override turning a title around."""

from __future__ import annotations

import re
from datetime import date

from makertime.calendars.check import check_file
from makertime.model import Period
from tests.support.ics import FIXTURES, read

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def test_summary_categories_uid_status_and_attendees_are_cleaned() -> None:
    found = read("hostile/escapes.ics")
    [instance] = found.instances
    # whole escape sequences go, not only their ESC: nothing like "[2J" is left behind
    assert instance.uid == "esc@example.com"
    assert instance.summary == "Clear the screen and NUL C1 evil done"
    assert instance.categories == ("LIVE", "WORK")
    assert instance.status == "CONFIRMED"
    assert [a.address for a in instance.attendees] == ["ana@example.com"]
    texts = [instance.uid, instance.summary, instance.status, *instance.categories,
             *(a.address for a in instance.attendees)]
    assert not [t for t in texts if CONTROL.search(t)]


def test_warnings_quoting_the_file_carry_no_control_characters() -> None:
    found = read("hostile/escapes.ics")
    [warning] = found.warnings
    assert warning.uid == "broken@example.com"
    assert "DTSTART cannot be read" in warning.message
    assert not CONTROL.search(warning.uid + warning.message)


def test_check_shows_clean_component_names_and_warnings() -> None:
    result = check_file(FIXTURES / "hostile" / "escapes.ics", YEAR)
    assert result.components == {"VEVENT": 2}
    assert not any(CONTROL.search(w.uid + w.message) for w in result.warnings)

