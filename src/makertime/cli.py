"""The makertime command line (Typer): parse, call one library function, render.

Errors a person can fix become one line on stderr and exit status 2, here and nowhere else.
Heavy modules are imported inside the commands so that ``makertime --help`` stays instant.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from makertime.cli_help import no_python_types_in_help
from makertime.errors import MakertimeError, PeriodError, ServerError
from makertime.outputs.console import SafeConsole, status_line
from makertime.text import clean

no_python_types_in_help()
app = typer.Typer(
    name="makertime",
    help="Protect deep, asynchronous work from synchronous work.\n\n"
    "Read the calendars you already have (.ics files, folders of them, CalDAV collections) and see "
    "how your time really falls: focus blocks vs. fragments, context switches, sync load after "
    "hours; plan your async tasks into protected blocks around your commitments; publish the plan "
    "to your calendar and repair it as the week changes (`interrupt`, `progress`, `replan`). "
    "Start with `makertime demo`.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    pretty_exceptions_show_locals=False,
)
out = SafeConsole()  # text from calendars is shown as text: no markup, no control characters
err = SafeConsole(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])

Cals = Annotated[list[str], typer.Argument(
    help="An .ics file, a folder of .ics files, a CalDAV collection URL (credentials from "
    "MAKERTIME_CALDAV_USERNAME/PASSWORD or ~/.netrc) or a remembered source's name.",
    metavar="CAL", show_default=False)]
PolicyOpt = Annotated[Path | None, typer.Option("--policy", "-p", metavar="P",
                                                help="policy.toml (default: defaults, local zone)")]
FromOpt = Annotated[str | None, typer.Option("--from", metavar="D",
                                             help="First date, YYYY-MM-DD (default: this Monday).")]
ToOpt = Annotated[str | None, typer.Option("--to", metavar="D",
                                           help="Last date, inclusive (default: this Sunday).")]
DbOpt = Annotated[str | None, typer.Option(
    "--db", metavar="URL", help="The store remembered sources are kept in (default: "
    "$MAKERTIME_DB, else ~/.local/share/makertime/makertime.db); opened only for a CAL that "
    "names one.")]
REPLACES = ("An existing file is replaced only when makertime wrote it (see --force); never an "
            "input of this command, the store, the cache, a symbolic link or a device.")


def friendly(command: F) -> F:
    """Turn makertime's errors into one clear line and their exit status (2: bad input, 3: a
    calendar server is down, 4: the store is busy; see ``makertime.errors``)."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except MakertimeError as error:
            # one line, whatever a file name or a calendar's text held
            err.print(f"makertime: {clean(str(error), chars=2000)}", style="red",
                      highlight=False, soft_wrap=True)
            raise typer.Exit(error.exit_status) from None

    return run  # type: ignore[return-value]


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
    from makertime.audit import audit_calendars
    from makertime.policy import load_policy
    from makertime.sources.cache import InstanceCache

    if by not in ("day", "week", "auto"):
        raise PeriodError("--by", f"{by!r} is not day, week or auto")
    cals = named(cals, db)
    if html is not None:  # the check costs imports a warm audit need not pay
        from makertime.outputs.safety import check_options

        check_options(html=html, cals=cals, policy=policy, store=db, force=force)
    from makertime.model import Period

    chosen = load_policy(policy)
    period = Period.from_options(first, last, datetime.now(chosen.timezone).date())
    with err.status("reading calendars…") as status:
        report = audit_calendars(cals, chosen, period, cache=None if no_cache else InstanceCache(),
                                 progress=status_line(status, "reading {}…"))
    _emit_audit(report, chosen, as_json, html, by)


def named(cals: list[str], db: str | None) -> list[str]:
    """Each CAL as given, a remembered source's name replaced by its URL or path."""
    from makertime.sources import may_name_a_source

    if not any(may_name_a_source(cal) for cal in cals):  # no store, no imports it costs
        return cals
    from makertime.keep.inputs import named_sources

    return named_sources(cals, db)


def _emit_audit(report: Any, chosen: Any, as_json: bool, html: Path | None, by: str) -> None:
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
    from makertime.closures import closures
    from makertime.model import Period
    from makertime.outputs.check import render_check
    from makertime.policy import load_policy
    from makertime.sources.check import check_calendars

    chosen = load_policy(policy)
    today = datetime.now(chosen.timezone).date()
    period = Period.from_options(first, None, today, default_days=365)
    cals = named(cals, db)
    with err.status("checking calendars…") as status:
        results = check_calendars(
            cals, period, progress=status_line(status, "checking {}…"),
            examine=lambda read: [c.warning() for c in closures(read.instances, chosen, period)])
    if as_json:
        sys.stdout.write(json.dumps([r.to_dict() for r in results], indent=2) + "\n")
    else:
        render_check(results, out)
    if any(r.unavailable for r in results):
        raise typer.Exit(ServerError.exit_status)
    if not all(r.readable for r in results):
        raise typer.Exit(2)


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
    from makertime.cli_week import opened, target_name
    from makertime.keep import make_plan
    from makertime.keep.inputs import resolve
    from makertime.model import Period
    from makertime.outputs.safety import check_options
    from makertime.policy import load_policy
    from makertime.store import PlanInputs

    options = solver_options(time_limit, workers, gap)
    chosen = load_policy(policy)
    clock = datetime.now(chosen.timezone)
    period = Period.from_options(first, last, clock.date())
    _plannable(period)
    at = moment(now, chosen.timezone) if now else (
        clock if period.first <= clock.date() <= period.last else None)
    with opened(db) as store:
        inputs = PlanInputs(cals=resolve(store, cals or []), tasks_path=_absolute(tasks),
                            policy_path=_absolute(policy), target=target_name(publish),
                            first=period.first, last=period.last, timezone=str(chosen.timezone))
        check_options(out=out_ics, html=html, publish=publish, cals=inputs.cals, tasks=tasks,
                      policy=policy, store=store.url, force=force)
        with err.status("reading calendars…") as status:
            planned = make_plan(store, inputs, now=at, clock=clock, options=options,
                                publish=publish is not None, cache=not no_cache,
                                progress=status_line(status))
    _emit_plan(planned.plan, chosen, out_ics, as_json, html)
    if planned.published is not None and not as_json:
        from makertime.keep.terminal import render_publish

        render_publish(planned.published, out, chosen.timezone)


def _absolute(path: Path | None) -> str | None:
    return None if path is None else str(path.expanduser().resolve())


def moment(text: str, zone: Any) -> datetime:
    """``--now`` as an aware moment (naive means wall time in ``zone``), in a calendar year."""
    from makertime.model import option_moment

    return option_moment(text, zone, "--now")


def _plannable(period: Any) -> None:
    """Refuse a period longer than one plan may cover (the planner grows with its length)."""
    from makertime.limits import limit

    days, most = (period.last - period.first).days + 1, limit("plan.days")
    if days > most:
        raise PeriodError("--to", f"{period.first} to {period.last} is {days} days, longer than "
                          f"the {most} days one plan covers", "plan a shorter period")


def solver_options(time_limit: float, workers: int | None, gap: float = 0.005) -> Any:
    """``--time-limit``, ``--workers`` and ``--gap`` as PlanOptions, each within its limit."""
    from makertime.limits import limit
    from makertime.plan.solve import PlanOptions

    longest, most = limit("plan.time_limit_seconds"), limit("plan.workers")
    if not 0 < time_limit <= longest:  # also refuses nan; inf is past the limit
        raise PeriodError("--time-limit", f"{time_limit:g} is not a number of seconds from "
                          f"more than 0 to {longest:,}", "e.g. --time-limit 10")
    if not 0 <= gap < 1:
        raise PeriodError("--gap", f"{gap:g} is not a fraction in [0, 1)",
                          "e.g. 0.005 for half a percent")
    if workers is not None and not 1 <= workers <= most:
        raise PeriodError("--workers", f"{workers} is not a number of threads from 1 to {most}",
                          "leave it out to use every core")
    return PlanOptions(time_limit=time_limit, gap=gap, workers=workers)


def _emit_plan(result: Any, chosen: Any, out_ics: Path | None, as_json: bool,
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


@app.command()
@friendly
def init(
    folder: Annotated[Path, typer.Argument(
        metavar="DIR", help="Where to write them (made if missing; default: here).",
        show_default=False)] = Path(),
) -> None:
    """Write a starter policy.toml and tasks.toml, every key commented, your time zone filled in.

    Existing files are never replaced. Then: `makertime audit YOUR.ics --policy policy.toml`.
    """
    from makertime.starter import local_zone_name, write_starter

    zone = local_zone_name()
    today = datetime.now().astimezone().date()
    policy, tasks = write_starter(folder, today=today, zone=zone)
    out.print(f"wrote {policy} (time zone {zone or 'UTC: set yours in it'}) and {tasks}",
              markup=False, highlight=False, soft_wrap=True)
    out.print(f"next: makertime audit YOUR.ics --policy {policy}\n"
              f"      makertime plan YOUR.ics --tasks {tasks} --policy {policy}",
              markup=False, highlight=False, soft_wrap=True)


@app.command()
def defaults() -> None:
    """Every default, with its unit, meaning, source and evidence grade (A best … D convention)."""
    from makertime.outputs.defaults import render_defaults

    render_defaults(out)


@app.command()
@friendly
def demo() -> None:
    """Audit and plan a bundled sample week of a live-media engineer, and print both."""
    from makertime.demo import sample_demo
    from makertime.outputs.plan_terminal import render_plan
    from makertime.outputs.terminal import render_audit, task_table
    from makertime.plan.solve import PlanOptions
    from makertime.sample import SAMPLE_WEEK, sample_path

    with err.status("auditing and planning the sample week…"):
        result = sample_demo(PlanOptions(gap=0.0, workers=1))  # the same plan on every run
    zone = result.policy.timezone
    min_block = result.policy.focus.min_block_minutes
    out.rule("makertime demo: a week of a live-media engineer")
    out.print(f"calendar {sample_path('week.ics')}\npolicy   {sample_path('policy.toml')}\n"
              f"tasks    {sample_path('tasks.toml')}\n")
    render_audit(result.report, out, zone, min_block)
    out.print(task_table(result.tasks, SAMPLE_WEEK.first, zone))
    out.rule("The plan: async work in protected blocks")
    render_plan(result.plan, out, zone, min_block)
    out.print("Your own week: makertime init (a commented policy.toml and tasks.toml), then "
              "makertime audit YOUR.ics --policy policy.toml and makertime plan YOUR.ics "
              "--tasks tasks.toml --policy policy.toml --html week.html",
              style="dim", soft_wrap=True)


def main() -> None:
    """Entry point of the ``makertime`` command."""
    app()


from makertime import cli_week  # noqa: E402  (registers the commands that live with the week)

__all__ = ["app", "cli_week", "main"]
