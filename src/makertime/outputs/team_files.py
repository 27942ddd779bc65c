"""A team rotation as a folder of files: each member's duties (``members/<id>.ics``), each duty's
schedule feed (``duties/<duty>.ics``) and its PagerDuty overrides (``pagerduty/<duty>.json``).

Each file is written whole or not at all, and only over a file makertime wrote: an ``.ics`` with
makertime's PRODID, a ``.json`` whose ``generator`` is makertime. Every file is checked before
the first one is written, so a refusal leaves the folder as it was.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from makertime.errors import NotRegularFile, OutputError, TooLarge
from makertime.files import read_bounded, refuse_other_than_regular, shown, write_atomically
from makertime.limits import limit
from makertime.outputs.team_ics import duty_feed_ics, member_ics, pagerduty_overrides
from makertime.team.model import Rotation, Team

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_PRODID = re.compile(rb"^PRODID:-//makertime//makertime [^/\r\n]{1,40}//EN\r?$", re.MULTILINE)
HEAD_BYTES = 4096  # makertime's PRODID is in the first lines of every calendar it writes


def _stem(kind: str, ident: str) -> str:
    """``ident`` as a file name, refused when it could name a file elsewhere or a hidden one."""
    if _NAME.fullmatch(ident) is None:
        raise OutputError(f"{kind} {ident!r}", "cannot be a file name (a letter or digit, then "
                          "letters, digits, '.', '_' or '-')", f"rename the {kind} in team.toml")
    return ident


def team_files(rotation: Rotation, team: Team) -> dict[str, bytes]:
    """Every file of the rotation by its name relative to the folder, in a stable order."""
    files: dict[str, bytes] = {}
    for member in team.members:
        files[f"members/{_stem('member', member.id)}.ics"] = member_ics(rotation, team,
                                                                         member.id)
    for duty in team.duties:
        stem = _stem("duty", duty.id)
        files[f"duties/{stem}.ics"] = duty_feed_ics(rotation, team, duty.id)
        overrides = pagerduty_overrides(rotation, team, duty.id)
        text = json.dumps(overrides, indent=2, ensure_ascii=False) + "\n"
        files[f"pagerduty/{stem}.json"] = text.encode("utf-8")
    return files


def write_team_files(rotation: Rotation, team: Team, folder: Path) -> list[Path]:
    """Write every file of the rotation under ``folder`` (its subfolders made as needed) and
    return their paths; OutputError, with nothing written, when one would replace a file
    makertime did not write."""
    files = {folder / name: data for name, data in team_files(rotation, team).items()}
    for path in files:
        refuse_foreign(path)
    for path, data in files.items():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError(shown(path.parent), "cannot be made: "
                              f"{error.strerror or error}", "give a folder you may write "
                              "in") from None
        write_atomically(path, data)
    return list(files)


def refuse_foreign(path: Path) -> None:
    """Raise OutputError when ``path`` holds a file makertime did not write (nothing there, or
    an empty file, is fine: there is nothing to lose)."""
    try:
        status = path.lstat()
    except OSError:  # nothing there, or a folder that is not one: writing says what is wrong
        return
    refuse_other_than_regular(path, status, shown(path))
    try:
        data: bytes | None = read_bounded(path, limit("calendar.file_bytes"))
    except (OSError, NotRegularFile, TooLarge):
        data = None  # what cannot be read cannot be shown to be makertime's
    if data is not None and (not data.strip() or _is_own(path, data)):
        return
    what = "an iCalendar file" if path.suffix == ".ics" else "a JSON file"
    mark = ("makertime's PRODID" if path.suffix == ".ics"
            else 'a "generator" that names makertime')
    raise OutputError(shown(path), f"is {what} without {mark}: makertime did not write it and "
                      "does not replace it", "move it away, or write the team's files to "
                      "another folder")


def _is_own(path: Path, data: bytes) -> bool:
    if path.suffix == ".ics":
        head = data[:HEAD_BYTES]
        return (head.lstrip().upper().startswith(b"BEGIN:VCALENDAR")
                and _PRODID.search(head) is not None)
    try:
        found = json.loads(data)
    except ValueError:  # not JSON, or not UTF-8
        return False
    generator = found.get("generator") if isinstance(found, dict) else None
    return isinstance(generator, str) and generator.startswith("makertime")
