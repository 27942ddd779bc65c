"""The commands that log, correct and list interruptions: ``interrupt`` and ``interruptions``.
Thin: parse, call one function of ``makertime.app.log``, render.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Annotated

import typer

from makertime.cli.app import NowOpt, StoreOpt, app, clock_and_now, friendly, opened, out, zone_of
from makertime.errors import PeriodError

if TYPE_CHECKING:
    from makertime.store import Store


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
    _together(text, edit, remove, minutes, at)
    with opened(db) as store:
        zone = zone_of(store)
        if remove is not None:
            line = _removed(store, remove, zone)
        elif edit is not None:
            line = _edited(store, edit, _needed(minutes), zone)
        elif text is None:
            raise PeriodError("TEXT", "missing: what the interruption was",
                              'e.g. makertime interrupt "CDN alert" --minutes 40')
        else:
            _, moment_ = clock_and_now(now, zone)
            line = _logged(store, text, _needed(minutes), at=at, now=moment_, zone=zone)
    out.print(f"{line} (makertime replan to repair the plan)", markup=False, highlight=False)


def _together(text: str | None, edit: int | None, remove: int | None, minutes: int | None,
              at: str | None) -> None:
    """Refuse what cannot go together: TEXT with --edit or --remove, the two of them, --at
    with either, --minutes with --remove."""
    if edit is not None and remove is not None:
        raise PeriodError("--edit", "cannot go with --remove",
                          "correct an interruption or forget it, one at a time")
    option = "--edit" if edit is not None else "--remove" if remove is not None else None
    if option is None:
        return
    if text is not None:
        raise PeriodError("TEXT", f"{text!r} cannot go with {option}",
                          f"{option} ID names the interruption: drop the text")
    if at is not None:
        raise PeriodError("--at", f"cannot go with {option}",
                          "to move an interruption, remove it and log it again with --at")
    if remove is not None and minutes is not None:
        raise PeriodError("--minutes", "cannot go with --remove",
                          "--edit ID --minutes N corrects how long one lasted")


def _needed(minutes: int | None) -> int:
    if minutes is None:
        raise PeriodError("--minutes", "missing: how long it took",
                          "e.g. --minutes 40")
    return minutes


def _logged(store: Store, text: str, minutes: int, *, at: str | None, now: datetime,
            zone: tzinfo) -> str:
    from makertime.app.log import log_interruption
    from makertime.cli.week_view import when

    item = log_interruption(store, text, minutes, at=at, now=now, zone=zone)
    return (f"logged interruption {item.id}: {item.text}, {when(item.start, zone)}, "
            f"{item.minutes} min")


def _edited(store: Store, number: int, minutes: int, zone: tzinfo) -> str:
    from makertime.app.log import edit_interruption
    from makertime.cli.week_view import lost_text, when

    was, after = edit_interruption(store, number, minutes, zone)
    return (f"interruption {number} ({after.text}, {when(after.start, zone)}): {was.minutes} → "
            f"{after.minutes} min, focus lost {lost_text(was)} → {lost_text(after)}")


def _removed(store: Store, number: int, zone: tzinfo) -> str:
    from makertime.app.log import remove_interruption
    from makertime.cli.week_view import when

    gone = remove_interruption(store, number)
    return (f"removed interruption {number}: {gone.text}, {when(gone.start, zone)}, "
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

    from makertime.app.log import logged_interruptions
    from makertime.cli.week_view import interruption_dict, render_interruptions

    with opened(db) as store:
        zone = zone_of(store)
        rows = logged_interruptions(store)
    if as_json:
        sys.stdout.write(json.dumps([interruption_dict(row, zone) for row in rows],
                                    indent=2) + "\n")
        return
    render_interruptions(rows, out, zone)
