"""Team rotations as saved, and what the team holds from them: carry-over and history.

A rotation covers a period of the team's dates, ``first`` to ``last``. Saving another for some
of those dates (a re-solve, a swap, someone away) supersedes the older one there, and only
there: on each date, the team holds the duties of the newest rotation whose period contains it
(newest: saved last). A duty belongs to the date it starts on in the team's zone (``day``), so
a night turn that runs past midnight is counted once, on the date it began.

The records are plain: the store knows nothing of teams or solvers, the application maps.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, insert, or_, select
from sqlalchemy.orm import Session

from makertime.errors import StoreError
from makertime.store.plans import LARGEST_ID
from makertime.store.sql import PARAMETERS, chunks
from makertime.store.tables import RotationDutyRow, RotationRow
from makertime.text import clean

MAX_DUTIES = 50_000  # a year of a large team's shield days, turns and crew seats, many times
NAME_CHARS = 200  # a team, member, duty, kind, seat or slot: an id, never this long in use
TEXT_CHARS = 1_000  # a reason or a note: a sentence or two
ROWS_AT_ONCE = 1_000  # duties written per statement: bounded memory for the driver


@dataclass(frozen=True, slots=True)
class DutyRecord:
    """One member holding one slot of a rotation: which slot and duty, when (``start`` and
    ``end`` in UTC, ``day`` the team's date it starts on), its load, and why it is them."""

    slot: str
    duty: str
    kind: str
    seat: str
    event: str
    member: str
    start: datetime
    end: datetime
    hours: float
    weighted_hours: float
    reason: str
    day: date


@dataclass(frozen=True, slots=True)
class RotationRecord:
    """A rotation as saved: the team, its period of the team's dates, when it was made, its
    duties, how the solve ended, and why it was made (``note``: "plan", "swap ana ben
    2026-03-26", "away dario 2026-04-01..2026-04-03"). ``id`` is None until saved."""

    id: int | None
    team: str
    first: date
    last: date
    created: datetime
    duties: tuple[DutyRecord, ...]
    status: str
    team_focus: int
    price_of_fairness: int | None
    note: str = ""
    source: str = ""  # the team.toml it was made from, so a swap or an absence can re-solve it


@dataclass(frozen=True, slots=True)
class MemberLoadRecord:
    """The duty hours one member held in one ISO week (``week`` as "2026-W13")."""

    member: str
    week: str
    hours: float
    weighted_hours: float


def save_rotation(session: Session, record: RotationRecord) -> int:
    """Save ``record`` (its ``id`` is not read) with its duties; returns its new id."""
    _check(record)
    row = RotationRow(team=_name(record.team), first_day=record.first, last_day=record.last,
                      created=record.created, status=_name(record.status),
                      team_focus=record.team_focus,
                      price_of_fairness=record.price_of_fairness,
                      note=clean(record.note, chars=TEXT_CHARS),
                      source=clean(record.source, chars=TEXT_CHARS))
    session.add(row)
    session.flush()
    rows = [_duty_row(row.id, position, duty) for position, duty in enumerate(record.duties)]
    for start in range(0, len(rows), ROWS_AT_ONCE):
        session.execute(insert(RotationDutyRow), rows[start:start + ROWS_AT_ONCE])
    return row.id


def _check(record: RotationRecord) -> None:
    """Refuse a rotation the store cannot keep as asked: too many duties, a period that ends
    before it starts, a duty outside the period (it would never count) or without a load."""
    where = f'rotation of team "{clean(record.team, chars=NAME_CHARS)}"'
    if len(record.duties) > MAX_DUTIES:
        raise StoreError(where, f"has {len(record.duties):,} duties, more than the "
                         f"{MAX_DUTIES:,} the store keeps", "rotate a shorter period")
    if record.last < record.first:
        raise StoreError(where, f"ends on {record.last} before it starts on {record.first}",
                         "give the first date of the period, then the last")
    focus = (record.team_focus, record.price_of_fairness or 0)
    if not all(-LARGEST_ID <= minutes <= LARGEST_ID for minutes in focus):
        raise StoreError(where, f"its team focus ({record.team_focus} minutes, "
                         f"{record.price_of_fairness} given up) is no count of minutes",
                         "give the minutes the solve reported")
    for duty in record.duties:
        if not record.first <= duty.day <= record.last:
            raise StoreError(where, f'slot "{duty.slot}" starts on {duty.day}, outside the '
                             f"period {record.first}..{record.last}",
                             "a rotation holds only slots that start in its period")
        if not all(math.isfinite(n) and n >= 0 for n in (duty.hours, duty.weighted_hours)):
            raise StoreError(where, f'slot "{duty.slot}" weighs {duty.hours} hours '
                             f"({duty.weighted_hours} weighted)",
                             "a duty's hours are a number, none or more")


def _name(text: str) -> str:
    return clean(text, chars=NAME_CHARS)


def _duty_row(rotation_id: int, position: int, duty: DutyRecord) -> dict[str, Any]:
    """The values of the ``position``-th duty of a rotation, its texts bounded."""
    return {"rotation_id": rotation_id, "position": position, "slot": _name(duty.slot),
            "duty": _name(duty.duty), "kind": _name(duty.kind), "seat": _name(duty.seat),
            "event": clean(duty.event), "member": _name(duty.member),
            "start_at": duty.start, "end_at": duty.end, "day": duty.day, "hours": duty.hours,
            "weighted_hours": duty.weighted_hours,
            "reason": clean(duty.reason, chars=TEXT_CHARS)}


_DUTY_COLUMNS = (RotationDutyRow.slot, RotationDutyRow.duty, RotationDutyRow.kind,
                 RotationDutyRow.seat, RotationDutyRow.event, RotationDutyRow.member,
                 RotationDutyRow.start_at, RotationDutyRow.end_at, RotationDutyRow.hours,
                 RotationDutyRow.weighted_hours, RotationDutyRow.reason, RotationDutyRow.day)
"""A DutyRecord's fields, in its order."""


def _duty(values: Sequence[Any]) -> DutyRecord:
    """The record of the values of ``_DUTY_COLUMNS``."""
    return DutyRecord(*values)


def rotations(session: Session, team: str, limit: int) -> list[RotationRecord]:
    """The ``limit`` rotations of ``team`` saved last, newest first."""
    query = (select(RotationRow).where(RotationRow.team == _name(team))
             .order_by(RotationRow.id.desc()).limit(max(0, limit)))
    return _records(session, session.scalars(query))


def rotation_notes(session: Session, team: str) -> list[str]:
    """Why each rotation of ``team`` was made, oldest first (no duty is read)."""
    query = (select(RotationRow.note).where(RotationRow.team == _name(team))
             .order_by(RotationRow.id))
    return list(session.scalars(query))


def newest_rotation(session: Session) -> RotationRecord | None:
    """The rotation saved last, of any team, or None."""
    row = session.scalars(select(RotationRow).order_by(RotationRow.id.desc()).limit(1)).first()
    return None if row is None else _records(session, [row])[0]


def rotation(session: Session, team: str, rotation_id: int) -> RotationRecord | None:
    """Rotation ``rotation_id`` of ``team``, or None."""
    if not 0 < rotation_id <= LARGEST_ID:
        return None
    row = session.get(RotationRow, rotation_id)
    if row is None or row.team != _name(team):
        return None
    return _records(session, [row])[0]


def latest_rotation(session: Session, team: str, first: date,
                    last: date) -> RotationRecord | None:
    """The rotation of ``team`` saved last whose period overlaps ``first``..``last``."""
    query = (select(RotationRow)
             .where(RotationRow.team == _name(team), RotationRow.first_day <= last,
                    RotationRow.last_day >= first)
             .order_by(RotationRow.id.desc()).limit(1))
    return next(iter(_records(session, session.scalars(query))), None)


def _records(session: Session, rows: Iterable[RotationRow]) -> list[RotationRecord]:
    """The records of rotation rows, each with its duties in the order they were saved."""
    found = list(rows)
    duties: dict[int, list[DutyRecord]] = {row.id: [] for row in found}
    if duties:
        query = (select(RotationDutyRow.rotation_id, *_DUTY_COLUMNS)
                 .where(RotationDutyRow.rotation_id.in_(duties))
                 .order_by(RotationDutyRow.rotation_id, RotationDutyRow.position))
        for rotation_id, *values in session.execute(query):
            duties[rotation_id].append(_duty(values))
    return [RotationRecord(id=row.id, team=row.team, first=row.first_day, last=row.last_day,
                           created=row.created, duties=tuple(duties[row.id]), status=row.status,
                           team_focus=row.team_focus, price_of_fairness=row.price_of_fairness,
                           note=row.note, source=row.source)
            for row in found]


def owners(periods: Iterable[tuple[int, date, date]]) -> list[tuple[int, date, date]]:
    """Which rotation holds which dates: ``periods`` are (id, first, last) of rotations, newest
    first; each comes out with the runs of its dates no newer one holds (none when all are)."""
    held: list[tuple[int, int]] = []  # ordinals newer rotations hold: sorted, apart, inclusive
    found: list[tuple[int, date, date]] = []
    for rotation_id, first, last in periods:
        start, end = first.toordinal(), last.toordinal()
        found += [(rotation_id, date.fromordinal(a), date.fromordinal(b))
                  for a, b in _free(start, end, held)]
        held = _merged([*held, (start, end)])
    return found


def _free(start: int, end: int, held: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runs of ``start``..``end`` outside ``held`` (sorted, apart)."""
    runs: list[tuple[int, int]] = []
    at = start
    for first, last in held:
        if last < at:
            continue
        if first > end:
            break
        if first > at:
            runs.append((at, first - 1))
        at = last + 1
    if at <= end:
        runs.append((at, end))
    return runs


def _merged(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``runs`` sorted, with those that overlap or touch made one."""
    merged: list[tuple[int, int]] = []
    for first, last in sorted(runs):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _held(session: Session, team: str, first: date | None,
          last: date | None) -> list[ColumnElement[bool]]:
    """Conditions that pick the duties ``team`` holds on ``first``..``last``: one per piece
    of the rotations that hold those dates, each within the values a statement may bind."""
    if first is not None and last is not None and first > last:
        return []
    query = (select(RotationRow.id, RotationRow.first_day, RotationRow.last_day)
             .where(RotationRow.team == _name(team)).order_by(RotationRow.id.desc()))
    if first is not None:
        query = query.where(RotationRow.last_day >= first)
    if last is not None:
        query = query.where(RotationRow.first_day <= last)
    periods = [(rotation_id, start if first is None else max(start, first),
                end if last is None else min(end, last))
               for rotation_id, start, end in session.execute(query)]
    pieces = [and_(RotationDutyRow.rotation_id == rotation_id, RotationDutyRow.day >= start,
                   RotationDutyRow.day <= end)
              for rotation_id, start, end in owners(periods)]
    return [or_(*part) for part in chunks(pieces, PARAMETERS // 3)]


def effective_duties(session: Session, team: str, first: date | None,
                     last: date | None) -> list[DutyRecord]:
    """The duties ``team`` holds on ``first``..``last`` (every date when not given), by
    start: on each date, those of the newest rotation whose period contains it."""
    found: list[tuple[datetime, int, int, DutyRecord]] = []
    for held in _held(session, team, first, last):
        query = select(RotationDutyRow.rotation_id, RotationDutyRow.position,
                       *_DUTY_COLUMNS).where(held)
        for rotation_id, position, *values in session.execute(query):
            duty = _duty(values)
            found.append((duty.start, rotation_id, position, duty))
    return [duty for *_, duty in sorted(found, key=lambda item: item[:3])]


def _daily(session: Session, team: str,
           last: date | None = None) -> list[tuple[str, date, float, float]]:
    """Each member's hours and weighted hours held on each date (up to ``last``)."""
    found: list[tuple[str, date, float, float]] = []
    for held in _held(session, team, None, last):
        query = (select(RotationDutyRow.member, RotationDutyRow.day,
                        func.sum(RotationDutyRow.hours), func.sum(RotationDutyRow.weighted_hours))
                 .where(held).group_by(RotationDutyRow.member, RotationDutyRow.day))
        found += [(member, day, float(hours), float(weighted))
                  for member, day, hours, weighted in session.execute(query)]
    return found


def carried_load(session: Session, team: str, before: date) -> dict[str, float]:
    """Weighted duty hours each member of ``team`` held on the dates before ``before``."""
    if before == date.min:
        return {}
    totals: dict[str, list[float]] = defaultdict(list)
    for member, _day, _hours, weighted in _daily(session, team, before - timedelta(days=1)):
        totals[member].append(weighted)
    return {member: math.fsum(totals[member]) for member in sorted(totals)}


def duty_history(session: Session, team: str) -> list[MemberLoadRecord]:
    """The duty hours each member of ``team`` held in each ISO week, by week then member."""
    weeks: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for member, day, hours, weighted in _daily(session, team):
        weeks[iso_week(day), member].append((hours, weighted))
    return [MemberLoadRecord(member=member, week=week, hours=math.fsum(h for h, _ in found),
                             weighted_hours=math.fsum(w for _, w in found))
            for (week, member), found in sorted(weeks.items())]


def iso_week(day: date) -> str:
    """The ISO week holding ``day``, as "2026-W13"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"

