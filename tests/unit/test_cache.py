"""The instance cache: a hit skips parsing, an edit is a miss, a broken entry is ignored."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from makertime.calendars import ics, read_calendar_file
from makertime.calendars.cache import InstanceCache, cache_dir

FIRST, LAST = date(2026, 3, 23), date(2026, 3, 29)
EVENT = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:one
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/Zagreb:20260324T{start}00
DTEND;TZID=Europe/Zagreb:20260324T120000
SUMMARY:Review
CATEGORIES:LIVE
ATTENDEE;PARTSTAT=DECLINED:mailto:bo@example.com
END:VEVENT
BEGIN:VTODO
UID:todo-1
DTSTAMP:20260101T000000Z
SUMMARY:Write it up
DUE;VALUE=DATE:20260327
X-MAKERTIME-ESTIMATE:2h
END:VTODO
END:VCALENDAR
"""


def write(path: Path, start: str = "1000") -> Path:
    path.write_text(EVENT.format(start=start), encoding="utf-8")
    return path


def refuse_parsing(*_: object) -> None:
    raise AssertionError("parsed although the cache holds this file")


def test_cache_lives_under_xdg_cache_home(isolated_cache: Path) -> None:
    assert cache_dir() == isolated_cache / "makertime" / "instances"


def test_a_hit_returns_the_same_read_without_parsing(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "cal.ics")
    cache = InstanceCache()
    first = read_calendar_file(path, FIRST, LAST, cache)
    monkeypatch.setattr(ics, "read_ics_bytes", refuse_parsing)
    again = read_calendar_file(path, FIRST, LAST, cache)
    assert again == first
    assert again.instances[0].categories == ("LIVE",)
    assert again.tasks[0].estimate_minutes == 120


def test_an_edited_file_is_read_again(tmp_path: Path) -> None:
    path = write(tmp_path / "cal.ics")
    cache = InstanceCache()
    before = read_calendar_file(path, FIRST, LAST, cache)
    write(path, start="0900")
    after = read_calendar_file(path, FIRST, LAST, cache)
    assert before.instances[0].start != after.instances[0].start
    assert after.instances[0].start.hour == 8  # 09:00 in Zagreb (CET) is 08:00 UTC


def test_another_period_is_another_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "cal.ics")
    cache = InstanceCache()
    read_calendar_file(path, FIRST, LAST, cache)
    monkeypatch.setattr(ics, "read_ics_bytes", refuse_parsing)
    with pytest.raises(AssertionError, match="parsed although"):
        read_calendar_file(path, date(2026, 4, 1), date(2026, 4, 7), cache)


def test_a_corrupt_entry_falls_back_to_parsing(tmp_path: Path) -> None:
    path = write(tmp_path / "cal.ics")
    cache = InstanceCache()
    good = read_calendar_file(path, FIRST, LAST, cache)
    for entry in cache.directory.glob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    assert read_calendar_file(path, FIRST, LAST, cache) == good


def test_a_warm_run_never_imports_the_icalendar_libraries(tmp_path: Path,
                                                          isolated_cache: Path) -> None:
    path = write(tmp_path / "cal.ics")
    script = (
        "import sys\n"
        "from makertime.cli import main\n"
        f"sys.argv = ['makertime', 'audit', {str(path)!r}, '--from', '2026-03-23', '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('ICALENDAR', 'icalendar' in sys.modules, 'recurring_ical_events' in sys.modules)\n"
        "heavy = {'sqlalchemy', 'ortools', 'matplotlib', 'caldav'} & set(sys.modules)\n"
        "print('HEAVY', sorted(heavy))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(isolated_cache)}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           env=env, check=True).stdout for _ in range(2)]
    assert "ICALENDAR True True" in runs[0]
    assert "ICALENDAR False False" in runs[1]
    # an audit loads neither the store, the planner's solver, the charts nor the CalDAV client
    assert all("HEAVY []" in run for run in runs)


def test_a_hit_counts_as_recent_use_for_pruning(tmp_path: Path) -> None:
    path = write(tmp_path / "cal.ics")
    cache = InstanceCache()
    read_calendar_file(path, FIRST, LAST, cache)
    [entry] = cache.directory.glob("*.json")
    os.utime(entry, (1_000_000, 1_000_000))
    read_calendar_file(path, FIRST, LAST, cache)
    assert entry.stat().st_mtime > 1_000_000


def test_pruning_keeps_the_most_recently_used(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("makertime.calendars.cache.KEEP_ENTRIES", 2)
    paths = [write(tmp_path / f"cal{n}.ics", start=f"{10 + n}00") for n in range(3)]
    warm = InstanceCache()
    for path in paths:
        read_calendar_file(path, FIRST, LAST, warm)
    for stamp, entry in enumerate(sorted(warm.directory.glob("*.json")), start=1):
        os.utime(entry, (stamp * 1000, stamp * 1000))
    newest = max(warm.directory.glob("*.json"), key=lambda p: p.stat().st_mtime)
    fresh = InstanceCache()  # a new run prunes once, on its first write
    read_calendar_file(write(tmp_path / "new.ics", start="0800"), FIRST, LAST, fresh)
    left = set(fresh.directory.glob("*.json"))
    assert len(left) == 2 and newest in left
    assert not list(fresh.directory.glob("*.tmp"))
