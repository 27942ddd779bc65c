"""Curtois & Qu's shift-scheduling text format read into a ``RosterProblem``.

The format (each file's comments say it too): ``#`` starts a comment line, ``SECTION_*`` starts a
section, each data line is comma-separated, lists inside a field are ``|``-separated and a
per-shift limit is ``shift=count``. Lines may end in CRLF. All instances start on a Monday.
"""

from __future__ import annotations

from pathlib import Path

from makertime.team.roster_problem import Cover, Request, RosterProblem, ShiftType, Staff

INSTANCES = Path(__file__).resolve().parent / "rostering"

# Best-known objectives (upper bounds) of Instances 1–8, as the instances' README lists them.
BEST_KNOWN = {1: 607, 2: 828, 3: 1001, 4: 1716, 5: 1143, 6: 1950, 7: 1056, 8: 1300}


def instance_path(number: int) -> Path:
    """The file of Instance ``number``."""
    return INSTANCES / f"Instance{number}.txt"


def sections(text: str) -> dict[str, list[list[str]]]:
    """The data lines of each section, split into fields (comments and blank lines dropped)."""
    found: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            current = found.setdefault(line, [])
            continue
        if current is None:
            raise ValueError(f"data before any section: {line!r}")
        current.append([field.strip() for field in line.split(",")])
    return found


def _shift(fields: list[str]) -> ShiftType:
    banned = frozenset(s for s in fields[2].split("|") if s) if len(fields) > 2 else frozenset()
    return ShiftType(fields[0], int(fields[1]), banned)


def _staff(fields: list[str], days_off: frozenset[int]) -> Staff:
    limits = {}
    for part in fields[1].split("|"):
        if part:
            shift, count = part.split("=")
            limits[shift] = int(count)
    return Staff(fields[0], max_shifts=limits, max_minutes=int(fields[2]),
                 min_minutes=int(fields[3]), max_consecutive=int(fields[4]),
                 min_consecutive=int(fields[5]), min_consecutive_off=int(fields[6]),
                 max_weekends=int(fields[7]), days_off=days_off)


def parse(text: str) -> RosterProblem:
    """The ``RosterProblem`` of one instance's text."""
    found = sections(text)
    days = int(found["SECTION_HORIZON"][0][0])
    shifts = tuple(_shift(f) for f in found["SECTION_SHIFTS"])
    off = {f[0]: frozenset(int(d) for d in f[1:] if d) for f in found.get("SECTION_DAYS_OFF", [])}
    staff = tuple(_staff(f, off.get(f[0], frozenset())) for f in found["SECTION_STAFF"])
    requests = tuple(
        Request(f[0], int(f[1]), f[2], on, int(f[3]))
        for section, on in (("SECTION_SHIFT_ON_REQUESTS", True),
                            ("SECTION_SHIFT_OFF_REQUESTS", False))
        for f in found.get(section, []))
    cover = tuple(Cover(int(f[0]), f[1], int(f[2]), int(f[3]), int(f[4]))
                  for f in found["SECTION_COVER"])
    return RosterProblem(days=days, shifts=shifts, staff=staff, cover=cover, requests=requests,
                         first_weekday=0)


def load(number: int) -> RosterProblem:
    """Instance ``number`` (1–8) as a ``RosterProblem``."""
    return parse(instance_path(number).read_text(encoding="utf-8"))
