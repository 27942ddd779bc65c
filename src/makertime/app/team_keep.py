"""What a rotation leaves behind: its record in the store, its files (one calendar per member
and per duty, PagerDuty overrides, the HTML page) and each member's duties published to their
own makertime calendar; and ``team_history``, the duty load the store remembers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from makertime.app.options import opened
from makertime.errors import InputError
from makertime.team.model import KeptRotation, Rotation, Team, TeamHistory, WeekLoad

if TYPE_CHECKING:
    from makertime.publish.report import PublishReport
    from makertime.store import RotationRecord, Store


def record_of(rotation: Rotation, team: Team, note: str, source: Path) -> RotationRecord:
    """``rotation`` as the store keeps it."""
    from makertime.store import DutyRecord, RotationRecord

    duties = tuple(
        DutyRecord(slot=a.slot.id, duty=a.slot.duty, kind=a.slot.kind.value, seat=a.slot.seat,
                   event=a.slot.event, member=a.member, start=a.slot.span.start,
                   end=a.slot.span.end, hours=round(a.slot.span.minutes / 60, 2),
                   weighted_hours=a.slot.weighted_hours, reason=a.reason,
                   day=a.slot.dates[0] if a.slot.dates else rotation.first)
        for a in rotation.assignments)
    return RotationRecord(id=None, team=team.name, first=rotation.first, last=rotation.last,
                          created=rotation.created, duties=duties, status=rotation.status,
                          team_focus=rotation.team_focus,
                          price_of_fairness=rotation.price_of_fairness, note=note,
                          source=str(source.expanduser().resolve()))


def check_team_outputs(team: Team, source: Path, html: Path | None, store: str) -> None:
    """Refuse, before any calendar is read, an ``--html`` that is an input (team.toml, a
    member's calendar or policy, the team's events), the store, the cache, or a file makertime
    did not write."""
    if html is None:
        return
    from makertime.errors import param
    from makertime.outputs.own import Kind
    from makertime.outputs.safety import (
        Output,
        Protected,
        Role,
        cache_folder,
        check_outputs,
        inputs,
        store_files,
    )

    cals = [*team.events, *(cal for m in team.members for cal in m.calendars)]
    files = [source, *(m.policy for m in team.members if m.policy is not None)]
    protected = [*inputs(cals), *(Protected(f"the team's file {f}", f.expanduser(), Role.INPUT)
                                  for f in files), *store_files(store), cache_folder()]
    check_outputs([Output(param("html"), html, Kind.HTML)], protected)


def write_outputs(rotation: Rotation, team: Team, out: Path | None,
                  html: Path | None) -> tuple[Path, ...]:
    """Write the folder ``out`` (member and duty calendars, PagerDuty overrides) and ``html``."""
    written: list[Path] = []
    if out is not None:
        from makertime.outputs.team_files import write_team_files

        written.extend(write_team_files(rotation, team, out))
    if html is not None:
        from makertime.outputs.team_html import write_team_html

        write_team_html(rotation, team, html)
        written.append(html)
    return tuple(written)


def publish_duties(store: Store, rotation: Rotation,
                   team: Team) -> tuple[tuple[str, PublishReport], ...]:
    """Publish each member's duties (and their shield relief) to their ``publish`` target:
    only makertime's own events, each write conditional, the same UIDs on every run."""
    from makertime.publish.journalled import publish_blocks
    from makertime.team.duties import duty_blocks

    targets = [m for m in team.members if m.publish]
    if not targets:
        raise InputError(team.source, "no member has a publish target",
                         'give members one: publish = "https://…/ana-duties/" or "ana-duties.ics"')
    plan = store.current_plan()
    current = plan.inputs.target if plan is not None else ""
    reports = []
    for member in targets:
        if current and member.publish == current:
            raise InputError(team.source, f"member {member.id!r}: publish {member.publish} is "
                             "where your plan is published",
                             "give duties their own calendar: a plan publish would remove them")
        blocks = duty_blocks(rotation, team, member.id)
        reports.append((member.id, publish_blocks(store, member.publish, blocks,
                                                  team.timezone, clock=rotation.created)))
    return tuple(reports)


def team_history(team: str | Path | None = None, *, db: str | Store | None = None) -> TeamHistory:
    """The duty load per member and week of ``team`` (a name or team.toml; none: the team of
    the newest kept rotation)."""
    with opened(db) as store:
        name = _team_name(store, team)
        weeks = tuple(WeekLoad(w.member, w.week, w.hours, w.weighted_hours)
                      for w in store.duty_history(name))
        kept = tuple(KeptRotation(r.id, r.first, r.last, r.note, r.status, r.team_focus,
                                  r.price_of_fairness) for r in store.rotations(name, limit=50))
        return TeamHistory(name, weeks, kept)


def _team_name(store: Store, team: str | Path | None) -> str:
    """The name of ``team``: read from team.toml, given, or the newest kept rotation's."""
    if isinstance(team, Path):
        from makertime.app.team_reading import load_team

        return load_team(team).name
    if team:
        return team
    newest = store.newest_rotation()
    if newest is None:
        from makertime.errors import NoPlanError

        raise NoPlanError("team", "no rotation is kept in the store",
                          "make one first: makertime team plan TEAM.toml")
    return newest.team
