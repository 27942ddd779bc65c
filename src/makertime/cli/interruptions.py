"""The commands that log, correct and list interruptions: ``interrupt`` and ``interruptions``.
Thin: parse, call one function of ``makertime.app``, render.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from makertime.cli.app import NowOpt, StoreOpt, app, friendly, out

if TYPE_CHECKING:
    from makertime.app import Edited, Logged, Removed


@app.command()
@friendly
def interrupt(
    text: Annotated[str | None, typer.Argument(
        metavar="TEXT", help="What it was, e.g. \"CDN alert\" (only when logging a new one).",
        show_default=False)] = None,
    minutes: Annotated[int | None, typer.Option(
        "--minutes", "-m", metavar="N", show_default=False,
        help="How long it took: 1 to the minutes of its day (1440; 1380 or 1500 when the "
        "clocks change), ending by that day's midnight.")] = None,
    at: Annotated[str | None, typer.Option(
        "--at", metavar="HH:MM",
        help="When it began: HH:MM today, or YYYY-MM-DDTHH:MM (default: it has just ended).")
    ] = None,
    edit: Annotated[int | None, typer.Option(
        "--edit", metavar="ID", help="Correct how long interruption ID lasted (with "
        "--minutes; its start stays).")] = None,
    remove: Annotated[int | None, typer.Option(
        "--remove", metavar="ID", help="Forget interruption ID, logged by mistake.")] = None,
    now: NowOpt = None,
    db: StoreOpt = None,
) -> None:
    """Log unplanned sync work; `replan` then plans around it and re-places what it cost.

    An interruption lies within one day, the day it began on: the focus it cost is measured on
    that day, so one that ran past midnight is logged as two, one each side (the message says
    how). It cannot begin later than now. `makertime interruptions` lists them with their ids;
    --edit ID --minutes N corrects one, --remove ID forgets one.

    Example: `makertime interrupt "CDN alert" --minutes 40 --at 14:05`, then `makertime
    interrupt --edit 3 --minutes 25` or `makertime interrupt --remove 3`
    """
    from makertime.app import Edited, Removed
    from makertime.app import interrupt as log

    done = log(text, minutes=minutes, at=at, edit=edit, remove=remove, now=now, db=db)
    if isinstance(done, Removed):
        line = _removed(done)
    elif isinstance(done, Edited):
        line = _edited(done)
    else:
        line = _logged(done)
    out.print(f"{line} (makertime replan to repair the plan)", markup=False, highlight=False)


def _logged(done: Logged) -> str:
    from makertime.cli.week_view import when

    item = done.item
    return (f"logged interruption {item.id}: {item.text}, {when(item.start, done.zone)}, "
            f"{item.minutes} min")


def _edited(done: Edited) -> str:
    from makertime.cli.week_view import lost_text, when

    was, after = done.was, done.after
    return (f"interruption {done.number} ({after.text}, {when(after.start, done.zone)}): "
            f"{was.minutes} → {after.minutes} min, focus lost {lost_text(was)} → "
            f"{lost_text(after)}")


def _removed(done: Removed) -> str:
    from makertime.cli.week_view import when

    gone = done.gone
    return (f"removed interruption {done.number}: {gone.text}, {when(gone.start, done.zone)}, "
            f"{gone.minutes} min")


@app.command()
@friendly
def interruptions(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of the table.")
                       ] = False,
    db: StoreOpt = None,
) -> None:
    """The interruptions you logged: id, when (local time), minutes, what, and the focus each
    cost.

    The focus lost is the effective focus minutes its day lost, measured against the plan as
    it stood when you logged it, without any other interruption: logging, correcting or
    removing one never changes another's figure. Use the id to correct or forget one.

    Example: `makertime interruptions`, then `makertime interrupt --edit 3 --minutes 25`
    """
    import json
    import sys

    from makertime.app import interruptions as logged
    from makertime.cli.week_view import interruption_dict, render_interruptions

    found = logged(db=db)
    rows, zone = found.rows, found.zone
    if as_json:
        sys.stdout.write(json.dumps([interruption_dict(row, zone) for row in rows],
                                    indent=2) + "\n")
        return
    render_interruptions(rows, out, zone)
