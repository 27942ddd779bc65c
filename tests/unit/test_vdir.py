"""What only a vdir folder does as a calendar backend (beyond test_calendar_contract): one file
per event named safely by its UID, hrefs that never lead outside the folder, a file holding any
event of the person's never touched, and no temporary file left behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from makertime.calendars.vdir import IcsFolder, file_name
from makertime.errors import Conflict
from makertime.publish.events import block_text
from tests.support.publish import DENTIST, ZONE, block

UID = "vdir-block@makertime"


def ours(uid: str = UID, hour: int = 9) -> str:
    return block_text(block(1, hour, 60, key=uid), ZONE)


@pytest.mark.parametrize(("uid", "name"), [
    ("3f1c2a@makertime", "3f1c2a@makertime.ics"),
    ("a_b-c.d+e@makertime", "a_b-c.d+e@makertime.ics"),
])
def test_a_safe_uid_names_its_file(uid: str, name: str) -> None:
    assert file_name(uid) == name


@pytest.mark.parametrize("uid", ["../../etc/passwd@makertime", "a/b@makertime", ".hidden",
                                 "x" * 300, "", "espa\u00f1ol@makertime", "a:b\\c@makertime"])
def test_any_other_uid_names_its_file_by_a_hash(uid: str) -> None:
    name = file_name(uid)
    assert name.endswith(".ics") and len(name) == 44 and set(name[:-4]) <= set("0123456789abcdef")
    assert file_name(uid) == name and file_name(uid + "x") != name


def test_an_event_is_one_file_named_by_its_uid_and_nothing_else_is_left(tmp_path: Path) -> None:
    folder = IcsFolder(tmp_path, zone=ZONE)
    stored = folder.create(UID, ours())
    etag = folder.update(stored.href, stored.etag, ours(hour=14))
    assert stored.href == f"{UID}.ics"
    assert [p.name for p in tmp_path.iterdir()] == [f"{UID}.ics"]  # no temporary file
    assert (tmp_path / stored.href).read_bytes() == ours(hour=14).encode()
    folder.delete(stored.href, etag)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("href", ["../outside.ics", "/etc/hosts.ics", "sub/../../x.ics",
                                  "notes.txt", ""])
def test_an_href_outside_the_folder_names_nothing(tmp_path: Path, href: str) -> None:
    inside = tmp_path / "vdir"
    inside.mkdir()
    (tmp_path / "outside.ics").write_bytes(ours().encode())
    folder = IcsFolder(inside, zone=ZONE)
    assert folder.get(href) is None
    with pytest.raises(Conflict):
        folder.delete(href, "any")
    assert (tmp_path / "outside.ics").read_bytes() == ours().encode()


def test_a_file_holding_an_event_of_the_persons_is_never_touched(tmp_path: Path) -> None:
    theirs = DENTIST[DENTIST.index("BEGIN:VEVENT"):DENTIST.index("END:VCALENDAR")]
    mixed = ours().replace("END:VCALENDAR", theirs.replace("\n", "\r\n") + "END:VCALENDAR")
    path = tmp_path / "mixed.ics"
    path.write_bytes(mixed.encode())
    folder = IcsFolder(tmp_path, zone=ZONE)
    state = folder.list()
    [event] = state.events
    assert state.foreign == 1 and folder.get("mixed.ics") is None
    for write in (lambda: folder.update("mixed.ics", event.etag, ours(hour=14)),
                  lambda: folder.delete("mixed.ics", event.etag)):
        with pytest.raises(Conflict):
            write()
    assert path.read_bytes() == mixed.encode()


def test_a_file_that_cannot_be_read_counts_as_the_persons(tmp_path: Path) -> None:
    (tmp_path / "garbage.ics").write_bytes(b"\xff\xfe not a calendar")
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "dentist.ics").write_text(DENTIST, encoding="utf-8")
    state = IcsFolder(tmp_path, zone=ZONE).list()
    assert (state.events, state.foreign, state.exists) == ((), 2, True)
