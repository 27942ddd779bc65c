"""The commands that live with the week: publish, replan, done, progress, tasks and history.
Thin: parse, call one function of ``makertime.app``, render.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from makertime.cli.app import (
    REPLACES,
    NowOpt,
    StoreOpt,
    app,
    err,
    friendly,
    out,
)
from makertime.outputs.console import status_line


@app.command()
@friendly
def publish(
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Print what would be created, moved, removed or left alone; "
        "write nothing.")] = False,
    target: Annotated[str | None, typer.Option(
        "--to", metavar="TARGET", help="Publish here instead of the plan's own target: a CalDAV "
        "calendar URL, or an .ics file holding nothing but makertime's events (never a file the "
        "plan reads, the store, the cache, a symbolic link or a device).")] = None,
    db: StoreOpt = None,
) -> None:
    """Publish the current plan to its target (a CalDAV calendar URL or an .ics file).

    Only events carrying makertime's markers are ever created, changed or deleted, each write
    conditional on the ETag last seen; a block you moved or deleted in your calendar is left as
    you left it. Publishing the same plan twice changes nothing.
    """
    from makertime.app import publish as publish_plan
    from makertime.cli.week_view import render_publish

    with err.status("publishing…") as status:
        done = publish_plan(dry_run=dry_run, target=target, db=db, progress=status_line(status))
    render_publish(done.report, out, done.zone, dry_run=dry_run)


@app.command()
@friendly
def replan(
    publish: Annotated[bool, typer.Option(
        "--publish", help="Publish the repaired plan to the plan's target.")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would move; save and publish nothing (with --now: a "
        "what-if).")] = False,
    now: NowOpt = None,
    time_limit: Annotated[float, typer.Option(
        "--time-limit", metavar="S", help="Stop searching after this many seconds.")] = 10.0,
    workers: Annotated[int | None, typer.Option(
        "--workers", metavar="N", help="Search threads (default: every core).")] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the repaired plan as JSON: the plan's JSON (every task in its "
        "ledger) with the changes and why.")] = False,
    html: Annotated[Path | None, typer.Option(
        "--html", metavar="FILE", help=f"Also write the repaired plan as HTML. {REPLACES}")
    ] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Let --html replace an existing file makertime did not write.")
    ] = False,
    db: StoreOpt = None,
) -> None:
    """Repair the current plan from now on, moving as little as possible.

    Re-reads the sources and the published calendar: the past is kept; a block you moved is
    pinned where you put it; a block you deleted means "not then" for its task; interruptions,
    progress and new commitments are counted. A block that now breaks a rule moves, as near its
    old time as it can; every other block stays unless moving it lets clearly more of the week's
    work fit. Prints what moved and why.

    Example: `makertime replan --publish`, or `makertime replan --dry-run --now
    2026-03-25T13:00` for a what-if
    """
    from makertime.app import replan as repair
    from makertime.cli.week_view import render_replan

    with err.status("replanning…") as status:
        repaired = repair(publish=publish, dry_run=dry_run, now=now, time_limit=time_limit,
                          workers=workers, html=html, force=force, db=db,
                          progress=status_line(status))
    done, zone = repaired.replanned, repaired.zone
    if html is not None:
        from makertime.outputs.plan_html import write_plan_html

        write_plan_html(done.repair.plan, repaired.policy, html)
    if as_json:
        import json
        import sys

        from makertime.outputs.json import repair_to_dict

        sys.stdout.write(json.dumps(repair_to_dict(done.repair, done.now, zone), indent=2) + "\n")
        return
    render_replan(done, out, zone)
    if html is not None:
        out.print(f"HTML of the repaired plan written to {html}", markup=False, highlight=False)


@app.command()
@friendly
def done(task: Annotated[str, typer.Argument(help="The task's id.")], now: NowOpt = None,
         db: StoreOpt = None) -> None:
    """Mark a task done: its future blocks go at the next `replan`."""
    from makertime.app import done as mark_done

    state = mark_done(task, now=now, db=db)
    out.print(f"done: {state.task.id} ({state.task.title})", markup=False, highlight=False)


# A FRACTION such as -0.5 would otherwise be taken for an unknown option "-0" and refused
# with click's message; passed through as an argument, it gets the one-line error below.
@app.command(context_settings={"ignore_unknown_options": True})
@friendly
def progress(
    task: Annotated[str, typer.Argument(help="The task's id.")],
    fraction: Annotated[float, typer.Argument(help="How near done the whole is, 0 to 1.")],
    now: NowOpt = None,
    db: StoreOpt = None,
) -> None:
    """Log how far a task has come; what is left of its estimate shrinks to match.

    Example: `makertime progress design-doc-ingest 0.6`
    """
    from makertime.app import progress as log_progress
    from makertime.app.kept_tasks import spent_advice
    from makertime.model import format_minutes

    state = log_progress(task, fraction, now=now, db=db)
    done = f"{state.task.id}: {state.task.progress:.0%} done"
    if state.done or state.task.estimate_minutes:
        line = f"{done}, {format_minutes(state.task.estimate_minutes)} left"
    else:  # "50% done, 0m left" would contradict itself
        line = f"{done}, yet nothing of its estimate is left: {spent_advice(state.task.id)}"
    out.print(line, markup=False, highlight=False)


@app.command()
@friendly
def tasks(
    all_: Annotated[bool, typer.Option("--all", help="Include tasks marked done.")] = False,
    now: NowOpt = None,
    db: StoreOpt = None,
) -> None:
    """Your tasks: progress, time left, planned from now on, staleness and who waits on you."""
    from makertime.app import tasks as task_list
    from makertime.cli.week_view import render_tasks

    render_tasks(task_list(include_done=all_, now=now, db=db), out)


@app.command()
@friendly
def history(db: StoreOpt = None) -> None:
    """Your maker time week by week (from every plan and replan), and the interruptions that
    cost the most focus."""
    from makertime.app import history as read_history
    from makertime.cli.week_view import render_history

    found = read_history(db=db)
    render_history(found.history, out, found.zone)
