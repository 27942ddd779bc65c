"""Every real-world calendar of the shared corpus: a result or one clear error, never a crash.

Each file is read through ``check`` over a year from 2019 (most corpus events lie around then)
with an alarm against hangs. The unreadable ones are listed with their reasons in the report
that ``test_unreadable_files_are_few_and_explained`` prints (run pytest with -s to see it).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from makertime.calendars.check import CheckResult, check_file
from makertime.model import Period
from tests.support.corpus import CORPUS, FILES

SECONDS_PER_FILE = 30
YEAR_2019 = Period(date(2019, 1, 1), date(2019, 12, 31))

pytestmark = pytest.mark.skipif(not FILES, reason=f"the shared corpus is not at {CORPUS}")


class Hang(BaseException):
    """A file took longer than SECONDS_PER_FILE."""


def _alarm(*_: object) -> None:
    raise Hang


def _check_all() -> Iterator[tuple[Path, CheckResult]]:
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for path in FILES:
            signal.alarm(SECONDS_PER_FILE)
            try:
                yield path, check_file(path, YEAR_2019)
            finally:
                signal.alarm(0)
    finally:
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def results() -> list[tuple[Path, CheckResult]]:
    return list(_check_all())


def test_the_corpus_is_all_there() -> None:
    assert len(FILES) == 258


def test_no_file_crashes_or_hangs(results: list[tuple[Path, CheckResult]]) -> None:
    assert len(results) == len(FILES)  # every file gave a result, none raised


# Not calendars at all: fuzzing cases and files of custom components only.
UNREADABLE = {
    "src_icalendar_tests_calendars_fuzz_testcase_0_char_in_component_name.ics",
    "src_icalendar_tests_calendars_fuzz_testcase_invalid_month.ics",
    "src_icalendar_tests_calendars_issue_178_component_with_invalid_name_represented.ics",
    "src_icalendar_tests_calendars_issue_178_custom_component_contains_other.ics",
}


def test_only_files_that_are_no_calendar_are_unreadable(
        results: list[tuple[Path, CheckResult]]) -> None:
    unreadable = {p.name: r.error for p, r in results if not r.readable}
    for name, error in sorted(unreadable.items()):
        print(f"unreadable: {name}: {error}")
    assert set(unreadable) == UNREADABLE
    assert all("is not a calendar: no VCALENDAR" in e for e in unreadable.values())


def test_the_corpus_reads_to_real_instances(results: list[tuple[Path, CheckResult]]) -> None:
    assert sum(r.instances for _, r in results) > 1000
    assert sum(bool(r.warnings) for _, r in results) > 20  # the broken ones say what they fixed


def test_warnings_name_their_file(results: list[tuple[Path, CheckResult]]) -> None:
    for path, result in results:
        for warning in result.warnings:
            assert warning.source == str(path)
            assert warning.message
