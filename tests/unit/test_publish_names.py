"""A target is known to the store by one name, however the person wrote it: a file through
``~`` or a relative path, a CalDAV URL with or without its closing slash. The lock, the record of
what makertime saw there and the blocks the person deleted are all kept under that name, so a
deletion is recognised whichever way the target was written."""

from __future__ import annotations

from pathlib import Path

import pytest

from makertime.calendars import target_name
from makertime.calendars.own import parse_calendar
from tests.support.publish import PLAN, edits, put, sqlite_store


def _without(path: Path, uid: str) -> None:
    """The person deletes event ``uid`` from the file in their calendar program."""
    calendar = parse_calendar(path.read_bytes())
    assert calendar is not None
    calendar.subcomponents = [c for c in calendar.subcomponents if c.get("UID") != uid]
    path.write_bytes(calendar.to_ical())


@pytest.mark.parametrize("written", ["~/plan.ics", "plans/../plan.ics"])
def test_a_deletion_is_recognised_whichever_way_the_file_was_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    store = sqlite_store(tmp_path)
    put(store, written, PLAN)
    name = target_name(written)
    assert name == str(tmp_path / "plan.ics")
    assert set(store.journalled(name).published) == {b.uid for b in PLAN}
    _without(tmp_path / "plan.ics", PLAN[0].uid)
    assert edits(store, written, PLAN).deleted == {PLAN[0].uid}
    again = put(store, written, PLAN)
    assert [b.uid for b in again.declined] == [PLAN[0].uid] and again.created == ()
    assert store.journalled(name).declined == {PLAN[0].uid}


@pytest.mark.parametrize(("written", "known"), [
    ("https://dav.example.org/ana/plan", "https://dav.example.org/ana/plan/"),
    ("https://dav.example.org/ana/plan/", "https://dav.example.org/ana/plan/"),
    ("plan.ics", "WORK/plan.ics"),
])
def test_a_target_has_one_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str,
                               known: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert target_name(written) == known.replace("WORK", str(tmp_path))
    assert target_name(target_name(written)) == target_name(written)
