"""The team's operations: ``team_plan`` (solve, keep in the store, write the files, publish each
member's duties), ``team_swap`` and ``team_away`` (re-solve the kept rotation, moving as little
as the rules allow, and say what changed and why) and ``team_history`` (duty load by week).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from makertime.app.options import opened, solver_options
from makertime.app.team_reading import load_team, read_team, team_period
from makertime.errors import InputError, NoPlanError, OptionError, param
from makertime.model import Period, Progress
from makertime.team.model import Rotation, Team
from makertime.text import clean

if TYPE_CHECKING:
    from makertime.publish.report import PublishReport
    from makertime.store import RotationRecord, Store

AWAY_NOTE = "away"  # a kept rotation's note "away <member> <first> <last>" is re-applied


@dataclass(frozen=True, slots=True)
class TeamPlanned:
    """A rotation made and kept (``saved``: its id in the store), the files written, and what
    publishing each member's duties did."""

    team: Team
    rotation: Rotation
    saved: int
    written: tuple[Path, ...] = ()
    published: tuple[tuple[str, PublishReport], ...] = ()


def team_plan(path: Path, *, first: str | None = None, last: str | None = None,
              time_limit: float = 10.0, workers: int | None = None, out: Path | None = None,
              html: Path | None = None, publish: bool = False, db: str | Store | None = None,
              progress: Progress | None = None) -> TeamPlanned:
    """Solve the rotation of the team in ``path`` over ``first``..``last`` (default: four
    weeks from this Monday), keep it, write ``out`` (a folder) and ``html``, and publish each
    member's duties to their ``publish`` target when asked."""
    team = load_team(path)
    period = team_period(first, last, datetime.now(team.timezone).date())
    with opened(db) as store:
        team = with_aways(team, store)
        kept = store.latest_rotation(team.name, period.first, period.last)
        previous = _holders(kept) if kept is not None else None
        return _solve_and_keep(store, team, path, period, previous=previous, note="plan",
                               time_limit=time_limit, workers=workers, out=out, html=html,
                               publish=publish, progress=progress)


def team_swap(one: str, other: str, day: str, *, team_path: Path | None = None,
              time_limit: float = 10.0, workers: int | None = None, publish: bool = False,
              db: str | Store | None = None, progress: Progress | None = None) -> TeamPlanned:
    """``one`` and ``other`` exchange what they hold on ``day`` in the kept rotation; the
    rest is re-solved only as far as the rules then demand."""
    if one == other:
        raise InputError(param("other"), f"is {clean(one, chars=60)} again",
                         "name the two members who swap")
    with opened(db) as store:
        kept, team, path = _kept(store, team_path, day)
        on = _date(day, team)
        for member in (one, other):
            _known(team, member)
        holders = _holders(kept)
        pinned = {}
        for record in kept.duties:
            if record.day == on or (record.start.astimezone(team.timezone).date() <= on
                                    < record.end.astimezone(team.timezone).date()):
                if record.member == one:
                    pinned[record.slot] = other
                elif record.member == other:
                    pinned[record.slot] = one
        if not pinned:
            raise InputError(param("day"), f"neither {one} nor {other} holds a duty on {on}",
                             "give a date one of them holds a duty (see makertime team plan)")
        return _solve_and_keep(store, team, path, Period(kept.first, kept.last),
                               previous=holders, pinned=pinned,
                               note=f"swap {one} {other} {on}",
                               why=f"{one} and {other} swapped {on}", time_limit=time_limit,
                               workers=workers, publish=publish, progress=progress)


def team_away(member: str, first: str, last: str, *, team_path: Path | None = None,
              time_limit: float = 10.0, workers: int | None = None, publish: bool = False,
              db: str | Store | None = None, progress: Progress | None = None) -> TeamPlanned:
    """``member`` is away ``first``..``last``: re-solve the kept rotation around it (kept, so
    later plans of the team know it too)."""
    with opened(db) as store:
        kept, team, path = _kept(store, team_path, first, "away_from")
        _known(team, member)
        start, end = _date(first, team, "away_from"), _date(last, team, "away_to")
        if end < start:
            raise InputError(param("away_to"), f"{end} is before {start}",
                             "give the last date away after the first")
        note = f"{AWAY_NOTE} {member} {start} {end}"
        team = with_aways(team, store, extra=(note,))
        return _solve_and_keep(store, team, path, Period(kept.first, kept.last),
                               previous=_holders(kept), note=note,
                               why=f"{member} is away {start}–{end}", time_limit=time_limit,
                               workers=workers, publish=publish, progress=progress)


def _solve_and_keep(store: Store, team: Team, path: Path, period: Period, *,
                    previous: Mapping[str, tuple[str, ...]] | None, note: str,
                    pinned: Mapping[str, str] | None = None, why: str = "re-solved",
                    time_limit: float, workers: int | None, out: Path | None = None,
                    html: Path | None = None, publish: bool = False,
                    progress: Progress | None = None) -> TeamPlanned:
    """Read, solve, keep, write and publish one rotation."""
    from makertime.app.team_keep import (
        check_team_outputs,
        publish_duties,
        record_of,
        write_outputs,
    )
    from makertime.team.rotate import plan_rotation

    checked = solver_options(time_limit, workers)  # bounded before any calendar is read
    check_team_outputs(team, path, html, store.url)
    read = read_team(team, period, store=store, progress=progress)
    if progress is not None:
        progress("solving the rotation…")
    rotation = plan_rotation(team, read.members, read.events, period, previous=previous,
                             carried=store.carried_load(team.name, period.first),
                             pinned=pinned, why=why, time_limit=checked.time_limit,
                             workers=checked.workers or os.cpu_count() or 2,
                             progress=progress)
    saved = store.save_rotation(record_of(rotation, team, note, path))
    written = write_outputs(rotation, team, out, html)
    published = publish_duties(store, rotation, team) if publish else ()
    return TeamPlanned(team, rotation, saved, written, published)


def with_aways(team: Team, store: Store, extra: tuple[str, ...] = ()) -> Team:
    """``team`` with the absences ``team away`` recorded (and ``extra`` ones) as days off."""
    from dataclasses import replace

    notes = [*store.rotation_notes(team.name), *extra]
    away: dict[str, set[date]] = {}
    for note in notes:
        words = note.split()
        if len(words) == 4 and words[0] == AWAY_NOTE:
            start, end = date.fromisoformat(words[2]), date.fromisoformat(words[3])
            days = away.setdefault(words[1], set())
            days.update(start + timedelta(days=n) for n in range((end - start).days + 1))
    members = tuple(replace(m, days_off=m.days_off | frozenset(away.get(m.id, ())))
                    for m in team.members)
    return replace(team, members=members)


def _kept(store: Store, team_path: Path | None, day: str,
          name: str = "day") -> tuple[RotationRecord, Team, Path]:
    """The kept rotation a swap or an absence edits, its team and team.toml."""
    if team_path is not None:
        team = load_team(team_path)
        on = _date(day, team, name)
        kept = store.latest_rotation(team.name, on, on)
        path = team_path
    else:
        kept = store.newest_rotation()
        if kept is None or not kept.source:
            raise NoPlanError("team", "no rotation is kept in the store",
                              "make one first: makertime team plan TEAM.toml")
        path = Path(kept.source)
        team = load_team(path)
        on = _date(day, team, name)
        kept = store.latest_rotation(team.name, on, on)
    if kept is None:
        raise NoPlanError("team", f"no kept rotation of {team.name} covers {day}",
                          "make one first with team plan, over the dates it should cover")
    return kept, team, path


def _holders(record: RotationRecord) -> dict[str, tuple[str, ...]]:
    """Slot id → its holders in a kept rotation."""
    found: dict[str, list[str]] = {}
    for duty in record.duties:
        found.setdefault(duty.slot, []).append(duty.member)
    return {slot: tuple(names) for slot, names in found.items()}


def _date(text: str, team: Team, name: str = "day") -> date:
    """A YYYY-MM-DD argument (``team``'s dates)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise OptionError(name, f"{clean(text, chars=40)!r} is not a date of {team.name}",
                          "write YYYY-MM-DD") from None


def _known(team: Team, member: str) -> None:
    """Refuse a member id the team does not have."""
    ids = [m.id for m in team.members]
    if member not in ids:
        raise InputError("team", f"{team.name} has no member {member!r}",
                         f"give one of {', '.join(ids)}")
