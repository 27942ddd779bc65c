"""``audit`` and ``check``: how a week really falls, and whether calendars can be read."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from makertime.cli.app import (
    REPLACES,
    Cals,
    DbOpt,
    FromOpt,
    PolicyOpt,
    ToOpt,
    app,
    err,
    friendly,
    out,
)
from makertime.errors import ServerError
from makertime.outputs.console import status_line

if TYPE_CHECKING:
    from makertime.audit import AuditReport
    from makertime.policy import Policy


@app.command()
@friendly
def audit(
    cals: Cals,
    policy: PolicyOpt = None,
    first: FromOpt = None,
    last: ToOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of the report.")
                       ] = False,
    html: Annotated[Path | None, typer.Option(
        "--html", metavar="FILE", help=f"Also write a self-contained HTML report. {REPLACES}")
    ] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Parse again even when a file is unchanged.")] = False,
    by: Annotated[str, typer.Option(
        "--by", metavar="day|week|auto",
        help="Rows per day or per ISO week; auto: days up to five weeks.")] = "auto",
    force: Annotated[bool, typer.Option(
        "--force", help="Let --html replace an existing file makertime did not write (it is "
        "lost). Never an input of this command (a CAL file or folder, policy.toml), the store, "
        "the cache, a symbolic link or a device.")] = False,
    db: DbOpt = None,
) -> None:
    """Measure how your time really falls: focus blocks, fragments, switches, after-hours sync.

    Every figure follows the definitions in docs/metrics.md: a *gap* is free time inside the work
    window, a *focus block* a gap of at least `focus.min_block_minutes` (120), a *fragment* a
    shorter one. Expanded calendars are cached by content in ~/.cache/makertime.

    Example: `makertime audit work.ics --policy policy.toml --html week.html`
    """
    from makertime.app import audit as audit_calendars

    with err.status("reading calendars…") as status:
        done = audit_calendars(cals, policy=policy, first=first, last=last, by=by, html=html,
                               force=force, db=db, cache=not no_cache,
                               progress=status_line(status, "reading {}…"))
    _emit_audit(done.report, done.policy, as_json, html, by)


def _emit_audit(report: AuditReport, chosen: Policy, as_json: bool, html: Path | None,
                by: str) -> None:
    if html is not None:
        from makertime.outputs.html import write_audit_html

        write_audit_html(report, chosen, html)
    if as_json:
        from makertime.outputs.json import audit_to_dict

        sys.stdout.write(json.dumps(audit_to_dict(report, chosen.timezone), indent=2) + "\n")
        return
    from makertime.outputs.terminal import render_audit

    render_audit(report, out, chosen.timezone, chosen.focus.min_block_minutes, by=by)
    if html is not None:
        out.print(f"HTML report written to {html}")


@app.command()
@friendly
def check(
    cals: Cals,
    first: Annotated[str | None, typer.Option(
        "--from", metavar="D", help="Start of the year to expand (default: today).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    policy: PolicyOpt = None,
    db: DbOpt = None,
) -> None:
    """Can these calendars be read? Components, instances over a year, and every repair made.

    With your policy (work days, days off, rules) it also names every all-day event marked free
    whose title reads as a holiday or closure on a work day, and the rule that makes it away time.

    Exit status 0 when every file is readable (even with warnings), 2 when one is not, 3 when
    a CalDAV server could not be reached.
    """
    from makertime.app import check as check_calendars
    from makertime.outputs.check import render_check

    with err.status("checking calendars…") as status:
        results = check_calendars(cals, first=first, policy=policy, db=db,
                                  progress=status_line(status, "checking {}…"))
    if as_json:
        sys.stdout.write(json.dumps([r.to_dict() for r in results], indent=2) + "\n")
    else:
        render_check(results, out)
    if any(r.unavailable for r in results):
        raise typer.Exit(ServerError.exit_status)
    if not all(r.readable for r in results):
        raise typer.Exit(2)
