"""``team check``, ``team plan``, ``team swap``, ``team away`` and ``team history``: the sync
duties rotated across a team so that everyone keeps maker time."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from makertime.cli.app import REPLACES, FromOpt, StoreOpt, ToOpt, app, err, friendly, out
from makertime.outputs.console import status_line

if TYPE_CHECKING:
    from makertime.app.team_ops import TeamPlanned

team_app = typer.Typer(
    help="Rotate the team's sync duties — the interrupt shield, on-call turns, event crews — so "
    "that every slot is covered by someone who may hold it, fairly, and the team keeps as much "
    "maker time as the audit can measure. Start with `makertime demo --team`; the format of "
    "team.toml is in docs/team.md.", no_args_is_help=True)
app.add_typer(team_app, name="team")

TeamFile = Annotated[Path, typer.Argument(
    help="team.toml: the team, its members (calendars, skills, limits) and its duties.",
    metavar="TEAM.toml", show_default=False)]
TeamOpt = Annotated[Path | None, typer.Option(
    "--team", metavar="TEAM.toml", help="The team (default: the team of the newest rotation "
    "kept in the store).")]
LimitOpt = Annotated[float, typer.Option(
    "--time-limit", metavar="S", help="Stop searching after this many seconds.")]
WorkersOpt = Annotated[int | None, typer.Option(
    "--workers", metavar="N", help="Search threads (default: every core).")]
PublishOpt = Annotated[bool, typer.Option(
    "--publish", help="Write each member's duties into their own makertime calendar (their "
    "`publish` in team.toml): only makertime's own events, conditional writes, the same "
    "events on every run.")]


@team_app.command("check")
@friendly
def team_check(team: TeamFile, first: FromOpt = None, last: ToOpt = None) -> None:
    """Can the rotation be filled? Reads every calendar, then names each slot nobody may hold
    (with the rule that blocks each member) and each duty its members' limits cannot cover.

    Example: `makertime team check team.toml --from 2026-03-23 --to 2026-04-19`
    """
    from makertime.app.team_check import team_check as check
    from makertime.outputs.team_check import render_team_check

    with err.status("reading the team's calendars…") as status:
        found = check(team, first=first, last=last, progress=status_line(status))
    render_team_check(found, out)
    if any(c.problem for c in found.calendars) or found.problems:
        raise typer.Exit(2)


@team_app.command("plan")
@friendly
def team_plan(
    team: TeamFile,
    first: FromOpt = None,
    last: ToOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rotation as JSON.")] = False,
    html: Annotated[Path | None, typer.Option(
        "--html", metavar="FILE", help=f"Also write the rotation as one HTML page. {REPLACES}")
    ] = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", metavar="DIR", help="Write one calendar per member (their duties), one feed per "
        "duty (each event named for its holder: subscribe to it, or import it as a schedule) "
        "and PagerDuty-style overrides per duty into DIR. A file there is replaced only when "
        "makertime wrote it.")] = None,
    publish: PublishOpt = False,
    time_limit: LimitOpt = 10.0,
    workers: WorkersOpt = None,
    db: StoreOpt = None,
) -> None:
    """Rotate the team's duties over the period (default: four weeks from this Monday).

    Every slot goes to a member with its skills who is not away and holds nothing else then,
    within their limits and the on-call share; among those rotations, the one that keeps the
    most team maker time (each member's focus with the duty in place, as `audit` measures
    it), then the fairest weighted load, then members' wishes and the fewest changes to the
    rotation kept before. Each assignment says why it is that person; the price of fairness
    is the focus given up for it. The rotation is kept in the store: `team swap`, `team away`
    and `team history` work on it.

    Example: `makertime team plan team.toml --from 2026-03-23 --to 2026-04-19 --html team.html`
    """
    from makertime.app.team_ops import team_plan as make

    with err.status("reading the team's calendars…") as status:
        done = make(team, first=first, last=last, time_limit=time_limit, workers=workers,
                    out=out_dir, html=html, publish=publish, db=db,
                    progress=status_line(status))
    _emit(done, as_json)


@team_app.command("swap")
@friendly
def team_swap(
    one: Annotated[str, typer.Argument(help="A member's id.", metavar="MEMBER_A")],
    other: Annotated[str, typer.Argument(help="Another member's id.", metavar="MEMBER_B")],
    day: Annotated[str, typer.Argument(help="The date they swap, YYYY-MM-DD.", metavar="DATE")],
    team: TeamOpt = None, publish: PublishOpt = False, time_limit: LimitOpt = 10.0,
    workers: WorkersOpt = None, db: StoreOpt = None, as_json: Annotated[bool, typer.Option(
        "--json", help="Print the new rotation as JSON.")] = False,
) -> None:
    """MEMBER_A and MEMBER_B exchange what they hold on DATE in the kept rotation; anything
    else moves only where the rules then demand, and the report lists each change and why.

    Example: `makertime team swap ana ben 2026-03-26`
    """
    from makertime.app.team_ops import team_swap as swap

    with err.status("re-solving the rotation…") as status:
        done = swap(one, other, day, team_path=team, time_limit=time_limit, workers=workers,
                    publish=publish, db=db, progress=status_line(status))
    _emit(done, as_json)


@team_app.command("away")
@friendly
def team_away(
    member: Annotated[str, typer.Argument(help="A member's id.", metavar="MEMBER")],
    first: Annotated[str, typer.Argument(help="First date away, YYYY-MM-DD.", metavar="FROM")],
    last: Annotated[str, typer.Argument(help="Last date away, inclusive.", metavar="TO")],
    team: TeamOpt = None, publish: PublishOpt = False, time_limit: LimitOpt = 10.0,
    workers: WorkersOpt = None, db: StoreOpt = None, as_json: Annotated[bool, typer.Option(
        "--json", help="Print the new rotation as JSON.")] = False,
) -> None:
    """MEMBER is away FROM..TO: their duties then go to others, moving as little as the rules
    allow; the absence is kept, so later `team plan` runs know it too.

    Example: `makertime team away dario 2026-04-01 2026-04-03`
    """
    from makertime.app.team_ops import team_away as away

    with err.status("re-solving the rotation…") as status:
        done = away(member, first, last, team_path=team, time_limit=time_limit,
                    workers=workers, publish=publish, db=db, progress=status_line(status))
    _emit(done, as_json)


@team_app.command("history")
@friendly
def team_history(team: TeamOpt = None, db: StoreOpt = None, as_json: Annotated[
        bool, typer.Option("--json", help="Print the history as JSON.")] = False) -> None:
    """Each member's duty load week by week (hours and weighted hours, as kept in the store),
    with the spread between the most and the least loaded.

    Example: `makertime team history --team team.toml`
    """
    from makertime.app.team_keep import team_history as read
    from makertime.outputs.team_check import history_json, render_history

    history = read(team, db=db)
    if as_json:
        sys.stdout.write(json.dumps(history_json(history), indent=2) + "\n")
        return
    render_history(history, out)


def _emit(done: TeamPlanned, as_json: bool) -> None:
    """Print a rotation (as JSON, or as the terminal grid), what was written and published."""
    if as_json:
        from makertime.outputs.team_json import rotation_json

        sys.stdout.write(json.dumps(rotation_json(done.rotation, done.team), indent=2) + "\n")
        return
    from makertime.outputs.team_terminal import render_rotation

    render_rotation(done.rotation, done.team, out)
    for path in done.written:
        out.print(f"written {path}", markup=False, highlight=False)
    for member, report in done.published:
        out.print(f"published {member}'s duties: {report.summary()}", markup=False,
                  highlight=False)
    out.print(f"kept in the store as rotation {done.saved}", style="dim")
