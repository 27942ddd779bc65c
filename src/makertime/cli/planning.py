"""``plan``: async tasks placed into protected blocks around the commitments."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from makertime.cli.app import (
    REPLACES,
    FromOpt,
    PolicyOpt,
    ToOpt,
    app,
    err,
    friendly,
    out,
)
from makertime.outputs.console import status_line

if TYPE_CHECKING:
    from makertime.plan.result import PlanResult
    from makertime.policy import Policy

PlanCals = Annotated[list[str] | None, typer.Argument(
    help="An .ics file, a folder of them, a CalDAV collection URL or a remembered source's name "
    "(none: every remembered source).", metavar="CAL", show_default=False)]


@app.command()
@friendly
def plan(
    cals: PlanCals = None,
    tasks: Annotated[Path | None, typer.Option(
        "--tasks", "-t", metavar="T",
        help="tasks.toml with the async work to place (VTODO in the calendars count too).")] = None,
    policy: PolicyOpt = None,
    first: FromOpt = None,
    last: ToOpt = None,
    out_ics: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="FILE.ics",
        help=f"Write the plan as iCalendar (only makertime's own, marked events). {REPLACES}")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
    html: Annotated[Path | None, typer.Option(
        "--html", metavar="FILE",
        help=f"Also write the week before and after as HTML. {REPLACES}")] = None,
    time_limit: Annotated[float, typer.Option(
        "--time-limit", metavar="S", help="Stop searching after this many seconds.")] = 10.0,
    gap: Annotated[float, typer.Option(
        "--gap", metavar="G",
        help="Stop once the plan is proven within this fraction of the best bound.")] = 0.005,
    workers: Annotated[int | None, typer.Option(
        "--workers", metavar="N",
        help="Search threads (default: every core). With 1, the same input gives the same plan; "
        "with more, two runs may return different plans of the same quality.")] = None,
    now: Annotated[str | None, typer.Option(
        "--now", metavar="YYYY-MM-DDTHH:MM",
        help="Plan as of this moment (default: the clock, when it falls in the period).")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Parse again even when a file is unchanged.")] = False,
    publish: Annotated[str | None, typer.Option(
        "--publish", metavar="TARGET",
        help="Publish the plan to a CalDAV calendar URL (created if missing) or an .ics file; "
        "only makertime's own events are ever written there. A file must hold nothing but "
        "makertime's events, and be none of this command's inputs, the store or the cache.")
    ] = None,
    db: Annotated[str | None, typer.Option(
        "--db", metavar="URL", help="The store the plan is kept in (default: $MAKERTIME_DB, "
        "else ~/.local/share/makertime/makertime.db).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Let --out and --html replace an existing file makertime did not "
        "write (it is lost). Never an input of this command (a CAL file or folder, tasks.toml, "
        "policy.toml), the store, the cache, one file for two outputs, a symbolic link or a "
        "device; and never a calendar file --publish writes to.")] = False,
) -> None:
    """Place your async tasks into protected blocks around your commitments (CP-SAT).

    Deep work goes into unbroken blocks (at least `focus.min_block_minutes`, at most
    `focus.max_deep_minutes_per_day` a day), never in the rest before or recovery after a
    commitment a `[[rule]]` marks as draining, nor in the buffer after any commitment. Shallow work
    and sync windows fill the fragments, next to commitments. Every block says why it is there;
    what cannot fit is listed with the numbers that decided. Blocks start after `--now`, which is
    the clock when it falls inside the period.

    The plan is kept in the store with its inputs: `replan`, `publish` and `tasks` work on it.

    Every output is checked before any calendar is read: none may be an input, the store or
    the cache, two may not share a file, and a file that exists is replaced only when
    makertime wrote it (or with `--force`). Files are written whole or not at all.

    Example: `makertime plan work.ics --tasks tasks.toml --policy policy.toml --out plan.ics`
    """
    from makertime.app import plan as make_plan

    with err.status("reading calendars…") as status:
        done = make_plan(cals or [], tasks=tasks, policy=policy, first=first, last=last,
                         now=now, time_limit=time_limit, gap=gap, workers=workers, out=out_ics,
                         html=html, publish=publish, force=force, db=db, cache=not no_cache,
                         progress=status_line(status))
    chosen, planned = done.policy, done.planned
    _emit_plan(planned.plan, chosen, out_ics, as_json, html)
    if planned.published is not None and not as_json:
        from makertime.cli.week_view import render_publish

        render_publish(planned.published, out, chosen.timezone)


def _emit_plan(result: PlanResult, chosen: Policy, out_ics: Path | None, as_json: bool,
               html: Path | None) -> None:
    zone = chosen.timezone
    if out_ics is not None:
        from makertime.outputs.ics import write_plan_ics

        write_plan_ics(result, zone, out_ics)
    if html is not None:
        from makertime.outputs.plan_html import write_plan_html

        write_plan_html(result, chosen, html)
    if as_json:
        from makertime.outputs.json import plan_to_dict

        sys.stdout.write(json.dumps(plan_to_dict(result, zone), indent=2) + "\n")
        return
    from makertime.outputs.plan_terminal import render_plan

    render_plan(result, out, zone, chosen.focus.min_block_minutes)
    for path, what in ((out_ics, "plan (iCalendar)"), (html, "HTML before/after")):
        if path is not None:
            out.print(f"{what} written to {path}")
