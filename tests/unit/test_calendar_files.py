"""Calendar files are read within bounds: only regular files, at most ``calendar.file_bytes``
(by size and by what is really read), and folders of at most ``calendar.files`` files."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from makertime import limits
from makertime.calendars import IcsFolder, open_source, read_calendar_file
from makertime.calendars.files import read_calendar_bytes
from makertime.errors import SourceError

FIRST, LAST = date(2026, 3, 23), date(2026, 3, 29)
EVENT = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\n"
         "DTSTAMP:20260101T000000Z\r\nDTSTART:20260324T090000Z\r\nDTEND:20260324T100000Z\r\n"
         "SUMMARY:{uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def set_limit(monkeypatch: pytest.MonkeyPatch, key: str, value: int) -> None:
    monkeypatch.setitem(limits.BY_KEY, key, replace(limits.BY_KEY[key], value=value))


def test_dev_zero_is_refused_at_once() -> None:
    with pytest.raises(SourceError, match=r"^/dev/zero: is a character device, not a calendar"):
        read_calendar_file(Path("/dev/zero"), FIRST, LAST)


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.ics"
    os.mkfifo(fifo)
    with pytest.raises(SourceError, match=r"is a named pipe \(FIFO\), not a calendar file"):
        open_source(str(fifo)).read(FIRST, LAST)


def test_a_sparse_gigabyte_is_refused_before_it_is_read(tmp_path: Path) -> None:
    sparse = tmp_path / "sparse.ics"
    with sparse.open("wb") as out:
        out.truncate(1024 ** 3)
    with pytest.raises(SourceError, match=r"is 1,024 MB, past the 128 MB a calendar file may "
                                          r"hold \(calendar.file_bytes\)"):
        read_calendar_file(sparse, FIRST, LAST)


def test_the_read_itself_stops_past_the_limit_whatever_the_size_says(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """/proc files say they are empty and are not: the read is bounded, not only the stat."""
    set_limit(monkeypatch, "calendar.file_bytes", 16)
    with pytest.raises(SourceError, match="grew while it was read, past the 16 bytes"):
        read_calendar_bytes(Path("/proc/self/maps"))


def test_a_file_at_the_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "one.ics"
    path.write_text(EVENT.format(uid="one"), encoding="utf-8")
    set_limit(monkeypatch, "calendar.file_bytes", path.stat().st_size)
    assert [i.uid for i in read_calendar_file(path, FIRST, LAST).instances] == ["one"]


def test_in_a_folder_what_is_no_regular_file_or_too_big_is_skipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "good.ics").write_text(EVENT.format(uid="good"), encoding="utf-8")
    (tmp_path / "big.ics").write_text(EVENT.format(uid="big" * 100), encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.ics")
    set_limit(monkeypatch, "calendar.file_bytes", 400)
    reads = IcsFolder(tmp_path).read(FIRST, LAST)
    assert [i.uid for r in reads for i in r.instances] == ["good"]
    skipped = {Path(w.source).name: w.message for r in reads for w in r.warnings}
    assert skipped["pipe.ics"].startswith("skipped: is a named pipe (FIFO)")
    assert skipped["big.ics"].startswith("skipped: is 780 bytes, past the 400 bytes")


def test_a_folder_past_the_file_limit_is_refused_before_any_file_is_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(4):
        (tmp_path / f"{n}.ics").write_text("not read", encoding="utf-8")
    set_limit(monkeypatch, "calendar.files", 3)
    with pytest.raises(SourceError, match=r"this folder holds more than 3 files "
                                          r"\(calendar.files\)"):
        IcsFolder(tmp_path).read(FIRST, LAST)
